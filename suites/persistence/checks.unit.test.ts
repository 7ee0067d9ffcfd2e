import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseVisits, type Visit } from '../../lab/http/visits'
import { parseIpvsConnections } from '../../lab/ipvs'
import { parseSampledConnections } from '../../lab/ipvs/sampled-connections'
import { stickyAcrossPorts } from '../../checks/shop'
import {
  describeHorizon,
  honouredWhileAlive,
  horizonIsTimeout,
  measureHorizon,
  networkShares,
  onlyMarkedPortsMerged,
  portsSplit,
  scheduledAfresh,
  stickyPerPort,
  templatesListed,
  type ExpectedTemplate,
} from './checks'

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const visits = (name: string) => parseVisits(fixture(name))
const conns = (name: string) => parseIpvsConnections(fixture(name))
const clientsOf = (v: Visit[]) => [...new Set(v.map((x) => x.client))]
const vip = '172.16.100.200'
const addressOf = (server?: string) => ({ 'lvs-node-1': '172.16.100.101', 'lvs-node-2': '172.16.100.102' })[server ?? ''] ?? '-'
const firstServer = (v: Visit[], client: string, port?: number) => addressOf(v.find((x) => x.client === client && (port === undefined || x.port === port))?.exchange.server)

// The runs of suites/persistence on 6.1, as the lab recorded them.
describe('PPC', () => {
  const ppc = visits('ppc-curl-6.1.txt')
  const ppcTemplates = (v: Visit[]): ExpectedTemplate[] =>
    clientsOf(v).flatMap((c) => [80, 443].map((port) => ({ source: c, virtual: { address: vip, port }, destination: firstServer(v, c, port) })))

  it('each port is sticky and a client is split across 80 and 443; without -p neither holds', () => {
    expect(stickyPerPort(ppc, clientsOf(ppc)).failures).toEqual([])
    expect(portsSplit(ppc, clientsOf(ppc)).failures).toEqual([])
    const noP = visits('no-p-curl-6.1.txt')
    expect(stickyPerPort(noP, clientsOf(noP)).failures.length).toBeGreaterThan(0)
  })

  it('-Lnc lists a template per client and port; without -p there is none', () => {
    expect(templatesListed(conns('ppc-conns-6.1.txt'), ppcTemplates(ppc), 360).failures).toEqual([])
    const noP = visits('no-p-curl-6.1.txt')
    const failures = templatesListed(conns('no-p-conns-6.1.txt'), ppcTemplates(noP), 360).failures
    expect(failures).toHaveLength(4)
    for (const f of failures) expect(f).toMatch(/^0 templates from/)
  })

  it('a template sending elsewhere, or expiring beyond -p, fails', () => {
    const swapped = ppcTemplates(ppc).map((t) => ({ ...t, destination: t.destination === '172.16.100.101' ? '172.16.100.102' : '172.16.100.101' }))
    expect(templatesListed(conns('ppc-conns-6.1.txt'), swapped, 360).failures.some((f) => /sends to/.test(f))).toBe(true)
    expect(templatesListed(conns('ppc-conns-6.1.txt'), ppcTemplates(ppc), 60).failures.some((f) => /beyond -p 60/.test(f))).toBe(true)
  })

  it('the mark merges the ports, so the lost-cart demonstration fails on it', () => {
    const fwm = parseVisits(readFileSync(new URL('../fwm/__fixtures__/fwm-curl-6.1.txt', import.meta.url), 'utf8'))
    expect(portsSplit(fwm, clientsOf(fwm)).failures.length).toBe(1)
    const pcc = visits('pcc-for-ppc-sequence-curl-6.1.txt')
    expect(portsSplit(pcc, clientsOf(pcc)).failures.length).toBe(1)
  })
})

describe('PCC', () => {
  it('80, 443 and 8080 of each client land on one server, with a VIP:0 template', () => {
    const pcc = visits('pcc-curl-6.1.txt')
    expect(stickyAcrossPorts(pcc, clientsOf(pcc)).failures).toEqual([])
    const expected = clientsOf(pcc).map((c) => ({ source: c, virtual: { address: vip, port: 0 }, destination: firstServer(pcc, c) }))
    expect(templatesListed(conns('pcc-conns-6.1.txt'), expected, 360).failures).toEqual([])
  })
})

describe('FWM persistence', () => {
  it('merges 80 and 443 only; marking 8080 too merges it as well', () => {
    const marked = visits('marked-curl-6.1.txt')
    expect(onlyMarkedPortsMerged(marked, clientsOf(marked), [80, 443], 8080).failures).toEqual([])
    const all = visits('marked-8080-curl-6.1.txt')
    expect(onlyMarkedPortsMerged(all, clientsOf(all), [80, 443], 8080).failures).toEqual([
      "every client's :8080 followed its marked ports' real server: the unmarked port was merged too",
    ])
  })

  it('-Lnc lists a mark template (protocol IP) per client, governing its 80 and 443 connections', () => {
    const marked = visits('marked-curl-6.1.txt')
    const expected = clientsOf(marked).map((c) => ({ source: c, virtual: { fwmark: 10 }, ports: [80, 443], destination: firstServer(marked, c) }))
    expect(templatesListed(conns('marked-conns-6.1.txt'), expected, 360).failures).toEqual([])
    // counted with 8080 as well, the client's own 8080 connections went elsewhere
    expect(
      templatesListed(
        conns('marked-conns-6.1.txt'),
        expected.map((x) => ({ ...x, ports: [80, 443, 8080] })),
        360,
      ).failures.length,
    ).toBeGreaterThan(0)
  })
})

describe('-M netmask', () => {
  it('a /24 mask gives the clients one template from 172.16.100.0; the default /32 does not', () => {
    const shared = visits('netmask-curl-6.1.txt')
    expect(networkShares(shared, conns('netmask-conns-6.1.txt'), clientsOf(shared), '172.16.100.0').failures).toEqual([])
    const own = visits('mask32-curl-6.1.txt')
    const failures = networkShares(own, conns('mask32-conns-6.1.txt'), clientsOf(own), '172.16.100.0').failures
    expect(failures.some((f) => /2 real servers/.test(f))).toBe(true)
    // the /24 run's template (360 s) is still listed, so the failures are the clients' own templates
    expect(failures.filter((f) => /a template of its own/.test(f))).toHaveLength(2)
    // a client that made no request cannot count as sharing
    expect(networkShares(shared, conns('netmask-conns-6.1.txt'), [...clientsOf(shared), '172.16.100.99'], '172.16.100.0').failures).toEqual(['172.16.100.99 made no request'])
  })
})

describe('timeout', () => {
  const run = visits('expiry-curl-6.1.txt')
  const last = run[run.length - 1]!.startedAt

  it('the client stayed on its first server; its template was gone within T + 1.5 s of the last request', () => {
    expect(honouredWhileAlive(run).failures).toEqual([])
    const h = measureHorizon(parseSampledConnections(fixture('expiry-samples-6.1.txt')), last, 3)
    expect(h.connectionsGoneAfter).toBeLessThan(3)
    expect(h.templateGoneAfter).toBeGreaterThanOrEqual(3)
    expect(horizonIsTimeout(h, 1.5).failures).toEqual([])
    expect(describeHorizon(h, 1)).toMatch(/nothing held the template/)
  })

  it('a template still there after T + slack, or gone before T, fails', () => {
    const h = measureHorizon(parseSampledConnections(fixture('expiry-samples-6.1.txt')), last, 3)
    expect(horizonIsTimeout({ ...h, timeout: 1 }, 1.5).failures[0]).toMatch(/more than 2.5 s/)
    expect(horizonIsTimeout({ ...h, timeout: 6 }, 1.5).failures[0]).toMatch(/less than -p 6/)
  })

  it('with FIN_WAIT longer than T the template outlived its connections, re-armed for 60 s', () => {
    const held = visits('held-curl-6.1.txt')
    const samples = parseSampledConnections(fixture('held-samples-6.1.txt'))
    const h = measureHorizon(samples, held[held.length - 1]!.startedAt, 2)
    expect(h.templateGoneAfter).toBeUndefined()
    expect(h.connectionsGoneAfter).toBeGreaterThan(2)
    expect(h.templateExpiryAtLastSample).toBeGreaterThan(45)
    expect(horizonIsTimeout(h, 1.5).failures).toHaveLength(1)
    expect(describeHorizon(h, 5)).toMatch(/re-armed it for 60 s/)
  })

  it('scheduled afresh: a request while the template lived went to the first server, not the next', () => {
    const first = run[0]!.exchange.server!
    const next = first === 'lvs-node-1' ? 'lvs-node-2' : 'lvs-node-1'
    expect(scheduledAfresh(run[1]!, next).failures).toEqual([`request 2 went to ${first}`])
    expect(scheduledAfresh(run[1]!, first).failures).toEqual([])
  })
})
