import { arpSilence } from './dr'
import { portRange, type Topology } from './topology'

const vip = '172.16.100.200'
const freshPorts = portRange(8001, 30)

/**
 *                       vmnet4 172.16.100.0/24 (one L2 segment)
 *   client .50 --+---------------+---------------+----------------+----------------+
 *                |               |               |                |
 *      .100 lvs-node-0a   .99 lvs-node-0b   .101 lvs-node-1   .102 lvs-node-2
 *      (director, VRRP    (director, VRRP   lo: VIP/32        lo: VIP/32
 *       priority 150)      priority 100)    arp_ignore=1, arp_announce=2
 *            the VIP .200/32 on whichever is master (keepalived)
 */
export const haDrTopology: Topology = {
  name: 'ha-dr',
  mode: 'dr',
  description: 'two LVS DR directors sharing the VIP through VRRP (keepalived), two nginx real servers',
  vip,
  freshPorts,
  networks: [{ name: 'vmnet4', subnet: '172.16.100.0/24', gateway: '172.16.100.2', description: 'the one segment every machine is on' }],
  vrrp: {
    network: 'vmnet4',
    virtualRouterId: 51,
    advertInt: 1,
    members: [
      { node: 'lvs-node-0a', priority: 150 },
      { node: 'lvs-node-0b', priority: 100 },
    ],
  },
  nodes: [
    { name: 'lvs-node-0a', role: 'director', interfaces: [{ network: 'vmnet4', address: '172.16.100.100' }] },
    { name: 'lvs-node-0b', role: 'director', interfaces: [{ network: 'vmnet4', address: '172.16.100.99' }] },
    ...[1, 2].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.10${n}` }],
      sysctls: arpSilence,
      extraAddresses: [{ on: 'lo', address: `${vip}/32` }],
      http: { keepaliveTimeout: 0, ports: [80, ...freshPorts] },
    })),
    { name: 'client', role: 'client', interfaces: [{ network: 'vmnet4', address: '172.16.100.50' }] },
  ],
}
