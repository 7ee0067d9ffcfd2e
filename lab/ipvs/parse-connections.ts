import { isIPv4 } from 'node:net'
import type { IpvsConnection } from './types'
import { toLines, tokens, type Line } from './lines'
import { IpvsParseError } from './parse-error'
import { parseEndpoint } from './endpoint'

const BANNER = 'IPVS connection entries'
const COLUMNS = 'pro expire state source virtual destination'
/** With --persistent-conn, list_conn() adds two columns whose titles contain a space. */
const COLUMNS_PE = `${COLUMNS} pe name pe_data`

/**
 * Parses `ipvsadm -Lnc` (optionally with --persistent-conn). ipvsadm reformats
 * /proc/net/ip_vs_conn: expiry becomes minutes:seconds with the minutes
 * unbounded (a 31-day template shows as 44640:00), addresses become a:p / [a]:p.
 */
export function parseIpvsConnections(text: string): IpvsConnection[] {
  const lines = toLines(text)
  const banner = lines[0]
  if (!banner) throw new IpvsParseError(`empty input: expected "${BANNER}"`)
  if (banner.text.trim() !== BANNER) throw new IpvsParseError(`expected "${BANNER}" (is this -Lnc output?)`, banner.no, banner.text)
  const head = lines[1]
  const columns = head && tokens(head).join(' ')
  if (columns !== COLUMNS && columns !== COLUMNS_PE) throw new IpvsParseError(`expected column titles "${COLUMNS}"`, head?.no ?? banner.no, head?.text ?? banner.text)
  const withPe = columns === COLUMNS_PE
  return lines.slice(2).map((line) => parseEntry(tokens(line), withPe, line))
}

function parseEntry(toks: string[], withPe: boolean, line: Line): IpvsConnection {
  // print_conn() only adds the pe columns when the kernel line had pe data
  if (toks.length !== 6 && !(withPe && toks.length >= 8))
    throw new IpvsParseError(`connection line has ${toks.length} columns, expected 6${withPe ? ' or 8' : ''}`, line.no, line.text)
  const [protocol, expire, state] = toks as [string, string, string]
  const m = /^(\d+):(\d\d)$/.exec(expire)
  if (!m || Number(m[2]) > 59) throw new IpvsParseError(`expected expiry as mm:ss, got ${JSON.stringify(expire)}`, line.no, line.text)
  const source = parseEndpoint(toks[3], 'source', line)
  const virtual = parseEndpoint(toks[4], 'virtual', line)
  const destination = parseEndpoint(toks[5], 'destination', line)
  const conn: IpvsConnection = {
    protocol,
    expiresInSeconds: Number(m[1]) * 60 + Number(m[2]),
    state,
    source,
    virtual,
    destination,
    // the kernel creates persistence templates with client port 0 (ip_vs_sched_persist)
    isTemplate: source.port === 0,
  }
  // fwmark templates use protocol IPPROTO_IP and store htonl(mark) in the first 32 bits of vaddr
  if (protocol === 'IP') conn.fwmark = leading32Bits(virtual.address)
  if (toks.length >= 8) {
    conn.peName = toks[6]!
    conn.peData = toks.slice(7).join(' ')
  }
  return conn
}

/** First 32 bits of an IP literal as an unsigned number (the whole address for IPv4). */
export function leading32Bits(address: string): number {
  if (isIPv4(address)) return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0)
  const [head = ''] = address.split('::')
  const groups = head === '' ? [] : head.split(':')
  // with '::' right after the first group (or at the start) the missing groups are zero
  const hi = Number.parseInt(groups[0] ?? '0', 16)
  const lo = Number.parseInt(groups[1] ?? '0', 16)
  return hi * 65536 + lo
}
