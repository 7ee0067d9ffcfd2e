import type { ForwardMethod, ServiceKey } from '../../lab/ipvs/types'
import type { Topology } from '../../topologies/topology'

/** Where a client sends to reach a service: a VIP:port, or a port a MARK rule hands to a mark. */
export interface Target {
  address: string
  port: number
  protocol: 'tcp' | 'udp'
}

/** The checks a service's replay can run; which apply depends on its scheduler, persistence and forwarding. */
export type CheckKind =
  /** Every request answered, by a real server of the service with weight > 0. */
  | 'answered'
  /** Every real server with weight > 0 reached and answering. */
  | 'reached'
  /** rr: requests cycle strictly in the kernel's destination order. */
  | 'rr-cycle'
  /** wrr: every cycle of sum(weights) requests gives each server its weight. */
  | 'wrr-cycles'
  /** sh, mh: each client address always reaches one server. */
  | 'sticky-source'
  /** dh, lblc, lblcr: each destination address is served by one server, whichever client asks. */
  | 'sticky-destination'
  /** Persistence: each client stays on its server (per port for a port service, across ports for VIP:0 and marks). */
  | 'persistence'
  /** -M: clients of one netmask block share one template and one server. */
  | 'netmask-shared'
  /** A firewall-mark service: IPVS holds entries for every marked VIP:port. */
  | 'marked-ports'
  /** The reply path of the forwarding method (NAT: through the director; DR: around it; TUN: IP-in-IP). */
  | 'reply-path'
  /** A keepalived.conf's health checkers: each found its real server up, and left it in the table. */
  | 'health-checks'
  /** lc, wlc, sed, nq: connections held one after another end as the rule spreads them (each server's ActiveConn). */
  | 'held-load'

export interface PlannedServer {
  address: string
  weight: number
  forward: ForwardMethod
}

/** One service of the file, as the replay will exercise it. */
export interface PlannedService {
  /** As ipvsadm -Ln names it: `TCP 172.16.100.201:8443`, `FWM 10`. */
  name: string
  line: number
  key: ServiceKey
  scheduler: string
  persistent?: number
  netmask?: string
  /** The forwarding method of its real servers; `mixed` when they differ. */
  forward: ForwardMethod | 'mixed'
  targets: Target[]
  servers: PlannedServer[]
  /** Client addresses of its own: entries and templates of one service never meet another's traffic. */
  clients: string[]
  /** With -M: two clients of one block, and the address the kernel keeps of them. */
  sharing?: { network: string; clients: string[] }
  /** Requests each client makes to each target. */
  rounds: number
  /** held-load: whole rounds of the rule to hold (the connections: heldCount). */
  heldRounds?: number
  checks: CheckKind[]
  /** What the replay cannot check for this service, and why. */
  notChecked: string[]
}

/** A real server of the file, as one lab node named after its address (its page names it). */
export interface PlannedRealServer {
  address: string
  /** A NAT server (its replies go back through the director); otherwise DR or TUN. */
  nat: boolean
  tcpPorts: number[]
  udpPorts: number[]
  /** VIPs it holds on lo (DR, in the topology's spec) and on tunl0 (TUN, set up by the replay). */
  vipsOnLo: string[]
  vipsOnTunnel: string[]
  /** Told not to serve (a negative control): its node exists and answers nothing. */
  withheld: boolean
}

export interface ReplayPlan {
  topology: Topology
  services: PlannedService[]
  realServers: PlannedRealServer[]
  /** The director's address on the clients' network. */
  director: string
  notes: string[]
}

/**
 * The lab runs each real server in a container of its own: 10 of them, with the director and the
 * client, fit a 2 GiB emulated guest and come up within about two minutes on a 2-core machine.
 */
export const MAX_REAL_SERVERS = 10
