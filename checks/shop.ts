import type { Visit } from '../lab/http/visits'
import { verdict, type Verdict } from './verdict'

/** Why a visit does not count as answered by a real server, or undefined when it does. */
export function unanswered(v: Visit): string | undefined {
  const x = v.exchange
  if (x.curlExit !== 0) return `request ${v.step} (${v.client} to :${v.port}) got no answer (curl exit ${x.curlExit})`
  if (x.status !== 200 || !x.server) return `request ${v.step} (${v.client} to :${v.port}) was answered with HTTP ${x.status} by a page that names no real server`
  return undefined
}

export function visitsOf(visits: Visit[], client: string): Visit[] {
  return visits.filter((v) => v.client === client)
}

/** "lvs-node-1 on :80 (1, 5), lvs-node-2 on :443 (3)": where a client's requests went. */
export function describeDestinations(visits: Visit[]): string {
  const groups = new Map<string, number[]>()
  for (const v of visits) {
    const key = `${v.exchange.server ?? 'nobody'} on :${v.port}`
    groups.set(key, [...(groups.get(key) ?? []), v.step])
  }
  return [...groups].map(([k, s]) => `${k} (request ${s.join(', ')})`).join(', ')
}

/**
 * Every request of each client, on whichever port, was answered by one and the same real
 * server. Each client must have asked on at least two ports, or nothing was merged.
 */
export function stickyAcrossPorts(visits: Visit[], clients: string[]): Verdict {
  return verdict(
    `each client's requests on every port land on one real server`,
    clients.flatMap((client) => {
      const own = visitsOf(visits, client)
      const ports = new Set(own.map((v) => v.port))
      if (ports.size < 2) return [`${client} asked on ${ports.size} port(s): nothing to merge`]
      const missing = own.map(unanswered).filter(Boolean)
      if (missing.length) return missing
      const servers = new Set(own.map((v) => v.exchange.server))
      return servers.size > 1 ? [`${client} was sent to ${servers.size} real servers: ${describeDestinations(own)}`] : []
    }),
  )
}

/** The clients' first requests went to different real servers: the scheduler still balances clients. */
export function clientsOnDifferentServers(visits: Visit[], clients: string[]): Verdict {
  const first = clients.map((c) => ({ client: c, visit: visitsOf(visits, c)[0] }))
  const servers = first.map((f) => f.visit?.exchange.server)
  return verdict(`the clients are balanced to different real servers`, [
    ...first.map((f) => (f.visit ? unanswered(f.visit) : `${f.client} made no request`)),
    new Set(servers).size < clients.length && `the clients' first requests went to ${first.map((f) => `${f.client}: ${f.visit?.exchange.server ?? '-'}`).join(', ')}`,
  ])
}
