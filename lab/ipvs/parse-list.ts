import type { ForwardMethod, IpvsTable, RealServer, VirtualService } from './types'
import { toLines, tokens, type Line } from './lines'
import { IpvsParseError } from './parse-error'
import { takeBanner } from './banner'
import { parseServiceKey } from './service-key'
import { parseEndpoint } from './endpoint'
import { parseUint } from './numbers'
import { parseTunnelInfo } from './tunnel-info'

const FORWARDS: readonly string[] = ['Masq', 'Route', 'Tunnel', 'Local', 'Bypass']
const TITLE = 'Prot LocalAddress:Port Scheduler Flags'
const DEST_TITLE = '-> RemoteAddress:Port Forward Weight ActiveConn InActConn'
const DEST_TITLE_TUN = '-> RemoteAddress:Port Forward TunnelInfo Weight ActiveConn InActConn'

/**
 * Parses `ipvsadm -Ln` (also with --exact or --tun-info, or listing a single
 * service, which has no banner). Other column sets (--stats, --rate,
 * --thresholds, --persistent-conn) are rejected by their title line.
 */
export function parseIpvsList(text: string): IpvsTable {
  const lines = toLines(text)
  const table: IpvsTable = { services: [] }
  const i = takeBanner(lines, table)
  const title = lines[i]
  if (!title) throw new IpvsParseError(`no "${TITLE}" title line: not an ipvsadm -Ln listing`)
  if (tokens(title).join(' ') !== TITLE) throw new IpvsParseError(`expected title "${TITLE}" (is this -Ln output?)`, title.no, title.text)
  const destTitle = lines[i + 1]
  const destColumns = destTitle && tokens(destTitle).join(' ')
  if (destColumns !== DEST_TITLE && destColumns !== DEST_TITLE_TUN) {
    throw new IpvsParseError(`expected real-server title "  ${DEST_TITLE}"`, destTitle?.no ?? title.no, destTitle?.text ?? title.text)
  }
  const withTunInfo = destColumns === DEST_TITLE_TUN

  let current: VirtualService | undefined
  for (const line of lines.slice(i + 2)) {
    const toks = tokens(line)
    if (toks[0] === '->') {
      if (!current) throw new IpvsParseError('real server before any virtual service', line.no, line.text)
      current.realServers.push(parseRealServer(toks, withTunInfo, line))
    } else {
      current = parseService(toks, line)
      table.services.push(current)
    }
  }
  return table
}

/** print_service_entry(): `<key> <sched> [(flags)] [persistent N [mask M] [pe NAME]] [ops]`. */
function parseService(toks: string[], line: Line): VirtualService {
  const { key, used } = parseServiceKey(toks, line)
  let j = used
  const scheduler = toks[j++]
  if (scheduler === undefined) throw new IpvsParseError('virtual service without a scheduler', line.no, line.text)
  const svc: VirtualService = { ...key, scheduler, flags: [], realServers: [] }
  const flags = toks[j]
  if (flags?.startsWith('(')) {
    if (!flags.endsWith(')')) throw new IpvsParseError(`unterminated scheduler flags ${JSON.stringify(flags)}`, line.no, line.text)
    svc.flags = flags
      .slice(1, -1)
      .split(',')
      .filter((f) => f !== '')
    j++
  }
  while (j < toks.length) {
    const word = toks[j++]
    const arg = toks[j]
    if (word === 'persistent') {
      svc.persistent = parseUint(arg, 'persistence timeout', line)
      j++
    } else if (word === 'mask' && arg !== undefined) {
      svc.netmask = arg
      j++
    } else if (word === 'pe' && arg !== undefined) {
      svc.pe = arg
      j++
    } else if (word === 'ops') {
      svc.ops = true
    } else {
      throw new IpvsParseError(`unexpected ${JSON.stringify(word)} in virtual service line`, line.no, line.text)
    }
  }
  return svc
}

/** `  -> addr:port  Forward [TunnelInfo] Weight ActiveConn InActConn`. */
function parseRealServer(toks: string[], withTunInfo: boolean, line: Line): RealServer {
  const expected = withTunInfo ? 7 : 6
  if (toks.length !== expected) throw new IpvsParseError(`real server line has ${toks.length - 1} columns, expected ${expected - 1}`, line.no, line.text)
  const { address, port } = parseEndpoint(toks[1], 'real server', line)
  const forward = toks[2]!
  if (!FORWARDS.includes(forward)) throw new IpvsParseError(`unknown forwarding method ${JSON.stringify(forward)}`, line.no, line.text)
  const rest = withTunInfo ? toks.slice(4) : toks.slice(3)
  const rs: RealServer = {
    address,
    port,
    forward: forward as ForwardMethod,
    weight: parseUint(rest[0], 'weight', line),
    activeConns: parseUint(rest[1], 'ActiveConn', line),
    inactiveConns: parseUint(rest[2], 'InActConn', line),
  }
  const tunnel = withTunInfo ? parseTunnelInfo(toks[3]!, line) : undefined
  if (tunnel) rs.tunnel = tunnel
  return rs
}
