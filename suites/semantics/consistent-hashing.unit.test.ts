import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { natTopology } from '../../topologies/nat'
import { describeHashingRun, destinationsByClient, hashingCounts, hashingTable, mostClientsMove, onlyRemovedServersClientsMove, type HashingRun } from './consistent-hashing'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

const vip = natTopology.vip
const servers = ['172.16.100.11:80', '172.16.100.13:80', '172.16.100.12:80', '172.16.100.14:80']
const removed = '172.16.100.14:80'

/**
 * The hashing test attaches no -Lnc of its own: hashing-6.1.txt is the director's next one in the same run
 * (sloppy_tcp=0's, while the open connection waited), cut to the 10.200.0.0/16 clients' entries. Each waits
 * 2 min in TIME_WAIT, so it still held both rounds of both services: mh on 8001 (client ports 31000, then
 * 31001 after the -d), sh on 8002 (31002, 31003). The tables and summaries the hashing tests attached
 * (hashing-*-table, hashing-*-run) show it is what they read.
 */
const listing = lab('hashing-6.1.txt')
const hashingAt = (scheduler: string, port: number, sourcePort: number): HashingRun => ({
  scheduler,
  servers,
  removed,
  before: destinationsByClient(listing, { vip, port, sourcePort }),
  after: destinationsByClient(listing, { vip, port, sourcePort: sourcePort + 1 }),
})

describe('consistent hashing (one of four servers deleted under 256 clients, the 6.1 lab’s -Lnc)', () => {
  const mh = hashingAt('mh', 8001, 31000)
  const sh = hashingAt('sh', 8002, 31002)

  it('reads one destination per client address for each round of each service, and nothing of another round', () => {
    for (const m of [mh.before, mh.after, sh.before, sh.after]) expect(m.size).toBe(256)
    expect(mh.before.get('10.200.2.101')).toBe('172.16.100.14:80')
    expect(mh.after.get('10.200.2.101')).toBe('172.16.100.12:80')
    expect(sh.before.get('10.200.2.118')).toBe('172.16.100.14:80')
    expect(destinationsByClient(listing, { vip, port: 8001, sourcePort: 31002 }).size).toBe(0)
    expect(destinationsByClient(listing, { vip, port: 8003, sourcePort: 31000 }).size).toBe(0)
  })

  it('the runs rebuilt from the listing read as the lab’s runs did, client by client (its table and what the run saw)', () => {
    expect(hashingTable(mh)).toBe(lab('hashing-mh-table-6.1.txt'))
    expect(hashingTable(sh)).toBe(lab('hashing-sh-table-6.1.txt'))
    expect(describeHashingRun(mh)).toBe(lab('hashing-mh-run-6.1.txt'))
    expect(describeHashingRun(sh)).toBe(lab('hashing-sh-run-6.1.txt'))
  })

  it('counts the lab’s runs: mh kept 196 of 256 and moved 2 of the 198 that stayed; sh kept 63 and moved 129 of 192', () => {
    expect(hashingCounts(mh)).toEqual({
      clients: 256,
      compared: 256,
      kept: 196,
      ofRemoved: 58,
      ofStayed: 198,
      movedFromStayed: 2,
      spread: new Map(servers.map((s, i) => [s, [55, 74, 69, 58][i]!])),
      onRemovedAfter: 0,
    })
    expect(hashingCounts(sh)).toMatchObject({ clients: 256, compared: 256, kept: 63, ofRemoved: 64, ofStayed: 192, movedFromStayed: 129, onRemovedAfter: 0 })
  })

  it('mh: only the removed server’s clients move, and the most-move check fails', () => {
    expect(passed(onlyRemovedServersClientsMove(mh))).toBe(true)
    expect(mostClientsMove(mh).failures).toEqual(['196 of 256 clients (76.6%) kept their server, not fewer than half'])
  })

  it('sh: most clients move, and the only-its-clients-move check fails', () => {
    expect(passed(mostClientsMove(sh))).toBe(true)
    expect(onlyRemovedServersClientsMove(sh).failures).toEqual([
      '63 of 256 clients (24.6%) kept their server, fewer than 70%',
      '129 of the 192 clients of servers that stayed moved (67.2%), more than 2%',
    ])
  })

  it('too few clients, a client not seen again, or a connection to the removed server fails both checks', () => {
    expect(onlyRemovedServersClientsMove(mh, 257).failures).toEqual(['only 256 clients connected before the removal (at least 257 are needed)'])
    const unseen = { ...mh, after: new Map([...mh.after].filter(([client]) => client !== '10.200.1.55')) }
    expect(onlyRemovedServersClientsMove(unseen).failures).toEqual(['1 clients have no connection after the removal'])
    expect(mostClientsMove({ ...sh, after: new Map([...sh.after].slice(1)) }).failures).toEqual(['1 clients have no connection after the removal'])
    const toRemoved = { ...sh, after: new Map([...sh.after].map(([client, server], i) => [client, i === 0 ? removed : server])) }
    expect(mostClientsMove(toRemoved).failures).toContain('1 connections went to the removed 172.16.100.14:80 after its removal')
  })
})

describe('hashingCounts (constructed rounds)', () => {
  const run: HashingRun = {
    scheduler: 'mh',
    servers: ['a:80', 'b:80', 'c:80', 'd:80'],
    removed: 'd:80',
    before: new Map([
      ['c1', 'a:80'],
      ['c2', 'a:80'],
      ['c3', 'b:80'],
      ['c4', 'd:80'],
      ['c5', 'd:80'],
      ['c6', 'c:80'],
    ]),
    after: new Map([
      ['c1', 'a:80'],
      ['c2', 'b:80'],
      ['c3', 'b:80'],
      ['c4', 'a:80'],
      ['c5', 'd:80'],
      ['c7', 'c:80'],
    ]),
  }

  it('compares the clients of both rounds; a removed server’s client still on it counts as kept and as on the removed server', () => {
    expect(hashingCounts(run)).toEqual({
      clients: 6,
      compared: 5,
      kept: 3,
      ofRemoved: 2,
      ofStayed: 3,
      movedFromStayed: 1,
      spread: new Map([
        ['a:80', 2],
        ['b:80', 1],
        ['c:80', 1],
        ['d:80', 2],
      ]),
      onRemovedAfter: 1,
    })
  })

  it('the spread names every server, those no client chose at 0, and a server without clients fails the checks', () => {
    const one = { ...run, before: new Map([['c1', 'a:80']]) }
    expect([...hashingCounts(one).spread]).toEqual([
      ['a:80', 1],
      ['b:80', 0],
      ['c:80', 0],
      ['d:80', 0],
    ])
    expect(onlyRemovedServersClientsMove(one, 1).failures).toContain('a server had no client before the removal (a:80 1, b:80 0, c:80 0, d:80 0)')
  })
})
