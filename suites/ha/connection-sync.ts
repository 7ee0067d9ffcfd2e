import { parseIpvsConnections, type IpvsConnection } from '../../lab/ipvs'
import type { Frame } from '../../lab/capture/parse-tcpdump'
import type { HeldConnection } from '../../lab/tcp/held-connections'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one connection-sync run saw: N long-lived connections through the master (the server
 * writes a line a second, the client acknowledges each through the director), both
 * directors' entries for them before the failover, and the connections after it.
 */
export interface SyncRun {
  syncDaemon: boolean
  /** The service's scheduler on both directors, with its flags (`mh-port`). */
  scheduler: string
  held: number
  /** The backup's net.ipv4.vs.sloppy_tcp, read back before the failover. */
  backupSloppyTcp?: number
  /** The entries of VIP:port on each director before the failover. */
  masterEntries: IpvsConnection[]
  backupEntries: IpvsConnection[]
  /** The backup's entries of VIP:port after it took over, once the held connections were watched. */
  backupEntriesAfter: IpvsConnection[]
  /** The client's connections when the backup took over, and some seconds later. */
  atFailover: HeldConnection[]
  later: HeldConnection[]
  /** Seconds between those two readings. */
  watchedSeconds: number
}

/** The (non-template) entries of VIP:port from `client` in an `-Lnc` listing. */
export function serviceEntries(listing: string, { vip, port, client }: { vip: string; port: number; client: string }): IpvsConnection[] {
  return parseIpvsConnections(listing).filter((e) => !e.isTemplate && e.virtual.address === vip && e.virtual.port === port && e.source.address === client)
}

const key = (e: IpvsConnection) => `${e.source.address}:${e.source.port}`

/** Connections that kept flowing: open, and at least two more lines received while watched. */
export function survivors(run: SyncRun): HeldConnection[] {
  return run.later.filter((c) => {
    const before = run.atFailover.find((b) => b.id === c.id)
    return c.open === true && before !== undefined && c.lines >= before.lines + 2
  })
}

/**
 * 4. The backup knows the master's connections. The sync daemon (ip_vs_sync.c; started by
 * keepalived's lvs_sync_daemon, master on the master and backup on the backup) sends each
 * connection's state to the backup, which makes the same entry (ip_vs_proc_conn): in its
 * `-Lnc`, every connection of the master's, the same client address and port, the same real
 * server, ESTABLISHED.
 */
export function backupHasTheConnections(run: SyncRun): Verdict {
  const backup = new Map(run.backupEntries.map((e) => [key(e), e]))
  return verdict(`the backup's -Lnc lists every connection of the master's, with its real server and state`, [
    run.masterEntries.length < run.held && `the master lists ${run.masterEntries.length} of the ${run.held} held connections`,
    ...run.masterEntries.map((m) => {
      const b = backup.get(key(m))
      if (!b) return `${key(m)} (to ${m.destination.address}) is not in the backup's -Lnc`
      if (b.destination.address !== m.destination.address || b.destination.port !== m.destination.port)
        return `${key(m)} goes to ${b.destination.address} on the backup, ${m.destination.address} on the master`
      return b.state !== 'ESTABLISHED' && `${key(m)} is ${b.state} on the backup`
    }),
  ])
}

/** 4, after the failover: with the entries synced, the backup forwards each connection's packets to its real server, and every one keeps flowing. */
export function connectionsSurvive(run: SyncRun): Verdict {
  return verdict(`every held connection keeps flowing to its real server after the failover`, survivalReasons(run))
}

function survivalReasons(run: SyncRun): (string | false | undefined)[] {
  const alive = new Set(survivors(run).map((c) => c.id))
  const lost = run.later.filter((c) => !alive.has(c.id))
  // name the first few lost ones, so that a red cell says which connection did what
  const named =
    lost
      .slice(0, 3)
      .map((c) => describeHeld(c, run))
      .join('; ') + (lost.length > 3 ? '; …' : '')
  return [
    run.atFailover.length < run.held && `only ${run.atFailover.length} of ${run.held} connections were held at the failover`,
    alive.size < run.held &&
      `${run.held - alive.size} of ${run.held} connections broke or stalled in the ${run.watchedSeconds.toFixed(1)} s after the failover${named && `: ${named}`}`,
  ]
}

/**
 * 4, the third case: no sync daemon, mh on both directors (with mh-port, so that one client's
 * connections spread over the servers by their ports) and sloppy_tcp=1 on the backup. The
 * backup has no entry for a held connection when it takes over; the client's next ack is
 * scheduled all the same (tcp_conn_schedule, net/netfilter/ipvs/ip_vs_proto_tcp.c: with
 * sloppy_tcp any segment but a reset is), and mh picks the server from a lookup table both
 * directors build alike (ip_vs_mh.c: the hash keys are constants, generate_hash_secret, and the
 * table depends only on the servers, their weights and their order), so the backup's new entry
 * names the master's server and the connection carries on. Both directors of the lab share one
 * kernel: a key drawn once per module load would pass here too; the constants are what make it
 * hold across machines. At sloppy_tcp=0 the ack finds no entry and is not scheduled: the
 * backup's own stack resets it.
 */
export function survivesByHashing(run: SyncRun): Verdict {
  const after = new Map(run.backupEntriesAfter.map((e) => [key(e), e]))
  return verdict(
    `sloppy_tcp=${run.backupSloppyTcp ?? '?'} on the backup, no sync daemon, ${run.scheduler} on both: the backup schedules each held connection to the master's server, and every one keeps flowing`,
    [
      run.syncDaemon && 'the sync daemon ran: the survival would not be the scheduler’s',
      run.backupEntries.length > 0 && `the backup listed ${run.backupEntries.length} entries before the failover: with no sync daemon it should know none`,
      run.masterEntries.length < run.held && `the master lists ${run.masterEntries.length} of the ${run.held} held connections`,
      ...run.masterEntries.map((m) => {
        const b = after.get(key(m))
        if (!b) return `${key(m)} (to ${m.destination.address} on the master) has no entry on the backup after it took over`
        return b.destination.address !== m.destination.address && `${key(m)} went to ${b.destination.address} on the backup, ${m.destination.address} on the master`
      }),
      ...survivalReasons(run),
    ],
  )
}

function describeHeld(c: HeldConnection, run: SyncRun): string {
  const before = run.atFailover.find((x) => x.id === c.id)
  return `connection ${c.id} to ${c.server ?? '?'}: ${before?.lines ?? '?'} lines at the failover, ${c.lines} later, ${c.open === undefined ? 'state unknown' : c.open ? 'open' : 'closed'}`
}

/** How many entries go to each real server: `172.16.100.101: 6, 172.16.100.102: 4`. */
function spread(entries: IpvsConnection[]): string {
  const counts = new Map<string, number>()
  for (const e of entries) counts.set(e.destination.address, (counts.get(e.destination.address) ?? 0) + 1)
  return [...counts].map(([a, n]) => `${a}: ${n}`).join(', ') || 'none'
}

export function describeSyncRun(run: SyncRun): string {
  const alive = survivors(run)
  return [
    `${run.held} held connections, ${run.scheduler} on both directors, sync daemon ${run.syncDaemon ? 'on (keepalived lvs_sync_daemon)' : 'off'}, sloppy_tcp=${run.backupSloppyTcp ?? '?'} on the backup`,
    `before the failover: the master lists ${run.masterEntries.length} (${spread(run.masterEntries)}), the backup ${run.backupEntries.length} (${[...new Set(run.backupEntries.map((e) => e.state))].join(', ') || 'none'})`,
    `after it the backup lists ${run.backupEntriesAfter.length} (${spread(run.backupEntriesAfter)})`,
    `after it: ${alive.length} of ${run.held} kept flowing over ${run.watchedSeconds.toFixed(1)} s; lost ${run.held - alive.length}`,
    ...run.later.map((c) => `  ${describeHeld(c, run)}`),
  ].join('\n')
}

/**
 * The starting state a failover observation needs: every held connection still open and
 * carrying lines since it was opened. One that had stopped before the move is no evidence
 * about the move; the line names it and what the client saw. Undefined when all flow.
 */
export function notFlowingBeforeFailover(opened: HeldConnection[], beforeFailover: HeldConnection[]): string | undefined {
  const stopped = stoppedBeforeFailover(opened, beforeFailover)
  if (stopped.length === 0) return undefined
  const what = stopped.map((c) => `connection ${c.id} to ${c.server ?? 'no server'} (${c.lines} lines, ${c.open ? 'open' : 'closed'})`).join(', ')
  return `starting state not met: ${stopped.length} of ${beforeFailover.length} held connections had stopped before the failover: ${what}`
}

/** The held connections that were closed, or had carried no line since they were opened, right before the failover. */
export function stoppedBeforeFailover(opened: HeldConnection[], beforeFailover: HeldConnection[]): HeldConnection[] {
  return beforeFailover.filter((c) => {
    const atOpen = opened.find((o) => o.id === c.id)
    return atOpen !== undefined && (!c.open || c.lines <= atOpen.lines)
  })
}

/** One held connection's frames in a client-side capture of VIP:port, found by its client port. */
export interface HeldTrace {
  clientPort: number
  frames: Frame[]
}

/**
 * The client's capture of VIP:port cut into its connections, in the order their SYNs left: the
 * order the client opened them in (each waits for its server's first line before the next).
 * The capture names no connection id; that order is what ties a trace to one.
 */
export function heldTraces(frames: Frame[], { vip, port }: { vip: string; port: number }): HeldTrace[] {
  const traces = new Map<number, Frame[]>()
  for (const f of frames) {
    const ip = f.ip
    if (!ip) continue
    const clientPort = ip.dst.address === vip && ip.dst.port === port ? ip.src.port : ip.src.address === vip && ip.src.port === port ? ip.dst.port : undefined
    if (clientPort === undefined) continue
    // a connection starts at its first SYN; frames of a port seen before (an earlier use) are not its
    if (!traces.has(clientPort) && ip.tcpFlags !== 'S') continue
    const trace = traces.get(clientPort)
    if (trace) trace.push(f)
    else traces.set(clientPort, [f])
  }
  return [...traces].map(([clientPort, fs]) => ({ clientPort, frames: fs }))
}

/**
 * What the client's capture shows of the connections that stopped: per connection its client
 * port, how many frames each way, who sent a FIN or a reset (the VIP's side by its MAC: a real
 * server or a director), and its last frames.
 */
export function describeStoppedTraces(traces: HeldTrace[], opened: HeldConnection[], stoppedIds: number[], { vip, last = 8 }: { vip: string; last?: number }): string {
  return stoppedIds
    .map((id) => {
      const trace = traces[opened.findIndex((c) => c.id === id)]
      if (!trace) return `connection ${id}: not in the capture (${traces.length} connections there, ${opened.length} opened)`
      const fromServer = trace.frames.filter((f) => f.ip!.src.address === vip)
      const endings = trace.frames
        .filter((f) => /[FR]/.test(f.ip!.tcpFlags ?? ''))
        .map((f) => `${f.ip!.src.address === vip ? 'VIP' : 'client'} ${f.ip!.tcpFlags} (from ${f.srcMac})`)
      return [
        `connection ${id} (client port ${trace.clientPort}): ${trace.frames.length - fromServer.length} frames from the client, ${fromServer.length} from the server; ${endings.length ? `ended by ${endings.join(', ')}` : 'no FIN or reset'}; its last ${Math.min(last, trace.frames.length)} frames:`,
        ...trace.frames.slice(-last).map((f) => `  ${f.line}`),
      ].join('\n')
    })
    .join('\n')
}
