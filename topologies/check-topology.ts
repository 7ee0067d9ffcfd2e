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
  const clients = t.nodes.filter((n) => n.role === 'client').length
  if (clients !== 1) throw new TopologyError(t, `it has ${clients} nodes with the role client`, 'a topology has exactly one client')
  checkDirectors(t)
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

/** One director, or two that form the topology's VRRP group (a pair without one would both hold the VIP). */
function checkDirectors(t: Topology): void {
  const directors = t.nodes.filter((n) => n.role === 'director')
  if (directors.length === 1 && !t.vrrp) return
  if (directors.length === 0 || directors.length > 2)
    throw new TopologyError(t, `it has ${directors.length} nodes with the role director`, 'a topology has one director, or two in a VRRP group')
  if (!t.vrrp)
    throw new TopologyError(t, `it has two directors (${directors.map((d) => d.name).join(', ')}) and no VRRP group`, 'give it a vrrp group with both as members, or drop one')
  const members = t.vrrp.members.map((m) => m.node)
  const outside = directors.filter((d) => !members.includes(d.name))
  if (directors.length !== 2 || members.length !== 2 || outside.length)
    throw new TopologyError(
      t,
      `its VRRP group (${members.join(', ')}) is not its two directors (${directors.map((d) => d.name).join(', ')})`,
      'make the group exactly the two directors',
    )
  if (t.vrrp.members[0]!.priority === t.vrrp.members[1]!.priority)
    throw new TopologyError(t, `both VRRP members have priority ${t.vrrp.members[0]!.priority}`, 'give the intended master the higher priority')
  for (const network of [t.vrrp.network, ...(t.vrrp.floating ?? []).map((f) => f.network)])
    if (!directors.every((d) => d.interfaces.some((i) => i.network === network)))
      throw new TopologyError(t, `the VRRP network ${network} is not on both directors`, 'put both directors on it')
  const ids = [t.vrrp.virtualRouterId, ...(t.vrrp.floating ?? []).map((f) => f.virtualRouterId)]
  if (new Set(ids).size !== ids.length) throw new TopologyError(t, `its VRRP instances share a virtual_router_id (${ids.join(', ')})`, 'give each floating address its own')
}
