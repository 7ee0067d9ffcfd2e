import { describe, expect, it } from 'vitest'
import { parseIpvsRate } from './parse-rate'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsRate', () => {
  it('reads rates, expanding suffixed byte rates', () => {
    const [tcp, udp] = parseIpvsRate(fixture('rate-nat.txt')).services
    expect(tcp!.counters).toEqual({ cps: 3, inPps: 21, outPps: 18, inBps: 1450, outBps: 250000000, exact: false })
    expect(tcp!.realServers[0]).toEqual({ address: '172.16.100.11', port: 80, counters: { cps: 1, inPps: 10, outPps: 9, inBps: 700, outBps: 120000000, exact: false } })
    expect(udp!.counters).toEqual({ cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0, exact: true })
  })

  it('accepts an empty table', () => {
    expect(parseIpvsRate(fixture('rate-empty.txt')).services).toEqual([])
  })

  it.each([
    ['a stats listing', fixture('stats-nat.txt')],
    ['garbage after the title', fixture('rate-empty.txt') + 'oops\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseIpvsRate(text)).toThrow(IpvsParseError)
  })
})
