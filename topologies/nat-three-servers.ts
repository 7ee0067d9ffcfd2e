import { natTopology } from './nat'
import type { Topology } from './topology'

/**
 * The article's NAT set-up with a third real server: schedulers that weigh, hash or count
 * need more than two to show their rule. Where a scheduler keys on the client's address
 * (sh, mh) the suites give the client extra source addresses; where it keys on the
 * destination (dh, lblc, lblcr) they give the director extra local addresses.
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
  nodes: [
    ...natTopology.nodes.filter((n) => n.role !== 'real-server'),
    ...[1, 2, 3].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.${10 + n}` }],
      defaultGateway: '172.16.100.10',
      http: { keepaliveTimeout: 0 },
    })),
  ],
}
