/**
 * Firewall marks and the shop's 80/443 problem: both ports marked in mangle PREROUTING, one
 * persistent service on the mark, so that browsing (80) and checkout (443) of one client land
 * on one real server (topologies/dr-shop.ts has the set-up).
 */
import { describe } from 'vitest'
import { newClient, shopRun, shopTest, steps, type ShopLab } from '../../fixtures/shop-visits'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { drShopTopology } from '../../topologies/dr-shop'
import { markServiceListed, markServesPorts } from './checks'
import { clientsOnDifferentServers, stickyAcrossPorts } from '../../checks/shop'

const test = shopTest
const vip = drShopTopology.vip
const mark = 10
const realServers = ['172.16.100.101', '172.16.100.102']

const newClients = (): [string, string] => [newClient(), newClient()]

const markRule = (port: number) => `iptables -t mangle -A PREROUTING -d ${vip} -p tcp --dport ${port} -j MARK --set-mark ${mark}`
const markService = (options: string) => [`ipvsadm -A -f ${mark} -s rr${options}`, ...realServers.map((rip) => `ipvsadm -a -f ${mark} -r ${rip} -g`)]
const portService = (port: number) => [`ipvsadm -A -t ${vip}:${port} -s rr -p`, ...realServers.map((rip) => `ipvsadm -a -t ${vip}:${port} -r ${rip} -g`)]

/**
 * Client a alternates 80 and 443, and so does b, interleaved so that two services scheduling
 * on their own would each start a port on a different server: a:80 and b:80 take the first
 * two places of the 80 service, b:443 and a:443 those of the 443 service in the other order.
 */
const alternating = (a: string, b: string) =>
  steps(vip, [
    [a, 80],
    [b, 80],
    [b, 443],
    [a, 443],
    [a, 80],
    [a, 443],
    [b, 80],
    [b, 443],
  ])

async function run(lab: ShopLab, title: string, setup: string[]) {
  const clients = newClients()
  const result = await shopRun(lab, title, setup, alternating(...clients))
  return { ...result, clients }
}

/** The article's set-up, run once for the two tests that look at it; each attaches its evidence. */
let articleRun: ReturnType<typeof run> | undefined
const article = (lab: ShopLab) => (articleRun ??= run(lab, 'mark 80 and 443, -f 10 -p', [markRule(80), markRule(443), ...markService(' -p')]))

async function runAndAttach(lab: ShopLab, title: string, setup: string[]) {
  const r = await run(lab, title, setup)
  await r.attach()
  return r
}

describe('FWM: one persistent service on mark 10 for ports 80 and 443', () => {
  test('ipvsadm -ln shows FWM 10 rr persistent 360 and the real servers at port 0', async ({ shop }) => {
    const r = await article(shop)
    await r.attach()
    await expectPass(markServiceListed(r.list.data, { mark, scheduler: 'rr', persistent: 360, realServers }))
    await expectPass(markServesPorts(r.connections.data, vip, [80, 443], r.clients))
  })

  test('a client alternating 80 and 443 stays on one real server; a second client goes to the other', async ({ shop }) => {
    const r = await article(shop)
    await r.attach()
    await expectPass(stickyAcrossPorts(r.visits, r.clients))
    await expectPass(clientsOnDifferentServers(r.visits, r.clients))
  })

  test('negative control: without -p the service is not listed persistent and the client is not sticky', async ({ shop }) => {
    const r = await runAndAttach(shop, 'mark 80 and 443, -f 10 without -p', [markRule(80), markRule(443), ...markService('')])
    await expectFail(markServiceListed(r.list.data, { mark, scheduler: 'rr', persistent: 360, realServers }))
    await expectFail(stickyAcrossPorts(r.visits, r.clients))
  })

  test('negative control: without the 443 MARK rule, 443 is not served by the mark service', async ({ shop }) => {
    const r = await runAndAttach(shop, 'mark 80 only, -f 10 -p', [markRule(80), ...markService(' -p')])
    await expectFail(markServesPorts(r.connections.data, vip, [80, 443], r.clients))
    await expectFail(stickyAcrossPorts(r.visits, r.clients))
  })

  test('negative control: two persistent services, one per port (PPC), split the client', async ({ shop }) => {
    const r = await runAndAttach(shop, 'no mark; -t VIP:80 -p and -t VIP:443 -p', [...portService(80), ...portService(443)])
    await expectFail(stickyAcrossPorts(r.visits, r.clients))
  })

  test('negative control: with -M 255.255.255.0 both clients share one template, so the second is not balanced', async ({ shop }) => {
    const r = await runAndAttach(shop, 'mark 80 and 443, -f 10 -p -M 255.255.255.0', [markRule(80), markRule(443), ...markService(' -p -M 255.255.255.0')])
    await expectFail(clientsOnDifferentServers(r.visits, r.clients))
  })
})
