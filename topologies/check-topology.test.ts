import { describe, expect, it } from 'vitest'
import { checkTopology } from './check-topology'
import { drTopology } from './dr'
import { natTopology } from './nat'
import { drShopTopology } from './dr-shop'
import { natThreeServersTopology } from './nat-three-servers'
import { haDrTopology } from './ha-dr'
import { haNatTopology } from './ha-nat'
import type { Topology } from './topology'

const routedClient: Topology = {
  ...drTopology,
  networks: [...drTopology.networks, { name: 'outside', subnet: '192.168.100.0/24', gateway: '192.168.100.2', description: 'a second segment' }],
  nodes: drTopology.nodes.map((n) => (n.role === 'client' ? { ...n, interfaces: [{ network: 'outside', address: '192.168.100.1' }] } : n)),
}

describe('checkTopology', () => {
  it('accepts the topologies the suites use', () => {
    expect(() => checkTopology(natTopology)).not.toThrow()
    expect(() => checkTopology(drTopology)).not.toThrow()
    expect(() => checkTopology(natThreeServersTopology)).not.toThrow()
    expect(() => checkTopology(drShopTopology)).not.toThrow()
    expect(() => checkTopology(haDrTopology)).not.toThrow()
    expect(() => checkTopology(haNatTopology)).not.toThrow()
  })

  it('refuses a floating address on a network a director lacks, or an instance id used twice', () => {
    const away = { ...haNatTopology, vrrp: { ...haNatTopology.vrrp!, floating: [{ network: 'elsewhere', address: '10.0.0.1/32', virtualRouterId: 52 }] } }
    expect(() => checkTopology(away)).toThrow('topology ha-nat: the VRRP network elsewhere is not on both directors; put both directors on it')
    const twice = { ...haNatTopology, vrrp: { ...haNatTopology.vrrp!, floating: [{ network: 'vmnet4', address: '172.16.100.10/32', virtualRouterId: 51 }] } }
    expect(() => checkTopology(twice)).toThrow('its VRRP instances share a virtual_router_id (51, 51); give each floating address its own')
  })

  it('refuses two directors without a VRRP group, and a group that is not the two directors, in one line', () => {
    const { vrrp: _, ...noGroup } = haDrTopology
    expect(() => checkTopology(noGroup)).toThrow(
      'topology ha-dr: it has two directors (lvs-node-0a, lvs-node-0b) and no VRRP group; give it a vrrp group with both as members, or drop one',
    )
    const wrongMember = {
      ...haDrTopology,
      vrrp: {
        ...haDrTopology.vrrp!,
        members: [
          { node: 'lvs-node-0a', priority: 150 },
          { node: 'lvs-node-1', priority: 100 },
        ],
      },
    }
    expect(() => checkTopology(wrongMember)).toThrow('its VRRP group (lvs-node-0a, lvs-node-1) is not its two directors (lvs-node-0a, lvs-node-0b)')
    const tie = { ...haDrTopology, vrrp: { ...haDrTopology.vrrp!, members: haDrTopology.vrrp!.members.map((m) => ({ ...m, priority: 100 })) } }
    expect(() => checkTopology(tie)).toThrow('both VRRP members have priority 100')
  })

  it('refuses DR with the client on another L2 segment, naming the node and the segment', () => {
    expect(() => checkTopology(routedClient)).toThrow(
      "topology dr: DR needs every node on the real servers' L2 segment vmnet4, but client (on outside) is not; give it an address on vmnet4",
    )
  })

  it('accepts the same routed client in NAT, where the director routes for it', () => {
    expect(() => checkTopology({ ...routedClient, mode: 'nat' })).not.toThrow()
  })

  it('refuses an address outside its network, an unknown network and a second director', () => {
    const moved = { ...drTopology, nodes: drTopology.nodes.map((n) => (n.name === 'lvs-node-1' ? { ...n, interfaces: [{ network: 'vmnet4', address: '172.16.101.101' }] } : n)) }
    expect(() => checkTopology(moved)).toThrow("lvs-node-1's address 172.16.101.101 is outside vmnet4 (172.16.100.0/24)")
    const lost = { ...drTopology, nodes: drTopology.nodes.map((n) => (n.role === 'client' ? { ...n, interfaces: [{ network: 'lan', address: '10.0.0.1' }] } : n)) }
    expect(() => checkTopology(lost)).toThrow('client is on network lan, which the topology does not define')
    const twoDirectors = { ...drTopology, nodes: [...drTopology.nodes, { ...drTopology.nodes[0], name: 'lvs-node-9' }] }
    expect(() => checkTopology(twoDirectors)).toThrow('it has two directors (lvs-node-0, lvs-node-9) and no VRRP group')
  })

  it('refuses a VIP on a network the node has no interface on', () => {
    const bad = { ...drTopology, nodes: drTopology.nodes.map((n) => (n.role === 'director' ? { ...n, extraAddresses: [{ on: 'outside', address: '172.16.100.200/32' }] } : n)) }
    expect(() => checkTopology(bad)).toThrow('lvs-node-0 puts 172.16.100.200/32 on outside, where it has no interface')
  })
})
