/**
 * The semantics files that need the DR topology (topologies/dr.ts: one segment, the VIP on the
 * real servers' lo, or on tunl0 for TUN): they run together, after the NAT ones.
 */
import { topologyTest } from '../../fixtures/lab-test'
import { drTopology } from '../../topologies/dr'

export const drVip = drTopology.vip
export const drRealServers = drTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
export const drKnobTest = topologyTest(drTopology)
