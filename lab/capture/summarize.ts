import type { Capture, Frame } from './parse-tcpdump'

/** Service ports are shown, a client's ephemeral ports (Linux picks them from 32768 up) are not, so connections group together. */
const servicePort = (port?: number) => (port !== undefined && port < 32768 ? `:${port}` : '')

/** The frames of a capture counted by who sent them to whom and what they carried: the report's capture summary. */
export function summarizeCapture(capture: Capture, owners: Map<string, string>): string {
  const who = (mac: string) => (mac === 'ff:ff:ff:ff:ff:ff' ? 'broadcast' : (owners.get(mac) ?? mac))
  const what = (f: Frame): string => {
    if (f.arp) return `ARP ${f.arp.op} ${f.arp.op === 'request' ? `who-has ${f.arp.targetIp} tell ${f.arp.senderIp}` : `${f.arp.senderIp} is-at`}`
    if (f.ip?.inner) return `IP-in-IP ${f.ip.src.address} > ${f.ip.dst.address} carrying ${f.ip.inner.src.address} > ${f.ip.inner.dst.address}:${f.ip.inner.dst.port ?? ''}`
    if (f.ip) return `IPv4 ${f.ip.src.address}${servicePort(f.ip.src.port)} > ${f.ip.dst.address}${servicePort(f.ip.dst.port)}`
    return f.ethertype
  }
  const counts = new Map<string, number>()
  for (const f of capture.frames) {
    const key = `${who(f.srcMac)} -> ${who(f.dstMac)}: ${what(f)}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const rows = [...counts].map(([key, n]) => `${String(n).padStart(4)}  ${key}`)
  return [`${capture.frames.length} frames (${capture.receivedByFilter ?? '?'} taken in by the filter), ${capture.droppedByKernel ?? '?'} dropped by the kernel`, ...rows].join(
    '\n',
  )
}
