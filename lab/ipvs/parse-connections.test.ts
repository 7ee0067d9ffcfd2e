import { describe, expect, it } from 'vitest'
import { leading32Bits, parseIpvsConnections } from './parse-connections'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsConnections', () => {
  it('reads ordinary connections', () => {
    const conns = parseIpvsConnections(fixture('conn-nat.txt'))
    expect(conns).toHaveLength(4)
    expect(conns[1]).toEqual({
      protocol: 'TCP',
      expiresInSeconds: 118,
      state: 'TIME_WAIT',
      source: { address: '192.168.100.1', port: 41230 },
      virtual: { address: '192.168.100.6', port: 80 },
      destination: { address: '172.16.100.12', port: 80 },
      isTemplate: false,
    })
    expect(conns[3]).toMatchObject({ protocol: 'UDP', state: 'UDP', expiresInSeconds: 297 })
  })

  it('reads persistence templates, fwmark templates and expiries past an hour', () => {
    const [portZero, conn, fwm, hour, month] = parseIpvsConnections(fixture('conn-persistent.txt'))
    expect(portZero).toMatchObject({ protocol: 'TCP', isTemplate: true, expiresInSeconds: 4, source: { address: '172.16.100.0', port: 0 } })
    expect(portZero!.fwmark).toBeUndefined()
    expect(conn!.isTemplate).toBe(false)
    expect(fwm).toMatchObject({ protocol: 'IP', state: 'ASSURED', isTemplate: true, fwmark: 10, expiresInSeconds: 359 })
    expect(hour!.expiresInSeconds).toBe(3600)
    expect(month).toMatchObject({ fwmark: 300, expiresInSeconds: 31 * 86400 })
  })

  it('reads IPv6 entries; an IPv6 fwmark template keeps the mark in the first 32 bits', () => {
    const [conn, tpl] = parseIpvsConnections(fixture('conn-ipv6.txt'))
    expect(conn!.source).toEqual({ address: '2001:db8::100', port: 51000 })
    expect(tpl).toMatchObject({ protocol: 'IP', fwmark: 20, isTemplate: true })
  })

  it('reads --persistent-conn pe columns when present', () => {
    const [tpl, conn] = parseIpvsConnections(fixture('conn-pe.txt'))
    expect(tpl).toMatchObject({ peName: 'sip', peData: 'a8d2c3e4@192.168.100.1', isTemplate: true })
    expect(conn!.peName).toBeUndefined()
  })

  it('accepts an empty connection table', () => {
    expect(parseIpvsConnections(fixture('conn-empty.txt'))).toEqual([])
  })

  it('takes the leading 32 bits of either family', () => {
    expect(leading32Bits('0.0.0.10')).toBe(10)
    expect(leading32Bits('255.255.255.255')).toBe(0xffffffff)
    expect(leading32Bits('0:14::')).toBe(20)
    expect(leading32Bits('1:2:3:4:5:6:7:8')).toBe(0x10002)
    expect(leading32Bits('::1')).toBe(0)
  })

  it.each([
    ['empty input', ''],
    ['a service listing', fixture('list-nat.txt')],
    ['a bad expiry', fixture('conn-nat.txt').replace('14:59', '14:75')],
    ['a missing column', fixture('conn-nat.txt').replace(/ 172\.16\.100\.11:80\n/, '\n')],
    [
      'raw /proc/net/ip_vs_conn',
      'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\nTCP C0A86401 A0F2 C0A86406 0050 AC10640B 0050 ESTABLISHED     899\n',
    ],
  ])('rejects %s', (_what, text) => {
    expect(() => parseIpvsConnections(text)).toThrow(IpvsParseError)
  })
})
