import { portRange, type Topology } from './topology'

/** The real servers' default gateway: no director's own address, it floats with the VIP. */
export const haNatGateway = '172.16.100.10'

/**
 *        outside 192.168.100.0/24                               vmnet4 172.16.100.0/24
 *  client .1 --+------ .7 lvs-node-0a (VRRP 150) .13 ------+---------------+---------------+
 *              |                                           |               |               |
 *              +------ .8 lvs-node-0b (VRRP 100) .14 ------+        .11 lvs-node-1   .12 lvs-node-2
 *                                                                   gw .10           gw .10
 *  on whichever director is master: the VIP .6/32 outside and the gateway .10/32 inside, two
 *  VRRP instances in one vrrp_sync_group, so that replies go back through the director that
 *  took the request
 */
export const haNatTopology: Topology = {
  name: 'ha-nat',
  mode: 'nat',
  description: 'two LVS NAT directors sharing the VIP and the real servers’ gateway through VRRP (keepalived), two nginx real servers',
  vip: '192.168.100.6',
  // NAT remaps the port: every virtual port reaches nginx on 80
  freshPorts: portRange(8001, 30),
  networks: [
    { name: 'outside', subnet: '192.168.100.0/24', gateway: '192.168.100.2', description: 'the outside network the client is on' },
    { name: 'vmnet4', subnet: '172.16.100.0/24', gateway: '172.16.100.2', description: 'the private network of the real servers' },
  ],
  vrrp: {
    network: 'outside',
    virtualRouterId: 51,
    advertInt: 1,
    members: [
      { node: 'lvs-node-0a', priority: 150 },
      { node: 'lvs-node-0b', priority: 100 },
    ],
    floating: [{ network: 'vmnet4', address: `${haNatGateway}/32`, virtualRouterId: 52 }],
  },
  nodes: [
    ...[
      ['lvs-node-0a', '7', '13'],
      ['lvs-node-0b', '8', '14'],
    ].map(([name, outside, inside]) => ({
      name: name!,
      role: 'director' as const,
      interfaces: [
        { network: 'outside', address: `192.168.100.${outside}` },
        { network: 'vmnet4', address: `172.16.100.${inside}` },
      ],
      sysctls: { 'net.ipv4.ip_forward': '1' },
    })),
    ...[1, 2].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.1${n}` }],
      defaultGateway: haNatGateway,
      http: { keepaliveTimeout: 0 },
    })),
    { name: 'client', role: 'client', interfaces: [{ network: 'outside', address: '192.168.100.1' }] },
  ],
}
