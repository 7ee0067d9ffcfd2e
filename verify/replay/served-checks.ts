import { verdict, type Verdict } from '../../checks/verdict'

/** One request or datagram sent to a service: what it was, and the real server that answered (none: why). */
export interface Served {
  what: string
  server?: string
  /** Why nothing answered, said of the request, when nothing did. */
  unanswered?: string
}

/**
 * Every request was answered by a real server of the service that may take new connections
 * (weight > 0: the kernel schedules none to a server at weight 0, ip_vs_*_schedule skips it).
 */
export function answeredByWeighted(served: Served[], weighted: string[], quiesced: string[]): Verdict {
  return verdict('every request is answered by a real server of the service with weight > 0', [
    served.length === 0 && 'no request was sent',
    ...served.map((s) => {
      if (!s.server) return s.unanswered ?? `${s.what}: no answer`
      if (quiesced.includes(s.server)) return `${s.what} was answered by ${s.server}, which has weight 0`
      return !weighted.includes(s.server) && `${s.what} was answered by ${s.server}, which is not a real server of the service`
    }),
  ])
}

/** Each real server with weight > 0 answered at least one request through the VIP. */
export function everyWeightedReached(served: Served[], weighted: string[]): Verdict {
  const counts = new Map<string, number>()
  for (const s of served) if (s.server) counts.set(s.server, (counts.get(s.server) ?? 0) + 1)
  const tally = weighted.map((w) => `${w} ${counts.get(w) ?? 0}`).join(', ')
  return verdict('every real server with weight > 0 is reached through the VIP and answers', [
    weighted.length === 0 && 'the service has no real server with weight > 0',
    ...weighted.map((w) => !counts.has(w) && `${w} answered none of ${served.length} requests (${tally})`),
  ])
}
