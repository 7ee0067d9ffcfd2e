import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { mixedForwarding } from './mixed-forwarding'

const check = (second: string) =>
  mixedForwarding.check(
    lintInputOf({
      rules: `-A -t 172.16.100.200:80 -s rr\n-a -t 172.16.100.200:80 -r 172.16.100.101:80 -g\n-A -t 172.16.100.200:8080 -s rr\n-a -t 172.16.100.200:8080 -r 172.16.100.101:8080 ${second}\n`,
    }),
  )

describe('mixed-forwarding', () => {
  it('trips on one server that is DR in one service and NAT in another', () => {
    expect(check('-m')).toMatchObject([
      { severity: 'warning', line: 4, summary: '172.16.100.101 is Route in TCP 172.16.100.200:80 (line 2), Masq in TCP 172.16.100.200:8080 (line 4)' },
    ])
  })

  it('holds when the server is DR everywhere', () => {
    expect(check('-g')).toEqual([])
  })
})
