import type { Line } from './lines'
import type { ServiceKey, ServiceProtocol } from './types'
import { IpvsParseError } from './parse-error'
import { parseEndpoint } from './endpoint'
import { parseUint } from './numbers'

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP', 'FWM']

/**
 * Reads the leading service columns of a listing line: `TCP  addr:port`,
 * `FWM  10` or `FWM  10 IPv6` (print_service_entry). Returns the key and how
 * many tokens it used, so callers can read what follows.
 */
export function parseServiceKey(toks: string[], line: Line): { key: ServiceKey; used: number } {
  const proto = toks[0]
  if (proto === undefined || !PROTOCOLS.includes(proto)) {
    // ipvsadm prints '?' for a protocol it has no name for
    throw new IpvsParseError(`unknown service protocol ${JSON.stringify(proto ?? '')}`, line.no, line.text)
  }
  const protocol = proto as ServiceProtocol
  if (protocol === 'FWM') {
    const fwmark = parseUint(toks[1], 'firewall mark', line, 0xffffffff)
    if (toks[2] === 'IPv6') return { key: { protocol, fwmark, ipv6: true }, used: 3 }
    return { key: { protocol, fwmark }, used: 2 }
  }
  const { address, port } = parseEndpoint(toks[1], 'virtual service', line)
  return { key: { protocol, address, port }, used: 2 }
}
