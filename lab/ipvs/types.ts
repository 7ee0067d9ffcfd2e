/** Shared shapes for everything parsed out of ipvsadm's text output. */

/** Protocol column of a virtual service; FWM is a firewall-mark service (no address). */
export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP' | 'FWM'

/** Forward column. Bypass is never listed by ipvsadm 1.31 but exists in the kernel's flag set. */
export type ForwardMethod = 'Masq' | 'Route' | 'Tunnel' | 'Local' | 'Bypass'

export interface Endpoint {
  /** Bare IP literal, without the [] ipvsadm puts around IPv6. */
  address: string
  port: number
}

/** What identifies a virtual service: address:port for TCP/UDP/SCTP, the mark for FWM. */
export interface ServiceKey {
  protocol: ServiceProtocol
  address?: string
  port?: number
  fwmark?: number
  /** Only FWM services say their family (`FWM  10 IPv6`, `-f 10 -6`); address services show it in the address. */
  ipv6?: boolean
}

export type TunnelType = 'ipip' | 'gue' | 'gre'
export type TunnelChecksum = 'nocsum' | 'csum' | 'remcsum'

/** Tunnel encapsulation of a Tunnel real server, from `--tun-info` listings or `--tun-type` rules. */
export interface TunnelInfo {
  type: TunnelType
  /** GUE only. */
  port?: number
  /** GUE and GRE only. */
  checksum?: TunnelChecksum
}

export interface RealServer extends Endpoint {
  forward: ForwardMethod
  weight: number
  activeConns: number
  inactiveConns: number
  tunnel?: TunnelInfo
  /** -x / -y: only ever seen in hand-written rules, ipvsadm -S does not print them. */
  upperThreshold?: number
  lowerThreshold?: number
}

export interface VirtualService extends ServiceKey {
  scheduler: string
  /** Scheduler flags as printed, e.g. ['sh-fallback', 'sh-port'] or ['flag-1']. */
  flags: string[]
  /** Persistence timeout in seconds; absent when the service is not persistent. */
  persistent?: number
  /** Persistence granularity: dotted mask for IPv4, prefix length for IPv6; absent when it is the host mask. */
  netmask?: string
  /** One-packet scheduling. */
  ops?: boolean
  /** Persistence engine, e.g. 'sip'. */
  pe?: string
  realServers: RealServer[]
}

export interface IpvsTable {
  /** IPVS version from the banner; absent when listing a single service or parsing saved rules. */
  version?: string
  /** Connection hash table size from the banner; newer kernels report 0. */
  connTableSize?: number
  services: VirtualService[]
}

/** --stats columns. `exact` is false when any value was rounded (K/M/G/T suffix). */
export interface StatsCounters {
  conns: number
  inPkts: number
  outPkts: number
  inBytes: number
  outBytes: number
  exact: boolean
}

/** --rate columns, per second. `exact` is false when any value was rounded. */
export interface RateCounters {
  cps: number
  inPps: number
  outPps: number
  inBps: number
  outBps: number
  exact: boolean
}

export interface CounterService<C> extends ServiceKey {
  counters: C
  realServers: Array<Endpoint & { counters: C }>
}

export interface CounterTable<C> {
  version?: string
  connTableSize?: number
  services: Array<CounterService<C>>
}

export type IpvsStatsTable = CounterTable<StatsCounters>
export type IpvsRateTable = CounterTable<RateCounters>

/** One line of `ipvsadm -Lnc`. */
export interface IpvsConnection {
  /** Kernel protocol name: TCP, UDP, SCTP, IP (fwmark templates), ICMP, ICMPv6 or IP_<n>. */
  protocol: string
  expiresInSeconds: number
  /** TCP/SCTP state, UDP for UDP, NONE or ASSURED for templates. */
  state: string
  source: Endpoint
  virtual: Endpoint
  destination: Endpoint
  /** Persistence template: the kernel creates templates with client port 0. */
  isTemplate: boolean
  /** Set for fwmark templates (protocol IP), whose virtual address carries the mark. */
  fwmark?: number
  /** Persistence-engine columns, only printed with --persistent-conn. */
  peName?: string
  peData?: string
}

export interface IpvsTimeouts {
  tcp: number
  tcpFin: number
  udp: number
}
