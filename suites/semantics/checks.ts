import { parseIpvsConnections, type IpvsConnection, type RateCounters, type ServiceKey, type IpvsRateTable } from '../../lab/ipvs'
import type { HeldConnection } from '../../lab/tcp/held-connections'
import type { RuleCounter } from '../../lab/netfilter/rule-counters'
import { verdict, type Verdict } from '../../checks/verdict'
import { documentedKnobs, ipvsSysctlDocument, undocumentedKnobs, type DocumentedKnob, type UndocumentedKnob } from './ipvs-sysctl-doc'

/** `ls -1 /proc/sys/net/ipv4/vs/`: one knob a line. */
export function parseKnobListing(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z_0-9]+$/.test(l))
    .sort()
}

function lineAtLeast(kernelRelease: string, line: string): boolean {
  const [major = 0, minor = 0] = kernelRelease.split(/[.-]/).map(Number)
  const [wantMajor = 0, wantMinor = 0] = line.split('.').map(Number)
  return major > wantMajor || (major === wantMajor && minor >= wantMinor)
}

/** A verdict, plus the differences that are explained and so reported, not failed. */
export interface KnobsVerdict extends Verdict {
  findings: string[]
}

/**
 * 11. The knobs of /proc/sys/net/ipv4/vs/ are the documented ones. A documented knob that is
 * missing fails, unless the document itself makes it conditional on a build option
 * (`onlyWith`), it is newer than the kernel (`since`), or a later revision of the file added
 * it with its code (`addedLater`): those are findings. A knob present
 * that the document does not describe fails unless it is a known gap of the document
 * (undocumentedKnobs, with the code that registers it): then it is a finding too. So a list
 * with one knob removed or one added makes the check fail.
 */
export function knobsAsDocumented(
  present: string[],
  kernelRelease: string,
  documented: DocumentedKnob[] = documentedKnobs,
  undocumented: UndocumentedKnob[] = undocumentedKnobs,
): KnobsVerdict {
  const findings: string[] = []
  const failures: string[] = []
  const names = new Set(present)
  for (const d of documented) {
    if (names.has(d.name)) continue
    if (d.addedLater) findings.push(`${d.name}: absent; ${d.addedLater}: this kernel predates them`)
    else if (d.onlyWith) findings.push(`${d.name}: absent; the document makes it conditional on ${d.onlyWith}, which this kernel was built without`)
    else if (d.since && !lineAtLeast(kernelRelease, d.since.line)) findings.push(`${d.name}: absent; documented for Linux ${d.since.line} and later: ${d.since.why}`)
    else failures.push(`${d.name} is documented but missing on ${kernelRelease}`)
  }
  for (const p of present) {
    if (documented.some((d) => d.name === p)) continue
    const known = undocumented.find((u) => u.name === p)
    if (known) findings.push(`${p}: present but not in the document; registered by ${known.registeredBy}`)
    else failures.push(`${p} is present on ${kernelRelease} but neither in ${ipvsSysctlDocument} nor among the known undocumented knobs`)
  }
  return { ...verdict(`the knobs of /proc/sys/net/ipv4/vs/ are the documented ones`, [present.length === 0 && 'no knob listed: is ip_vs loaded?', ...failures]), findings }
}

/**
 * What one expire_nodest_conn run saw: a client holding a connection to a real server that is
 * deleted (`ipvsadm -d`) while the server keeps sending (a tick a second, which the client
 * acknowledges: those acknowledgements are the client's "further packets"), then re-added.
 */
export interface NodestRun {
  knob: number
  /** The held connection's entry in -Lnc before the -d; right after it; and after the wait. */
  before?: IpvsConnection
  rightAfter?: IpvsConnection
  after?: IpvsConnection
  waitedSeconds: number
  /** The client's end: at the -d and after the wait. */
  clientAtDelete?: HeldConnection
  clientAfter?: HeldConnection
  /** Bytes the real server sent the client that were never acknowledged, after the wait (undefined: no socket). */
  unackedAfter?: number
  /** After the server is re-added: the same, polled until 0, and the client's end then. */
  reAdded: { unacked?: number; seconds: number; client?: HeldConnection }
}

/**
 * The director's two readings of a run: `@@at <ns>`, -Lnc, `@@deleted`, -Lnc (before and right
 * after the -d, one round trip), then `@@at <ns>` and -Lnc after the wait. The held connection's
 * entry is the client's on VIP:port.
 */
export function readNodestListings(deleted: string, later: string, { port, client }: { port: number; client: string }) {
  const at = (s: string) => Number(/^@@at (\d+)$/m.exec(s)?.[1] ?? NaN)
  const entry = (text: string) => parseIpvsConnections(text.replace(/^@@at \d+\n/m, '')).find((e) => e.virtual.port === port && e.source.address === client && !e.isTemplate)
  const [beforeText = '', rightAfterText = ''] = deleted.split('@@deleted\n')
  return { before: entry(beforeText), rightAfter: entry(rightAfterText), after: entry(later), waitedSeconds: (at(later) - at(deleted)) / 1e9 }
}

const describeEntry = (e?: IpvsConnection) => (e ? `${e.state}, expires in ${e.expiresInSeconds} s, to ${e.destination.address}:${e.destination.port}` : 'not listed')

/**
 * 1, at 0 (the default). ip_vs_in (net/netfilter/ipvs/ip_vs_core.c): when an entry's
 * destination is no longer available (IP_VS_DEST_F_AVAILABLE cleared by the -d), "don't
 * restart its timer, and silently drop the packet" (NF_DROP, no ICMP, no reset). Only the
 * client's direction goes through that test: the server's retransmissions (ip_vs_out) are still
 * translated and keep the entry's timer going, but the client's acknowledgements never reach
 * the server, so what it sent stays unacknowledged and nothing new gets through.
 */
export function droppedSilently(run: NodestRun): Verdict {
  return verdict(`expire_nodest_conn=${run.knob}: the client's packets to a deleted server are dropped silently and the entry stays`, [
    !run.before && 'the held connection had no entry before the -d',
    !run.after && `the entry is gone ${run.waitedSeconds.toFixed(1)} s after the -d`,
    run.after && run.after.state !== 'ESTABLISHED' && `the entry is ${run.after.state}, not ESTABLISHED`,
    run.clientAfter?.open !== true && 'the client was told: its end of the connection is closed',
    (run.unackedAfter ?? 0) === 0 && `the server's data was acknowledged (Send-Q ${run.unackedAfter ?? 'no socket'}): the client's packets reached it`,
  ])
}

/**
 * 1, at 1. The document: "expire the connection immediately when a packet arrives and its
 * destination server is not available, then the client program will be notified". ip_vs_in
 * expires it (ip_vs_conn_expire_now), and since Linux 5.9 __ip_vs_del_dest (ip_vs_ctl.c) also
 * queues ip_vs_expire_nodest_conn_flush (ip_vs_conn.c), which expires every entry of a
 * deleted destination without waiting for a packet: the code does more than the text says.
 * The client's next packet then matches no entry, is not a SYN, and reaches the director's
 * own stack, which has no such socket and answers with a reset.
 */
export function expiredAtNextPacket(run: NodestRun): Verdict {
  return verdict(`expire_nodest_conn=${run.knob}: the entry of a deleted server is expired and the client learns the connection is gone`, [
    !run.before && 'the held connection had no entry before the -d',
    run.after && `the entry is still listed ${run.waitedSeconds.toFixed(1)} s after the -d (${describeEntry(run.after)})`,
    run.clientAfter?.open !== false && 'the client was not told: its end of the connection is still open',
  ])
}

/**
 * 1, the documented reason for 0: "the user-space monitoring program deletes the destination
 * server ... and add back the server later, and the connections to the server can continue".
 * The re-added server comes back from the trash (ip_vs_trash_get_dest) as the same
 * destination, available again, so the entry's packets pass: the server's data is
 * acknowledged at last, and the client, still open, receives what was held back.
 */
export function carriesOnWhenReAdded(run: NodestRun): Verdict {
  const { reAdded } = run
  return verdict(`expire_nodest_conn=${run.knob}: re-adding the deleted server lets the connection carry on`, [
    reAdded.unacked === undefined && "the real server's socket is gone",
    (reAdded.unacked ?? 0) > 0 && `${reAdded.unacked} bytes still unacknowledged ${reAdded.seconds.toFixed(1)} s after the re-add`,
    reAdded.client?.open !== true && "the client's end is closed",
    reAdded.client && run.clientAfter && reAdded.client.lines <= run.clientAfter.lines && `the client received nothing more after the re-add (${reAdded.client.lines} lines)`,
  ])
}

export function describeNodestRun(run: NodestRun): string {
  const held = (h?: HeldConnection) => (h ? `${h.lines} lines, ${h.open ? 'open' : 'closed'}` : '(not listed)')
  return [
    `expire_nodest_conn=${run.knob}`,
    `entry before -d: ${describeEntry(run.before)}`,
    `entry right after -d: ${describeEntry(run.rightAfter)}`,
    `entry ${run.waitedSeconds.toFixed(1)} s after -d: ${describeEntry(run.after)}`,
    `client at -d: ${held(run.clientAtDelete)}; after the wait: ${held(run.clientAfter)}`,
    `unacknowledged on the server after the wait: ${run.unackedAfter ?? '(no socket)'} bytes`,
    `after the re-add: ${run.reAdded.unacked ?? '(no socket)'} bytes unacknowledged after ${run.reAdded.seconds.toFixed(1)} s; client ${held(run.reAdded.client)}`,
  ].join('\n')
}

/** What flowed while `--rate` was read: requests sent and answered. */
export interface Traffic {
  sent: number
  answered: number
}

function serviceRate(rate: IpvsRateTable, key: ServiceKey): RateCounters | undefined {
  return rate.services.find((s) => s.protocol === key.protocol && s.address === key.address && s.port === key.port)?.counters
}

const showRate = (r: RateCounters) => `CPS ${r.cps}, InPPS ${r.inPps}, OutPPS ${r.outPps}, InBPS ${r.inBps}, OutBPS ${r.outBps}`

/**
 * 8, at 0. "If disabled, the estimation will be suspended": estimation_timer (ip_vs_est.c,
 * before 6.2) skips every estimator, and from 6.2 the estimation kthreads are stopped; the
 * rates of a fresh service stay 0 however much traffic flows.
 */
export function rateStaysZero(rate: IpvsRateTable, key: ServiceKey, traffic: Traffic): Verdict {
  const r = serviceRate(rate, key)
  return verdict('run_estimation=0: --rate stays 0 while traffic flows', [
    traffic.answered === 0 && `no traffic flowed (${traffic.sent} requests, none answered)`,
    !r && 'the service is not in --rate',
    r && [r.cps, r.inPps, r.outPps, r.inBps, r.outBps].some((v) => v !== 0) && `--rate shows ${showRate(r)} after ${traffic.answered} answered requests`,
  ])
}

/** 8, at 1 (the default): the estimator runs, and the rates of the service rise with its traffic. */
export function rateRises(rate: IpvsRateTable, key: ServiceKey, traffic: Traffic): Verdict {
  const r = serviceRate(rate, key)
  return verdict('run_estimation=1: --rate rises while traffic flows', [
    traffic.answered === 0 && `no traffic flowed (${traffic.sent} requests, none answered)`,
    !r && 'the service is not in --rate',
    r && (r.inPps === 0 || r.outPps === 0) && `--rate shows ${showRate(r)} after ${traffic.answered} answered requests`,
  ])
}

/**
 * What netfilter's connection tracking saw of a service's traffic, counted by two rules in
 * the director's mangle PREROUTING: `client` counts the client's packets to VIP:port that
 * conntrack found ESTABLISHED, `reply` the real servers' replies it matched, as ESTABLISHED,
 * to a tracked connection whose original destination is VIP:port.
 */
export interface ConntrackCounts {
  client?: RuleCounter
  reply?: RuleCounter
  requests: number
  answered: number
}

const counted = (c?: RuleCounter) => (c ? `${c.packets} packets` : 'no counting rule')

/**
 * 7, at 1. With it IPVS marks new entries IP_VS_CONN_F_NFCT (ip_vs_conn_new, ip_vs_conn.c)
 * and its transmitters hand the packet on with its conntrack entry, the reply tuple set to
 * the real server (ip_vs_update_conntrack, ip_vs_nfct.c): the connection is tracked, and
 * the server's replies belong to it.
 */
export function trackedByConntrack(c: ConntrackCounts): Verdict {
  return verdict('conntrack=1: IPVS connections appear in connection tracking', [
    c.answered < c.requests && `${c.answered} of ${c.requests} requests answered`,
    !((c.client?.packets ?? 0) > 0) && `the client's packets: ${counted(c.client)} seen ESTABLISHED`,
    !((c.reply?.packets ?? 0) > 0) && `the real servers' replies: ${counted(c.reply)} matched to the client's connection to the VIP`,
  ])
}

/**
 * 7, at 0 (the default). The transmitters call ip_vs_notrack (ip_vs_xmit.c), which drops the
 * packet's unconfirmed conntrack entry: no entry is ever confirmed, each later packet starts
 * a NEW one that is dropped again, and nothing is ESTABLISHED.
 */
export function notTracked(c: ConntrackCounts): Verdict {
  return verdict('conntrack=0: IPVS connections stay out of connection tracking', [
    c.answered < c.requests && `${c.answered} of ${c.requests} requests answered`,
    (c.client?.packets ?? 0) > 0 && `the client's packets: ${counted(c.client)} seen ESTABLISHED`,
    (c.reply?.packets ?? 0) > 0 && `the real servers' replies: ${counted(c.reply)} matched to the client's connection to the VIP`,
    (!c.client || !c.reply) && 'a counting rule is missing',
  ])
}

/** What one UDP expire_nodest_conn run saw: datagrams from one client port, its server deleted after the first. */
export interface UdpNodestRun {
  knob: number
  /** The udp timeout of the entry (`ipvsadm --set`), in seconds. */
  udpTimeout: number
  deletedServer: string
  /** The first datagram's answer (before the -d), stamped with the lab's clock. */
  first: { server?: string; at: number }
  deletedAt: number
  /** The entry in -Lnc right after the -d. */
  entryAfterDelete?: IpvsConnection
  /** The datagrams after the -d, from the same port, until one was answered. */
  attempts: { server?: string; at: number }[]
}

/** The director's reading right after the UDP -d: `@@at <µs>`, then -Lnc; the entry of the client's port. */
export function readUdpDeleted(deleted: string, { port, client, sourcePort }: { port: number; client: string; sourcePort: number }) {
  const deletedAt = Number(/^@@at (\d+)$/m.exec(deleted)?.[1] ?? NaN) / 1e6
  const entryAfterDelete = parseIpvsConnections(deleted.replace(/^@@at \d+\n/m, '')).find(
    (e) => e.protocol === 'UDP' && e.virtual.port === port && e.source.address === client && e.source.port === sourcePort,
  )
  return { deletedAt, entryAfterDelete }
}

export function describeUdpNodestRun(run: UdpNodestRun): string {
  const rel = (t: number) => `${(t - run.deletedAt).toFixed(1)} s`
  return [
    `expire_nodest_conn=${run.knob}, udp timeout ${run.udpTimeout} s`,
    `first datagram answered by ${run.first.server ?? '(nobody)'} ${rel(run.first.at)} from the -d of ${run.deletedServer}`,
    `entry right after the -d: ${describeEntry(run.entryAfterDelete)}`,
    ...run.attempts.map((a, i) => `datagram ${i + 2} (same port): ${a.server ? `answered by ${a.server}` : 'no answer within 3 s'}, ${rel(a.at)} after the -d`),
  ].join('\n')
}

/**
 * 1, UDP at 0. The same ip_vs_in test drops the entry's datagrams (NF_DROP, the timer not
 * restarted), so they go nowhere, not to the removed server, until the entry's udp timeout
 * runs out; the next datagram from that port makes a new entry on a live server.
 */
export function udpDroppedUntilExpiry(run: UdpNodestRun): Verdict {
  const answered = run.attempts.find((a) => a.server)
  const slack = 1
  return verdict(`expire_nodest_conn=${run.knob} (UDP): datagrams of a deleted server's entry are dropped until its udp timeout, then scheduled afresh`, [
    run.first.server !== run.deletedServer && `the first datagram was answered by ${run.first.server ?? 'nobody'}, not the server deleted next`,
    !run.entryAfterDelete && 'the entry is gone right after the -d',
    run.attempts[0]?.server !== undefined && `the first datagram after the -d was answered by ${run.attempts[0]?.server}`,
    !answered && `no datagram was answered in the ${run.attempts.length} sent after the -d`,
    answered?.server === run.deletedServer && `answered by the deleted server ${run.deletedServer}`,
    answered &&
      answered.at - run.first.at < run.udpTimeout - slack &&
      `answered ${(answered.at - run.first.at).toFixed(1)} s after the first exchange, before the ${run.udpTimeout} s udp timeout ran out`,
  ])
}

/** 1, UDP at 1: the entry of the deleted server is gone, and the very next datagram from the same port is answered by a live server. */
export function udpRescheduledAtOnce(run: UdpNodestRun): Verdict {
  const next = run.attempts[0]
  return verdict(`expire_nodest_conn=${run.knob} (UDP): the next datagram of a deleted server's entry goes to a live server at once`, [
    run.first.server !== run.deletedServer && `the first datagram was answered by ${run.first.server ?? 'nobody'}, not the server deleted next`,
    !next?.server && 'the first datagram after the -d was not answered',
    next?.server === run.deletedServer && `answered by the deleted server ${run.deletedServer}`,
  ])
}
