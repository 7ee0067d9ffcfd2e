import { portRange, type Topology } from './topology'

const vip = '172.16.100.200'
/** DR and TUN keep the port: the real servers serve every port an observation may get. */
const freshPorts = portRange(8001, 20)

/** What the article sets on a DR real server before the VIP goes on its loopback. */
export const arpSilence = {
  'net.ipv4.conf.all.arp_ignore': '1',
  'net.ipv4.conf.lo.arp_ignore': '1',
  'net.ipv4.conf.all.arp_announce': '2',
  'net.ipv4.conf.lo.arp_announce': '2',
}

/**
 *                       vmnet4 172.16.100.0/24 (one L2 segment)
 *   client .50 ----+----------------+------------------+------------------+
 *                  |                |                  |
 *        .100 lvs-node-0     .101 lvs-node-1     .102 lvs-node-2
 *        (director,          lo: VIP/32          lo: VIP/32
 *         VIP .200/32)       arp_ignore=1, arp_announce=2 on all and lo
 */
export const drTopology: Topology = {
  name: 'dr',
  mode: 'dr',
  description: 'LVS DR: the director rewrites the destination MAC, the real servers answer the client directly from the VIP',
  vip,
  freshPorts,
  networks: [{ name: 'vmnet4', subnet: '172.16.100.0/24', gateway: '172.16.100.2', description: 'the one host-only segment every machine is on' }],
  nodes: [
    {
      name: 'lvs-node-0',
      role: 'director',
      interfaces: [{ network: 'vmnet4', address: '172.16.100.100' }],
      extraAddresses: [{ on: 'vmnet4', address: `${vip}/32` }],
    },
    ...[1, 2].map((n) => ({
      name: `lvs-node-${n}`,
      role: 'real-server' as const,
      interfaces: [{ network: 'vmnet4', address: `172.16.100.10${n}` }],
      sysctls: arpSilence,
      extraAddresses: [{ on: 'lo', address: `${vip}/32` }],
      http: { keepaliveTimeout: 0, ports: [80, ...freshPorts] },
    })),
    {
      name: 'client',
      role: 'client',
      interfaces: [{ network: 'vmnet4', address: '172.16.100.50' }],
    },
  ],
}
