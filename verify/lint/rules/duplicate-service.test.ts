import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { duplicateService } from './duplicate-service'

const mangle = (...lines: string[]) => ['*mangle', ':PREROUTING ACCEPT [0:0]', ...lines, 'COMMIT'].join('\n')
const check = (rules: string, m?: string) => duplicateService.check(lintInputOf({ rules, mangle: m }))

describe('duplicate-service', () => {
  it('trips on a service or real server added twice, and on a port service a mark takes', () => {
    expect(
      check('-A -t 192.168.100.6:80 -s rr\n-a -t 192.168.100.6:80 -r 172.16.100.11 -m\n-a -t 192.168.100.6:80 -r 172.16.100.11:80 -m -w 3\n-A -t 192.168.100.6:80 -s wlc\n'),
    ).toMatchObject([
      { severity: 'error', line: 3, summary: 'this real server was already added at line 2: the kernel refuses it ("Destination already exists")' },
      { severity: 'error', line: 4, summary: 'this service was already added at line 1: the kernel refuses it ("Service already exists")' },
    ])
    const rules = '-A -f 10 -s rr\n-a -f 10 -r 172.16.100.101:0 -g\n-A -t 172.16.100.200:443 -s rr\n-a -t 172.16.100.200:443 -r 172.16.100.102 -g\n'
    expect(check(rules, mangle('-A PREROUTING -d 172.16.100.200/32 -p tcp -m multiport --dports 80,443 -j MARK --set-xmark 0xa/0xffffffff'))).toMatchObject([
      { severity: 'error', line: 3, summary: "mangle line 3 marks TCP 172.16.100.200:443's packets 10 (0xa), so FWM 10 takes them" },
    ])
  })

  it('holds for distinct services and marks on other ports or addresses', () => {
    const rules = '-A -f 10 -s rr\n-A -t 172.16.100.200:443 -s rr\n-A -t 172.16.100.201:80 -s rr\n'
    expect(
      check(rules, mangle('-A PREROUTING -d 172.16.100.200/32 -p tcp -m tcp --dport 80 -j MARK --set-mark 10', '-A PREROUTING -d 172.16.100.0/24 -p udp -j MARK --set-mark 10')),
    ).toEqual([])
  })
})
