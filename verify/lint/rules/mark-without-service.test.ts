import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { markWithoutService } from './mark-without-service'

const rules = '-A -f 10 -s rr\n-a -f 10 -r 172.16.100.101:0 -g -w 1\n'
const mangle = (...lines: string[]) => ['*mangle', ':PREROUTING ACCEPT [0:0]', ...lines, 'COMMIT'].join('\n')
const check = (m: string) => markWithoutService.check(lintInputOf({ rules, mangle: m }))

describe('mark-without-service', () => {
  it('trips on a mark no service takes, at its mangle line', () => {
    expect(
      check(mangle('-A PREROUTING -p tcp -m tcp --dport 80 -j MARK --set-xmark 0xa/0xffffffff', '-A PREROUTING -p tcp -m tcp --dport 443 -j MARK --set-mark 11')),
    ).toMatchObject([{ severity: 'warning', file: 'mangle', line: 4, summary: expect.stringMatching(/^mark 11 \(0xb\)/) }])
  })

  it("holds when every mark is a service's", () => {
    expect(check(mangle('-A PREROUTING -p tcp -m tcp --dport 80 -j MARK --set-xmark 0xa/0xffffffff'))).toEqual([])
  })
})
