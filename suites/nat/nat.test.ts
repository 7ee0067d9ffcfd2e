/**
 * LVS NAT mode, as the article sets it up: lvs-node-0 masquerades for lvs-node-1 and
 * lvs-node-2, which use it as their gateway (topologies/nat.ts has the drawing).
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import type { TopologyFixtures } from '../../fixtures/lab-test'
import { changedState, topologyTest } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { natTopology } from '../../topologies/nat'
import { connectionPerRequest, repliesThroughDirector } from './checks'
import { roundRobin, serviceIsListed } from '../../checks/round-robin'

const test = topologyTest(natTopology).extend<{ gatewayElsewhere: RealServer; forwardingOff: Director; keepaliveOn: RealServer[] }>({
  gatewayElsewhere: changedState(async ({ realServers: [node1] }) => (await node1!.setDefaultGateway('172.16.100.2'), node1!)),
  forwardingOff: changedState(async ({ director }) => (await director.setSysctl('net.ipv4.ip_forward', '0'), director)),
  keepaliveOn: changedState(async ({ realServers }) => (await Promise.all(realServers.map((rs) => rs.serveHttp({ keepaliveTimeout: 65 }))), realServers)),
})
const vip = natTopology.vip
const realServerAddresses = ['172.16.100.12', '172.16.100.11']
const requests = 8
/**
 * A control whose requests go unanswered waits out curl's connect timeout (1.5 s) on each:
 * it sends as few as still show its check failing, two per real server.
 */
const unansweredRequests = 4
/** The article's port, for the article's own run; every other observation takes a fresh one. */
const articlePort = 80

/** The article's three commands, on a cleared table, on VIP:port (NAT maps it to the real servers' 80); `forward` per real server. */
function serviceCommands(port: number, forward: string[] = ['-m', '-m'], scheduler = 'rr'): string[] {
  const service = `-t ${vip}:${port}`
  return ['-C', `-A ${service} -s ${scheduler}`, ...realServerAddresses.map((rip, i) => `-a ${service} -r ${rip}:80 ${forward[i]}`)]
}

/**
 * The service set up and its start proved quiet in one round trip (no entry left for
 * VIP:port, counters zeroed), N requests from the client, then the table and the settled
 * counters in one more.
 */
async function measure({ director, client }: Pick<TopologyFixtures, 'director' | 'client'>, port: number, service: string[] = serviceCommands(port), count = requests) {
  const scope = { vip, ports: [port] }
  const setUp = service.map((c) => `ipvsadm ${c}`).join('\n')
  const startingState = provenQuiet(parseQuietStart(scope, await director.sh(`${setUp}\n${quietStartScript(scope)}`)))
  const { exchanges, raw } = await client.get(`http://${vip}:${port}/`, { times: count })
  const { list, stats: settled } = await director.afterTraffic({ counters: true })
  const stats = settled!
  const listedOrder = list.data.services[0]?.realServers.map((rs) => nameOf(rs.address)) ?? []
  const servedBy = new Map<string, number>()
  for (const x of exchanges) if (x.server) servedBy.set(addressOf(x.server), (servedBy.get(addressOf(x.server)) ?? 0) + 1)
  const conns = stats.data.services.find((s) => s.address === vip && s.port === port)?.counters.conns ?? 0
  const attach = async () => {
    await evidence('starting state', startingState)
    await evidence(
      'requests (one curl process)',
      exchanges
        .map((x) => `${x.index + 1}. HTTP ${x.status} ${x.server ?? '-'} connection:${x.newConnection ? 'new' : 'reused'} close:${x.connectionClose} curl-exit:${x.curlExit}`)
        .join('\n'),
    )
    await evidence("ipvsadm -Ln --nosort (the kernel's destination order, which rr walks)", list.text)
    await evidence(`ipvsadm -Ln --stats --exact (settled after ${stats.waitedSeconds.toFixed(1)} s)`, stats.text)
    await evidence('curl output', raw)
  }
  await attach()
  return { port, exchanges, stats, list, listedOrder, servedBy, conns, attach }
}

/**
 * The article's experiment is run once and observed three ways (sequence, connections,
 * counters); each of those tests attaches the same evidence.
 */
let articleRun: ReturnType<typeof measure> | undefined
function theArticleRun(fixtures: Pick<TopologyFixtures, 'director' | 'client'>) {
  if (!articleRun) {
    articleRun = measure(fixtures, articlePort)
    return articleRun
  }
  return articleRun.then(async (run) => (await run.attach(), run))
}

const nodeByAddress = new Map(natTopology.nodes.flatMap((n) => n.interfaces.map((i) => [i.address, n.name] as const)))
const nameOf = (address: string) => nodeByAddress.get(address) ?? address
const addressOf = (name: string) => [...nodeByAddress].find(([, n]) => n === name)?.[0] ?? name

describe('NAT mode: lvs-node-0 masquerading for lvs-node-1 and lvs-node-2', () => {
  test('ipvsadm -Ln shows TCP 192.168.100.6:80 rr with both real servers as Masq, weight 1', async ({ director }) => {
    const list = await director.ipvsadmThenList(...serviceCommands(articlePort))
    await evidence('ipvsadm -Ln', list.text)
    await expectPass(serviceIsListed(list.data, vip, realServerAddresses))
  })

  test(`rr: ${requests} requests alternate strictly between the real servers, each with its own page`, async ({ director, client }) => {
    const run = await theArticleRun({ director, client })
    await expectPass(roundRobin(run.exchanges, run.listedOrder, requests))
  })

  test(`each request is its own TCP connection: Connection: close, and Conns grows by exactly ${requests}`, async ({ director, client }) => {
    const run = await theArticleRun({ director, client })
    await expectPass(connectionPerRequest(run.exchanges, run.conns, requests))
  })

  test('replies go back through the director: InPkts and OutPkts grow on each real server', async ({ director, client }) => {
    const run = await theArticleRun({ director, client })
    await expectPass(repliesThroughDirector(run.stats.data, vip, run.servedBy))
  })

  describe('negative controls: each breaks one thing, and its check must report failure', () => {
    test('a real server whose gateway is not the director: the reply-path check fails', async ({ director, client, net, gatewayElsewhere: _ }) => {
      const port = net.freshPort()
      const run = await measure({ director, client }, port, serviceCommands(port), unansweredRequests)
      await expectFail(repliesThroughDirector(run.stats.data, vip, run.servedBy, port))
      await expectFail(roundRobin(run.exchanges, run.listedOrder, unansweredRequests))
    })

    test('sh instead of rr (every request answered, one client hashed to one server): the rr check fails', async ({ director, client, net }) => {
      const port = net.freshPort()
      const run = await measure({ director, client }, port, serviceCommands(port, ['-m', '-m'], 'sh'))
      await expectFail(roundRobin(run.exchanges, run.listedOrder, requests))
    })

    test('ip_forward=0 on the director: the reply-path check fails', async ({ director, client, net, forwardingOff: _ }) => {
      const port = net.freshPort()
      const run = await measure({ director, client }, port, serviceCommands(port), unansweredRequests)
      await expectFail(repliesThroughDirector(run.stats.data, vip, run.servedBy, port))
    })

    test('nginx with keepalive on: the one-connection-per-request check fails', async ({ director, client, net, keepaliveOn: _ }) => {
      const port = net.freshPort()
      const run = await measure({ director, client }, port)
      await expectFail(connectionPerRequest(run.exchanges, run.conns, requests))
    })

    test('a real server added without -m (so -g, direct routing): the listing check fails', async ({ director }) => {
      const list = await director.ipvsadmThenList(...serviceCommands(articlePort, ['-m', '']))
      await evidence('ipvsadm -Ln', list.text)
      await expectFail(serviceIsListed(list.data, vip, realServerAddresses))
    })
  })
})
