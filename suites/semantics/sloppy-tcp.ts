import { parseIpvsConnections, type IpvsConnection } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one sloppy_tcp run saw: a client's connection through the VIP (an echo endpoint, one
 * real server), left idle until its entry expired (tcp timeout 3 s by `--set`), then a
 * segment of data from the client with no entry for it.
 */
export interface SloppyRun {
  knob: number
  /** The echo of the line sent while the entry existed. */
  firstEcho?: string
  entryBefore?: IpvsConnection
  /** Seconds until the idle connection's entry was gone (undefined: it never went). */
  entryGoneAfter?: number
  /** The echo of the line sent after that, and whether the client's end was reset. */
  secondEcho?: string
  reset: boolean
  /** The client's entry after the mid-stream segment. */
  entryAfter?: IpvsConnection
}

/** The client's entry (not a template) on VIP:port in an `-Lnc` listing. */
export function clientEntry(listing: string, { port, client }: { port: number; client: string }): IpvsConnection | undefined {
  return parseIpvsConnections(listing).find((e) => !e.isTemplate && e.virtual.port === port && e.source.address === client)
}

const describeEntry = (e?: IpvsConnection) => (e ? `${e.state} to ${e.destination.address}:${e.destination.port}, expires in ${e.expiresInSeconds} s` : 'none')

const started = (run: SloppyRun) => [
  !run.firstEcho && 'the line sent while the entry existed was not echoed',
  !run.entryBefore && 'the connection had no entry while it was open',
  run.entryGoneAfter === undefined && 'the idle connection’s entry never expired, so no segment arrived without one',
]

/**
 * 4, at 0 (the default). tcp_conn_schedule (net/netfilter/ipvs/ip_vs_proto_tcp.c): a segment
 * with no entry is scheduled only if it carries SYN (`th->rst || !(sloppy_tcp || th->syn)`:
 * accept, no entry); the data goes up the director's own stack, where the VIP is local and no
 * socket has the port: a reset. ipvs-sysctl.rst has no entry for sloppy_tcp (it is named only
 * under sync_persist_mode), so the code is the specification.
 */
export function noEntryWithoutSyn(run: SloppyRun): Verdict {
  return verdict(`sloppy_tcp=${run.knob}: a mid-stream segment with no entry creates none, and the connection is lost`, [
    ...started(run),
    run.entryAfter && `the segment created an entry (${describeEntry(run.entryAfter)})`,
    run.secondEcho !== undefined && `the line sent after the entry expired was echoed (${run.secondEcho})`,
  ])
}

/**
 * 4, at 1. Any segment but a reset is scheduled: the entry is made from the data segment
 * (state ESTABLISHED from NONE on an ack, set_tcp_state), to the service's one real server,
 * whose socket is still there, so the echo comes back.
 */
export function entryFromMidStream(run: SloppyRun): Verdict {
  return verdict(`sloppy_tcp=${run.knob}: a mid-stream segment with no entry creates one, and the connection carries on`, [
    ...started(run),
    !run.entryAfter && 'the segment created no entry',
    run.entryAfter && run.entryAfter.state !== 'ESTABLISHED' && `the new entry is ${run.entryAfter.state}, not ESTABLISHED`,
    run.secondEcho === undefined && `the line sent after the entry expired was not echoed${run.reset ? ' (the connection was reset)' : ''}`,
  ])
}

export function describeSloppyRun(run: SloppyRun): string {
  return [
    `sloppy_tcp=${run.knob}`,
    `first line echoed: ${run.firstEcho ?? '(no)'}; entry then: ${describeEntry(run.entryBefore)}`,
    `entry gone after: ${run.entryGoneAfter === undefined ? '(never)' : `${run.entryGoneAfter.toFixed(1)} s`}`,
    `second line echoed: ${run.secondEcho ?? '(no)'}${run.reset ? '; the connection was reset' : ''}`,
    `entry after the second line: ${describeEntry(run.entryAfter)}`,
  ].join('\n')
}
