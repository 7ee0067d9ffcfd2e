import type { IpvsTable } from '../lab/ipvs'
import type { HttpExchange } from '../lab/http/curl-transfers'
import { verdict, type Verdict } from './verdict'

/** 1. `ipvsadm -Ln` lists the article's service: TCP VIP:80 rr, every real server with the mode's forwarding (Masq for NAT), weight 1. */
export function serviceIsListed(table: IpvsTable, vip: string, realServers: string[], forward: 'Masq' | 'Route' | 'Tunnel' = 'Masq', port = 80): Verdict {
  const svc = table.services.find((s) => s.protocol === 'TCP' && s.address === vip && s.port === port)
  if (!svc) return verdict('TCP service listed', [`no TCP ${vip}:${port} in the table (${table.services.length} services)`])
  return verdict('TCP service listed', [
    svc.scheduler !== 'rr' && `scheduler is ${svc.scheduler}, not rr`,
    svc.realServers.length !== realServers.length && `${svc.realServers.length} real servers, expected ${realServers.length}`,
    ...realServers.map((rip) => {
      const rs = svc.realServers.find((r) => r.address === rip)
      if (!rs) return `${rip} is not a real server of the service`
      if (rs.forward !== forward) return `${rip} forwards as ${rs.forward}, not ${forward}`
      if (rs.weight !== 1) return `${rip} has weight ${rs.weight}, not 1`
      return undefined
    }),
  ])
}

/**
 * 2. rr: every request answered by a real server's own page, in the kernel's destination
 * order (`ipvsadm -Ln --nosort`, newest first), cycled: rr walks that list (ip_vs_rr.c).
 */
export function roundRobin(exchanges: HttpExchange[], listedOrder: string[], requests: number): Verdict {
  const seen = exchanges.map((x) => x.server ?? `(no answer: curl exit ${x.curlExit}, HTTP ${x.status})`)
  const expected = Array.from({ length: requests }, (_, i) => listedOrder[i % listedOrder.length])
  return verdict('rr alternation', [
    exchanges.length !== requests && `${exchanges.length} responses to ${requests} requests`,
    ...exchanges.map((x) => x.status !== 200 && `request ${x.index + 1} got HTTP ${x.status} (curl exit ${x.curlExit})`),
    seen.join(',') !== expected.join(',') && `sequence ${seen.join(', ')}; expected ${expected.join(', ')}`,
  ])
}
