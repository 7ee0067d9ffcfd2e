import { natTopology } from './nat'
import type { Topology } from './topology'

/** The client's extra addresses (sh, mh) and the director's extra destinations (dh, lblc, lblcr). */
export const clientSources = [21, 22, 23, 24, 25, 26, 27, 28].map((n) => `192.168.100.${n}`)
export const destinations = [41, 42, 43, 44, 45, 46].map((n) => `192.168.100.${n}`)

/**
 * The article's NAT set-up with a third real server: schedulers that weigh, hash or count
 * need more than two to show their rule. Where a scheduler keys on the client's address
 * (sh, mh) the client speaks from extra source addresses (.21-.28); where it keys on the
 * destination (dh, lblc, lblcr) the director owns extra local addresses (.41-.46): IPVS takes
 * NAT traffic at LOCAL_IN, so the director must own the destinations it balances.
 *
 *            outside 192.168.100.0/24                 vmnet4 172.16.100.0/24
 *  client .1 ---------------------- .6 lvs-node-0 .10 ------+---------------+---------------+
 *                                     (director,            |               |               |
 *                                      ip_forward=1)   .11 lvs-node-1  .12 lvs-node-2  .13 lvs-node-3
 *                                                      every real server: gw 172.16.100.10
 */
export const natThreeServersTopology: Topology = {
  ...natTopology,
  name: 'nat3',
  description: 'LVS NAT with three nginx real servers behind the director',
  // the suites on this topology take fresh virtual ports from suites' scenario (three-servers)
  freshPorts: [],
  nodes: [
    ...natTopology.nodes
      .filter((n) => n.role !== 'real-server')
      .map((n) => ({
        ...n,
        extraAddresses: n.role === 'client' ? clientSources.map((a) => ({ on: 'outside', address: `${a}/24` })) : destinations.map((a) => ({ on: 'outside', address: `${a}/32` })),
      })),
    ...[1, 2, 3].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.${10 + n}` }],
      defaultGateway: '172.16.100.10',
      http: { keepaliveTimeout: 0 },
    })),
  ],
}
