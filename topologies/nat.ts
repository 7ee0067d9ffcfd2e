import { portRange, type Topology } from './topology'

/**
 *            outside 192.168.100.0/24                 vmnet4 172.16.100.0/24
 *  client .1 ---------------------- .6 lvs-node-0 .10 ------+------------------+
 *                                     (director,            |                  |
 *                                      ip_forward=1)   .11 lvs-node-1     .12 lvs-node-2
 *                                                      gw 172.16.100.10   gw 172.16.100.10
 */
export const natTopology: Topology = {
  name: 'nat',
  description: 'LVS NAT: the director masquerades for two nginx real servers on a private network',
  mode: 'nat',
  vip: '192.168.100.6',
  // NAT remaps the port: every virtual port reaches nginx on 80
  freshPorts: portRange(8001, 40),
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
    {
      name: 'lvs-node-1',
      role: 'real-server',
      interfaces: [{ network: 'vmnet4', address: '172.16.100.11' }],
      defaultGateway: '172.16.100.10',
      http: { keepaliveTimeout: 0 },
    },
    {
      name: 'lvs-node-2',
      role: 'real-server',
      interfaces: [{ network: 'vmnet4', address: '172.16.100.12' }],
      defaultGateway: '172.16.100.10',
      http: { keepaliveTimeout: 0 },
    },
    {
      name: 'client',
      role: 'client',
      interfaces: [{ network: 'outside', address: '192.168.100.1' }],
    },
  ],
}
