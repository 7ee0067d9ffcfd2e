/**
 * The schedulers suite's vocabulary: the three real servers in the kernel's list order, a
 * fresh virtual service per scenario, and loads read back from `ipvsadm -Ln`.
 */
import type { IpvsTable } from '../../lab/ipvs'
import { evidence } from '../../fixtures/evidence'
import type { Director } from '../../fixtures/nodes/director'
import { parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import { natThreeServersTopology } from '../../topologies/nat-three-servers'
import type { ServerLoad } from './load-rules'

export const vip = natThreeServersTopology.vip

/** The real servers in the kernel's list order; they are added in reverse so that it holds. */
export const servers = natThreeServersTopology.nodes
  .filter((n) => n.role === 'real-server')
  .map((n) => ({ name: n.name, address: n.interfaces[0]!.address }))
export const kernelOrder = servers.map((s) => s.name)
export const [node1, node2, node3] = kernelOrder as [string, string, string]
export const addressOf = (name: string) => servers.find((s) => s.name === name)!.address

/** The real servers' ports: nginx (one request per connection) and the hold endpoint. */
export const httpPort = 80
export const heldPort = 9000

/**
 * Each scenario gets its own virtual port. A deleted service's real servers wait in the
 * kernel's trash with their connection counters and come back if the same service is made
 * again (ip_vs_trash_get_dest), so reusing a port would carry the last scenario's load.
 */
let lastPort = 8000
export const freshPort = () => ++lastPort

export interface ServiceSpec {
  scheduler?: string
  flags?: string
  /** Per server, in kernel order; 1 when absent. */
  weights?: number[]
  /** The real servers' port: nginx or the hold endpoint. */
  serverPort?: number
  /** Extra options per real server (thresholds), in kernel order. */
  serverOptions?: string[]
}

/** `-A` and the `-a` lines of a NAT service on vip:port (or on a firewall mark). */
export function serviceCommands(service: string, spec: ServiceSpec): string[] {
  const head = `-A ${service}${spec.scheduler ? ` -s ${spec.scheduler}` : ''}${spec.flags ? ` -b ${spec.flags}` : ''}`
  const adds = servers
    .map((s, i) => `-a ${service} -r ${s.address}:${spec.serverPort ?? httpPort} -m -w ${spec.weights?.[i] ?? 1}${spec.serverOptions?.[i] ? ` ${spec.serverOptions[i]}` : ''}`)
    .reverse()
  return [head, ...adds]
}

/**
 * A cleared table and one new TCP service, its start proved quiet in the same round trip
 * (no entry left for it, counters zeroed); its address:port.
 */
export async function freshService(director: Director, spec: ServiceSpec): Promise<{ service: string; target: string; port: number }> {
  const port = freshPort()
  const service = `-t ${vip}:${port}`
  const scope = { vip, ports: [port] }
  const out = await director.sh([...['-C', ...serviceCommands(service, spec)].map((c) => `ipvsadm ${c}`), quietStartScript(scope)].join('\n'))
  await evidence('starting state', provenQuiet(parseQuietStart(scope, out)))
  return { service, target: `${vip}:${port}`, port }
}

/** What -Ln says each server of the service on `port` holds, in kernel order. */
export function loadsOf(table: IpvsTable, port: number): ServerLoad[] {
  const svc = table.services.find((s) => s.port === port)
  return servers.map(({ name, address }) => {
    const rs = svc?.realServers.find((r) => r.address === address)
    return { name, weight: rs?.weight ?? 0, activeConns: rs?.activeConns ?? 0, inactiveConns: rs?.inactiveConns ?? 0 }
  })
}

export const numbered = (names: (string | undefined)[]) => names.map((n, i) => `${i + 1}. ${n ?? '(refused)'}`).join('\n')
