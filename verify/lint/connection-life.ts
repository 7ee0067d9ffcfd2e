import type { ForwardMethod } from '../../lab/ipvs'
import type { Timeouts } from '../rules/rules-table'

/** How long the director keeps a connection's entry after its last packet, in seconds, and why. */
export interface EntryLife {
  /** A connection that has closed (TCP) or gone quiet (UDP). */
  closed: { seconds: number; state: string }
  /** A connection still open, left idle. */
  idle: { seconds: number; state: string }
}

/** TIME_WAIT in tcp_timeouts (ip_vs_proto_tcp.c): 2 minutes, and no ipvsadm option changes it. */
const TIME_WAIT = 120

/**
 * The entry's lifetime by protocol and forwarding method. A NAT director sees both directions and
 * a closed TCP connection ends in TIME_WAIT; a DR or TUN director sees the client's side only
 * (the INPUT-ONLY rows of tcp_states in ip_vs_proto_tcp.c) and leaves it in FIN_WAIT, which
 * `--set tcpfin` sets. An open connection idles in ESTABLISHED (`--set tcp`), a UDP one in
 * udp_timeouts' NORMAL (`--set udp`). Undefined for protocols the lint does not model (SCTP).
 */
export function entryLife(protocol: string, forwards: ForwardMethod[], t: Timeouts): EntryLife | undefined {
  if (protocol === 'udp') return { closed: { seconds: t.udp, state: 'a UDP entry (--set udp)' }, idle: { seconds: t.udp, state: 'a UDP entry (--set udp)' } }
  if (protocol !== 'tcp') return undefined
  const nat = forwards.includes('Masq')
  const direct = forwards.some((f) => f !== 'Masq')
  const closed = [
    nat && { seconds: TIME_WAIT, state: 'TIME_WAIT (NAT; fixed, no ipvsadm option sets it)' },
    direct && { seconds: t.tcpFin, state: 'FIN_WAIT (DR/TUN; --set tcpfin)' },
  ]
    .filter((c): c is { seconds: number; state: string } => !!c)
    .sort((a, b) => b.seconds - a.seconds)[0] ?? { seconds: t.tcpFin, state: 'FIN_WAIT (--set tcpfin)' }
  return { closed, idle: { seconds: t.tcp, state: 'ESTABLISHED (--set tcp)' } }
}

/**
 * When the template's -p runs out while it still governs a connection, ip_vs_conn_expire
 * (net/netfilter/ipvs/ip_vs_conn.c) finds n_control > 0 and re-arms it for 60 s
 * ("expire_later: cp->timeout = 60*HZ"), again and again until the last connection is gone:
 * the client stays on its server until the first 60 s step after that.
 */
export function stickyFor(persistent: number, entrySeconds: number): number {
  return entrySeconds <= persistent ? persistent : persistent + 60 * Math.ceil((entrySeconds - persistent) / 60)
}
