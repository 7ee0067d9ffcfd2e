import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one drop_packet run saw: UDP queries to a fresh service, each from a source port of its
 * own (so each a new connection to schedule), and which of them went unanswered.
 */
export interface DropRun {
  dropPacket: number
  amDroprate: number
  /** Per query in order: the server that answered, or undefined. */
  answers: (string | undefined)[]
}

/** The 0-based positions of the unanswered queries. */
export const dropped = (run: DropRun) => run.answers.flatMap((a, i) => (a === undefined ? [i] : []))

/**
 * 9, drop_packet=3. update_defense_level (net/netfilter/ipvs/ip_vs_ctl.c) sets the drop rate to
 * am_droprate; ip_vs_todrop (include/net/ip_vs.h) drops one scheduling attempt every rate
 * attempts (a counter, not a coin), and only the *_conn_schedule functions ask it: a new
 * connection's first packet is dropped before it reaches a real server, an existing entry's
 * packets never are. The document's "drop 1/rate packets" is so exact, not statistical: in
 * a quiet lab (the counter is the whole namespace's) n queries lose n/rate of them, rounded
 * either way by where the counter stood, each drop `rate` queries after the last. The
 * tolerance is that rounding (±1) and nothing else: an answer lost on a loaded guest would
 * break the period and fail the check, as it should, for it would not be the kernel's doing.
 */
export function dropsOneInRate(run: DropRun): Verdict {
  const d = dropped(run)
  const n = run.answers.length
  const expected = n / run.amDroprate
  const gaps = d.slice(1).map((p, i) => p - d[i]!)
  return verdict(`drop_packet=${run.dropPacket}, am_droprate=${run.amDroprate}: one new connection in ${run.amDroprate} is dropped before it reaches a real server`, [
    n < 2 * run.amDroprate && `only ${n} queries: too few to see the rate`,
    Math.abs(d.length - expected) > 1 && `${d.length} of ${n} queries dropped, expected ${expected.toFixed(1)} ± 1`,
    gaps.some((g) => g !== run.amDroprate) && `the drops are not ${run.amDroprate} queries apart (at ${d.map((p) => p + 1).join(', ')})`,
  ])
}

/** 9, drop_packet=0 (the default): the defense is off, no new connection is dropped. */
export function noneDropped(run: DropRun): Verdict {
  const d = dropped(run)
  return verdict(`drop_packet=${run.dropPacket}: no new connection is dropped`, [
    run.answers.length === 0 && 'no query was sent',
    d.length > 0 && `${d.length} of ${run.answers.length} queries went unanswered (at ${d.map((p) => p + 1).join(', ')})`,
  ])
}

export function describeDropRun(run: DropRun): string {
  const d = dropped(run)
  return [
    `drop_packet=${run.dropPacket}, am_droprate=${run.amDroprate}: ${run.answers.length} queries, each from a source port of its own`,
    `unanswered: ${d.length} (${d.map((p) => p + 1).join(', ') || 'none'})`,
    `answers: ${run.answers.map((a) => a ?? '-').join(' ')}`,
  ].join('\n')
}
