import type { ArpingReply } from '../../lab/capture/parse-arping'
import type { Frame } from '../../lab/capture/parse-tcpdump'
import { verdict, type Verdict } from '../../checks/verdict'

/** A director as read: the VIP on it or not, its keepalived's last VRRP state. */
export interface DirectorState {
  name: string
  mac: string
  holdsVip: boolean
  state?: string
}

/** What one-master reads: both directors, and who answered the client's ARP for the VIP. */
export interface PairReading {
  directors: DirectorState[]
  arp: ArpingReply[]
}

const holders = (r: PairReading) => r.directors.filter((d) => d.holdsVip)

/**
 * 1. One master. VRRP (RFC 5798; keepalived's vrrp/vrrp.c) elects one master per virtual
 * router: the backup hears its adverts and keeps the VIP off, so exactly one director holds
 * the VIP, its keepalived says MASTER, the other BACKUP, and exactly one MAC, the holder's,
 * answers the client's ARP for it.
 */
export function oneMaster(r: PairReading): Verdict {
  const h = holders(r)
  const macs = [...new Set(r.arp.map((a) => a.mac))]
  return verdict('exactly one director holds the VIP and answers ARP for it', [
    h.length !== 1 && `${h.length} directors hold the VIP${h.length ? ` (${h.map((d) => d.name).join(', ')})` : ''}`,
    ...r.directors.map((d) => d.holdsVip && d.state !== 'MASTER' && `${d.name} holds the VIP in state ${d.state ?? '(none)'}`),
    ...r.directors.map((d) => !d.holdsVip && d.state !== 'BACKUP' && `${d.name} is ${d.state ?? '(no state)'} without the VIP, not BACKUP`),
    macs.length !== 1 && `${macs.length} MACs answered ARP for the VIP (${macs.join(', ') || 'none'})`,
    macs.length === 1 && h.length === 1 && macs[0] !== h[0]!.mac && `ARP was answered by ${macs[0]}, not the holder ${h[0]!.name}'s ${h[0]!.mac}`,
  ])
}

/** What a failover (or failback) run saw, on the lab's clock (seconds). */
export interface MoveRun {
  /** Why the old master stopped being one: `keepalived stopped`, `paused`, `keepalived started` (failback). */
  event: string
  at: number
  from: DirectorState
  /** The director that should hold the VIP afterwards, read afterwards. */
  to: DirectorState
  /** The other one afterwards, when it could be read (not while paused). */
  other?: DirectorState
  /** The client's probes over the move (a new connection each). */
  probes: { sentAt: number; endedAt: number; server?: string }[]
  /** ARP frames at the client during the move. */
  arpFrames: Frame[]
  /** The client's neighbour entry for the VIP afterwards: its MAC. */
  neighbourMac?: string
  vip: string
  /** The bound for the move: 3 x advert_int + skew (the backup's master-down interval), plus the tolerance. */
  boundSeconds: number
  toleranceSeconds: number
}

/** The first probe sent after the event that was answered, and its end: when the VIP worked again. */
export function firstAnsweredAfter(run: MoveRun) {
  return run.probes.find((p) => p.sentAt >= run.at && p.server !== undefined)
}

/** Gratuitous ARP for the VIP from the new holder's MAC: a request or reply that speaks for the VIP. */
export function gratuitousFrom(run: MoveRun, mac: string): Frame[] {
  return run.arpFrames.filter((f) => f.srcMac === mac && f.arp?.senderIp === run.vip)
}

/** tcpdump's time of day (HH:MM:SS.micro, the lab's clock in UTC) as seconds since midnight. */
export function secondsOfDay(time: string): number {
  const [h = 0, m = 0, sec = 0] = time.split(':').map(Number)
  return h * 3600 + m * 60 + sec
}

/** Seconds from the event to the new holder's first gratuitous ARP after it: when the VIP moved. */
export function takeoverSeconds(run: MoveRun): number | undefined {
  const at = run.at % 86400
  // across midnight the time of day starts again: a difference is taken within half a day either way
  const t = gratuitousFrom(run, run.to.mac)
    .map((f) => ((secondsOfDay(f.time) - at + 86400 + 43200) % 86400) - 43200)
    .filter((d) => d >= 0)
  return t.length ? Math.min(...t) : undefined
}

/** What a move's figures report (seconds from the event, on the lab's clock). */
export interface MoveTimes {
  /** To the new holder's first gratuitous ARP. */
  takeover?: number
  /** To the end of the first new connection sent after that ARP and answered: the VIP working through the new holder. */
  answeredThrough?: number
  /** New connections sent after the event and not answered, of how many. */
  unanswered: number
  probes: number
}

/**
 * The failover's times. A new connection answered before the takeover need not be the new
 * holder's: a paused master's kernel still forwards, a failback's backup still serves, so
 * the service time counts from the takeover's first gratuitous ARP.
 */
export function moveTimes(run: MoveRun): MoveTimes {
  const takeover = takeoverSeconds(run)
  const after = run.probes.filter((p) => p.sentAt >= run.at)
  const through = takeover === undefined ? undefined : after.find((p) => p.sentAt >= run.at + takeover && p.server !== undefined)
  return { takeover, answeredThrough: through && through.endedAt - run.at, unanswered: after.filter((p) => !p.server).length, probes: after.length }
}

/**
 * 2. Failover and failback. The backup takes the VIP when the master's adverts stop: at once
 * (after its skew time) when the master says priority 0 on a clean stop, after the
 * master-down interval (3 x advert_int + skew) when it just goes silent (paused); it sends
 * gratuitous ARP (vrrp_send_link_update), so the client's neighbour entry moves to its MAC, and
 * new connections are answered through it. Preemption gives the VIP back to the higher
 * priority when it returns. The time from the event to the first answered new connection is
 * bounded by the master-down interval plus the stated tolerance for the emulated lab.
 */
export function movedTo(run: MoveRun): Verdict {
  const first = firstAnsweredAfter(run)
  const answered = first ? first.endedAt - run.at : undefined
  const moved = takeoverSeconds(run)
  const limit = run.boundSeconds + run.toleranceSeconds
  return verdict(
    `after the master ${run.event}, ${run.to.name} takes the VIP within ${run.boundSeconds.toFixed(2)} s + ${run.toleranceSeconds} s, the client's neighbour entry follows, and new connections are answered`,
    [
      !run.to.holdsVip && `${run.to.name} does not hold the VIP`,
      run.to.state !== 'MASTER' && `${run.to.name} is ${run.to.state ?? '(no state)'}, not MASTER`,
      run.other?.holdsVip && `${run.other.name} still holds the VIP`,
      moved === undefined && `the client saw no gratuitous ARP for the VIP from ${run.to.name} (${run.to.mac}) after the event`,
      moved !== undefined && moved > limit && `${run.to.name}'s first gratuitous ARP came ${moved.toFixed(2)} s after the event`,
      run.neighbourMac !== run.to.mac && `the client's neighbour entry for the VIP is ${run.neighbourMac ?? '(none)'}, not ${run.to.name}'s ${run.to.mac}`,
      !first && `no new connection was answered after the master ${run.event} (${run.probes.filter((p) => p.sentAt >= run.at).length} probes)`,
      answered !== undefined && answered > limit && `the first answered connection ended ${answered.toFixed(2)} s after the event`,
    ],
  )
}

export function describeMoveRun(run: MoveRun): string {
  const first = firstAnsweredAfter(run)
  const after = run.probes.filter((p) => p.sentAt >= run.at)
  return [
    `event: the master ${run.event}, at ${run.at.toFixed(3)} (the lab's clock)`,
    `${run.to.name}: ${run.to.holdsVip ? 'holds' : 'does not hold'} the VIP, ${run.to.state ?? '(no state)'}; ${run.other ? `${run.other.name}: ${run.other.holdsVip ? 'holds' : 'does not hold'} the VIP, ${run.other.state ?? '(no state)'}` : 'the other could not be read (paused)'}`,
    `${run.to.name}'s first gratuitous ARP after it: ${((t) => (t === undefined ? 'none' : `+${t.toFixed(2)} s`))(takeoverSeconds(run))}`,
    `first answered new connection after it: ${first ? `sent +${(first.sentAt - run.at).toFixed(2)} s, answered by ${first.server} at +${(first.endedAt - run.at).toFixed(2)} s` : 'none'}`,
    `probes after the event: ${after.length}, unanswered ${after.filter((p) => !p.server).length}`,
    `gratuitous ARP from ${run.to.name}: ${gratuitousFrom(run, run.to.mac).length} frames`,
    ...gratuitousFrom(run, run.to.mac).map((f) => `  ${f.line}`),
    `the client's neighbour entry for the VIP: ${run.neighbourMac ?? '(none)'}`,
    `bound: ${run.boundSeconds.toFixed(2)} s (3 x advert_int + skew) + ${run.toleranceSeconds} s tolerance`,
  ].join('\n')
}
