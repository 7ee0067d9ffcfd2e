import { describe, expect, it } from 'vitest'
import { parseIpvsList } from './parse-list'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsList', () => {
  it('reads a NAT table with banner and counters', () => {
    const t = parseIpvsList(fixture('list-nat.txt'))
    expect(t.version).toBe('1.2.1')
    expect(t.connTableSize).toBe(4096)
    expect(t.services).toHaveLength(2)
    expect(t.services[0]).toEqual({
      protocol: 'TCP',
      address: '192.168.100.6',
      port: 80,
      scheduler: 'rr',
      flags: [],
      realServers: [
        { address: '172.16.100.11', port: 80, forward: 'Masq', weight: 1, activeConns: 0, inactiveConns: 0 },
        { address: '172.16.100.12', port: 80, forward: 'Masq', weight: 1, activeConns: 3, inactiveConns: 12 },
      ],
    })
    expect(t.services[1]).toMatchObject({ protocol: 'UDP', port: 53, scheduler: 'wlc' })
  })

  it('reads direct routing, a quiesced server and scheduler flags', () => {
    const [http, https] = parseIpvsList(fixture('list-dr.txt')).services
    expect(http!.realServers.map((r) => [r.forward, r.weight])).toEqual([
      ['Route', 1],
      ['Route', 0],
    ])
    expect(https).toMatchObject({ scheduler: 'sh', flags: ['sh-fallback', 'sh-port'] })
  })

  it('reads a persistent firewall-mark service', () => {
    const [fwm] = parseIpvsList(fixture('list-fwm-persistent.txt')).services
    expect(fwm).toMatchObject({ protocol: 'FWM', fwmark: 10, scheduler: 'rr', persistent: 360 })
    expect(fwm!.address).toBeUndefined()
    expect(fwm!.realServers.map((r) => `${r.address}:${r.port}`)).toEqual(['172.16.100.101:0', '172.16.100.102:0'])
  })

  it('reads a port-zero persistent service with a mask, and size=0 from newer kernels', () => {
    const t = parseIpvsList(fixture('list-persistent-mask.txt'))
    expect(t.connTableSize).toBe(0)
    expect(t.services[0]).toMatchObject({ address: '172.16.100.200', port: 0, persistent: 5, netmask: '255.255.255.0' })
  })

  it('accepts an empty table', () => {
    expect(parseIpvsList(fixture('list-empty.txt'))).toEqual({ version: '1.2.1', connTableSize: 4096, services: [] })
    expect(parseIpvsList(fixture('list-empty-size0.txt')).services).toEqual([])
  })

  it('reads IPv6 services and an IPv6 fwmark service', () => {
    const [tcp, fwm] = parseIpvsList(fixture('list-ipv6.txt')).services
    expect(tcp).toMatchObject({ address: '2001:db8::6', port: 80 })
    expect(tcp!.realServers[0]).toMatchObject({ address: '2001:db8:1::11', port: 80 })
    expect(fwm).toMatchObject({ protocol: 'FWM', fwmark: 20, ipv6: true, persistent: 60, netmask: '64' })
  })

  it('reads ops, pe, Local forwarding, SCTP and services without real servers', () => {
    const byPort = new Map(parseIpvsList(fixture('list-options.txt')).services.map((s) => [s.port, s]))
    expect(byPort.get(22)!.realServers[0]!.forward).toBe('Local')
    expect(byPort.get(25)!.flags).toEqual(['mh-fallback', 'mh-port'])
    expect(byPort.get(8080)!.realServers).toEqual([])
    expect(byPort.get(53)!.ops).toBe(true)
    expect(byPort.get(5060)).toMatchObject({ protocol: 'UDP', persistent: 360, pe: 'sip' })
    expect(byPort.get(9)!.protocol).toBe('SCTP')
  })

  it('reads the --tun-info column', () => {
    const [tun, dr] = parseIpvsList(fixture('list-tun-info.txt')).services
    expect(tun!.realServers.map((r) => r.tunnel)).toEqual([{ type: 'ipip' }, { type: 'gue', port: 6080, checksum: 'csum' }, { type: 'gre', checksum: 'nocsum' }])
    expect(dr!.realServers[0]!.tunnel).toBeUndefined()
  })

  it('reads a single-service listing, which has no banner', () => {
    const text = fixture('list-nat.txt').split('\n').slice(1, 6).join('\n')
    const t = parseIpvsList(text)
    expect(t.version).toBeUndefined()
    expect(t.services).toHaveLength(1)
  })

  it.each([
    ['empty input', ''],
    ['garbage', 'hello world\n'],
    ['a stats listing', fixture('stats-nat.txt')],
    ['a connection listing', fixture('conn-nat.txt')],
    ['a listing without -n', fixture('list-nat.txt').replace('192.168.100.6:80', 'www.example.com:http')],
    ['an unknown forwarding method', fixture('list-nat.txt').replace('Masq ', 'Magic')],
    ['a truncated real server line', fixture('list-nat.txt').replace(/ +0 +\n/, '\n')],
    ['a real server before any service', fixture('list-empty.txt') + '  -> 172.16.100.11:80             Masq    1      0          0\n'],
    ['an unknown service option', fixture('list-nat.txt').replace(' rr\n', ' rr sticky\n')],
    ['a port out of range', fixture('list-nat.txt').replace('192.168.100.6:80', '192.168.100.6:70000')],
  ])('rejects %s', (_what, text) => {
    expect(() => parseIpvsList(text)).toThrow(IpvsParseError)
  })

  it('names the offending line in one line', () => {
    const text = fixture('list-nat.txt').replace('Masq ', 'Magic')
    expect(() => parseIpvsList(text)).toThrow(/^unknown forwarding method "Magic" at line 5: ".*Magic.*"$/)
  })
})
