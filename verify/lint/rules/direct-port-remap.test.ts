import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { directPortRemap } from './direct-port-remap'

const check = (rules: string) => directPortRemap.check(lintInputOf({ rules }))

describe('direct-port-remap', () => {
  it('trips on a DR or TUN server given another port, and on a port under a mark', () => {
    expect(check('-A -t 172.16.100.200:80 -s rr\n-a -t 172.16.100.200:80 -r 172.16.100.101:8080 -g\n-a -t 172.16.100.200:80 -r 172.16.100.102:8080 -i\n')).toMatchObject([
      { severity: 'error', line: 2, summary: '172.16.100.101:8080 is DR (-g), which cannot send port 80 to 8080: ipvsadm silently makes it 172.16.100.101:80' },
      { severity: 'error', line: 3, summary: expect.stringMatching(/TUN \(-i\)/) },
    ])
    expect(check('-A -f 10 -s rr\n-a -f 10 -r 172.16.100.101:8080 -g\n')).toMatchObject([{ severity: 'warning', summary: expect.stringMatching(/never used/) }])
    expect(check('-A -t 172.16.100.200:0 -s rr -p\n-a -t 172.16.100.200:0 -r 172.16.100.101:80 -g\n')[0]!.summary).toMatch(/cannot send the port the client asked for to 80/)
  })

  it("holds for DR at the service's port and for NAT remapping", () => {
    expect(
      check(
        '-A -t 172.16.100.200:80 -s rr\n-a -t 172.16.100.200:80 -r 172.16.100.101:80 -g\n-a -t 172.16.100.200:80 -r 172.16.100.102:8080 -m\n-A -f 10\n-a -f 10 -r 172.16.100.101:0 -g\n',
      ),
    ).toEqual([])
  })
})
