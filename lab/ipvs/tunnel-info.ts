import type { Line } from './lines'
import type { TunnelChecksum, TunnelInfo, TunnelType } from './types'
import { IpvsParseError } from './parse-error'
import { parseUint } from './numbers'

/** fwd_tun_info() spells the checksum mode as -c, +c, r+c. */
const CSUM: Record<string, TunnelChecksum> = { '-c': 'nocsum', '+c': 'csum', 'r+c': 'remcsum' }

/** Reads the --tun-info column: `ipip`, `gue:6080:+c`, `gre:-c`, or `n/a` for non-tunnel servers. */
export function parseTunnelInfo(token: string, line: Line): TunnelInfo | undefined {
  if (token === 'n/a') return undefined
  const [type, ...rest] = token.split(':')
  const bad = () => new IpvsParseError(`unrecognised TunnelInfo ${JSON.stringify(token)}`, line.no, line.text)
  if (type === 'ipip' && rest.length === 0) return { type }
  if (type === 'gue' && rest.length === 2 && CSUM[rest[1]!]) return { type, port: parseUint(rest[0], 'GUE port', line, 65535), checksum: CSUM[rest[1]!]! }
  if (type === 'gre' && rest.length === 1 && CSUM[rest[0]!]) return { type, checksum: CSUM[rest[0]!]! }
  throw bad()
}

export const TUNNEL_TYPES: readonly TunnelType[] = ['ipip', 'gue', 'gre']
