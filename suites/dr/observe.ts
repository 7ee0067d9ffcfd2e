import type { Capture } from '../../lab/capture/parse-tcpdump'
import { summarizeCapture } from '../../lab/capture/summarize'
import { PacketCapture } from '../../fixtures/capture'
import { parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import { evidence } from '../../fixtures/evidence'
import type { TopologyFixtures } from '../../fixtures/lab-test'
import type { LabNode } from '../../fixtures/nodes/lab-node'
import { timed } from '../../fixtures/timings'
import { drTopology } from '../../topologies/dr'

export const vip = drTopology.vip
export type Lab = Pick<TopologyFixtures, 'director' | 'realServers' | 'client' | 'net'>

const nodeByAddress = new Map(drTopology.nodes.flatMap((n) => n.interfaces.map((i) => [i.address, n.name] as const)))
export const nameOf = (address: string) => nodeByAddress.get(address) ?? address

/** MAC address to node name, for saying who sent a captured frame. */
export function macOwners(nodes: LabNode[]): Map<string, string> {
  return new Map(nodes.map((n) => [n.mac(), n.name]))
}

const watching = (watch: Watch[]) => watch.map((w) => `${w.node.name}: ${w.filter}`).join(', ') || 'none'

export interface Watch {
  node: LabNode
  filter: string
}

export interface Observation {
  /** The service's port: one no earlier observation used. */
  port: number
  exchanges: Awaited<ReturnType<TopologyFixtures['client']['get']>>['exchanges']
  captures: Map<LabNode, Capture & { text: string; description: string }>
  /** Only when asked for: settling the counters takes seconds. */
  stats?: Awaited<ReturnType<TopologyFixtures['director']['settledStats']>>
  list: Awaited<ReturnType<TopologyFixtures['director']['list']>>
  /** Real server names in the kernel's order (`ipvsadm -Ln --nosort`): rr's order. */
  listedOrder: string[]
  arping?: Awaited<ReturnType<TopologyFixtures['client']['arping']>>
  attach(): Promise<void>
}

/**
 * One observed run on VIP:port: a starting state proved quiet (no entry or template left
 * for VIP:port, counters zeroed and read back as 0, every node's neighbour cache flushed: a
 * real server must ARP for the client, and no stale VIP entry may steer the client), then
 * the captures listening, N requests and optionally an arping from the client, then the
 * settled counters.
 */
export interface ObserveOptions {
  arping?: boolean
  counters?: boolean
  /** ipvsadm invocations that set the service up, in the round trip that then proves the start quiet. */
  service?: string[]
}

export function observe(lab: Lab, port: number, requests: number, watch: Watch[], options: ObserveOptions = {}): Promise<Observation> {
  const watching = watch.map((w) => w.node.name).join(', ') || 'no capture'
  return timed(lab.net.timings, `observe: ${requests} requests (${watching}${options.counters ? ', counters' : ''})`, () => observeOnce(lab, port, requests, watch, options))
}

async function observeOnce(lab: Lab, port: number, requests: number, watch: Watch[], { arping = false, counters = false, service = [] }: ObserveOptions): Promise<Observation> {
  const { director, client, realServers } = lab
  // The director sets the service up and proves the start quiet in one round trip; then each node flushes its neighbours and starts its capture in one.
  const scope = { vip, ports: [port] }
  const setUp = service.map((args) => `ipvsadm ${args}`)
  const quiet = parseQuietStart(scope, await director.sh([...setUp, 'ip neigh flush all', quietStartScript(scope)].join('\n')))
  const nodes: LabNode[] = [director, client, ...realServers]
  const [running] = await Promise.all([
    Promise.all(watch.map((w) => PacketCapture.start(w.node, w.filter, { before: w.node === director ? '' : 'ip neigh flush all' }))),
    ...nodes.filter((n) => n !== director && !watch.some((w) => w.node === n)).map((n) => n.sh('ip neigh flush all', undefined, { readOnly: true })),
  ])
  const startingState = provenQuiet(quiet, [`neighbour caches flushed on ${nodes.map((n) => n.name).join(', ')}`, `captures started after that (${watching(watch)})`])
  const { exchanges, raw } = await client.get(`http://${vip}:${port}/`, { times: requests })
  const arpingResult = arping ? await client.arping(vip) : undefined
  const stopped = await Promise.all(running.map((c) => c.stop()))
  const { stats, list } = await director.afterTraffic({ counters })
  const captures = new Map(watch.map((w, i) => [w.node, stopped[i]]))
  const attach = async () => {
    await evidence('starting state', startingState)
    await evidence(
      'requests (one curl process)',
      exchanges.map((x) => `${x.index + 1}. HTTP ${x.status} ${x.server ?? '-'} client port ${x.localPort} curl-exit:${x.curlExit}`).join('\n'),
    )
    await evidence("ipvsadm -Ln --nosort (the kernel's destination order, which rr walks)", list.text)
    if (stats) await evidence(`ipvsadm -Ln --stats --exact (settled after ${stats.waitedSeconds.toFixed(1)} s)`, stats.text)
    if (arpingResult) await evidence(`arping -b ${vip} from the client`, arpingResult.raw)
    const owners = macOwners(lab.net.nodes)
    for (const c of stopped) {
      await evidence(`capture summary: ${c.description}`, summarizeCapture(c, owners))
      await evidence(`capture: ${c.description}`, c.text || '(nothing)')
    }
    await evidence('curl output', raw)
  }
  await attach()
  return {
    port,
    exchanges,
    captures,
    stats,
    list,
    listedOrder: list.data.services[0]?.realServers.map((rs) => nameOf(rs.address)) ?? [],
    arping: arpingResult,
    attach,
  }
}
