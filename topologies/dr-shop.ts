import { drTopology } from './dr'
import type { NodeSpec, Topology } from './topology'

/** The shop's client addresses: one workstation that can be 40 clients (fwm and persistence draw from one pool). */
export const shopClientAddresses = Array.from({ length: 40 }, (_, i) => `172.16.100.${51 + i}`)

/**
 * The article's DR set-up as the shop of its firewall-mark section: every real server serves
 * browsing on http 80, checkout on https 443 and a third port, 8080, for "all ports"; the
 * client can speak from several addresses, so that one client's stickiness can be told apart
 * from the scheduler's own order.
 */
export const drShopTopology: Topology = {
  ...drTopology,
  name: 'dr-shop',
  // the shop's runs are told apart by client address (newClient in fixtures/shop-visits.ts), not by port
  freshPorts: [],
  description: 'LVS DR in front of a shop: http 80, https 443 and 8080 on every real server, several client addresses',
  nodes: drTopology.nodes.map((n): NodeSpec => {
    if (n.role === 'real-server') return { ...n, http: { keepaliveTimeout: 0, ports: [80, 8080], tlsPorts: [443] } }
    if (n.role === 'client') return { ...n, extraAddresses: shopClientAddresses.map((address) => ({ on: 'vmnet4', address: `${address}/24` })) }
    return n
  }),
}
