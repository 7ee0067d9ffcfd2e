import type { Topology } from './topology'

/** A topology that cannot work as drawn; bring-up refuses it before anything starts. */
export class TopologyError extends Error {
  constructor(topology: Topology, why: string, todo: string) {
    super(`topology ${topology.name}: ${why}; ${todo}`)
    this.name = 'TopologyError'
  }
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
}

function inSubnet(ip: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/')
  const size = 2 ** (32 - Number(bits))
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size)
}

/** Throws a TopologyError naming the first thing in the data that cannot be brought up. */
export function checkTopology(t: Topology): void {
  const networks = new Map(t.networks.map((n) => [n.name, n]))
  const names = new Set<string>()
  for (const node of t.nodes) {
    if (names.has(node.name)) throw new TopologyError(t, `two nodes are named ${node.name}`, 'give every node its own name')
    names.add(node.name)
    for (const i of node.interfaces) {
      const net = networks.get(i.network)
      if (!net) throw new TopologyError(t, `${node.name} is on network ${i.network}, which the topology does not define`, `add ${i.network} to its networks or fix the name`)
      if (!inSubnet(i.address, net.subnet))
        throw new TopologyError(t, `${node.name}'s address ${i.address} is outside ${i.network} (${net.subnet})`, 'pick an address in that subnet')
    }
    for (const a of node.extraAddresses ?? []) {
      if (a.on !== 'lo' && !node.interfaces.some((i) => i.network === a.on)) {
        throw new TopologyError(t, `${node.name} puts ${a.address} on ${a.on}, where it has no interface`, 'use lo or one of its networks')
      }
    }
  }
  for (const role of ['director', 'client'] as const) {
    const count = t.nodes.filter((n) => n.role === role).length
    if (count !== 1) throw new TopologyError(t, `it has ${count} nodes with the role ${role}`, `a topology has exactly one ${role}`)
  }
  if (!t.nodes.some((n) => n.role === 'real-server')) throw new TopologyError(t, 'it has no real server', 'add at least one')
  if (t.mode === 'dr') checkSharedSegment(t)
}

/**
 * Direct routing only rewrites the destination MAC: the director must reach every real
 * server on one L2 segment, and the client must sit on it too for the replies to reach
 * it from the VIP without a router in between.
 */
function checkSharedSegment(t: Topology): void {
  const shared = t.networks.filter((net) => t.nodes.every((n) => n.interfaces.some((i) => i.network === net.name)))
  if (shared.length > 0) return
  const director = t.nodes.find((n) => n.role === 'director')!
  const segment = director.interfaces.find((i) => t.nodes.filter((n) => n.role === 'real-server').every((rs) => rs.interfaces.some((x) => x.network === i.network)))
  if (!segment) throw new TopologyError(t, 'DR needs the director and every real server on one L2 segment, and they share none', 'put them on one network')
  const away = t.nodes.filter((n) => !n.interfaces.some((i) => i.network === segment.network)).map((n) => `${n.name} (on ${n.interfaces.map((i) => i.network).join(', ')})`)
  throw new TopologyError(t, `DR needs every node on the real servers' L2 segment ${segment.network}, but ${away.join(' and ')} is not`, `give it an address on ${segment.network}`)
}
