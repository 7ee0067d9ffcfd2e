/**
 * LVS DR and TUN modes, as the article sets them up: every machine on vmnet4, the VIP
 * on the director and on the real servers' loopback (topologies/dr.ts has the drawing).
 */
import { describe, expect } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { changedState, topologyTest } from '../../fixtures/lab-test'
import { tunnelScript as tunnelScriptFor } from '../../fixtures/tunnel-mode'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { arpSilence as arpSilenceSysctls, drTopology } from '../../topologies/dr'
import { roundRobin, serviceIsListed } from '../../checks/round-robin'
import { arpSilence, portNotRemapped, repliesBypassDirector, tunnelledToRealServers } from './checks'
import { macOwners, observe, vip, type Lab, type Observation } from './observe'

const service = (port: number) => `-t ${vip}:${port}`
const realServerAddresses = ['172.16.100.101', '172.16.100.102']
const requests = 8
const controlRequests = 4
/** The article's port, for the article's own observations; every other one takes a fresh port. */
const articlePort = 80

const tunnelScript = tunnelScriptFor(vip)

const test = topologyTest(drTopology).extend<{
  tunnels: RealServer[]
  arpAnswering: RealServer
  arpOnLoOnly: RealServer
  vipMissing: RealServer
  repliesViaDirector: RealServer
  tunnelMissing: RealServer[]
}>({
  tunnels: changedState(async ({ realServers }) => (await Promise.all(realServers.map((rs) => rs.sh(tunnelScript))), realServers)),
  arpAnswering: changedState(async ({ realServers: [node1] }) => (await node1!.sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.lo.arp_ignore=0'), node1!)),
  arpOnLoOnly: changedState(async ({ realServers: [node1] }) => (await node1!.sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0'), node1!)),
  vipMissing: changedState(async ({ realServers: [node1] }) => (await node1!.sh(`ip addr del ${vip}/32 dev lo`), node1!)),
  repliesViaDirector: changedState(
    async ({ realServers: [node1], client, director }) => (await node1!.sh(`ip route add ${client.address()}/32 via ${director.address()}`), node1!),
  ),
  tunnelMissing: changedState(async ({ realServers }) => {
    await Promise.all(realServers.map((rs) => rs.sh(tunnelScript)))
    await realServers[0]!.sh(`ip addr del ${vip}/32 dev tunl0; ip link set tunl0 down`)
    return realServers
  }),
})

/** The article's three commands on a cleared table, with the mode's forwarding flag. */
const articleService = (port: number, forward: '-g' | '-i' = '-g') => [
  '-C',
  `-A ${service(port)} -s rr`,
  ...realServerAddresses.map((rip) => `-a ${service(port)} -r ${rip}:${port} ${forward}`),
]

/** The client and the director, watched while the requests and the arping run. */
const drWatch = (lab: Lab, port = articlePort) => [
  { node: lab.client, filter: `tcp port ${port} or arp` },
  { node: lab.director, filter: `tcp port ${port}` },
]

function replyPath(lab: Lab, run: Observation) {
  return repliesBypassDirector({
    vip,
    port: run.port,
    stats: run.stats!.data,
    exchanges: run.exchanges,
    client: run.captures.get(lab.client)!,
    director: run.captures.get(lab.director)!,
    macs: macOwners(lab.net.nodes),
  })
}

function arpCheck(lab: Lab, run: Observation) {
  return arpSilence({
    vip,
    arping: run.arping?.replies ?? [],
    client: run.captures.get(lab.client)!,
    directorMac: lab.director.mac(),
    realServerMacs: lab.realServers.map((rs) => rs.mac()),
    macs: macOwners(lab.net.nodes),
  })
}

/** The article's experiment, run once and observed four ways; each test attaches its evidence. */
let articleRun: Promise<Observation> | undefined
function theArticleRun(lab: Lab): Promise<Observation> {
  if (!articleRun) {
    articleRun = observe(lab, articlePort, requests, drWatch(lab), { arping: true, counters: true, service: articleService(articlePort) })
    return articleRun
  }
  return articleRun.then(async (run) => (await run.attach(), run))
}

describe('DR mode: lvs-node-0 rewrites the destination MAC, the real servers answer from the VIP', () => {
  test('ipvsadm -Ln shows TCP 172.16.100.200:80 rr with both real servers as Route, weight 1', async ({ director }) => {
    const list = await director.ipvsadmThenList(...articleService(articlePort))
    await evidence('ipvsadm -Ln', list.text)
    await expectPass(serviceIsListed(list.data, vip, realServerAddresses, 'Route'))
  })

  test(`rr: ${requests} requests alternate strictly between the real servers`, async ({ director, realServers, client, net }) => {
    const run = await theArticleRun({ director, realServers, client, net })
    await expectPass(roundRobin(run.exchanges, run.listedOrder, requests))
  })

  test("replies bypass the director: OutPkts 0, replies reach the client from the VIP with the real server's MAC, the director's capture has none", async ({
    director,
    realServers,
    client,
    net,
  }) => {
    const lab = { director, realServers, client, net }
    await expectPass(replyPath(lab, await theArticleRun(lab)))
  })

  test("ARP silence: only the director answers who-has VIP, and the real servers' own ARP requests speak for their own address", async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    await expectPass(arpCheck(lab, await theArticleRun(lab)))
  })

  test('the port cannot be remapped: a real server added as RIP:8080 with -g still receives VIP:80', async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    const [node1] = realServers
    const port = net.freshPort()
    const run = await observe(lab, port, 2, [{ node: node1!, filter: 'tcp' }], {
      service: ['-C', `-A ${service(port)} -s rr`, `-a ${service(port)} -r ${node1!.address()}:8080 -g`],
    })
    await expectPass(portNotRemapped(vip, port, node1!.name, run.captures.get(node1!)!, run.exchanges))
  })

  describe('negative controls: each breaks one thing, and its check must report failure', () => {
    test('arp_ignore=0 on lvs-node-1: two MACs answer ARP for the VIP, the ARP-silence check fails', async ({ director, realServers, client, net, arpAnswering: _ }) => {
      const lab = { director, realServers, client, net }
      const port = net.freshPort()
      await expectFail(arpCheck(lab, await observe(lab, port, 2, drWatch(lab, port), { arping: true, service: articleService(port) })))
    })

    test('the ARP sysctls on lo only, not on all: the larger value (0) rules eth0, the ARP-silence check fails', async ({
      director,
      realServers,
      client,
      net,
      arpOnLoOnly: node1,
    }) => {
      const lab = { director, realServers, client, net }
      const port = net.freshPort()
      const current = await node1.sh(`sysctl ${Object.keys(arpSilenceSysctls).join(' ')} net.ipv4.conf.eth0.arp_ignore net.ipv4.conf.eth0.arp_announce`)
      await evidence('lvs-node-1 ARP sysctls', current)
      await expectFail(arpCheck(lab, await observe(lab, port, 2, drWatch(lab, port), { arping: true, service: articleService(port) })))
    })

    test("the VIP missing from lvs-node-1's lo: its requests go unanswered, the rr check fails", async ({ director, realServers, client, net, vipMissing: _ }) => {
      const lab = { director, realServers, client, net }
      const port = net.freshPort()
      const run = await observe(lab, port, controlRequests, [], { service: articleService(port) })
      await expectFail(roundRobin(run.exchanges, run.listedOrder, controlRequests))
    })

    test("lvs-node-1 routing its replies back through the director: the director's capture sees them, the reply-path check fails", async ({
      director,
      realServers,
      client,
      net,
      repliesViaDirector: _,
    }) => {
      const lab = { director, realServers, client, net }
      const port = net.freshPort()
      await expectFail(replyPath(lab, await observe(lab, port, controlRequests, drWatch(lab, port), { counters: true, service: articleService(port) })))
    })

    test('RIP:8080 with -m instead of -g: the director rewrites the port to 8080, the port check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      const port = net.freshPort()
      const run = await observe(lab, port, 2, [{ node: node1!, filter: 'tcp' }], {
        service: ['-C', `-A ${service(port)} -s rr`, `-a ${service(port)} -r ${node1!.address()}:8080 -m`],
      })
      await expectFail(portNotRemapped(vip, port, node1!.name, run.captures.get(node1!)!, run.exchanges))
    })
  })
})

describe('TUN mode (-i): the director wraps requests in IP-in-IP, the real servers answer from the VIP on tunl0', () => {
  const tunnelWatch = (lab: Lab) => lab.realServers.map((rs) => ({ node: rs, filter: 'tcp or ip proto 4' }))
  const tunnelCheck = (lab: Lab, run: Observation) =>
    tunnelledToRealServers({
      vip,
      port: run.port,
      director: lab.director.address(),
      stats: run.stats!.data,
      exchanges: run.exchanges,
      realServers: lab.realServers.map((rs) => ({ name: rs.name, address: rs.address(), capture: run.captures.get(rs)! })),
    })

  test(`rr over IP-in-IP: ${requests} requests alternate, each real server receives encapsulated requests, OutPkts 0`, async ({
    director,
    realServers,
    client,
    net,
    tunnels: _,
  }) => {
    const lab = { director, realServers, client, net }
    const port = net.freshPort()
    const run = await observe(lab, port, requests, tunnelWatch(lab), { counters: true, service: articleService(port, '-i') })
    await expectPass(serviceIsListed(run.list.data, vip, realServerAddresses, 'Tunnel', port))
    await expectPass(roundRobin(run.exchanges, run.listedOrder, requests))
    await expectPass(tunnelCheck(lab, run))
  })

  test('negative control: lvs-node-1 without its tunnel device gets nothing answered, the tunnel and rr checks fail', async ({
    director,
    realServers,
    client,
    net,
    tunnelMissing: _,
  }) => {
    const lab = { director, realServers, client, net }
    const port = net.freshPort()
    const run = await observe(lab, port, controlRequests, tunnelWatch(lab), { counters: true, service: articleService(port, '-i') })
    await expectFail(tunnelCheck(lab, run))
    await expectFail(roundRobin(run.exchanges, run.listedOrder, controlRequests))
  })
})

describe('the lab itself: a leak is found where it was made, a stuck command cannot poison the next', () => {
  test('a sysctl changed by hand on lvs-node-1 is reported by the spec guard, named, and restored', async ({ realServers: [node1], spec }) => {
    await node1!.sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0')
    const { leaks, restored } = await spec.afterTest()
    await evidence('what the spec guard found', leaks.join('\n') || '(nothing)')
    expect(leaks).toEqual(['lvs-node-1: net.ipv4.conf.all.arp_ignore is 0, the spec says 1'])
    expect(restored).toEqual(['lvs-node-1'])
    expect((await node1!.sh('sysctl -n net.ipv4.conf.all.arp_ignore')).trim()).toBe('1')
  })

  test('a script past its deadline is killed with its children, and the next script answers at once', async ({ client }) => {
    const stuck = await client.run('sleep 31 & sleep 32; echo never', 2000)
    const t0 = Date.now()
    // its own sleeps only: the agent times every script with a sleep of its own
    const next = await client.run("pgrep -a -f '^sleep 3[12]$' || echo none left")
    await evidence('the stuck script, then the next one', `${JSON.stringify({ ...stuck, script: undefined })}\nnext (${Date.now() - t0} ms): ${next.stdout}`)
    expect(stuck.deadlinePassed).toBe(true)
    expect(stuck.stdout).not.toContain('never')
    expect(next.stdout.trim()).toBe('none left')
    expect(Date.now() - t0).toBeLessThan(5000)
  })
})
