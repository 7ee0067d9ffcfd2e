import { parseCurlTransfers, type HttpExchange } from './curl-transfers'

/**
 * Output of one script that runs a curl per client source address, each section opened by
 * `@@source <address>`: the exchanges of each source, in order.
 */
export const sourceMarker = '@@source'

export function parseSourcedTransfers(stdout: string): Map<string, HttpExchange[]> {
  const bySource = new Map<string, HttpExchange[]>()
  const sections = stdout.split(new RegExp(`^${sourceMarker} `, 'm')).slice(1)
  for (const section of sections) {
    const nl = section.indexOf('\n')
    const source = (nl < 0 ? section : section.slice(0, nl)).trim()
    bySource.set(source, parseCurlTransfers(nl < 0 ? '' : section.slice(nl + 1)))
  }
  return bySource
}
