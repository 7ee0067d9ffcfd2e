import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { noUsableRealServer } from './no-usable-real-server'

const check = (rules: string) => noUsableRealServer.check(lintInputOf({ rules }))

describe('no-usable-real-server', () => {
  it('trips on a service without real servers and on one with all at weight 0', () => {
    expect(check('-A -t 192.168.100.6:8080 -s wlc\n-A -u 192.168.100.6:53 -s rr\n-a -u 192.168.100.6:53 -r 172.16.100.11:53 -m -w 0\n')).toMatchObject([
      { severity: 'error', line: 1, summary: 'TCP 192.168.100.6:8080 has no real server' },
      { severity: 'error', line: 2, summary: 'every real server of UDP 192.168.100.6:53 is at weight 0' },
    ])
  })

  it('holds while one server has a weight', () => {
    expect(check('-A -t 192.168.100.6:80 -s rr\n-a -t 192.168.100.6:80 -r 172.16.100.11:80 -m -w 0\n-a -t 192.168.100.6:80 -r 172.16.100.12:80 -m -w 1\n')).toEqual([])
  })
})
