/** The article's set-ups as plain data: what exists, never how it is made. */

export interface NetworkSpec {
  /** The article's name for it. */
  name: string
  subnet: string
  /** The Docker bridge's own address on it (the guest side, never a lab node). */
  gateway: string
  description: string
}

export type Role = 'director' | 'real-server' | 'client'

export interface InterfaceSpec {
  network: string
  address: string
}

/** An address beyond the interface's own: the VIP on `lo` or on the interface of a network. */
export interface ExtraAddressSpec {
  /** `lo`, or the name of a network the node has an interface on. */
  on: string
  /** With its prefix, e.g. 172.16.100.200/32. */
  address: string
}

export interface HttpSpec {
  /** nginx keepalive_timeout; 0 makes every request its own connection. */
  keepaliveTimeout: number
  /** Plain http ports; 80 when not given. */
  ports?: number[]
  /** https ports, served with a self-signed certificate the node makes for itself. */
  tlsPorts?: number[]
  /** The page on every path (a health checker's `/health`), not only on `/`. */
  everyPath?: boolean
}

export interface NodeSpec {
  name: string
  role: Role
  interfaces: InterfaceSpec[]
  /** Replaces Docker's default route. */
  defaultGateway?: string
  /** Set before any extra address is added (arp_ignore must hold before the VIP exists). */
  sysctls?: Record<string, string>
  extraAddresses?: ExtraAddressSpec[]
  /** Real servers: the page they serve names them. */
  http?: HttpSpec
}

/** One director of a VRRP group, with its priority (the higher one is master when both run). */
export interface VrrpMember {
  node: string
  priority: number
}

/**
 * An address that moves with the VIP on another of the directors' networks (a NAT real
 * servers' gateway): its own VRRP instance on that network, in one vrrp_sync_group with the VIP's.
 */
export interface FloatingAddress {
  network: string
  /** With its prefix, e.g. 172.16.100.10/32. */
  address: string
  virtualRouterId: number
}

/**
 * Two directors sharing the VIP through VRRP (keepalived): the VIP is not in either
 * director's spec, keepalived adds it on the master, and the `floating` addresses with it.
 */
export interface VrrpSpec {
  /** The network whose interface carries the adverts and the VIP. */
  network: string
  virtualRouterId: number
  /** Seconds between adverts. */
  advertInt: number
  members: VrrpMember[]
  floating?: FloatingAddress[]
}

export interface Topology {
  name: string
  description: string
  networks: NetworkSpec[]
  nodes: NodeSpec[]
  /** The virtual service address clients use. */
  vip: string
  /**
   * The forwarding mode the topology is drawn for. `dr` rewrites only the destination MAC,
   * so the director, the real servers and the client must share one L2 segment.
   */
  mode?: 'nat' | 'dr'
  /**
   * Virtual ports handed out one per observation, never twice: connection entries outlive
   * the service that made them and a re-added real server brings them back from the trash,
   * so an observation on a used port could count an earlier test's packets. DR and TUN
   * cannot remap ports, so there the real servers serve every one of them.
   */
  freshPorts?: number[]
  /** Two directors: the VRRP group they form. A topology with two directors and none is refused. */
  vrrp?: VrrpSpec
}

/** Ports from..from+count-1. */
export const portRange = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)
