import type { Capture, Frame } from '../../lab/capture/parse-tcpdump'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one nat_icmp_send run saw: a real server of a NAT service sends a datagram from its
 * service port that belongs to no connection entry (a "stray" packet, to the client), with
 * captures on the real server (ICMP) and on the client (the datagram).
 */
export interface StrayRun {
  knob: number
  realServer: { name: string; address: string }
  sourcePort: number
  client: string
  /** The director's own addresses: an ICMP error from one of them is the director's. */
  directorAddresses: string[]
  atServer: Capture
  atClient: Capture
}

/** ICMP port-unreachable frames about the stray datagram that reached the real server, and who sent them. */
export function unreachablesAtServer(run: StrayRun): Frame[] {
  return run.atServer.frames.filter((f) => f.ip?.dst.address === run.realServer.address && /ICMP \S+ udp port \d+ unreachable/.test(f.line))
}

/** The stray datagram as it reached the client: from the real server's own address and service port, untranslated. */
export function strayAtClient(run: StrayRun): Frame[] {
  return run.atClient.frames.filter((f) => f.ip?.src.address === run.realServer.address && f.ip.src.port === run.sourcePort && f.ip.dst.address === run.client)
}

const fromDirector = (run: StrayRun) => unreachablesAtServer(run).filter((f) => run.directorAddresses.includes(f.ip!.src.address))

/**
 * 6, at 1. ip_vs_out_hook (ip_vs_out before 5.16; net/netfilter/ipvs/ip_vs_core.c): a packet
 * that matches no entry but comes from the address and port of a NAT real server of some
 * service (ip_vs_has_real_service, ip_vs_ctl.c) is answered with ICMP port unreachable (TCP
 * only when it is not a reset) and dropped. The document says "ICMP_DEST_UNREACH" and not to
 * whom: the code sends code PORT_UNREACH to the real server, the packet's source.
 */
export function icmpToRealServer(run: StrayRun): Verdict {
  const atClient = strayAtClient(run)
  return verdict(`nat_icmp_send=${run.knob}: a stray packet from a real server's service port draws an ICMP port unreachable from the director, and goes no further`, [
    fromDirector(run).length === 0 && `${run.realServer.name} received no ICMP port unreachable from the director (${unreachablesAtServer(run).length} from anyone)`,
    atClient.length > 0 && `the client received the stray datagram (${atClient.length} frames)`,
  ])
}

/**
 * 6, at 0 (the default). ip_vs_out lets a packet without an entry go on (NF_ACCEPT): the
 * director routes it like any other, untranslated (the client sees the real server's own
 * address), and sends no ICMP.
 */
export function forwardedUntouched(run: StrayRun): Verdict {
  const atClient = strayAtClient(run)
  return verdict(`nat_icmp_send=${run.knob}: a stray packet from a real server's service port is forwarded untranslated, no ICMP sent`, [
    fromDirector(run).length > 0 && `${run.realServer.name} received ${fromDirector(run).length} ICMP port unreachable from the director`,
    atClient.length === 0 && 'the client did not receive the stray datagram',
  ])
}

export function describeStrayRun(run: StrayRun): string {
  const lines = (fs: Frame[]) => (fs.length ? fs.map((f) => `  ${f.line}`).join('\n') : '  (none)')
  return [
    `nat_icmp_send=${run.knob}: one datagram from ${run.realServer.name} ${run.realServer.address}:${run.sourcePort} to the client ${run.client}, no entry for it`,
    `ICMP port unreachable at ${run.realServer.name}:`,
    lines(unreachablesAtServer(run)),
    'the datagram at the client:',
    lines(strayAtClient(run)),
  ].join('\n')
}
