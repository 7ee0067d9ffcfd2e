import { describe, expect, it } from 'vitest'
import { parseSaveRules, serviceId } from './parse-save-rules'
import { IpvsParseError } from './parse-error'

describe('parseSaveRules', () => {
  it('keeps each rule with its line, including --set and a service added twice', () => {
    const rules = parseSaveRules(['# the farm', '--set 900 60 300', '', '-A -t 10.0.0.1:80 -s rr', '-A -t 10.0.0.1:80 -s wlc', '-a -t 10.0.0.1:80 -r 10.0.1.1'].join('\n'))
    expect(rules.map((r) => [r.kind, r.line.no])).toEqual([
      ['timeouts', 2],
      ['service', 4],
      ['service', 5],
      ['server', 6],
    ])
    expect(rules[0]).toMatchObject({ timeouts: { tcp: 900, tcpFin: 60, udp: 300 } })
    expect(serviceId((rules[1] as { service: { protocol: 'TCP'; address: string; port: number } }).service)).toBe('TCP 10.0.0.1 80')
  })

  it('reads an IPv4 -M as inet_aton does: 24 is the mask 0.0.0.24, not a /24', () => {
    const [rule] = parseSaveRules('-A -t 10.0.0.1:0 -p 60 -M 24')
    expect(rule).toMatchObject({ service: { netmask: '0.0.0.24' } })
    expect(parseSaveRules('-A -t 10.0.0.1:0 -p -M 0xffffff00')[0]).toMatchObject({ service: { netmask: '255.255.255.0', persistent: 360 } })
  })

  it.each([
    ['a non-persistent port 0 service', '-A -t 10.0.0.1:0 -s rr', /port 0/],
    ['-o on a TCP service', '-A -t 10.0.0.1:80 -o', /one-packet/],
    ['sh-fallback without -s sh', '-A -t 10.0.0.1:80 -s rr -b sh-fallback', /needs -s sh/],
    ['an unknown scheduler flag', '-A -t 10.0.0.1:80 -s sh -b sh-sticky', /invalid scheduler flag/],
    ['-p 0', '-A -t 10.0.0.1:80 -p 0', /below 1/],
    ['a mask that is no address', '-A -t 10.0.0.1:80 -p 60 -M 255.255.255.0/24', /not a numeric IPv4 mask/],
    ['--set with two values', '--set 900 120', /3 timeout values/],
    ['an IPv6 server behind an IPv4 service with -g', '-a -t 10.0.0.1:80 -r [2001:db8::1]:80 -g', /other address family/],
  ])('refuses %s, as ipvsadm does', (_what, text, reason) => {
    expect(() => parseSaveRules(text)).toThrow(IpvsParseError)
    expect(() => parseSaveRules(text)).toThrow(reason)
  })
})
