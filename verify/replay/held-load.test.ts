import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseIpvsList } from '../../lab/ipvs/parse-list'
import type { RealServer } from '../../lab/ipvs/types'
import { predictHeld, type LoadRule } from '../../suites/schedulers/load-rules'
import { expectedShares, heldCount, heldLoadFollowsRule } from './held-load'
import type { PlannedServer } from './replay-plan'

const server = (address: string, weight: number): PlannedServer => ({ address, weight, forward: 'Masq' })
const row = (address: string, weight: number, activeConns: number, inactiveConns = 0): RealServer => ({ address, port: 4040, forward: 'Masq', weight, activeConns, inactiveConns })

describe('expectedShares and heldCount', () => {
  it('lc: one each per round, weights aside; wlc, sed, nq: the reduced weights; weight 0 gets none', () => {
    const servers = [server('10.0.1.11', 4), server('10.0.1.14', 2), server('10.0.1.15', 0)]
    expect([...expectedShares('lc', servers, 2)]).toEqual([
      ['10.0.1.11', 2],
      ['10.0.1.14', 2],
    ])
    for (const s of ['wlc', 'sed', 'nq']) expect(Object.fromEntries(expectedShares(s, servers, 1))).toEqual({ '10.0.1.11': 2, '10.0.1.14': 1 })
    expect(heldCount('wlc', servers, 2)).toBe(6)
    expect(heldCount('lc', [server('a', 0)], 1)).toBe(0)
  })

  it('whole rounds end at the shares whatever the order of the kernel’s list: the kernel’s rules (load-rules.ts) played from zero load', () => {
    const weightSets = [
      [1, 1],
      [2, 1],
      [1, 3],
      [3, 2, 1],
      [1, 1, 5],
      [4, 2, 2],
      [5, 3, 2, 1],
      [1, 2, 3, 4],
    ]
    for (const rule of ['lc', 'wlc', 'sed', 'nq'] as LoadRule[])
      for (const weights of weightSets)
        for (const order of [weights, [...weights].reverse()]) {
          const servers = order.map((w, i) => server(`s${i}`, w))
          for (const rounds of [1, 2]) {
            const count = heldCount(rule, servers, rounds)
            const picked = predictHeld(
              rule,
              servers.map((s) => ({ name: s.address, weight: s.weight, activeConns: 0, inactiveConns: 0 })),
              count,
            )
            const got = new Map<string, number>()
            for (const p of picked) got.set(p!, (got.get(p!) ?? 0) + 1)
            expect(Object.fromEntries(got), `${rule} ${order.join(':')} x${rounds}`).toEqual(Object.fromEntries(expectedShares(rule, servers, rounds)))
          }
        }
  })
})

describe('heldLoadFollowsRule', () => {
  const servers = [server('10.0.1.11', 2), server('10.0.1.14', 1)]
  const quiet = [row('10.0.1.11', 2, 0, 3), row('10.0.1.14', 1, 0, 2)]

  it('holds when each server holds its share of whole rounds and nothing was active before', () => {
    const v = heldLoadFollowsRule('sed', servers, 2, { asked: 6, opened: 6, before: quiet, after: [row('10.0.1.11', 2, 4), row('10.0.1.14', 1, 2)] })
    expect(v.check).toBe('sed: 6 connections held one after another spread as the rule says (each its weight per round of sum(weights))')
    expect(passed(v)).toBe(true)
  })

  it('fails on a share the rule does not give, a connection that did not open, and a start that was not quiet', () => {
    expect(heldLoadFollowsRule('sed', servers, 2, { asked: 6, opened: 6, before: quiet, after: [row('10.0.1.11', 2, 3), row('10.0.1.14', 1, 3)] }).failures).toEqual([
      '10.0.1.11 (weight 2) holds 3 active connections, the rule gives it 4',
      '10.0.1.14 (weight 1) holds 3 active connections, the rule gives it 2',
    ])
    expect(
      heldLoadFollowsRule('wlc', [server('10.0.1.11', 1), server('10.0.1.12', 1)], 2, {
        asked: 4,
        opened: 2,
        before: quiet,
        after: [row('10.0.1.11', 1, 2), row('10.0.1.12', 1, 0)],
      }).failures,
    ).toEqual(['only 2 of 4 connections could be opened', '10.0.1.12 (weight 1) holds 0 active connections, the rule gives it 2'])
    const busy = [row('10.0.1.11', 2, 1), row('10.0.1.14', 1, 0)]
    expect(heldLoadFollowsRule('sed', servers, 1, { asked: 3, opened: 3, before: busy, after: [row('10.0.1.11', 2, 3), row('10.0.1.14', 1, 1)] }).failures).toEqual([
      'starting state not met: 10.0.1.11 held 1 active before the first one',
      '10.0.1.11 (weight 2) holds 3 active connections, the rule gives it 2',
    ])
  })

  it('fails when a server is missing from the table', () => {
    expect(heldLoadFollowsRule('lc', servers, 1, { asked: 2, opened: 2, before: quiet, after: [row('10.0.1.11', 2, 1)] }).failures).toEqual(['10.0.1.14 is not in the table'])
  })
})

describe('heldLoadFollowsRule on the 6.1 lab’s -Ln of the broken file’s replay', () => {
  const lab = (f: string) => parseIpvsList(readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')).services[0]!.realServers

  it('sed 2:1, two rounds: 4 and 2 held, from a start with only inactive entries', () => {
    const v = heldLoadFollowsRule('sed', [server('10.0.1.11', 2), server('10.0.1.14', 1)], 2, {
      asked: 6,
      opened: 6,
      before: lab('held-sed-before-6.1.txt'),
      after: lab('held-sed-after-6.1.txt'),
    })
    expect(v.failures).toEqual([])
  })

  it('wlc 1:1 with 10.0.1.12 withheld: its connections refused (inactive 2 to 5), 1 of 4 opened, the check fails', () => {
    const v = heldLoadFollowsRule('wlc', [server('10.0.1.11', 1), server('10.0.1.12', 1)], 2, {
      asked: 4,
      opened: 1,
      before: lab('held-wlc-withheld-before-6.1.txt'),
      after: lab('held-wlc-withheld-after-6.1.txt'),
    })
    expect(v.failures).toEqual([
      'only 1 of 4 connections could be opened',
      '10.0.1.11 (weight 1) holds 1 active connections, the rule gives it 2',
      '10.0.1.12 (weight 1) holds 0 active connections, the rule gives it 2',
    ])
  })
})
