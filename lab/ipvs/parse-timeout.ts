import type { IpvsTimeouts } from './types'
import { toLines } from './lines'
import { IpvsParseError } from './parse-error'

/** Parses `ipvsadm -L --timeout`: `Timeout (tcp tcpfin udp): 900 120 300` (seconds). */
export function parseIpvsTimeout(text: string): IpvsTimeouts {
  const lines = toLines(text)
  const line = lines[0]
  if (!line) throw new IpvsParseError('empty input: expected "Timeout (tcp tcpfin udp): <tcp> <tcpfin> <udp>"')
  const m = /^Timeout \(tcp tcpfin udp\): (\d+) (\d+) (\d+)$/.exec(line.text.trim())
  if (!m) throw new IpvsParseError('expected "Timeout (tcp tcpfin udp): <tcp> <tcpfin> <udp>"', line.no, line.text)
  const extra = lines[1]
  if (extra) throw new IpvsParseError('unexpected line after the timeout line', extra.no, extra.text)
  return { tcp: Number(m[1]), tcpFin: Number(m[2]), udp: Number(m[3]) }
}
