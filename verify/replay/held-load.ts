import { verdict, type Verdict } from '../../checks/verdict'
import type { RealServer } from '../../lab/ipvs/types'
import type { PlannedServer } from './replay-plan'

/** Schedulers that choose by how many connections each server holds (ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c). */
export const LOAD_SCHEDULERS = new Set(['lc', 'wlc', 'sed', 'nq'])

/**
 * Each weighted server's share of `count` held connections: lc ignores weights (one each per
 * round of as many as there are servers); wlc, sed and nq give each its reduced weight per
 * round of sum(weights). Why whole rounds are exact whatever the order of the kernel's list:
 * a server is sent one more connection than its share only when it is the least loaded by
 * the rule, which needs every other server at its share already, so the round is complete.
 */
export function expectedShares(scheduler: string, servers: PlannedServer[], rounds: number): Map<string, number> {
  const weighted = servers.filter((s) => s.weight > 0)
  const reduced = reduce(weighted.map((s) => s.weight))
  return new Map(weighted.map((s, i) => [s.address, rounds * (scheduler === 'lc' ? 1 : reduced[i]!)]))
}

/** How many connections `rounds` whole rounds take. */
export function heldCount(scheduler: string, servers: PlannedServer[], rounds: number): number {
  return [...expectedShares(scheduler, servers, rounds).values()].reduce((a, b) => a + b, 0)
}

function reduce(weights: number[]): number[] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  const g = weights.reduce(gcd, 0) || 1
  return weights.map((w) => w / g)
}

/** What the held-connection observation saw: the service's servers in `-Ln` before and with them open, and how many opened. */
export interface HeldLoad {
  asked: number
  opened: number
  before: RealServer[]
  after: RealServer[]
}

/**
 * lc, wlc, sed, nq with held connections: opened one after another (each established before
 * the next, so the kernel counts it active when it schedules the next) and all kept open, they
 * end with each weighted server holding its share (expectedShares) in ActiveConn, and the
 * servers at weight 0 none. The starting state: no active connection on any server of the
 * service (the inactive ones of its short requests weigh 1/256 of an active one in lc's and
 * wlc's overhead, ip_vs_dest_conn_overhead, and sed and nq do not count them).
 */
export function heldLoadFollowsRule(scheduler: string, servers: PlannedServer[], rounds: number, held: HeldLoad): Verdict {
  const shares = expectedShares(scheduler, servers, rounds)
  const row = (rows: RealServer[], address: string) => rows.find((r) => r.address === address)
  const busy = held.before.filter((r) => r.activeConns > 0)
  const rule = scheduler === 'lc' ? 'the same number each, weights aside' : 'each its weight per round of sum(weights)'
  return verdict(`${scheduler}: ${held.asked} connections held one after another spread as the rule says (${rule})`, [
    busy.length > 0 && `starting state not met: ${busy.map((r) => `${r.address} held ${r.activeConns} active`).join(', ')} before the first one`,
    held.opened < held.asked && `only ${held.opened} of ${held.asked} connections could be opened`,
    ...servers.map((s) => {
      const want = shares.get(s.address) ?? 0
      const got = row(held.after, s.address)
      if (!got) return `${s.address} is not in the table`
      return got.activeConns !== want && `${s.address} (weight ${s.weight}) holds ${got.activeConns} active connections, the rule gives it ${want}`
    }),
  ])
}
