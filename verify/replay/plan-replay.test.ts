import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkTopology } from '../../topologies/check-topology'
import { BadInput } from '../bad-input'
import { lintInputOf } from '../lint/lint-input-of'
import { planReplay } from './plan-replay'

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')
const plan = (rules: string, mangle?: string, withhold?: string[]) => planReplay(lintInputOf({ rules, mangle }), { withhold })
const node = (p: ReturnType<typeof plan>, name: string) => p.topology.nodes.find((n) => n.name === name)!

describe('planReplay', () => {
  it('lays the web farm out on one segment: DR servers with the VIP on lo, each serving what its rules send it', () => {
    const p = plan(example('web-farm.rules'), example('web-farm.mangle'))
    expect(() => checkTopology(p.topology)).not.toThrow()
    expect(p.topology.networks.map((n) => n.subnet)).toEqual(['172.16.0.0/16'])
    expect(p.topology.mode).toBe('dr')
    expect(node(p, 'director')).toMatchObject({
      interfaces: [{ address: '172.16.100.100' }],
      extraAddresses: ['200', '201', '202'].map((h) => ({ address: `172.16.100.${h}/32` })),
    })
    expect(node(p, '172.16.100.101')).toMatchObject({
      extraAddresses: [{ on: 'lo', address: '172.16.100.200/32' }],
      sysctls: { 'net.ipv4.conf.all.arp_ignore': '1', 'net.ipv4.conf.all.arp_announce': '2' },
      http: { ports: [80, 443] },
    })
    expect(node(p, '172.16.100.111').http?.ports).toEqual([8443])
    expect(node(p, '172.16.100.121').http).toBeUndefined()
    expect(p.realServers.find((r) => r.address === '172.16.100.121')).toMatchObject({ udpPorts: [53], vipsOnLo: ['172.16.100.202'] })
    const [shop, api, dns] = p.services
    expect(shop).toMatchObject({
      name: 'FWM 10',
      targets: [
        { address: '172.16.100.200', port: 80 },
        { address: '172.16.100.200', port: 443 },
      ],
      clients: ['172.16.100.51', '172.16.100.52', '172.16.100.53'],
    })
    expect(shop!.checks).toEqual(['answered', 'reached', 'persistence', 'marked-ports', 'reply-path'])
    expect(api).toMatchObject({ clients: ['172.16.100.54'], rounds: 12, checks: ['answered', 'reached', 'wrr-cycles', 'reply-path'] })
    expect(dns).toMatchObject({ clients: ['172.16.100.55'], checks: ['answered', 'reached', 'rr-cycle'] })
    expect(dns!.notChecked).toEqual([expect.stringMatching(/^the reply path: it is checked on TCP only/)])
  })

  it('puts NAT servers on a private network behind the director, and the client where the VIP is', () => {
    const p = plan(example('nat.save'))
    expect(() => checkTopology(p.topology)).not.toThrow()
    expect(p.topology.networks.map((n) => [n.name, n.subnet])).toEqual([
      ['clients', '192.168.0.0/16'],
      ['private-1', '172.16.100.0/24'],
    ])
    expect(node(p, 'director').interfaces).toEqual([
      { network: 'clients', address: '192.168.100.100' },
      { network: 'private-1', address: '172.16.100.100' },
    ])
    expect(node(p, '172.16.100.11')).toMatchObject({ defaultGateway: '172.16.100.100', http: { ports: [80] } })
    expect(node(p, '172.16.100.11').sysctls).toBeUndefined()
    expect(node(p, 'client')).toMatchObject({ interfaces: [{ address: '192.168.100.51' }], defaultGateway: '192.168.100.100' })
    expect(p.services[0]).toMatchObject({ rounds: 4, checks: ['answered', 'reached', 'rr-cycle', 'reply-path'] })
  })

  it('gives a persistent -M service clients in different blocks, and two in one block to share a template', () => {
    const p = plan('-A -t 172.16.100.200:80 -s rr -p 60 -M 255.255.255.0\n-a -t 172.16.100.200:80 -r 172.16.100.101 -g\n-a -t 172.16.100.200:80 -r 172.16.100.102 -g\n')
    expect(p.services[0]!.clients).toEqual(['172.16.100.51', '172.16.101.1', '172.16.100.52'])
    expect(p.services[0]!.sharing).toEqual({ network: '255.255.255.0', clients: ['172.16.100.51', '172.16.100.52'] })
    expect(p.services[0]!.checks).toEqual(['answered', 'reached', 'persistence', 'reply-path', 'netmask-shared'])
  })

  it("with -M as wide as the lab's clients network, has every client share one template, and does not ask them to reach every server", () => {
    const p = plan('-A -t 172.16.100.210:0 -s rr -p 60 -M 255.255.0.0\n-a -t 172.16.100.210:0 -r 172.16.100.104:0 -g\n-a -t 172.16.100.210:0 -r 172.16.100.105:0 -g\n')
    const [pcc] = p.services
    expect(pcc!.targets.map((t) => t.port)).toEqual([80, 443])
    expect(pcc!.sharing?.clients).toEqual(pcc!.clients)
    expect(pcc!.checks).toEqual(['answered', 'persistence', 'reply-path', 'netmask-shared'])
    expect(pcc!.notChecked).toEqual(["that every server is reached: -M 255.255.0.0 puts every client of the lab's /16 in one template"])
  })

  it('serves a DR port where the line wrote it (DR cannot remap), TUN VIPs on tunl0, and nothing on a withheld server', () => {
    const p = plan(
      '-A -t 172.16.100.200:80 -s rr\n-a -t 172.16.100.200:80 -r 172.16.100.101:8080 -g\n-a -t 172.16.100.200:80 -r 172.16.100.102:80 -i\n-a -t 172.16.100.200:80 -r 172.16.100.103:80 -g\n',
      undefined,
      ['172.16.100.103'],
    )
    expect(node(p, '172.16.100.101').http?.ports).toEqual([8080])
    expect(p.realServers.find((r) => r.address === '172.16.100.102')).toMatchObject({ vipsOnTunnel: ['172.16.100.200'], vipsOnLo: [] })
    expect(node(p, '172.16.100.102').extraAddresses).toBeUndefined()
    expect(node(p, '172.16.100.103').http).toBeUndefined()
    expect(p.services[0]!.forward).toBe('mixed')
    expect(p.services[0]!.notChecked).toEqual(['the reply path: the real servers forward as Route and Tunnel'])
  })

  it('judges sh by source and dh by destination, with several clients, and does not ask them to reach every server', () => {
    const p = plan('-A -t 10.0.0.1:80 -s sh\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n-A -t 10.0.0.1:81 -s dh\n-a -t 10.0.0.1:81 -r 10.0.1.1 -m\n')
    expect(p.services.map((s) => [s.checks, s.clients.length])).toEqual([
      [['answered', 'sticky-source', 'reply-path'], 6],
      [['answered', 'sticky-destination', 'reply-path'], 3],
    ])
    expect(p.services[1]!.notChecked).toEqual(['that every server is reached: dh hashes each client (or destination) to a server of its own choosing'])
  })

  it('holds connections for lc, wlc, sed and nq that are not persistent: two rounds where they fit in 16, one where only one does, none past that', () => {
    const rules = [
      '-A -t 10.0.0.1:80 -s sed\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m -w 2\n-a -t 10.0.0.1:80 -r 10.0.1.2 -m -w 1',
      '-A -t 10.0.0.1:81 -s wlc\n-a -t 10.0.0.1:81 -r 10.0.1.1 -m -w 5\n-a -t 10.0.0.1:81 -r 10.0.1.2 -m -w 4',
      '-A -t 10.0.0.1:82 -s lc -p 60\n-a -t 10.0.0.1:82 -r 10.0.1.1 -m',
      '-A -t 10.0.0.1:83 -s nq\n-a -t 10.0.0.1:83 -r 10.0.1.1 -m -w 20\n-a -t 10.0.0.1:83 -r 10.0.1.2 -m -w 1',
      '-A -t 10.0.0.1:84 -s rr\n-a -t 10.0.0.1:84 -r 10.0.1.1 -m',
    ]
    const p = plan(`${rules.join('\n')}\n`)
    expect(p.services.map((s) => [s.scheduler, s.checks.includes('held-load'), s.heldRounds])).toEqual([
      ['sed', true, 2],
      ['wlc', true, 1],
      ['lc', false, undefined],
      ['nq', false, undefined],
      ['rr', false, undefined],
    ])
    expect(p.services[0]!.checks).toEqual(['answered', 'held-load', 'reply-path'])
    expect(p.services[3]!.notChecked).toContain("nq's rule with held connections: a round of 21 is more than the replay's 16")
  })

  it('cannot send to a mark no MARK rule sets, and says so instead of checking', () => {
    const p = plan(
      '-A -f 10 -s rr\n-a -f 10 -r 172.16.100.101 -g\n-A -t 172.16.100.200:80 -s rr\n-a -t 172.16.100.200:80 -r 172.16.100.102 -g\n',
      example('web-farm.mangle').replace('0xa/', '0xb/'),
    )
    expect(p.services[0]).toMatchObject({ targets: [], checks: [], notChecked: ['no traffic can be sent: no MARK rule in the mangle file sets mark 10'] })
  })

  it.each([
    [
      'more real servers than the lab holds',
      ['-A -t 10.0.0.1:80', ...Array.from({ length: 11 }, (_, i) => `-a -t 10.0.0.1:80 -r 10.0.1.${i + 1} -m`)].join('\n'),
      /holds at most 10/,
    ],
    [
      'a server that is NAT in one service and DR in another',
      '-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n-A -t 10.0.1.200:80\n-a -t 10.0.1.200:80 -r 10.0.1.1 -g\n',
      /10\.0\.1\.1 is a NAT real server/,
    ],
    ['IPv6', '-A -t [2001:db8::1]:80\n-a -t [2001:db8::1]:80 -r [2001:db8::2]:80 -m\n', /IPv6, and the lab's networks are IPv4 only/],
    ['addresses on the lab guest own network', '-A -t 10.0.3.1:80\n-a -t 10.0.3.1:80 -r 10.0.2.20 -m\n', /lab guest's own network 10\.0\.2\.0\/24/],
    ['no service at all', '--set 900 60 300\n', /nothing to replay/],
  ])('refuses %s with a BadInput naming the limit', (_what, rules, message) => {
    expect(() => plan(rules)).toThrow(BadInput)
    expect(() => plan(rules)).toThrow(message)
  })
})
