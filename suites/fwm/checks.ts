import type { IpvsConnection, IpvsTable } from '../../lab/ipvs/types'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * The article's listing of a persistent firewall-mark service: `FWM <mark> <scheduler>
 * persistent <timeout>`, every real server at port 0 (a mark has no port) and Route.
 */
export function markServiceListed(table: IpvsTable, expected: { mark: number; scheduler: string; persistent: number; realServers: string[] }): Verdict {
  const check = `FWM ${expected.mark} ${expected.scheduler} persistent ${expected.persistent}, real servers at port 0 with Route`
  const svc = table.services.find((s) => s.protocol === 'FWM' && s.fwmark === expected.mark)
  if (!svc) return verdict(check, [`no FWM ${expected.mark} service is listed (services: ${table.services.map((s) => s.fwmark ?? `${s.address}:${s.port}`).join(', ') || 'none'})`])
  return verdict(check, [
    svc.scheduler !== expected.scheduler && `the scheduler is ${svc.scheduler}`,
    svc.persistent === undefined
      ? 'the service is not persistent (no "persistent" in its line)'
      : svc.persistent !== expected.persistent && `persistent ${svc.persistent}, not ${expected.persistent}`,
    ...expected.realServers.map((rip) => {
      const rs = svc.realServers.find((r) => r.address === rip)
      if (!rs) return `${rip} is not listed`
      return (rs.port !== 0 && `${rip} is listed at port ${rs.port}, not 0`) || (rs.forward !== 'Route' && `${rip} is listed with ${rs.forward}, not Route`) || undefined
    }),
    svc.realServers.length !== expected.realServers.length && `${svc.realServers.length} real servers are listed, not ${expected.realServers.length}`,
  ])
}

/**
 * The kernel made connection entries from the clients to the VIP on each port. A request to
 * a port that no service takes reaches the director's own stack instead and leaves no entry.
 */
export function markServesPorts(entries: IpvsConnection[], vip: string, ports: number[], clients: string[]): Verdict {
  const connections = entries.filter((e) => !e.isTemplate && e.virtual.address === vip && clients.includes(e.source.address))
  return verdict(
    `IPVS holds connection entries for ${ports.map((p) => `${vip}:${p}`).join(' and ')} from the clients`,
    ports.map(
      (p) =>
        !connections.some((e) => e.virtual.port === p) &&
        `no connection entry from ${clients.join(' or ')} to ${vip}:${p} (entries to ports: ${[...new Set(connections.map((e) => e.virtual.port))].join(', ') || 'none'})`,
    ),
  )
}
