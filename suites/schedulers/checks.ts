import type { IpvsTable } from '../../lab/ipvs'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import type { HeldConnection } from '../../lab/tcp/held-connections'
import { answered, show, tally } from '../../checks/cycles'
import { verdict, type Verdict } from '../../checks/verdict'
import { nextServer, overhead, type LoadRule } from './load-rules'
import type { ServerLoad } from '../../fixtures/three-servers'

/** Every connection answered by the one expected server. */
export function allTo(served: (string | undefined)[], server: string, rule: string): Verdict {
  return verdict(rule, [served.length === 0 && 'no connections', served.some((s) => s !== server) && `answered by ${show(tally(served))}; expected all by ${server}`])
}

/** Held connections keep carrying data: each received more lines after the change than before it. */
export function heldContinue(before: HeldConnection[], after: HeldConnection[], rule: string): Verdict {
  return verdict(rule, [
    before.length === 0 && 'no held connections to follow',
    ...before.map((b) => {
      const a = after.find((x) => x.id === b.id)
      if (!a) return `held connection ${b.id} (${b.server ?? '-'}) is gone`
      return a.lines <= b.lines && `held connection ${b.id} to ${b.server ?? '-'} received nothing more (${b.lines} lines before, ${a.lines} after)`
    }),
  ])
}

/**
 * lc, wlc, sed, nq, ovf, fo with connections that stay open: each new connection went where
 * the rule sends it given the load at that moment (the -Ln counters before the first one,
 * plus the connections opened since).
 */
export function followsLoadRule(rule: LoadRule, initial: ServerLoad[], observed: (string | undefined)[]): Verdict {
  const state = initial.map((s) => ({ ...s }))
  const failures: string[] = []
  observed.forEach((server, i) => {
    const expected = nextServer(rule, state)
    if (server !== expected) {
      const loads = state.map((s) => `${s.name} w${s.weight} a${s.activeConns} i${s.inactiveConns} oh${overhead(s)}`).join('; ')
      failures.push(`connection ${i + 1} went to ${server ?? '(refused)'}; ${rule} sends it to ${expected ?? '(nobody: refused)'} [${loads}]`)
    }
    const chosen = state.find((s) => s.name === server)
    if (chosen) chosen.activeConns++
  })
  return verdict(`${rule}: each new connection goes where the rule sends it`, [observed.length === 0 && 'no connections', ...failures])
}

/** Requests from one client address all reach one server (sh, mh keyed on the source; dh, lblc on the destination). */
export function stickyPerKey(byKey: Map<string, HttpExchange[]>, rule: string): Verdict {
  return verdict(rule, [
    byKey.size === 0 && 'no requests',
    ...[...byKey].flatMap(([key, xs]) => [
      xs.length === 0 && `${key}: no responses`,
      xs.some((x) => !x.server) && `${key}: ${xs.filter((x) => !x.server).length} of ${xs.length} requests unanswered`,
      new Set(xs.map((x) => x.server)).size > 1 && `${key} reached ${show(tally(xs.map((x) => x.server)))}`,
    ]),
  ])
}

/** Different keys (client addresses, destinations, source ports) reach at least `min` different servers. */
export function spreads(servers: (string | undefined)[], min: number, rule: string): Verdict {
  const distinct = new Set(servers.filter((s) => s !== undefined))
  return verdict(rule, [distinct.size < min && `only ${distinct.size} server(s) reached (${show(tally(servers))}); expected at least ${min}`])
}

/** The map each key reached, for the evidence and for follow-up steps. */
export function serverOf(byKey: Map<string, HttpExchange[]>): Map<string, string | undefined> {
  return new Map([...byKey].map(([k, xs]) => [k, xs[0]?.server]))
}

/**
 * sh/mh with one server at weight 0: the keys that hashed to it are refused (without
 * fallback) or moved to another server (with it); every other key keeps its server.
 */
export function weightZeroOutcome(before: Map<string, string | undefined>, after: Map<string, HttpExchange[]>, zeroed: string, fallback: boolean, rule: string): Verdict {
  const failures: string[] = []
  const affected = [...before].filter(([, s]) => s === zeroed).map(([k]) => k)
  if (affected.length === 0) failures.push(`no client reached ${zeroed} before: nothing to observe`)
  for (const [key, xs] of after) {
    const was = before.get(key)
    for (const x of xs) {
      if (was === zeroed) {
        if (fallback && (!x.server || x.server === zeroed)) failures.push(`${key} (was ${zeroed}) got ${answered(x)}; with fallback it moves to another server`)
        if (!fallback && x.server) failures.push(`${key} (was ${zeroed}) was answered by ${x.server}; without fallback it is refused`)
      } else if (x.server !== was) failures.push(`${key} moved from ${was} to ${answered(x)} although its server kept its weight`)
    }
  }
  return verdict(rule, failures)
}

export interface ThresholdStep {
  /** What the upper-threshold server held (ActiveConn + InActConn) when the connection was opened. */
  loadBefore: number
  went?: string
}

/**
 * -x/-y: once the server holds `upper` connections it gets no new one, and it only takes new
 * ones again after it drops below `lower` (ip_vs_conn.c: the overload flag is set when a
 * connection is bound at >= upper, cleared when one is unbound at < lower).
 */
export function thresholdHysteresis(server: string, upper: number, lower: number, steps: ThresholdStep[]): Verdict {
  let overloaded = false
  const failures: string[] = []
  steps.forEach((step, i) => {
    if (step.loadBefore >= upper) overloaded = true
    if (step.loadBefore < lower) overloaded = false
    if (overloaded && step.went === server)
      failures.push(`step ${i + 1}: ${server} held ${step.loadBefore} (upper ${upper}, not yet below lower ${lower}) and still got the new connection`)
    if (!overloaded && step.went !== server)
      failures.push(`step ${i + 1}: ${server} held ${step.loadBefore} (below its thresholds) but the connection went to ${step.went ?? '(refused)'}`)
  })
  return verdict(`thresholds -x ${upper} -y ${lower}`, [steps.length === 0 && 'no steps', ...failures])
}

/**
 * twos: each new connection goes to the less loaded of two servers picked at random by
 * weight, so a server far busier than the others gets one only when both picks land on it
 * (probability pBoth). Over n requests it must get at most `bound`; the evidence states the
 * chance of crossing the bound by luck (a false failure).
 */
export function twoChoicesAvoidLoaded(served: (string | undefined)[], loaded: string, bound: number, rule: string): Verdict {
  const toLoaded = served.filter((s) => s === loaded).length
  return verdict(rule, [
    served.some((s) => s === undefined) && `${served.filter((s) => s === undefined).length} requests unanswered`,
    toLoaded > bound && `${loaded} (the loaded server) got ${toLoaded} of ${served.length} new connections; the bound is ${bound} (${show(tally(served))})`,
  ])
}

/** -Ln lists the (only) service with this scheduler: how the default of `-A` without `-s` shows. */
export function listedScheduler(table: IpvsTable, scheduler: string, rule: string): Verdict {
  const listed = table.services.map((s) => s.scheduler)
  return verdict(rule, [listed.length !== 1 && `${listed.length} services listed`, listed[0] !== scheduler && `listed as ${listed[0] ?? '(nothing)'}, not ${scheduler}`])
}
