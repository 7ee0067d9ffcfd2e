import { isIPv4, isIPv6 } from 'node:net'
import type { Endpoint } from './types'
import type { Line } from './lines'
import { IpvsParseError } from './parse-error'
import { parseUint } from './numbers'

/**
 * Reads ipvsadm's numeric `addr:port` (IPv4) or `[addr]:port` (IPv6).
 * Host or service names mean the listing was taken without -n; we reject
 * them rather than guess, since tests compare addresses literally.
 */
export function parseEndpoint(token: string | undefined, what: string, line: Line): Endpoint {
  const m = token === undefined ? null : /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]*)$/.exec(token)
  if (!m) throw new IpvsParseError(`expected ${what} as address:port, got ${JSON.stringify(token ?? '')}`, line.no, line.text)
  const address = m[1] ?? m[2]!
  if (m[1] !== undefined ? !isIPv6(address) : !isIPv4(address)) {
    throw new IpvsParseError(`${what} ${JSON.stringify(address)} is not a numeric IP address (list with -n)`, line.no, line.text)
  }
  return { address, port: parseUint(m[3], `${what} port`, line, 65535) }
}

/** The inverse of parseEndpoint, as ipvsadm prints it. */
export function formatEndpoint(address: string, port: number): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`
}
