import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { judgeConfigTest } from './judge-config-test'

/** stderr of `keepalived --config-test --use-file <file>`, keepalived 2.2.7 (Debian bookworm). */
const captured = (name: string) => readFileSync(new URL(`./__fixtures__/config-test-${name}-2.2.7.txt`, import.meta.url), 'utf8')

describe('judgeConfigTest', () => {
  it('rejects a file keepalived complains about, keeping its messages once each', () => {
    expect(judgeConfigTest(5, captured('unknown-keyword'))).toEqual({
      accepted: false,
      messages: [
        "(bad.conf: Line 3) Unknown keyword 'bogus_kw'",
        'Virtual server [1.2.3.4]:none:80: no protocol set - defaulting to UDP',
        'Virtual server [1.2.3.4]:udp:80: no forwarding method set, setting default NAT',
      ],
      aboutHost: [],
    })
    expect(judgeConfigTest(5, captured('braces')).messages).toEqual(["There are 1 missing '}'s or extra '{'s"])
    expect(judgeConfigTest(5, captured('dr-port')).accepted).toBe(false)
  })

  it('accepts a clean file, and one whose only complaint is an interface this host lacks', () => {
    expect(judgeConfigTest(0, '')).toEqual({ accepted: true, messages: [], aboutHost: [] })
    expect(judgeConfigTest(5, captured('no-interface'))).toMatchObject({ accepted: true, aboutHost: expect.arrayContaining(['Non-existent interface specified in configuration']) })
  })
})
