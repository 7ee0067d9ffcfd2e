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

export interface HttpSpec {
  /** nginx keepalive_timeout; 0 makes every request its own connection. */
  keepaliveTimeout: number
}

export interface NodeSpec {
  name: string
  role: Role
  interfaces: InterfaceSpec[]
  /** Replaces Docker's default route. */
  defaultGateway?: string
  sysctls?: Record<string, string>
  /** Real servers: the page they serve names them. */
  http?: HttpSpec
}

export interface Topology {
  name: string
  description: string
  networks: NetworkSpec[]
  nodes: NodeSpec[]
  /** The virtual service address clients use. */
  vip: string
}
