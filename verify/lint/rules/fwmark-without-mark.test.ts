import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { fwmarkWithoutMark } from './fwmark-without-mark'

const rules = '-A -f 10 -s rr -p 360\n-a -f 10 -r 172.16.100.101:0 -g -w 1\n'
const mangle = (...lines: string[]) => ['*mangle', ':PREROUTING ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ...lines, 'COMMIT'].join('\n')
const check = (texts: { rules: string; mangle?: string }) => fwmarkWithoutMark.check(lintInputOf(texts))

describe('fwmark-without-mark', () => {
  it('trips on a mark service whose mark no rule sets, or sets too late', () => {
    expect(check({ rules, mangle: mangle('-A PREROUTING -d 172.16.100.200/32 -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x14/0xffffffff') })).toMatchObject([
      { severity: 'error', line: 1, service: 'FWM 10', summary: 'no MARK rule in the mangle table sets mark 10 (0xa)' },
    ])
    expect(check({ rules, mangle: mangle('-A FORWARD -j MARK --set-mark 10') })).toMatchObject([{ severity: 'error', summary: expect.stringMatching(/only set in FORWARD/) }])
  })

  it('holds when PREROUTING sets the mark, and only says it could not look without a mangle file', () => {
    expect(check({ rules, mangle: mangle('-A PREROUTING -d 172.16.100.200/32 -p tcp -m tcp --dport 80 -j MARK --set-xmark 0xa/0xffffffff') })).toEqual([])
    expect(check({ rules })).toMatchObject([{ severity: 'info' }])
  })
})
