import type { Capture, Frame } from '../../lab/capture/parse-tcpdump'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one pmtu_disc run saw (TUN): one UDP datagram from the client, with DF, too large for
 * the tunnel (its IP length above the path MTU less the 20 bytes IP-in-IP adds) but not for
 * the client's own link; captured on the client and on the real servers.
 */
export interface PmtuRun {
  knob: number
  /** The datagram's IP length and the tunnel's MTU (the route's less 20). */
  ipLength: number
  tunnelMtu: number
  /** The server that answered the datagram, if any. */
  answeredBy?: string
  atClient: Capture
  /** The real servers' captures of IP-in-IP frames. */
  atServers: Capture[]
}

/** ICMP "need to frag" frames the client received, with the MTU they name. */
export function fragNeeded(run: PmtuRun): { frame: Frame; mtu: number }[] {
  return run.atClient.frames.flatMap((frame) => {
    const m = /ICMP \S+ unreachable - need to frag \(mtu (\d+)\)/.exec(frame.line)
    return m ? [{ frame, mtu: Number(m[1]) }] : []
  })
}

/**
 * IP-in-IP frames at the real servers that are pieces of a fragmented one: without -v tcpdump
 * prints the first as `truncated-ip - N bytes missing!` over the inner header, the others as a
 * bare `ip-proto-4`.
 */
export function tunnelFragments(run: PmtuRun): Frame[] {
  return run.atServers.flatMap((c) => c.frames.filter((f) => /truncated-ip - \d+ bytes missing|: ip-proto-4$/.test(f.line)))
}

/**
 * 5, at 1 (the default). ensure_mtu_is_adequate (net/netfilter/ipvs/ip_vs_xmit.c): the
 * tunnel's MTU is the route's less the outer header (__ip_vs_get_out_rt); a DF packet larger
 * than that is refused with ICMP FRAG_NEEDED naming it, sent to the client, and not forwarded.
 */
export function refusedWithFragNeeded(run: PmtuRun): Verdict {
  const icmp = fragNeeded(run)
  return verdict(`pmtu_disc=${run.knob} (TUN): a DF datagram too large for the tunnel draws FRAG_NEEDED with the tunnel's MTU, and is not delivered`, [
    run.ipLength <= run.tunnelMtu && `the datagram (${run.ipLength} bytes) fits the tunnel (${run.tunnelMtu}): nothing to refuse`,
    icmp.length === 0 && 'the client received no ICMP need-to-frag',
    icmp.some((i) => i.mtu !== run.tunnelMtu) && `the ICMP names mtu ${icmp.map((i) => i.mtu).join(', ')}, not the tunnel's ${run.tunnelMtu}`,
    run.answeredBy !== undefined && `the datagram was answered by ${run.answeredBy}`,
  ])
}

/**
 * 5, at 0. "For TUN method the flag can be disabled to fragment such packets": with it off,
 * ensure_mtu_is_adequate lets a tunnel packet through whatever its size, ip_vs_tunnel_xmit
 * clears the outer DF, and the IP-in-IP packet leaves in fragments that the real server
 * reassembles: the datagram is delivered and answered, no ICMP sent.
 */
export function fragmentedAndDelivered(run: PmtuRun): Verdict {
  return verdict(`pmtu_disc=${run.knob} (TUN): a DF datagram too large for the tunnel is fragmented outside and delivered`, [
    run.ipLength <= run.tunnelMtu && `the datagram (${run.ipLength} bytes) fits the tunnel (${run.tunnelMtu}): nothing to fragment`,
    fragNeeded(run).length > 0 && `the client received ICMP need-to-frag (mtu ${fragNeeded(run)[0]!.mtu})`,
    run.answeredBy === undefined && 'the datagram was not answered',
    tunnelFragments(run).length === 0 && 'no real server received the IP-in-IP packet in fragments',
  ])
}

export function describePmtuRun(run: PmtuRun): string {
  const lines = (fs: Frame[]) => (fs.length ? fs.map((f) => `  ${f.line}`).join('\n') : '  (none)')
  return [
    `pmtu_disc=${run.knob}: one UDP datagram of ${run.ipLength} bytes (IP) with DF; the tunnel's MTU ${run.tunnelMtu}`,
    `answered by: ${run.answeredBy ?? '(nobody)'}`,
    'ICMP need-to-frag at the client:',
    lines(fragNeeded(run).map((i) => i.frame)),
    'IP-in-IP fragments at the real servers:',
    lines(tunnelFragments(run)),
  ].join('\n')
}
