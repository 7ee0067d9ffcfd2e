import { describe, expect, it } from 'vitest'
import { parseIpvsSave } from './parse-save'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsSave', () => {
  it('reads NAT rules into the listing shape', () => {
    const t = parseIpvsSave(fixture('save-nat.txt'))
    expect(t.version).toBeUndefined()
    expect(t.services[0]).toEqual({
      protocol: 'TCP',
      address: '192.168.100.6',
      port: 80,
      scheduler: 'rr',
      flags: [],
      realServers: [
        { address: '172.16.100.11', port: 80, forward: 'Masq', weight: 1, activeConns: 0, inactiveConns: 0 },
        { address: '172.16.100.12', port: 80, forward: 'Masq', weight: 1, activeConns: 0, inactiveConns: 0 },
      ],
    })
  })

  it('reads fwmark, persistence, mask, flags, ops and pe', () => {
    expect(parseIpvsSave(fixture('save-fwm-persistent.txt')).services[0]).toMatchObject({ protocol: 'FWM', fwmark: 10, persistent: 360 })
    expect(parseIpvsSave(fixture('save-persistent-mask.txt')).services[0]).toMatchObject({ port: 0, persistent: 5, netmask: '255.255.255.0' })
    expect(parseIpvsSave(fixture('save-ipv6.txt')).services[1]).toMatchObject({ protocol: 'FWM', fwmark: 20, ipv6: true, netmask: '64' })
    expect(parseIpvsSave(fixture('save-dr.txt')).services[1]!.flags).toEqual(['sh-fallback', 'sh-port'])
    const byPort = new Map(parseIpvsSave(fixture('save-options.txt')).services.map((s) => [s.port, s]))
    expect(byPort.get(53)!.ops).toBe(true)
    expect(byPort.get(5060)!.pe).toBe('sip')
    expect(byPort.get(9)!.protocol).toBe('SCTP')
    expect(byPort.get(8080)!.realServers).toEqual([])
  })

  it('reads tunnel options', () => {
    expect(parseIpvsSave(fixture('save-tunnel.txt')).services[0]!.realServers.map((r) => r.tunnel)).toEqual([
      { type: 'ipip' },
      { type: 'gue', port: 6080, checksum: 'csum' },
      { type: 'gre', checksum: 'nocsum' },
    ])
  })

  it('accepts an empty rule set', () => {
    expect(parseIpvsSave('')).toEqual({ services: [] })
  })

  it("fills in ipvsadm's defaults for hand-written rules", () => {
    const t = parseIpvsSave(
      [
        '--add-service --tcp-service 10.0.0.1:80 --persistent',
        '--add-server --tcp-service 10.0.0.1:80 --real-server 10.0.1.1 -x 100 -y 50',
        '-A -f 7 -p 60 -M 255.255.255.255',
        '-a -f 7 -r 10.0.1.2 -i --tun-type gre',
      ].join('\n'),
    )
    expect(t.services[0]).toMatchObject({ scheduler: 'wlc', persistent: 360 })
    expect(t.services[0]!.realServers[0]).toEqual({
      address: '10.0.1.1',
      port: 80,
      forward: 'Route',
      weight: 1,
      activeConns: 0,
      inactiveConns: 0,
      upperThreshold: 100,
      lowerThreshold: 50,
    })
    expect(t.services[1]!.netmask).toBeUndefined()
    expect(t.services[1]!.realServers[0]).toMatchObject({ port: 0, forward: 'Tunnel', tunnel: { type: 'gre', checksum: 'nocsum' } })
  })

  it.each([
    ['a listing', fixture('list-nat.txt')],
    ['an unknown command', '-C\n'],
    ['an unknown option', '-A -t 10.0.0.1:80 -s rr --frobnicate\n'],
    ['a server for an unknown service', '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1\n'],
    ['a server without -r', '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -m -w 1\n'],
    ['a missing option value', '-A -t 10.0.0.1:80 -s\n'],
    ['host names (saved without -n)', '-A -t www.example.com:http -s rr\n'],
    ['tunnel options on a NAT server', '-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m --tun-type gre\n'],
    ['gue without a port', '-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -i --tun-type gue\n'],
    ['-6 before -f', '-A -6 -f 1\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseIpvsSave(text)).toThrow(IpvsParseError)
  })
})
