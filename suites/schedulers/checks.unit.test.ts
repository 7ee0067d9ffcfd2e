import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSourcedTransfers } from '../../lab/http/sourced-transfers'
import { parseHeldConnections } from '../../lab/tcp/held-connections'
import { passed } from '../../fixtures/verdict'
import { followsLoadRule, heldContinue, serverOf, spreads, stickyPerKey, thresholdHysteresis, weightZeroOutcome, type ThresholdStep } from './checks'

// Output captured from the 6.1 lab: the checks must tell the rule from its broken scenario.
const http = (f: string) => parseSourcedTransfers(readFileSync(new URL(`../../lab/http/__fixtures__/${f}`, import.meta.url), 'utf8'))
const held = (f: string) => parseHeldConnections(readFileSync(new URL(`../../lab/tcp/__fixtures__/${f}`, import.meta.url), 'utf8'))
const steps = (f: string): ThresholdStep[] =>
  [...readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8').matchAll(/held (\d+) -> (\S+)/g)].map((m) => ({ loadBefore: Number(m[1]), went: m[2] }))

describe('scheduler checks on captured lab output', () => {
  it('sh sticks per client address and spreads; rr over the same clients does not stick', () => {
    const sh = http('curl-sourced-sh-6.1.txt')
    expect(passed(stickyPerKey(sh, 'sh'))).toBe(true)
    expect(passed(spreads([...serverOf(sh).values()], 2, 'sh'))).toBe(true)
    expect(passed(stickyPerKey(http('curl-sourced-rr-6.1.txt'), 'sh'))).toBe(false)
  })

  it('sh with lvs-node-2 at weight 0 and no fallback: its clients refused, the other kept', () => {
    const before = serverOf(http('curl-sourced-sh-6.1.txt'))
    const after = http('curl-sourced-sh-weight0-6.1.txt')
    expect(passed(weightZeroOutcome(before, after, 'lvs-node-2', false, 'refused'))).toBe(true)
    expect(passed(weightZeroOutcome(before, after, 'lvs-node-2', true, 'moved'))).toBe(false)
  })

  it('held connections under wlc 3:1:1 follow wlc, not sed; they keep receiving ticks', () => {
    const idle = [3, 1, 1].map((weight, i) => ({ name: `lvs-node-${i + 1}`, weight, activeConns: 0, inactiveConns: 0 }))
    const observed = held('held-wlc-6.1.txt').map((h) => h.server)
    expect(passed(followsLoadRule('wlc', idle, observed))).toBe(true)
    expect(passed(followsLoadRule('sed', idle, observed))).toBe(false)
    expect(passed(heldContinue(held('held-wlc-6.1.txt'), held('held-listing-6.1.txt'), 'continue'))).toBe(true)
    expect(passed(heldContinue(held('held-listing-6.1.txt'), held('held-wlc-6.1.txt'), 'continue'))).toBe(false)
  })

  it('thresholds -x 3 -y 2: the lab steps hold; without thresholds they break the rule', () => {
    expect(passed(thresholdHysteresis('lvs-node-1', 3, 2, steps('threshold-steps-6.1.txt')))).toBe(true)
    expect(passed(thresholdHysteresis('lvs-node-1', 3, 2, steps('threshold-steps-none-6.1.txt')))).toBe(false)
  })
})
