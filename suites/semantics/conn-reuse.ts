import type { IpvsConnection } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one conn_reuse_mode run saw: a client's connection from a fixed source port, closed by
 * the server (so the director's entry waits in TIME_WAIT, NAT, or FIN_WAIT, DR), the server
 * then set to weight 0, and a new connection from the same port while the old entry is there.
 */
export interface ReuseRun {
  knob: number
  mode: 'nat' | 'dr'
  sourcePort: number
  firstServer?: string
  /** The old entry right before the reuse: its state is what the knob decides on. */
  oldEntry?: IpvsConnection
  secondServer?: string
  /** curl's time_connect of the reusing connection, in seconds. */
  reuseConnectSeconds?: number
  entryAfter?: IpvsConnection
}

/** The state the old entry has to be in for the knob to apply, per forwarding method. */
export const reuseState = { nat: 'TIME_WAIT', dr: 'FIN_WAIT' } as const

/** A dropped first SYN costs the client its initial retransmission timeout, 1 s. */
const retransmission = 0.9

const precondition = (run: ReuseRun) => [
  !run.firstServer && 'the first connection was not answered',
  !run.oldEntry && `the first connection left no entry from port ${run.sourcePort} before the reuse`,
  run.oldEntry && run.oldEntry.state !== reuseState[run.mode] && `the old entry was ${run.oldEntry.state}, not ${reuseState[run.mode]}`,
  !run.secondServer && 'the reusing connection was not answered',
]

/**
 * 3, conn_reuse_mode 0 (and 1 for a DR FIN_WAIT entry). ip_vs_in_hook (ip_vs_in before 5.16;
 * net/netfilter/ipvs/ip_vs_core.c) reschedules a SYN that finds an entry only when
 * is_new_conn_expected says so: never at 0; at any other value for TIME_WAIT and CLOSE; for
 * FIN_WAIT only with bit 2 and an entry that sees no output (DR, TUN). Otherwise the SYN
 * takes the old entry (TIME_WAIT or FIN_WAIT to SYN_RECV) to the old server, weight 0 or not.
 */
export function followsOldEntry(run: ReuseRun): Verdict {
  return verdict(`conn_reuse_mode=${run.knob} (${run.mode.toUpperCase()}): a connection reusing a port in ${reuseState[run.mode]} goes to the old entry's server, at weight 0`, [
    ...precondition(run),
    run.secondServer && run.secondServer !== run.firstServer && `the reusing connection went to ${run.secondServer}, not the old entry's ${run.firstServer}`,
  ])
}

/**
 * 3, conn_reuse_mode 1 (NAT TIME_WAIT) or 2 (also DR FIN_WAIT). The old entry is expired at
 * once (ip_vs_conn_expire_now) and the SYN scheduled afresh, so the weight-0 server gets
 * nothing. The SYN is dropped (the client retransmits after 1 s) only when it carries a
 * confirmed conntrack entry (ip_vs_conn_uses_old_conntrack, since 5.9), which conntrack=0,
 * the default, never leaves: a reuse that costs a second is a finding.
 */
export function rescheduledOnReuse(run: ReuseRun): Verdict {
  return verdict(`conn_reuse_mode=${run.knob} (${run.mode.toUpperCase()}): a connection reusing a port in ${reuseState[run.mode]} is scheduled afresh, without a second's stall`, [
    ...precondition(run),
    run.secondServer && run.secondServer === run.firstServer && `the reusing connection went to the old entry's ${run.firstServer} at weight 0`,
    (run.reuseConnectSeconds ?? 0) >= retransmission && `its connect took ${run.reuseConnectSeconds?.toFixed(2)} s: the first SYN was dropped`,
  ])
}

export function describeReuseRun(run: ReuseRun): string {
  const e = (x?: IpvsConnection) => (x ? `${x.state} to ${x.destination.address}:${x.destination.port}, expires in ${x.expiresInSeconds} s` : 'none')
  return [
    `conn_reuse_mode=${run.knob}, ${run.mode.toUpperCase()}, client port ${run.sourcePort}`,
    `first connection answered by ${run.firstServer ?? '(nobody)'}, which was then set to weight 0`,
    `the old entry right before the reuse: ${e(run.oldEntry)}`,
    `the reusing connection answered by ${run.secondServer ?? '(nobody)'}, connect ${run.reuseConnectSeconds?.toFixed(3) ?? '?'} s`,
    `its entry: ${e(run.entryAfter)}`,
  ].join('\n')
}
