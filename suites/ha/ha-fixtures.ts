/**
 * What the HA files share: a two-director topology, with keepalived on both directors per
 * test (fixtures/vrrp-pair.ts) and stopped after it, the VIP and the services with it.
 */
import type { RunningTopology } from '../../fixtures/bring-up'
import { topologyTest } from '../../fixtures/lab-test'
import type { Client } from '../../fixtures/nodes/client'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { VrrpPair } from '../../fixtures/vrrp-pair'
import { haDrTopology } from '../../topologies/ha-dr'
import { haNatTopology } from '../../topologies/ha-nat'
import type { Topology } from '../../topologies/topology'

function pairTest(topology: Topology) {
  return topologyTest(topology).extend<{ pair: VrrpPair }>({
    pair: async ({ net, lab }, use) => {
      const pair = new VrrpPair(net, lab)
      try {
        await use(pair)
      } finally {
        await pair.release()
      }
    },
  })
}

/** Two DR directors (topologies/ha-dr.ts). */
export const haTest = pairTest(haDrTopology)
/** Two NAT directors, the VIP and the real servers' gateway floating together (topologies/ha-nat.ts). */
export const haNatTest = pairTest(haNatTopology)

/** What an HA run takes from its test. */
export interface HaFixtures {
  pair: VrrpPair
  client: Client
  realServers: RealServer[]
  net: RunningTopology
}
