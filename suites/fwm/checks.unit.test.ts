import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseVisits } from '../../lab/http/visits'
import { parseIpvsConnections, parseIpvsList } from '../../lab/ipvs'
import { markServesPorts, markServiceListed } from './checks'
import { clientsOnDifferentServers, stickyAcrossPorts } from '../../checks/shop'

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const visits = (name: string) => parseVisits(fixture(name))
const clientsOf = (v: ReturnType<typeof visits>) => [...new Set(v.map((x) => x.client))]
const vip = '172.16.100.200'
const listing = { mark: 10, scheduler: 'rr', persistent: 360, realServers: ['172.16.100.101', '172.16.100.102'] }

// The runs of suites/fwm on 6.1, as the lab recorded them.
describe('FWM checks on the lab runs', () => {
  it('the -f 10 -p listing holds; the same service without -p fails it', () => {
    expect(markServiceListed(parseIpvsList(fixture('fwm-list-6.1.txt')), listing).failures).toEqual([])
    expect(markServiceListed(parseIpvsList(fixture('no-p-list-6.1.txt')), listing).failures).toEqual(['the service is not persistent (no "persistent" in its line)'])
  })

  it('a listing with the wrong timeout, a real server at a port or a missing one fails', () => {
    const table = parseIpvsList(fixture('fwm-list-6.1.txt'))
    expect(markServiceListed(table, { ...listing, persistent: 300 }).failures).toEqual(['persistent 360, not 300'])
    const svc = table.services[0]!
    const moved = { ...table, services: [{ ...svc, realServers: [{ ...svc.realServers[0]!, port: 80 }, svc.realServers[1]!] }] }
    expect(markServiceListed(moved, listing).failures).toHaveLength(1)
    expect(markServiceListed(table, { ...listing, mark: 11 }).failures[0]).toMatch(/no FWM 11 service/)
  })

  it('stickiness across 80 and 443 holds on the mark and fails without -p, without the 443 rule, and with two per-port services', () => {
    const fwm = visits('fwm-curl-6.1.txt')
    expect(stickyAcrossPorts(fwm, clientsOf(fwm)).failures).toEqual([])
    expect(clientsOnDifferentServers(fwm, clientsOf(fwm)).failures).toEqual([])
    const shared = visits('mask24-curl-6.1.txt')
    expect(stickyAcrossPorts(shared, clientsOf(shared)).failures).toEqual([])
    expect(clientsOnDifferentServers(shared, clientsOf(shared)).failures).toHaveLength(1)
    for (const control of ['no-p-curl-6.1.txt', 'no-443-mark-curl-6.1.txt', 'ppc-curl-6.1.txt']) {
      const v = visits(control)
      expect(stickyAcrossPorts(v, clientsOf(v)).failures.length, control).toBeGreaterThan(0)
    }
  })

  it('a client that asked on one port only is not counted as sticky', () => {
    const fwm = visits('fwm-curl-6.1.txt').filter((v) => v.port === 80)
    expect(stickyAcrossPorts(fwm, clientsOf(fwm)).failures[0]).toMatch(/1 port\(s\): nothing to merge/)
  })

  it('IPVS entries for 80 and 443 are there on the mark, and 443 is missing without its rule', () => {
    const listed = visits('fwm-listed-curl-6.1.txt')
    expect(markServesPorts(parseIpvsConnections(fixture('fwm-conns-6.1.txt')), vip, [80, 443], clientsOf(listed)).failures).toEqual([])
    const no443 = visits('no-443-mark-curl-6.1.txt')
    const failures = markServesPorts(parseIpvsConnections(fixture('no-443-mark-conns-6.1.txt')), vip, [80, 443], clientsOf(no443)).failures
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/to 172\.16\.100\.200:443/)
  })
})
