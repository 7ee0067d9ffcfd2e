/**
 * LVS DR and TUN modes, as the article sets them up: every machine on vmnet4, the VIP
 * on the director and on the real servers' loopback (topologies/dr.ts has the drawing).
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { topologyTest } from '../../fixtures/lab-test'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { arpSilence as arpSilenceSysctls, drTopology } from '../../topologies/dr'
import { roundRobin, serviceIsListed } from '../nat/checks'
import { arpSilence, portNotRemapped, repliesBypassDirector, tunnelledToRealServers } from './checks'
import { macOwners, observe, vip, type Lab, type Observation } from './observe'

const test = topologyTest(drTopology)
const service = `-t ${vip}:80`
const realServerAddresses = ['172.16.100.101', '172.16.100.102']
const requests = 8
const controlRequests = 4

/** Real servers hold the VIP on lo (DR) or on the IPIP device tunl0 (TUN); idempotent. */
async function vipOn(lab: Lab, device: 'lo' | 'tunl0') {
  const other = device === 'lo' ? 'tunl0' : 'lo'
  await Promise.all(
    lab.realServers.map((rs) =>
      rs.sh(`
ip addr del ${vip}/32 dev ${other} 2>/dev/null || true
ip link set tunl0 ${device === 'tunl0' ? 'up' : 'down'}
ip addr replace ${vip}/32 dev ${device}
# Decapsulated packets arrive on tunl0 from a client routed via eth0: strict reverse-path
# filtering would drop them (the larger of all and the device's value applies).
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0`),
    ),
  )
}

/** The article's three commands on a cleared table, with the mode's forwarding flag. */
async function setUpService(lab: Lab, forward: '-g' | '-i' = '-g') {
  await Promise.all([
    lab.director.ipvsadm('-C', `-A ${service} -s rr`, ...realServerAddresses.map((rip) => `-a ${service} -r ${rip}:80 ${forward}`)),
    vipOn(lab, forward === '-g' ? 'lo' : 'tunl0'),
  ])
}

/** The client and the director, watched while the requests and the arping run. */
const drWatch = (lab: Lab) => [
  { node: lab.client, filter: 'tcp port 80 or arp' },
  { node: lab.director, filter: 'tcp port 80' },
]

function replyPath(lab: Lab, run: Observation) {
  return repliesBypassDirector({
    vip,
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
    articleRun = setUpService(lab).then(() => observe(lab, requests, drWatch(lab), { arping: true, counters: true }))
    return articleRun
  }
  return articleRun.then(async (run) => (await run.attach(), run))
}

describe('DR mode: lvs-node-0 rewrites the destination MAC, the real servers answer from the VIP', () => {
  test('ipvsadm -Ln shows TCP 172.16.100.200:80 rr with both real servers as Route, weight 1', async ({ director, realServers, client, net }) => {
    await setUpService({ director, realServers, client, net })
    const list = await director.list()
    await evidence('ipvsadm -Ln', list.text)
    await expectPass(serviceIsListed(list.data, vip, realServerAddresses, 'Route'))
  })

  test(`rr: ${requests} requests alternate strictly between the real servers`, async ({ director, realServers, client, net }) => {
    const run = await theArticleRun({ director, realServers, client, net })
    await expectPass(roundRobin(run.exchanges, run.listedOrder, requests))
  })

  test('replies bypass the director: OutPkts 0, replies reach the client from the VIP with the real server\'s MAC, the director\'s capture has none', async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    await expectPass(replyPath(lab, await theArticleRun(lab)))
  })

  test('ARP silence: only the director answers who-has VIP, and the real servers\' own ARP requests speak for their own address', async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    await expectPass(arpCheck(lab, await theArticleRun(lab)))
  })

  test('the port cannot be remapped: a real server added as RIP:8080 with -g still receives VIP:80', async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    const [node1] = realServers
    await vipOn(lab, 'lo')
    await director.ipvsadm('-C', `-A ${service} -s rr`, `-a ${service} -r ${node1.address()}:8080 -g`)
    const run = await observe(lab, 2, [{ node: node1, filter: 'tcp' }])
    await expectPass(portNotRemapped(vip, node1.name, run.captures.get(node1)!, run.exchanges))
  })

  describe('negative controls: each breaks one thing, and its check must report failure', () => {
    test('arp_ignore=0 on lvs-node-1: two MACs answer ARP for the VIP, the ARP-silence check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      await setUpService(lab)
      await node1.sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.lo.arp_ignore=0')
      try {
        await expectFail(arpCheck(lab, await observe(lab, 2, drWatch(lab), { arping: true })))
      } finally {
        await node1.applySpec()
      }
    })

    test('the ARP sysctls on lo only, not on all: the larger value (0) rules eth0, the ARP-silence check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      await setUpService(lab)
      await node1.sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0')
      try {
        const current = await node1.sh(`sysctl ${Object.keys(arpSilenceSysctls).join(' ')} net.ipv4.conf.eth0.arp_ignore net.ipv4.conf.eth0.arp_announce`)
        await evidence('lvs-node-1 ARP sysctls', current)
        await expectFail(arpCheck(lab, await observe(lab, 2, drWatch(lab), { arping: true })))
      } finally {
        await node1.applySpec()
      }
    })

    test('the VIP missing from lvs-node-1\'s lo: its requests go unanswered, the rr check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      await setUpService(lab)
      await node1.sh(`ip addr del ${vip}/32 dev lo`)
      try {
        const run = await observe(lab, controlRequests, [])
        await expectFail(roundRobin(run.exchanges, run.listedOrder, controlRequests))
      } finally {
        await vipOn(lab, 'lo')
      }
    })

    test('lvs-node-1 routing its replies back through the director: the director\'s capture sees them, the reply-path check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      await setUpService(lab)
      await node1.sh(`ip route add ${client.address()}/32 via ${director.address()}`)
      try {
        await expectFail(replyPath(lab, await observe(lab, controlRequests, drWatch(lab), { counters: true })))
      } finally {
        await node1.sh(`ip route del ${client.address()}/32`)
      }
    })

    test('RIP:8080 with -m instead of -g: the director rewrites the port to 8080, the port check fails', async ({ director, realServers, client, net }) => {
      const lab = { director, realServers, client, net }
      const [node1] = realServers
      await director.ipvsadm('-C', `-A ${service} -s rr`, `-a ${service} -r ${node1.address()}:8080 -m`)
      const run = await observe(lab, 2, [{ node: node1, filter: 'tcp' }])
      await expectFail(portNotRemapped(vip, node1.name, run.captures.get(node1)!, run.exchanges))
    })
  })
})

describe('TUN mode (-i): the director wraps requests in IP-in-IP, the real servers answer from the VIP on tunl0', () => {
  const tunnelWatch = (lab: Lab) => lab.realServers.map((rs) => ({ node: rs, filter: 'tcp or ip proto 4' }))
  const tunnelCheck = (lab: Lab, run: Observation) =>
    tunnelledToRealServers({
      vip,
      director: lab.director.address(),
      stats: run.stats!.data,
      exchanges: run.exchanges,
      realServers: lab.realServers.map((rs) => ({ name: rs.name, address: rs.address(), capture: run.captures.get(rs)! })),
    })

  test(`rr over IP-in-IP: ${requests} requests alternate, each real server receives encapsulated requests, OutPkts 0`, async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    await setUpService(lab, '-i')
    const run = await observe(lab, requests, tunnelWatch(lab), { counters: true })
    await expectPass(serviceIsListed(run.list.data, vip, realServerAddresses, 'Tunnel'))
    await expectPass(roundRobin(run.exchanges, run.listedOrder, requests))
    await expectPass(tunnelCheck(lab, run))
  })

  test('negative control: lvs-node-1 without its tunnel device gets nothing answered, the tunnel and rr checks fail', async ({ director, realServers, client, net }) => {
    const lab = { director, realServers, client, net }
    const [node1] = realServers
    await setUpService(lab, '-i')
    await node1.sh(`ip addr del ${vip}/32 dev tunl0; ip link set tunl0 down`)
    try {
      const run = await observe(lab, controlRequests, tunnelWatch(lab), { counters: true })
      await expectFail(tunnelCheck(lab, run))
      await expectFail(roundRobin(run.exchanges, run.listedOrder, controlRequests))
    } finally {
      await vipOn(lab, 'tunl0')
    }
  })
})
