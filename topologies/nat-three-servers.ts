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
  name: 'nat3',
  description: 'LVS NAT with three nginx real servers behind the director',
  vip: '192.168.100.6',
  networks: [
    { name: 'outside', subnet: '192.168.100.0/24', gateway: '192.168.100.2', description: 'the outside network the client is on' },
    { name: 'vmnet4', subnet: '172.16.100.0/24', gateway: '172.16.100.2', description: 'the private host-only network of the real servers' },
  ],
  nodes: [
    {
      name: 'lvs-node-0',
      role: 'director',
      interfaces: [
        { network: 'outside', address: '192.168.100.6' },
        { network: 'vmnet4', address: '172.16.100.10' },
      ],
      sysctls: { 'net.ipv4.ip_forward': '1' },
    },
    ...[1, 2, 3].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.${10 + n}` }],
      defaultGateway: '172.16.100.10',
      http: { keepaliveTimeout: 0 },
    })),
    {
      name: 'client',
      role: 'client',
      interfaces: [{ network: 'outside', address: '192.168.100.1' }],
    },
  ],
}
