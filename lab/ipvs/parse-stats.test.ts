import { describe, expect, it } from 'vitest'
import { parseIpvsStats } from './parse-stats'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsStats', () => {
  it('reads per-service and per-server counters', () => {
    const t = parseIpvsStats(fixture('stats-nat.txt'))
    expect(t.version).toBe('1.2.1')
    const [tcp, udp] = t.services
    expect(tcp).toMatchObject({ protocol: 'TCP', address: '192.168.100.6', port: 80 })
    expect(tcp!.counters).toEqual({ conns: 15, inPkts: 96, outPkts: 84, inBytes: 6412, outBytes: 10230, exact: true })
    expect(tcp!.realServers[1]).toEqual({ address: '172.16.100.12', port: 80, counters: { conns: 8, inPkts: 51, outPkts: 45, inBytes: 3411, outBytes: 5450, exact: true } })
    expect(udp!.realServers).toHaveLength(2)
  })

  it('expands K/M/G/T suffixes and marks the row inexact', () => {
    const [svc] = parseIpvsStats(fixture('stats-large.txt')).services
    expect(svc!.counters).toEqual({ conns: 123456000, inPkts: 1234e9, outPkts: 99999999, inBytes: 98765e6, outBytes: 123e12, exact: false })
    expect(svc!.realServers[1]!.counters.exact).toBe(true)
  })

  it('reads --exact values, wider than the columns', () => {
    const [svc] = parseIpvsStats(fixture('stats-large-exact.txt')).services
    expect(svc!.counters).toEqual({ conns: 123456789, inPkts: 1234567890123, outPkts: 99999999, inBytes: 98765432109, outBytes: 123456789012345, exact: true })
  })

  it('marks counters beyond 2^53 as inexact', () => {
    const text = fixture('stats-empty.txt') + 'FWM  1          1 2 3 4 18446744073709551615\n'
    expect(parseIpvsStats(text).services[0]!.counters.exact).toBe(false)
  })

  it('reads firewall-mark and IPv6 services', () => {
    expect(parseIpvsStats(fixture('stats-fwm-persistent.txt')).services[0]).toMatchObject({ protocol: 'FWM', fwmark: 10 })
    const [tcp, fwm] = parseIpvsStats(fixture('stats-ipv6.txt')).services
    expect(tcp).toMatchObject({ address: '2001:db8::6', port: 80 })
    expect(fwm).toMatchObject({ protocol: 'FWM', fwmark: 20, ipv6: true })
  })

  it('accepts an empty table', () => {
    expect(parseIpvsStats(fixture('stats-empty.txt')).services).toEqual([])
  })

  it.each([
    ['empty input', ''],
    ['a plain listing', fixture('list-nat.txt')],
    ['a rate listing', fixture('rate-nat.txt')],
    ['a missing column', fixture('stats-nat.txt').replace(/ +10230\n/, '\n')],
    ['an unknown suffix', fixture('stats-nat.txt').replace(' 10230', '   10P')],
  ])('rejects %s', (_what, text) => {
    expect(() => parseIpvsStats(text)).toThrow(IpvsParseError)
  })
})
