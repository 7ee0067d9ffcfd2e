/**
 * Persistence as the article lists it: per port (PPC), per client (PCC, VIP:0), per firewall
 * mark; the templates that carry it, how long it lasts, and -M netmask. On the DR shop
 * (topologies/dr-shop.ts): http 80, https 443 and 8080 on every real server.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { newClient, shopRun, shopTest, steps, type ShopLab } from '../../fixtures/shop-visits'
import { timed } from '../../fixtures/timings'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { drShopTopology } from '../../topologies/dr-shop'
import { clientsOnDifferentServers, stickyAcrossPorts } from '../../checks/shop'
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

const test = shopTest
const vip = drShopTopology.vip
const mark = 10
const realServers = ['172.16.100.101', '172.16.100.102']
const addressOf = new Map(drShopTopology.nodes.map((n) => [n.name, n.interfaces[0]!.address]))

const service = (target: string, options = '') => [`ipvsadm -A ${target} -s rr${options}`, ...realServers.map((rip) => `ipvsadm -a ${target} -r ${rip} -g`)]
const markRule = (port: number) => `iptables -t mangle -A PREROUTING -d ${vip} -p tcp --dport ${port} -j MARK --set-mark ${mark}`

/** Where each client's first request went, as an address: what its template must name. */
const firstServer = (visits: { client: string; exchange: { server?: string } }[], client: string) =>
  addressOf.get(visits.find((v) => v.client === client)?.exchange.server ?? '') ?? '(no answer)'

/**
 * a and b interleaved so that two services scheduling on their own start each port on a
 * different server for the same client; a asks twice in a row on each port, so that a
 * service without persistence moves it on.
 */
const browseThenCheckout = (a: string, b: string) =>
  steps(vip, [
    [a, 80],
    [b, 80],
    [b, 443],
    [a, 443],
    [a, 80],
    [a, 80],
    [a, 443],
    [a, 443],
    [b, 80],
    [b, 443],
  ])

/** Every port of both clients, interleaved the same way: per-port services would split them. */
const allPorts = (a: string, b: string) =>
  steps(vip, [
    [a, 80],
    [b, 80],
    [b, 443],
    [a, 443],
    [a, 8080],
    [b, 8080],
    [a, 80],
    [b, 443],
  ])

describe('PPC: persistent services on VIP:80 and VIP:443', () => {
  const ppc = [...service(`-t ${vip}:80`, ' -p'), ...service(`-t ${vip}:443`, ' -p')]

  test('each port is sticky, yet one client lands on different real servers for 80 and 443 (the lost cart)', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'PPC: -t VIP:80 -p, -t VIP:443 -p', ppc, browseThenCheckout(a, b))
    await r.attach()
    await expectPass(stickyPerPort(r.visits, [a, b]))
    await expectPass(portsSplit(r.visits, [a, b]))
    const templates: ExpectedTemplate[] = [a, b].flatMap((c) =>
      [80, 443].map((port) => ({
        source: c,
        virtual: { address: vip, port },
        destination: addressOf.get(r.visits.find((v) => v.client === c && v.port === port)!.exchange.server ?? '') ?? '-',
      })),
    )
    await expectPass(templatesListed(r.connections.data, templates, 360))
  })

  test('negative control: the same sequence on one persistent service for every port (PCC) splits no client', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'PCC for the PPC sequence: -t VIP:0 -p', service(`-t ${vip}:0`, ' -p'), browseThenCheckout(a, b))
    await r.attach()
    await expectFail(portsSplit(r.visits, [a, b]))
  })

  test('negative control: the same sequence without -p is not sticky and leaves no template', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'no persistence: -t VIP:80, -t VIP:443', [...service(`-t ${vip}:80`), ...service(`-t ${vip}:443`)], browseThenCheckout(a, b))
    await r.attach()
    await expectFail(stickyPerPort(r.visits, [a, b]))
    await expectFail(
      templatesListed(
        r.connections.data,
        [a, b].map((c) => ({ source: c, virtual: { address: vip, port: 80 }, destination: firstServer(r.visits, c) })),
        360,
      ),
    )
  })
})

describe('PCC: one persistent service on VIP:0', () => {
  test('ports 80, 443 and 8080 of a client all land on the real server chosen first', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'PCC: -t VIP:0 -p', service(`-t ${vip}:0`, ' -p'), allPorts(a, b))
    await r.attach()
    await expectPass(stickyAcrossPorts(r.visits, [a, b]))
    await expectPass(clientsOnDifferentServers(r.visits, [a, b]))
    await expectPass(
      templatesListed(
        r.connections.data,
        [a, b].map((c) => ({ source: c, virtual: { address: vip, port: 0 }, destination: firstServer(r.visits, c) })),
        360,
      ),
    )
  })

  test('negative control: one persistent service per port (PPC) does not merge the ports', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const perPort = [80, 443, 8080].flatMap((p) => service(`-t ${vip}:${p}`, ' -p'))
    const r = await shopRun(shop, 'PPC on 80, 443 and 8080', perPort, allPorts(a, b))
    await r.attach()
    await expectFail(stickyAcrossPorts(r.visits, [a, b]))
    await expectFail(
      templatesListed(
        r.connections.data,
        [a, b].map((c) => ({ source: c, virtual: { address: vip, port: 0 }, destination: firstServer(r.visits, c) })),
        360,
      ),
    )
  })
})

describe('FWM persistence: only the marked ports are merged', () => {
  /** b asks 8080 before a, so that the 8080 service's own rr sends each to the other server. */
  const marked = (a: string, b: string) =>
    steps(vip, [
      [a, 80],
      [b, 80],
      [a, 443],
      [b, 443],
      [b, 8080],
      [a, 8080],
      [a, 80],
      [b, 443],
    ])
  const setup = (markedPorts: number[]) => [...markedPorts.map(markRule), ...service(`-f ${mark}`, ' -p'), ...service(`-t ${vip}:8080`)]

  test('80 and 443 (marked) stay on one real server per client; 8080 (its own service) does not follow', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'mark 80 and 443, -f 10 -p; -t VIP:8080', setup([80, 443]), marked(a, b))
    await r.attach()
    await expectPass(onlyMarkedPortsMerged(r.visits, [a, b], [80, 443], 8080))
    await expectPass(
      templatesListed(
        r.connections.data,
        [a, b].map((c) => ({ source: c, virtual: { fwmark: mark }, ports: [80, 443], destination: firstServer(r.visits, c) })),
        360,
      ),
    )
  })

  test('negative control: with 8080 marked too, 8080 is merged as well', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(shop, 'mark 80, 443 and 8080, -f 10 -p; -t VIP:8080', setup([80, 443, 8080]), marked(a, b))
    await r.attach()
    await expectFail(onlyMarkedPortsMerged(r.visits, [a, b], [80, 443], 8080))
  })
})

describe('-M netmask: one template for a whole client network', () => {
  const network = '172.16.100.0'

  test('with -M 255.255.255.0 two clients of one /24 share a template and a real server', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(
      shop,
      '-t VIP:80 -p -M 255.255.255.0',
      service(`-t ${vip}:80`, ' -p -M 255.255.255.0'),
      steps(vip, [
        [a, 80],
        [b, 80],
        [a, 80],
        [b, 80],
      ]),
    )
    await r.attach()
    await expectPass(networkShares(r.visits, r.connections.data, [a, b], network))
  })

  test('negative control: with the default /32 mask the second client gets a template and a server of its own', async ({ shop }) => {
    const [a, b] = [newClient(), newClient()]
    const r = await shopRun(
      shop,
      '-t VIP:80 -p (mask /32)',
      service(`-t ${vip}:80`, ' -p'),
      steps(vip, [
        [a, 80],
        [b, 80],
        [a, 80],
        [b, 80],
      ]),
    )
    await r.attach()
    await expectFail(networkShares(r.visits, r.connections.data, [a, b], network))
  })
})

describe('timeout: how long a template lasts', () => {
  /**
   * One client, three requests a second apart within -p T, then the director's entries for it
   * watched until the template is gone, then one more request. FIN_WAIT is where a DR
   * director leaves a finished connection (it sees the client's side only), and --set makes
   * it short, so the connections end before T and nothing but T holds the template.
   */
  async function expiry(shop: ShopLab, timeout: number, tcpFin: number) {
    const a = newClient()
    const title = `-p ${timeout}, --set tcpfin ${tcpFin}`
    const r = await shopRun(
      shop,
      title,
      [`ipvsadm --set 900 ${tcpFin} 300`, ...service(`-t ${vip}:80`, ` -p ${timeout}`)],
      steps(vip, [
        [a, 80],
        [a, 80, 1],
        [a, 80, 1],
      ]),
    )
    const lastRequestAt = r.visits[r.visits.length - 1]!.startedAt
    const samples = await timed(shop.net.timings, `${title}: watch the template`, () => shop.director.followClient(a, { limitSeconds: Math.max(timeout, tcpFin) + 3 }))
    const horizon = measureHorizon(samples, lastRequestAt, timeout)
    await r.attach()
    await evidence(
      "the client's entries, sampled (seconds after its last request began)",
      samples
        .map(
          (s) =>
            `+${(s.at - lastRequestAt).toFixed(2)} s\n${s.entries.map((e) => `  ${e.protocol} ${e.state} ${e.source.address}:${e.source.port} -> ${e.virtual.address}:${e.virtual.port} => ${e.destination.address} expires in ${e.expiresInSeconds} s`).join('\n') || '  (none)'}`,
        )
        .join('\n'),
    )
    await evidence('stickiness horizon', describeHorizon(horizon, tcpFin))
    await evidence("the client's -Lnc lines as sampled (raw)", samples.map((s) => `@@sample ${s.at.toFixed(6)}\n${s.text}`).join('\n'))
    return { a, r, horizon }
  }

  test('within -p 3 the client stays put; the template is gone 3 s after its last connection; then it is scheduled afresh', async ({ shop }) => {
    const { a, r, horizon } = await expiry(shop, 3, 1)
    await expectPass(honouredWhileAlive(r.visits))
    await expectPass(horizonIsTimeout(horizon, 1.5))
    const order = r.list.data.services[0]!.realServers.map((rs) => [...addressOf].find(([, address]) => address === rs.address)![0])
    const first = r.visits[0]!.exchange.server!
    const next = order[(order.indexOf(first) + 1) % order.length]!
    const after = await shop.client.visit(steps(vip, [[a, 80]]))
    const visit = { ...after.visits[0]!, step: r.visits.length + 1 }
    await evidence(
      'the request after the template expired',
      `${a} :80 -> ${visit.exchange.server ?? `no answer (curl exit ${visit.exchange.curlExit})`} (rr's next after ${first}: ${next})`,
    )
    await expectPass(scheduledAfresh(visit, next))
    // The same two checks on the other side of the expiry, as their negative controls.
    await expectFail(honouredWhileAlive([...r.visits, visit]))
    await expectFail(scheduledAfresh(r.visits[1]!, next))
  })

  test('negative control: a connection that outlives -p holds the template beyond it', async ({ shop }) => {
    const { horizon } = await expiry(shop, 2, 5)
    await expectFail(horizonIsTimeout(horizon, 1.5))
  })
})
