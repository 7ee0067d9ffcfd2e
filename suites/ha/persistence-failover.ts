import type { IpvsConnection } from '../../lab/ipvs'
import { parseIpvsConnections } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one persistence-across-failover run saw: a decoy client, then the persistent client,
 * each served once by the master (rr, so they land on different servers), the client's
 * template on both directors, and the client's requests after the failover.
 */
export interface PersistRun {
  syncDaemon: boolean
  client: string
  /** The client's server before the failover (the template's). */
  before?: string
  masterTemplate?: IpvsConnection
  backupTemplate?: IpvsConnection
  /** The servers of its requests after the failover. */
  after: (string | undefined)[]
  servers: { name: string; address: string }[]
}

/** The client's template of VIP:port (client port 0) in an -Lnc listing. */
export function templateOf(listing: string, { vip, port, client }: { vip: string; port: number; client: string }): IpvsConnection | undefined {
  return parseIpvsConnections(listing).find((e) => e.isTemplate && e.source.address === client && e.virtual.address === vip && e.virtual.port === port)
}

const named = (run: PersistRun, e?: IpvsConnection) => (e ? (run.servers.find((s) => s.address === e.destination.address)?.name ?? e.destination.address) : undefined)

/**
 * 5. Persistence across a failover. A template is synced with the connection it controls
 * (ip_vs_sync_conn sends cp->control too, ip_vs_sync.c), so the backup holds the client's
 * template naming its server, and ip_vs_sched_persist there finds it: every request of the
 * client after the failover lands on the server it had, not where the backup's own rr would put it.
 */
export function keepsItsServer(run: PersistRun): Verdict {
  return verdict(`a persistent client keeps its real server across the failover`, [
    !run.before && "the client's request before the failover was not answered",
    !run.masterTemplate && 'the master holds no template for the client',
    !run.backupTemplate && "the backup's -Lnc holds no template for the client before the failover",
    run.backupTemplate && named(run, run.backupTemplate) !== run.before && `the backup's template names ${named(run, run.backupTemplate)}, not ${run.before}`,
    run.after.length === 0 && 'no request after the failover',
    ...run.after.map((s, i) => s !== run.before && `request ${i + 1} after the failover went to ${s ?? 'nobody'}, not ${run.before}`),
  ])
}

export function describePersistRun(run: PersistRun): string {
  const t = (e?: IpvsConnection) => (e ? `to ${named(run, e)}, expires in ${e.expiresInSeconds} s` : 'none')
  return [
    `sync daemon ${run.syncDaemon ? 'on' : 'off'}; the persistent client ${run.client}, served by ${run.before ?? '(nobody)'} before the failover`,
    `its template on the master: ${t(run.masterTemplate)}; on the backup: ${t(run.backupTemplate)}`,
    `after the failover: ${run.after.map((s) => s ?? '-').join(' ')}`,
  ].join('\n')
}
