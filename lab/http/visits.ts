import { parseCurlTransfers, type HttpExchange } from './curl-transfers'

/** One request of a scripted sequence: which client address asked which port, and when. */
export interface VisitStep {
  /** The client's source address. */
  client: string
  port: number
  url: string
  /** Seconds to wait before this request. */
  pause?: number
}

export interface Visit extends VisitStep {
  step: number
  /** When the request started, in seconds of the lab's clock (every node shares the guest's). */
  startedAt: number
  /** What came back; its curlExit says whether anything did. */
  exchange: HttpExchange
}

export const visitMarker = '@@visit'

/**
 * Output of one script that runs one curl per step, each opened by
 * `@@visit <step> <client> <port> <url> <$EPOCHREALTIME>`.
 */
export function parseVisits(stdout: string): Visit[] {
  const visits: Visit[] = []
  const sections = stdout.split(new RegExp(`^${visitMarker} `, 'm')).slice(1)
  for (const section of sections) {
    const nl = section.indexOf('\n')
    const head = (nl < 0 ? section : section.slice(0, nl)).trim().split(/\s+/)
    if (head.length !== 5) throw new Error(`a visit header has ${head.length} fields, expected 5: ${JSON.stringify(head.join(' '))}`)
    const [step, client, port, url, at] = head as [string, string, string, string, string]
    const body = nl < 0 ? '' : section.slice(nl + 1)
    const [exchange] = parseCurlTransfers(body)
    if (!exchange) throw new Error(`visit ${step} (${client} to port ${port}) has no curl write-out line`)
    visits.push({ step: Number(step), client, port: Number(port), url, startedAt: Number(at.replace(',', '.')), exchange })
  }
  return visits
}
