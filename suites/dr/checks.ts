import type { ArpingReply } from '../../lab/capture/parse-arping'
import type { Capture, Frame } from '../../lab/capture/parse-tcpdump'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import type { IpvsStatsTable } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/** Who sent a frame: MAC address to node name, from the lab's own nodes. */
export type MacOwners = Map<string, string>

const owner = (macs: MacOwners, mac: string) => macs.get(mac) ?? mac

/** A capture that lost frames, or saw none of the traffic, cannot show that something is absent. */
function captureProblems(name: string, capture: Capture, sawTraffic: boolean): (string | false)[] {
  return [
    (capture.droppedByKernel ?? 0) > 0 && `the ${name} capture dropped ${capture.droppedByKernel} frames`,
    !sawTraffic && `the ${name} capture saw none of the requests, so it cannot show what is absent`,
  ]
}

const isSyn = (f: Frame) => f.ip?.tcpFlags === 'S'

/**
 * The client ports of the connections opened while the captures ran (their SYNs to VIP:port
 * are in them, tunnelled or not). They tell a run's packets from stragglers of earlier
 * runs, such as a real server still retransmitting for a connection a control broke.
 */
function connectionsOpened(vip: string, port: number, captures: Capture[]): Set<number> {
  const ports = new Set<number>()
  for (const f of captures.flatMap((c) => c.frames)) {
    const p = f.ip?.inner ?? f.ip
    if (p?.tcpFlags === 'S' && p.dst.address === vip && p.dst.port === port && p.src.port !== undefined) ports.add(p.src.port)
  }
  return ports
}

export interface ReplyPathObservation {
  vip: string
  /** The service's port (each observation gets one no earlier test used). */
  port: number
  stats: IpvsStatsTable
  exchanges: HttpExchange[]
  /** `tcp port PORT` on the client. */
  client: Capture
  /** `tcp port PORT` on the director. */
  director: Capture
  macs: MacOwners
}

/**
 * 3. The reply path bypasses the director: it counts the inbound packets but forwards no
 * reply (OutPkts 0), every reply reaches the client from the VIP with the MAC of the real
 * server that served it, and the director's own capture holds no reply segment.
 */
export function repliesBypassDirector(o: ReplyPathObservation): Verdict {
  const check = 'reply path bypasses the director'
  const svc = o.stats.services.find((s) => s.address === o.vip && s.port === o.port)
  if (!svc) return verdict(check, [`no ${o.vip}:${o.port} in --stats`])
  const fromVip = (f: Frame) => f.ip?.src.address === o.vip && f.ip.src.port === o.port
  const ports = connectionsOpened(o.vip, o.port, [o.client, o.director])
  const replySegmentsAtDirector = o.director.frames.filter((f) => fromVip(f) && ports.has(f.ip!.dst.port!))
  return verdict(check, [
    svc.counters.inPkts === 0 && 'the director counted no inbound packets',
    ...svc.realServers.map((rs) => rs.counters.outPkts > 0 && `${rs.address}: the director forwarded ${rs.counters.outPkts} reply packets (OutPkts)`),
    ...o.exchanges.flatMap((x) => {
      if (x.status !== 200 || !x.server) return [`request ${x.index + 1} was not answered (HTTP ${x.status}, curl exit ${x.curlExit})`]
      const replies = o.client.frames.filter((f) => fromVip(f) && f.ip!.dst.port === x.localPort)
      const senders = [...new Set(replies.map((f) => owner(o.macs, f.srcMac)))]
      if (replies.length === 0) return [`no reply to request ${x.index + 1} (port ${x.localPort}) was seen at the client`]
      return [senders.join(',') !== x.server && `replies to request ${x.index + 1} came from the MAC of ${senders.join(' and ')}, but ${x.server} served it`]
    }),
    replySegmentsAtDirector.length > 0 && `the director's capture saw ${replySegmentsAtDirector.length} reply segments from ${o.vip}:${o.port}`,
    ...captureProblems('client', o.client, o.client.frames.some(isSyn)),
    ...captureProblems('director', o.director, o.director.frames.some(isSyn)),
  ])
}

export interface ArpObservation {
  vip: string
  arping: ArpingReply[]
  /** `arp` on the client, while the requests and the arping ran. */
  client: Capture
  directorMac: string
  realServerMacs: string[]
  macs: MacOwners
}

/**
 * 4. ARP silence: only the director answers who-has VIP, and the real servers, which must
 * ask for the client's MAC to answer it, speak for their own address in those requests,
 * never for the VIP (arp_ignore=1, arp_announce=2).
 */
export function arpSilence(o: ArpObservation): Verdict {
  const answers = [...o.arping.map((r) => r.mac), ...o.client.frames.filter((f) => f.arp?.op === 'reply' && f.arp.senderIp === o.vip).map((f) => f.srcMac)]
  const answering = [...new Set(answers)]
  const fromRealServers = o.client.frames.filter((f) => f.arp && o.realServerMacs.includes(f.srcMac))
  return verdict('ARP silence on the real servers', [
    answering.length === 0 && `nobody answered ARP for ${o.vip}`,
    ...answering.map((mac) => mac !== o.directorMac && `${owner(o.macs, mac)} (${mac}) answered ARP for ${o.vip}`),
    ...o.realServerMacs.map(
      (mac) =>
        !fromRealServers.some((f) => f.srcMac === mac && f.arp!.op === 'request') && `no ARP request from ${owner(o.macs, mac)} was seen, so its announcements cannot be judged`,
    ),
    ...fromRealServers.map((f) => f.arp!.senderIp === o.vip && `${owner(o.macs, f.srcMac)} sent an ARP ${f.arp!.op} speaking for ${o.vip}: ${f.line}`),
    (o.client.droppedByKernel ?? 0) > 0 && `the client capture dropped ${o.client.droppedByKernel} frames`,
  ])
}

/**
 * 5. DR cannot remap the port: the director only rewrites the MAC, so a real server
 * given as RIP:8080 still receives the client's SYN addressed to VIP:port, and answers it.
 */
export function portNotRemapped(vip: string, port: number, realServer: string, atRealServer: Capture, exchanges: HttpExchange[]): Verdict {
  const syns = atRealServer.frames.filter(isSyn)
  return verdict('DR keeps the destination port', [
    syns.length === 0 && `no SYN reached ${realServer}`,
    ...syns.map(
      (f) => (f.ip!.dst.address !== vip || f.ip!.dst.port !== port) && `a SYN reached ${realServer} addressed to ${f.ip!.dst.address}:${f.ip!.dst.port}, not ${vip}:${port}`,
    ),
    ...exchanges.map((x) => x.server !== realServer && `request ${x.index + 1} was answered by ${x.server ?? 'nobody'} (HTTP ${x.status}), not ${realServer}`),
  ])
}

export interface TunnelObservation {
  vip: string
  port: number
  director: string
  stats: IpvsStatsTable
  exchanges: HttpExchange[]
  /** Per real server: its address and `tcp or ip proto 4` on its interface. */
  realServers: { name: string; address: string; capture: Capture }[]
}

/**
 * TUN: the director wraps each inbound packet in IP-in-IP addressed to the real server
 * and forwards no reply (OutPkts 0); each real server receives only encapsulated requests
 * (as many connections as the director counted for it) and answers every one.
 */
export function tunnelledToRealServers(o: TunnelObservation): Verdict {
  const check = 'IP-in-IP to the real servers, replies bypass the director'
  const svc = o.stats.services.find((s) => s.address === o.vip && s.port === o.port)
  if (!svc) return verdict(check, [`no ${o.vip}:${o.port} in --stats`])
  const ports = connectionsOpened(
    o.vip,
    o.port,
    o.realServers.map((rs) => rs.capture),
  )
  const ofThisRun = (p: { src: { port?: number } }) => ports.has(p.src.port!)
  return verdict(check, [
    svc.counters.inPkts === 0 && 'the director counted no inbound packets',
    ...o.realServers.flatMap((rs) => {
      const counters = svc.realServers.find((r) => r.address === rs.address)?.counters
      const tunnelledSyns = rs.capture.frames.filter(
        (f) =>
          f.ip?.inner?.tcpFlags === 'S' &&
          ofThisRun(f.ip.inner) &&
          f.ip.src.address === o.director &&
          f.ip.dst.address === rs.address &&
          f.ip.inner.dst.address === o.vip &&
          f.ip.inner.dst.port === o.port,
      )
      const plain = rs.capture.frames.filter((f) => f.ip && !f.ip.inner && f.ip.dst.address === o.vip && ofThisRun(f.ip))
      const answered = o.exchanges.filter((x) => x.server === rs.name).length
      if (!counters) return [`${rs.address} is not a real server of the service`]
      return [
        counters.outPkts > 0 && `${rs.name}: the director forwarded ${counters.outPkts} reply packets (OutPkts)`,
        tunnelledSyns.length === 0 && `${rs.name} received no IP-in-IP SYN from the director`,
        tunnelledSyns.length !== counters.conns && `${rs.name} received ${tunnelledSyns.length} tunnelled SYNs for ${counters.conns} connections`,
        plain.length > 0 && `${rs.name} received ${plain.length} packets for the VIP without encapsulation`,
        answered !== counters.conns && `${rs.name} answered ${answered} of its ${counters.conns} connections`,
        (rs.capture.droppedByKernel ?? 0) > 0 && `the ${rs.name} capture dropped ${rs.capture.droppedByKernel} frames`,
      ]
    }),
  ])
}
