import type { IpvsStatsTable } from '../../lab/ipvs'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import { verdict, type Verdict } from '../../checks/verdict'

/** 3. Each request is its own TCP connection: `Connection: close` on each, and Conns grows by exactly N. */
export function connectionPerRequest(exchanges: HttpExchange[], conns: number, requests: number): Verdict {
  return verdict('one TCP connection per request', [
    exchanges.length !== requests && `${exchanges.length} responses to ${requests} requests`,
    ...exchanges.map((x) => !x.connectionClose && `response ${x.index + 1} has no Connection: close`),
    ...exchanges.map((x) => !x.newConnection && `request ${x.index + 1} reused an open connection`),
    conns !== requests && `the service's Conns counter grew by ${conns}, expected ${requests}`,
  ])
}

/**
 * 4. The reply path runs through the director: per real server, both directions are
 * counted. In NAT the director sees at least SYN, request and ACK inbound and SYN-ACK
 * and response outbound for every connection.
 */
export function repliesThroughDirector(stats: IpvsStatsTable, vip: string, servedBy: Map<string, number>, port = 80): Verdict {
  const svc = stats.services.find((s) => s.address === vip && s.port === port)
  if (!svc) return verdict('reply path through the director', [`no ${vip}:${port} in --stats`])
  return verdict(
    'reply path through the director',
    svc.realServers.flatMap((rs) => {
      const { conns, inPkts, outPkts } = rs.counters
      return [
        conns === 0 && `${rs.address} was sent no connection`,
        inPkts < 2 * conns && `${rs.address}: InPkts ${inPkts} for ${conns} connections`,
        outPkts < 2 * conns && `${rs.address}: OutPkts ${outPkts} for ${conns} connections (replies bypass the director or never come)`,
        (servedBy.get(rs.address) ?? 0) !== conns && `${rs.address}: ${conns} connections but ${servedBy.get(rs.address) ?? 0} answered requests`,
      ]
    }),
  )
}
