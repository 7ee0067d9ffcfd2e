import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseVrrpStates } from '../../fixtures/vrrp-pair'
import { haNatGateway, haNatTopology } from '../../topologies/ha-nat'
import { dockerMac, lab, labRuns } from './lab-runs'
import { describeGateway, natMovedTo, parseNeighbour, type NatMoveRun } from './nat-failover'

const { viewOf, moveRunOf } = labRuns(haNatTopology, { instance: 'VI_51' })
const insideMac0b = dockerMac('172.16.100.14')

/**
 * A NAT move as natMove() in nat-failover.test.ts built it: the move from its attachments (lab-runs.ts), the gateway
 * from the same directors' views (the address on them, the VI_52 instance's last state) and each real server's
 * `ip neigh show` of the gateway.
 */
function natRunOf(run: 'nat-cut' | 'nat-cut-apart'): NatMoveRun {
  const holds = (d: '0a' | '0b') => {
    const v = viewOf(`${run}-${d}-6.1.txt`, `lvs-node-${d}`)
    return { name: v.name, holdsGateway: v.addresses.includes(`inet ${haNatGateway}/`), state: parseVrrpStates(v.log, 'VI_52').at(-1) }
  }
  return {
    move: moveRunOf(run, 'lvs-node-0b'),
    gateway: {
      gateway: haNatGateway,
      to: { ...holds('0b'), insideMac: insideMac0b },
      other: holds('0a'),
      neighbours: [1, 2].map((n) => ({ name: `lvs-node-${n}`, ...parseNeighbour(lab(`${run}-rs${n}-neigh-6.1.txt`)) })),
    },
  }
}

describe('parseNeighbour on the real servers’ ip neigh of the 6.1 lab', () => {
  it('reads the MAC and the state; an empty reading has neither', () => {
    expect(parseNeighbour(lab('nat-cut-rs1-neigh-6.1.txt'))).toEqual({ mac: insideMac0b, state: 'REACHABLE' })
    expect(parseNeighbour(lab('nat-cut-apart-rs1-neigh-6.1.txt'))).toEqual({ mac: dockerMac('172.16.100.13'), state: 'DELAY' })
    expect(parseNeighbour('')).toEqual({})
    expect(parseNeighbour('172.16.100.10 dev eth0 FAILED')).toEqual({ state: 'FAILED' })
  })
})

describe('natMovedTo: the master’s outside link cut, on the 6.1 lab', () => {
  const grouped = natRunOf('nat-cut')
  const apart = natRunOf('nat-cut-apart')

  it('in one sync group, both instances fault on lvs-node-0a and lvs-node-0b takes the VIP and the gateway; the real servers follow; new connections answered', () => {
    expect(grouped.move.from.state).toBe('FAULT')
    expect(grouped.gateway.other).toEqual({ name: 'lvs-node-0a', holdsGateway: false, state: 'FAULT' })
    expect(grouped.gateway.to).toMatchObject({ holdsGateway: true, state: 'MASTER' })
    expect(natMovedTo(grouped).failures).toEqual([])
    expect(passed(natMovedTo(grouped))).toBe(true)
  })

  it('apart, only the VIP instance faults: the gateway stays MASTER on lvs-node-0a, the replies go there, and the check fails as it did in the lab', () => {
    expect(apart.move.to).toMatchObject({ holdsVip: true, state: 'MASTER' })
    expect(natMovedTo(apart).failures).toEqual([
      'no new connection was answered after the master lost its outside link (9 probes)',
      'lvs-node-0b does not hold the gateway 172.16.100.10 (its instance is BACKUP)',
      'lvs-node-0a still holds the gateway 172.16.100.10 (its instance is MASTER)',
      "lvs-node-1's neighbour entry for 172.16.100.10 is 02:42:ac:10:64:0d, not lvs-node-0b's 02:42:ac:10:64:0e",
      "lvs-node-2's neighbour entry for 172.16.100.10 is 02:42:ac:10:64:0d, not lvs-node-0b's 02:42:ac:10:64:0e",
    ])
  })

  it('fails on the gateway alone when the VIP moved and was answered but a real server still points at the old director', () => {
    const stale = { ...grouped, gateway: { ...grouped.gateway, neighbours: [grouped.gateway.neighbours[0]!, { name: 'lvs-node-2', mac: dockerMac('172.16.100.13') }] } }
    expect(natMovedTo(stale).failures).toEqual(["lvs-node-2's neighbour entry for 172.16.100.10 is 02:42:ac:10:64:0d, not lvs-node-0b's 02:42:ac:10:64:0e"])
  })

  it('describes who holds the gateway and where each real server sends its replies', () => {
    expect(describeGateway(apart.gateway)).toBe(
      [
        'the gateway 172.16.100.10: lvs-node-0b does not hold it (BACKUP); lvs-node-0a holds it (MASTER)',
        "lvs-node-0b's inside MAC: 02:42:ac:10:64:0e",
        'lvs-node-1: neighbour entry for 172.16.100.10 02:42:ac:10:64:0d DELAY',
        'lvs-node-2: neighbour entry for 172.16.100.10 02:42:ac:10:64:0d REACHABLE',
      ].join('\n'),
    )
  })
})
