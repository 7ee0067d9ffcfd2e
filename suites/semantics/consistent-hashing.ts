import { parseIpvsConnections } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one hashing run saw: many client addresses connect once each to a service of four
 * equal real servers, one server is deleted, and each connects again; `-Lnc` tells where each
 * connection went (the round's fixed client port tells the rounds apart).
 */
export interface HashingRun {
  scheduler: string
  servers: string[]
  removed: string
  /** Client address -> the real server (address:port) of its connection, per round. */
  before: Map<string, string>
  after: Map<string, string>
}

/** The destinations of the entries from `sourcePort` to VIP:port, by client address. */
export function destinationsByClient(listing: string, { vip, port, sourcePort }: { vip: string; port: number; sourcePort: number }): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of parseIpvsConnections(listing)) {
    if (e.isTemplate || e.virtual.address !== vip || e.virtual.port !== port || e.source.port !== sourcePort) continue
    out.set(e.source.address, `${e.destination.address}:${e.destination.port}`)
  }
  return out
}

export interface HashingCounts {
  clients: number
  /** Clients in both rounds. */
  compared: number
  kept: number
  /** Clients of the removed server (they must move). */
  ofRemoved: number
  /** Clients of a server that stayed, and how many of them moved anyway. */
  ofStayed: number
  movedFromStayed: number
  /** Clients per server before the removal. */
  spread: Map<string, number>
  onRemovedAfter: number
}

export function hashingCounts(run: HashingRun): HashingCounts {
  let compared = 0
  let kept = 0
  let ofRemoved = 0
  let movedFromStayed = 0
  let onRemovedAfter = 0
  const spread = new Map(run.servers.map((s) => [s, 0]))
  for (const server of run.before.values()) spread.set(server, (spread.get(server) ?? 0) + 1)
  for (const [client, server] of run.before) {
    const now = run.after.get(client)
    if (now === undefined) continue
    compared++
    if (now === run.removed) onRemovedAfter++
    if (now === server) kept++
    if (server === run.removed) ofRemoved++
    else if (now !== server) movedFromStayed++
  }
  return { clients: run.before.size, compared, kept, ofRemoved, ofStayed: compared - ofRemoved, movedFromStayed, spread, onRemovedAfter }
}

const percent = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-')

function common(run: HashingRun, c: HashingCounts, minimumClients: number) {
  return [
    c.clients < minimumClients && `only ${c.clients} clients connected before the removal (at least ${minimumClients} are needed)`,
    c.compared < c.clients && `${c.clients - c.compared} clients have no connection after the removal`,
    [...c.spread].some(([, n]) => n === 0) && `a server had no client before the removal (${[...c.spread].map(([s, n]) => `${s} ${n}`).join(', ')})`,
    c.onRemovedAfter > 0 && `${c.onRemovedAfter} connections went to the removed ${run.removed} after its removal`,
  ]
}

/**
 * 10, mh. ip_vs_mh.c fills a 4093-slot lookup table (CONFIG_IP_VS_MH_TAB_INDEX 12) from each
 * server's own permutation of the slots (Maglev): removing one server repopulates the table,
 * but every other server's preferences are unchanged, so it keeps nearly all its slots and
 * only the removed server's clients (a quarter of four) move. At least 70% of the clients
 * keep their server (the ideal 75%); at most 2% of the clients of servers that stayed move.
 */
export function onlyRemovedServersClientsMove(run: HashingRun, minimumClients = 256): Verdict {
  const c = hashingCounts(run)
  return verdict(`${run.scheduler}: when one of four servers leaves, only its clients move`, [
    ...common(run, c, minimumClients),
    c.kept < 0.7 * c.compared && `${c.kept} of ${c.compared} clients (${percent(c.kept, c.compared)}) kept their server, fewer than 70%`,
    c.movedFromStayed > 0.02 * c.ofStayed &&
      `${c.movedFromStayed} of the ${c.ofStayed} clients of servers that stayed moved (${percent(c.movedFromStayed, c.ofStayed)}), more than 2%`,
  ])
}

/**
 * 10, sh. ip_vs_sh_reassign (ip_vs_sh.c) rebuilds its 256 buckets from scratch, dealing them
 * round-robin over the servers (Kconfig: "tiled by each destination"): with one of four gone,
 * bucket i goes to the i mod 3rd server instead of the i mod 4th, and about three clients in
 * four move, clients of servers that stayed among them. Most clients moving (over half) is
 * what the table says.
 */
export function mostClientsMove(run: HashingRun, minimumClients = 256): Verdict {
  const c = hashingCounts(run)
  return verdict(`${run.scheduler}: when one of four servers leaves, most clients move`, [
    ...common(run, c, minimumClients),
    c.kept >= 0.5 * c.compared && `${c.kept} of ${c.compared} clients (${percent(c.kept, c.compared)}) kept their server, not fewer than half`,
  ])
}

export function describeHashingRun(run: HashingRun): string {
  const c = hashingCounts(run)
  return [
    `${run.scheduler} over ${run.servers.join(', ')}; removed ${run.removed}`,
    `clients before: ${c.clients} (${[...c.spread].map(([s, n]) => `${s} ${n}`).join(', ')}); after: ${run.after.size}`,
    `kept their server: ${c.kept} of ${c.compared} (${percent(c.kept, c.compared)})`,
    `clients of the removed server: ${c.ofRemoved}; of servers that stayed: ${c.ofStayed}, of whom ${c.movedFromStayed} moved (${percent(c.movedFromStayed, c.ofStayed)})`,
  ].join('\n')
}

/** The per-client table for the report: client, server before, server after. */
export function hashingTable(run: HashingRun): string {
  return [...run.before].map(([client, server]) => `${client} ${server} -> ${run.after.get(client) ?? '(none)'}${run.after.get(client) === server ? '' : ' moved'}`).join('\n')
}
