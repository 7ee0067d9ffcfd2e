import { isIPv4 } from 'node:net'
import { ipv4PrefixOf } from '../../lab/ipvs/ipv4-mask'
import type { ForwardMethod } from '../../lab/ipvs/types'
import { arpSilence } from '../../topologies/dr'
import type { NetworkSpec, NodeSpec, Topology } from '../../topologies/topology'
import { BadInput } from '../bad-input'
import type { LintInput } from '../lint/lint-input'
import type { LocatedService } from '../rules/rules-table'
import { serviceName } from '../rules/service-name'
import { heldCount, LOAD_SCHEDULERS } from './held-load'
import { fromNumber, inSubnet, networkOf, overlaps, toNumber } from './ipv4'
import { MAX_REAL_SERVERS, type CheckKind, type PlannedRealServer, type PlannedService, type ReplayPlan, type Target } from './replay-plan'

export interface PlanOptions {
  /** Real server addresses whose node serves nothing: a negative control's broken state. */
  withhold?: string[]
}

/** The guest's own network (QEMU user networking): the lab cannot create it. */
const GUEST_NETWORK = '10.0.2.0/24'
/** Where the clients live when the VIPs' network holds NAT real servers (RFC 2544's benchmarking range). */
const SPARE_FRONT = '198.18.100.0'
/** Ports a client tries on a `VIP:0` service or a MARK rule that names none. */
const ANY_PORT_PROBES = [80, 443]
/** At most this many clients per service: each is a request per target and round, under emulation. */
const MAX_CLIENTS = 12
/** wrr's exact check runs whole cycles; longer cycles cost more requests than they prove. */
const MAX_WRR_CYCLE = 24
/** At most this many connections held at once for a load rule. */
const MAX_HELD = 16
/** Schedulers under which sequential short connections reach every weighted server. */
const SPREADING = new Set(['rr', 'wrr', 'lc', 'wlc'])
const HASHING_SOURCE = new Set(['sh', 'mh'])
/** Schedulers that pick a server per destination address (ip_vs_dh.c, ip_vs_lblc.c, ip_vs_lblcr.c). */
const BY_DESTINATION = new Set(['dh', 'lblc', 'lblcr'])

const badInput = (why: string, todo: string) => new BadInput(why, todo)

/**
 * Lays out a lab for the file's table (pure; nothing is started): a director holding the VIPs, a
 * node per real server at its own address serving the ports the rules send it, and a client with
 * addresses of its own for every service, on networks that contain the file's addresses. DR and
 * TUN servers share the clients' segment (DR only rewrites the MAC); NAT servers sit on private
 * networks with the director as their gateway, never on the clients' one (they would answer
 * the client directly). What the lab cannot lay out is a BadInput naming the limit.
 */
export function planReplay(input: LintInput, options: PlanOptions = {}): ReplayPlan {
  const { services } = input.table
  if (services.length === 0) throw badInput('the file adds no service, so there is nothing to replay', 'add -A lines, or run with --lint-only')
  for (const svc of services) {
    if (svc.ipv6 || (svc.address && !isIPv4(svc.address)) || svc.realServers.some((rs) => !isIPv4(rs.address)))
      throw badInput(`${serviceName(svc)} (line ${svc.line}) is IPv6, and the lab's networks are IPv4 only`, 'run with --lint-only for IPv6 rules')
  }
  const notes: string[] = []
  const targets = new Map(services.map((svc) => [svc, targetsOf(svc, input, notes)]))
  const servers = realServersOf(services, targets, options.withhold ?? [])
  const layout = layOut(services, targets, servers)
  const book = new AddressBook(layout.used)
  const director = book.take(layout.frontBase, 100, 1)
  const backs = layout.backs.map((base, i) => ({ name: `private-${i + 1}`, base, director: book.take(base, 100, 1), gateway: book.take(base, 254, -1) }))
  const front: NetworkSpec = {
    name: 'clients',
    subnet: layout.frontSubnet,
    gateway: book.take(layout.frontBase, 254, -1),
    description: 'the clients, the director and the DR/TUN real servers',
  }
  const planned = services.map((svc) => planService(svc, targets.get(svc)!, layout, book))
  const vips = [...new Set(planned.flatMap((s) => s.targets.map((t) => t.address)).concat(services.flatMap((s) => (s.address ? [s.address] : []))))]
  const backOf = (address: string) => backs.find((b) => inSubnet(address, `${b.base}/24`))
  const nodes: NodeSpec[] = [
    {
      name: 'director',
      role: 'director',
      interfaces: [{ network: front.name, address: director }, ...backs.map((b) => ({ network: b.name, address: b.director }))],
      sysctls: { 'net.ipv4.ip_forward': '1' },
      extraAddresses: vips.map((v) => ({ on: front.name, address: `${v}/32` })),
    },
    ...servers.map((rs): NodeSpec => {
      const back = backOf(rs.address)
      const direct = rs.forwards.has('Route') || rs.forwards.has('Tunnel')
      return {
        name: rs.address,
        role: 'real-server',
        interfaces: [{ network: back?.name ?? front.name, address: rs.address }],
        ...(back && { defaultGateway: back.director }),
        ...(direct && { sysctls: arpSilence }),
        ...(rs.planned.vipsOnLo.length && { extraAddresses: rs.planned.vipsOnLo.map((v) => ({ on: 'lo', address: `${v}/32` })) }),
        // every path: a keepalived.conf's HTTP_GET asks the user's server for its own (/health)
        ...(rs.planned.tcpPorts.length && !rs.planned.withheld && { http: { keepaliveTimeout: 0, ports: rs.planned.tcpPorts, everyPath: true } }),
      }
    }),
    clientNode(planned, front.name, layout.frontPrefix, director),
  ]
  const topology: Topology = {
    name: 'replay',
    description: 'the verified file replayed: its director, its real servers at their own addresses, clients at addresses its rules imply',
    vip: vips[0]!,
    // DR's one-segment rule holds when every real server is direct; with NAT ones too, the planner placed the direct ones on it
    ...(servers.every((rs) => !rs.forwards.has('Masq')) && { mode: 'dr' as const }),
    networks: [front, ...backs.map((b) => ({ name: b.name, subnet: `${b.base}/24`, gateway: b.gateway, description: 'NAT real servers, the director their gateway' }))],
    nodes,
  }
  return { topology, services: planned, realServers: servers.map((s) => s.planned), director, notes }
}

/** Where clients send for a service: its VIP:port, the ports a `VIP:0` service takes, or what the MARK rules of its mark match. */
function targetsOf(svc: LocatedService, input: LintInput, notes: string[]): Target[] | string {
  if (svc.protocol === 'SCTP') return 'the lab has no SCTP client'
  if (svc.protocol !== 'FWM') {
    const protocol = svc.protocol === 'UDP' ? 'udp' : 'tcp'
    const ports = svc.port === 0 ? ANY_PORT_PROBES : [svc.port!]
    return ports.map((port) => ({ address: svc.address!, port, protocol }))
  }
  if (!input.mangle) return 'no --mangle file: nothing says which packets carry the mark'
  const rules = input.mangle.marks.filter((m) => m.mark === svc.fwmark)
  if (rules.length === 0) return `no MARK rule in the mangle file sets mark ${svc.fwmark}`
  const found: Target[] = []
  for (const rule of rules) {
    const [address, bits] = (rule.destination ?? '').split('/')
    if (!address || !isIPv4(address) || (bits !== undefined && bits !== '32')) {
      notes.push(
        `mangle line ${rule.line} marks ${rule.destination ? `the network ${rule.destination}` : 'every destination'}: the replay sends to the single addresses other MARK rules name only`,
      )
      continue
    }
    const protocol = rule.protocol === 'udp' ? 'udp' : 'tcp'
    const ports = rule.ports ? rule.ports.map(([from]) => from) : ANY_PORT_PROBES
    for (const port of ports) if (!found.some((t) => t.address === address && t.port === port && t.protocol === protocol)) found.push({ address, port, protocol })
  }
  return found.length ? found : `no MARK rule for mark ${svc.fwmark} names a single destination address (-d VIP/32)`
}

interface CollectedServer {
  address: string
  forwards: Set<ForwardMethod>
  planned: PlannedRealServer
}

/** One node per real server address, serving every port a rule may send it to. */
function realServersOf(services: LocatedService[], targets: Map<LocatedService, Target[] | string>, withhold: string[]): CollectedServer[] {
  const byAddress = new Map<string, CollectedServer>()
  for (const svc of services) {
    const reach = targets.get(svc)!
    for (const rs of svc.realServers) {
      const s = byAddress.get(rs.address) ?? {
        address: rs.address,
        forwards: new Set(),
        planned: { address: rs.address, nat: false, tcpPorts: [], udpPorts: [], vipsOnLo: [], vipsOnTunnel: [], withheld: withhold.includes(rs.address) },
      }
      byAddress.set(rs.address, s)
      s.forwards.add(rs.forward)
      s.planned.nat = s.forwards.has('Masq')
      const sent = typeof reach === 'string' ? [] : reach
      // DR and TUN keep the client's port; the server listens where the line said (ipvsadm's rewrite does not move it)
      const written = rs.writtenPort ?? rs.port
      const ports = rs.forward === 'Masq' && rs.port !== 0 ? sent.map((t) => ({ ...t, port: rs.port })) : written !== 0 ? sent.map((t) => ({ ...t, port: written })) : sent
      for (const t of ports) {
        const list = t.protocol === 'udp' ? s.planned.udpPorts : s.planned.tcpPorts
        if (!list.includes(t.port)) list.push(t.port)
      }
      const vips = [...new Set(sent.map((t) => t.address))]
      const onto = rs.forward === 'Route' ? s.planned.vipsOnLo : rs.forward === 'Tunnel' ? s.planned.vipsOnTunnel : []
      for (const v of vips) if (!onto.includes(v)) onto.push(v)
    }
  }
  const all = [...byAddress.values()]
  if (all.length > MAX_REAL_SERVERS)
    throw badInput(
      `the file has ${all.length} real servers, and the lab holds at most ${MAX_REAL_SERVERS} (one container each)`,
      'replay a part of the file, or run with --lint-only',
    )
  const both = all.find((s) => s.forwards.has('Masq') && (s.forwards.has('Route') || s.forwards.has('Tunnel')))
  if (both)
    throw badInput(
      `${both.address} is a NAT real server in one service and DR/TUN in another: in the lab it would sit on the clients' segment and answer NAT clients directly`,
      'give it one forwarding method, or run with --lint-only',
    )
  return all
}

interface Layout {
  frontBase: string
  frontPrefix: number
  frontSubnet: string
  backs: string[]
  used: Set<string>
}

/** The clients' network (with the DR/TUN servers) and a private /24 per group of NAT servers. */
function layOut(services: LocatedService[], targets: Map<LocatedService, Target[] | string>, servers: CollectedServer[]): Layout {
  const used = new Set<string>([...servers.map((s) => s.address), ...services.flatMap((s) => (s.address ? [s.address] : []))])
  for (const t of targets.values()) if (typeof t !== 'string') for (const x of t) used.add(x.address)
  const direct = servers.filter((s) => !s.forwards.has('Masq')).map((s) => s.address)
  const nat = servers.filter((s) => s.forwards.has('Masq')).map((s) => s.address)
  const backs = [...new Set(nat.map((a) => networkOf(a, 24)))]
  for (const b of backs)
    if (overlaps(b, GUEST_NETWORK)) throw badInput(`the real servers of ${b} are on the lab guest's own network ${GUEST_NETWORK}`, 'replay rules on other addresses')
  let frontBase: string
  if (direct.length) {
    const wide = new Set(direct.map((a) => networkOf(a, 16)))
    if (wide.size > 1)
      throw badInput(`the DR/TUN real servers span ${[...wide].join(', ')}: the lab puts them on one segment, at most a /16`, 'replay the services of one segment at a time')
    const narrow = new Set(direct.map((a) => networkOf(a, 24)))
    if (narrow.size > 1 && backs.some((b) => overlaps(b, [...wide][0]!)))
      throw badInput(`the DR/TUN real servers span several /24s of ${[...wide][0]}, and NAT real servers are in it too`, 'replay the NAT and the DR services apart')
    frontBase = direct[0]!
    const clash = backs.find((b) => direct.some((a) => inSubnet(a, b)))
    if (clash) throw badInput(`NAT and DR/TUN real servers share ${clash}: NAT servers would answer the clients directly`, 'replay the NAT and the DR services apart')
  } else {
    const vip = [...used].find((a) => !servers.some((s) => s.address === a))
    frontBase = vip && !backs.some((b) => inSubnet(vip, b)) && !inSubnet(vip, GUEST_NETWORK) ? vip : SPARE_FRONT
  }
  frontBase = networkOf(frontBase, 24).split('/')[0]!
  const wide = networkOf(frontBase, 16)
  const frontPrefix = backs.some((b) => overlaps(b, wide)) || overlaps(wide, GUEST_NETWORK) ? 24 : 16
  const frontSubnet = networkOf(frontBase, frontPrefix)
  if (overlaps(frontSubnet, GUEST_NETWORK)) throw badInput(`the clients' network would be the lab guest's own ${GUEST_NETWORK}`, 'replay rules on other addresses')
  return { frontBase, frontPrefix, frontSubnet, backs: backs.map((b) => b.split('/')[0]!), used }
}

/** Hands out addresses no rule names and nothing else took. */
class AddressBook {
  constructor(private readonly used: Set<string>) {}

  /** The first free address of base's /24 from host number `from`, walking `step`. */
  take(base: string, from: number, step: 1 | -1): string {
    for (let host = from; host >= 1 && host <= 254; host += step) {
      const a = fromNumber(toNumber(base) + host)
      if (this.claim(a)) return a
    }
    throw badInput(`no free address is left in ${base}/24 for the lab's own nodes`, 'replay fewer services at a time')
  }

  claim(address: string): boolean {
    if (this.used.has(address)) return false
    this.used.add(address)
    return true
  }

  /**
   * `count` client addresses, each in a block of `prefix` bits of its own inside the subnet,
   * starting at host .51 of the subnet's first /24: with -M, clients in different blocks
   * are different clients to the kernel.
   */
  clients(subnet: string, firstBase: string, prefix: number, count: number): string[] {
    const size = 2 ** (32 - prefix)
    const [net, bits] = subnet.split('/')
    const lo = toNumber(net!)
    const hi = lo + 2 ** (32 - Number(bits)) - 1
    const out: string[] = []
    let block = Math.floor((toNumber(firstBase) + 51) / size) * size
    for (let tried = 0; out.length < count && tried < 4096; tried++, block += size) {
      if (block + size - 1 > hi) block = lo
      const start = block === Math.floor((toNumber(firstBase) + 51) / size) * size ? Math.max(block, toNumber(firstBase) + 51) : block
      for (let n = start; n < block + size; n++) {
        if (n <= lo || n >= hi || n % 256 === 0 || n % 256 === 255) continue
        if (this.claim(fromNumber(n))) {
          out.push(fromNumber(n))
          break
        }
      }
    }
    if (out.length < count) throw badInput(`the clients' network ${subnet} has no room for ${count} more clients`, 'replay fewer services at a time')
    return out
  }

  /** One more address in the block of `prefix` bits that holds `address`. */
  sibling(address: string, prefix: number): string | undefined {
    const size = 2 ** (32 - prefix)
    const block = Math.floor(toNumber(address) / size) * size
    const from = toNumber(address) - block
    for (let i = 1; i < size; i++) {
      const n = block + ((from + i) % size)
      if (n % 256 !== 0 && n % 256 !== 255 && this.claim(fromNumber(n))) return fromNumber(n)
    }
    return undefined
  }
}

/** wrr's cycle: the weights over their greatest common divisor (ip_vs_wrr.c steps by the gcd). */
export function reducedWeights(weights: number[]): number[] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  const g = weights.filter((w) => w > 0).reduce(gcd, 0) || 1
  return weights.map((w) => w / g)
}

function planService(svc: LocatedService, reach: Target[] | string, layout: Layout, book: AddressBook): PlannedService {
  const servers = svc.realServers.map((rs) => ({ address: rs.address, weight: rs.weight, forward: rs.forward }))
  const forwards = new Set(servers.map((s) => s.forward))
  const base = {
    name: serviceName(svc),
    line: svc.line,
    key: { protocol: svc.protocol, address: svc.address, port: svc.port, fwmark: svc.fwmark },
    scheduler: svc.scheduler,
    ...(svc.persistent !== undefined && { persistent: svc.persistent }),
    ...(svc.netmask !== undefined && { netmask: svc.netmask }),
    forward: forwards.size === 1 ? [...forwards][0]! : ('mixed' as const),
    servers,
  }
  if (typeof reach === 'string') return { ...base, targets: [], clients: [], rounds: 0, checks: [], notChecked: [`no traffic can be sent: ${reach}`] }
  const weighted = servers.filter((s) => s.weight > 0)
  const notChecked: string[] = []
  const checks: CheckKind[] = ['answered']
  const cycle = reducedWeights(weighted.map((s) => s.weight)).reduce((a, b) => a + b, 0)
  const persistent = svc.persistent !== undefined
  const udp = reach.every((t) => t.protocol === 'udp')
  const spreads = SPREADING.has(svc.scheduler)
  if (spreads) checks.push('reached')
  else
    notChecked.push(
      HASHING_SOURCE.has(svc.scheduler) || BY_DESTINATION.has(svc.scheduler)
        ? `that every server is reached: ${svc.scheduler} hashes each client (or destination) to a server of its own choosing`
        : `that every server is reached: ${svc.scheduler} may send sequential short connections to one server`,
    )
  if (!persistent && svc.scheduler === 'rr') checks.push('rr-cycle')
  if (!persistent && svc.scheduler === 'wrr') {
    if (cycle <= MAX_WRR_CYCLE) checks.push('wrr-cycles')
    else notChecked.push(`wrr's exact cycles: a cycle of ${cycle} requests is longer than the replay's ${MAX_WRR_CYCLE}`)
  }
  // held connections cost a process-free connect each: two rounds where they fit, else one
  let heldRounds: number | undefined
  if (!persistent && LOAD_SCHEDULERS.has(svc.scheduler)) {
    const once = heldCount(svc.scheduler, servers, 1)
    if (udp) notChecked.push(`${svc.scheduler}'s rule with held connections: it is checked on TCP only`)
    else if (once === 0 || once > MAX_HELD) notChecked.push(`${svc.scheduler}'s rule with held connections: a round of ${once} is more than the replay's ${MAX_HELD}`)
    else {
      heldRounds = 2 * once <= MAX_HELD ? 2 : 1
      checks.push('held-load')
    }
  }
  if (HASHING_SOURCE.has(svc.scheduler)) checks.push('sticky-source')
  if (BY_DESTINATION.has(svc.scheduler)) checks.push('sticky-destination')
  if (persistent) {
    if (udp) notChecked.push('persistence: it is checked on TCP services only')
    else checks.push('persistence')
  }
  if (svc.protocol === 'FWM') checks.push('marked-ports')
  if (udp) notChecked.push('the reply path: it is checked on TCP only (the captures follow TCP connections)')
  else if (base.forward === 'mixed' || base.forward === 'Local' || base.forward === 'Bypass')
    notChecked.push(`the reply path: the real servers forward as ${[...forwards].join(' and ')}`)
  else checks.push('reply-path')

  // how many clients, in which -M blocks
  const needed = persistent ? (svc.scheduler === 'wrr' ? cycle : spreads ? weighted.length : 2) : HASHING_SOURCE.has(svc.scheduler) ? 6 : BY_DESTINATION.has(svc.scheduler) ? 3 : 1
  const count = Math.max(persistent ? 2 : 1, Math.min(needed, MAX_CLIENTS))
  /** Why every server need not be reached, when the clients cannot reach them all. */
  let unreachable: string | undefined
  if (persistent && spreads && needed > MAX_CLIENTS) unreachable = `it takes ${needed} clients, more than the replay's ${MAX_CLIENTS}`
  const prefix = persistent && svc.netmask ? ipv4PrefixOf(svc.netmask) : 32
  let sharing: PlannedService['sharing']
  let clients: string[]
  if (persistent && svc.netmask && prefix === undefined) {
    notChecked.push(`-M ${svc.netmask} is no prefix: which clients share a template is not checked`)
    unreachable = `-M ${svc.netmask} may put several of the clients in one template`
    clients = book.clients(layout.frontSubnet, layout.frontBase, 32, count)
  } else if (persistent && prefix !== undefined && prefix <= layout.frontPrefix && prefix < 32) {
    // every address the lab gives the clients falls in one block: all of them share one template
    clients = book.clients(layout.frontSubnet, layout.frontBase, 32, Math.max(count, 3))
    sharing = { network: `${svc.netmask}`, clients }
    unreachable = `-M ${svc.netmask} puts every client of the lab's /${layout.frontPrefix} in one template`
    checks.push('netmask-shared')
  } else {
    clients = book.clients(layout.frontSubnet, layout.frontBase, prefix ?? 32, count)
    if (persistent && prefix !== undefined && prefix < 32) {
      const sibling = book.sibling(clients[0]!, prefix)
      if (sibling) {
        sharing = { network: svc.netmask!, clients: [clients[0]!, sibling] }
        clients = [...clients, sibling]
        checks.push('netmask-shared')
      }
    }
  }
  if (unreachable && spreads) notChecked.push(`that every server is reached: ${unreachable}`)
  const keep = (k: CheckKind) => !(k === 'reached' && unreachable)
  const rounds = persistent || HASHING_SOURCE.has(svc.scheduler) || BY_DESTINATION.has(svc.scheduler) ? 2 : svc.scheduler === 'wrr' ? 2 * cycle : 2 * Math.max(weighted.length, 1)
  return { ...base, targets: reach, clients, sharing, rounds, ...(heldRounds && { heldRounds }), checks: checks.filter(keep), notChecked }
}

function clientNode(services: PlannedService[], network: string, prefix: number, director: string): NodeSpec {
  const [first, ...more] = services.flatMap((s) => s.clients)
  if (!first) throw badInput('no service of the file can be sent traffic', 'run with --lint-only')
  return {
    name: 'client',
    role: 'client',
    interfaces: [{ network, address: first }],
    // VIPs outside the clients' network are reached through the director, as a router would send them
    defaultGateway: director,
    extraAddresses: more.map((address) => ({ on: network, address: `${address}/${prefix}` })),
  }
}
