/**
 * `tcpdump -nn -e -l` prints one line per frame. This turns those lines into data: the
 * MACs, ARP operations and IPv4 endpoints (with the inner packet of an IP-in-IP frame).
 */
export interface Endpoint {
  address: string
  port?: number
}

export interface IpPacket {
  src: Endpoint
  dst: Endpoint
  /** TCP flags as tcpdump prints them: S, S., ., P., F. ... */
  tcpFlags?: string
}

export interface ArpPacket {
  op: 'request' | 'reply'
  /** The address the frame speaks for: `tell X` in a request, `X is-at` in a reply. */
  senderIp: string
  /** Requests only: the address asked for. */
  targetIp?: string
}

export interface Frame {
  time: string
  srcMac: string
  dstMac: string
  ethertype: string
  ip?: IpPacket & { inner?: IpPacket }
  arp?: ArpPacket
  line: string
}

export interface Capture {
  frames: Frame[]
  /** tcpdump's closing counts: a capture that dropped frames cannot prove an absence. */
  captured?: number
  /** Frames the kernel handed to the capture's socket (those dropped included). */
  receivedByFilter?: number
  droppedByKernel?: number
  /**
   * Frames the kernel counted before tcpdump's filter was set (libpcap binds its socket first,
   * then filters what was already in its ring in userland, pcap-linux.c pcap_setfilter_linux):
   * counted as received, never printed, and none of the observation's.
   */
  filteredAtStart?: number
}

/**
 * Frames the kernel took in for the capture that tcpdump never printed: stopped before it
 * read them. Such a capture is incomplete, whatever it shows.
 */
export function undeliveredFrames(c: Capture): number {
  if (c.receivedByFilter === undefined || c.captured === undefined) return 0
  return Math.max(0, c.receivedByFilter - c.captured - (c.droppedByKernel ?? 0) - (c.filteredAtStart ?? 0))
}

const head = /^(\S+) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), ethertype (\S+) \(0x[0-9a-f]+\), length \d+: (.*)$/
const ipv4 = /^(\d+\.\d+\.\d+\.\d+)(?:\.(\d+))? > (\d+\.\d+\.\d+\.\d+)(?:\.(\d+))?: (.*)$/

function endpoint(address: string, port?: string): Endpoint {
  return port === undefined ? { address } : { address, port: Number(port) }
}

function parseIp(text: string): (IpPacket & { rest: string }) | undefined {
  const m = ipv4.exec(text)
  if (!m) return undefined
  const flags = /^Flags \[([^\]]+)\]/.exec(m[5])?.[1]
  return { src: endpoint(m[1], m[2]), dst: endpoint(m[3], m[4]), ...(flags ? { tcpFlags: flags } : {}), rest: m[5] }
}

function parseArp(text: string): ArpPacket | undefined {
  const request = /^Request who-has (\S+)(?: \([0-9a-f:]+\))? tell (\S+),/.exec(text)
  if (request) return { op: 'request', targetIp: request[1], senderIp: request[2] }
  const reply = /^Reply (\S+) is-at [0-9a-f:]+,/.exec(text)
  if (reply) return { op: 'reply', senderIp: reply[1] }
  return undefined
}

export function parseTcpdump(stdout: string, stderr = ''): Capture {
  const frames: Frame[] = []
  for (const line of stdout.split('\n')) {
    const m = head.exec(line.trim())
    if (!m) continue
    const frame: Frame = { time: m[1], srcMac: m[2], dstMac: m[3], ethertype: m[4], line: line.trim() }
    if (frame.ethertype === 'ARP') frame.arp = parseArp(m[5])
    if (frame.ethertype === 'IPv4') {
      const outer = parseIp(m[5])
      if (outer) {
        const inner = outer.src.port === undefined ? parseIp(outer.rest) : undefined
        const { rest: _, ...packet } = outer
        frame.ip = inner ? { ...packet, inner: { src: inner.src, dst: inner.dst, ...(inner.tcpFlags ? { tcpFlags: inner.tcpFlags } : {}) } } : packet
      }
    }
    frames.push(frame)
  }
  // tcpdump prints its counts on SIGUSR1 too, on one line ("tcpdump: 6 packets captured, 12
  // packets received by filter, ..."); at exit one per line. The last ones are the latest.
  const counts = stderr.replace(/^tcpdump: /gm, '').replace(/, /g, '\n')
  const count = (what: string) => {
    const all = [...counts.matchAll(new RegExp(`^(\\d+) packets? ${what}$`, 'gm'))]
    return all.length ? Number(all[all.length - 1]![1]) : undefined
  }
  return { frames, captured: count('captured'), receivedByFilter: count('received by filter'), droppedByKernel: count('dropped by kernel') }
}
