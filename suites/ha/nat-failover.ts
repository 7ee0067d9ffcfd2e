import { verdict, type Verdict } from '../../checks/verdict'
import { movedTo, type MoveRun } from './checks'

/** The real servers' gateway after a NAT move: who holds it, and where the real servers send their replies. */
export interface GatewayReading {
  /** The address, without its prefix. */
  gateway: string
  /** The director that should hold it: whether it does, its gateway instance's VRRP state, its MAC on the inside network. */
  to: { name: string; holdsGateway: boolean; state?: string; insideMac: string }
  /** The other director, when it could be read. */
  other?: { name: string; holdsGateway: boolean; state?: string }
  /** Each real server's neighbour entry for the gateway afterwards (`ip neigh`). */
  neighbours: { name: string; mac?: string; state?: string }[]
}

export interface NatMoveRun {
  move: MoveRun
  gateway: GatewayReading
}

/**
 * 2, NAT. A NAT real server sends its replies to its default gateway, and only the director
 * that took the request can masquerade them back (its connection entry; another director's
 * IPVS has none and routes them on unchanged). So the gateway must move with the VIP: two
 * VRRP instances, one per network, in one vrrp_sync_group (keepalived moves a group's
 * instances together, and puts them all in FAULT when one of them faults, as on a cut link).
 * After the move the new holder has the VIP and the gateway, the real servers' neighbour entry
 * for the gateway names its inside MAC (its gratuitous ARP), and new connections are answered,
 * all within the bound of the failover check.
 */
export function natMovedTo(run: NatMoveRun): Verdict {
  const g = run.gateway
  return verdict(`${movedTo(run.move).check}; the real servers' gateway ${g.gateway} moves with the VIP`, [
    ...movedTo(run.move).failures,
    !g.to.holdsGateway && `${g.to.name} does not hold the gateway ${g.gateway} (its instance is ${g.to.state ?? '(no state)'})`,
    g.other?.holdsGateway && `${g.other.name} still holds the gateway ${g.gateway} (its instance is ${g.other.state ?? '(no state)'})`,
    ...g.neighbours.map((n) => n.mac !== g.to.insideMac && `${n.name}'s neighbour entry for ${g.gateway} is ${n.mac ?? '(none)'}, not ${g.to.name}'s ${g.to.insideMac}`),
  ])
}

/** `ip neigh show <address>` -> its MAC and state (`172.16.100.10 dev eth0 lladdr 02:42:.. REACHABLE`). */
export function parseNeighbour(text: string): { mac?: string; state?: string } {
  const mac = /lladdr ([0-9a-f:]{17})/.exec(text)?.[1]
  const state = /\b([A-Z]+)\s*$/.exec(text.trim())?.[1]
  return { ...(mac ? { mac } : {}), ...(state ? { state } : {}) }
}

export function describeGateway(g: GatewayReading): string {
  return [
    `the gateway ${g.gateway}: ${g.to.name} ${g.to.holdsGateway ? 'holds' : 'does not hold'} it (${g.to.state ?? 'no state'}); ${g.other ? `${g.other.name} ${g.other.holdsGateway ? 'holds' : 'does not hold'} it (${g.other.state ?? 'no state'})` : 'the other could not be read'}`,
    `${g.to.name}'s inside MAC: ${g.to.insideMac}`,
    ...g.neighbours.map((n) => `${n.name}: neighbour entry for ${g.gateway} ${n.mac ?? '(none)'} ${n.state ?? ''}`.trimEnd()),
  ].join('\n')
}
