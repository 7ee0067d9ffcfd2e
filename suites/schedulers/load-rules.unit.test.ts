import { describe, expect, it } from 'vitest'
import { predictHeld } from './load-rules'
import type { ServerLoad } from '../../fixtures/three-servers'
import { binomialTailAtLeast } from './binomial'

const idle = (weights: number[]): ServerLoad[] => weights.map((weight, i) => ({ name: `n${i + 1}`, weight, activeConns: 0, inactiveConns: 0 }))

// The sequences below are the ones the 6.1 lab produced for the same starts (the schedulers suite's evidence).
describe('load rules, as the kernel states them', () => {
  it('lc: the fewest, ties to the first in the kernel order, weights ignored', () => {
    const start = idle([1, 1, 1]).map((s, i) => (i === 0 ? { ...s, activeConns: 3 } : s))
    expect(predictHeld('lc', start, 6)).toEqual(['n2', 'n3', 'n2', 'n3', 'n2', 'n3'])
  })

  it('wlc 3:1:1 from idle: a replaces the best only when strictly less loaded per weight', () => {
    expect(predictHeld('wlc', idle([3, 1, 1]), 8)).toEqual(['n1', 'n2', 'n3', 'n1', 'n1', 'n1', 'n2', 'n3'])
  })

  it('sed 1:3:1 favours the heavy server until (a+1)/w evens out; nq first fills every idle server', () => {
    expect(predictHeld('sed', idle([1, 3, 1]), 6)).toEqual(['n2', 'n2', 'n1', 'n2', 'n3', 'n2'])
    expect(predictHeld('nq', idle([1, 3, 1]), 6)).toEqual(['n1', 'n2', 'n3', 'n2', 'n2', 'n2'])
  })

  it('ovf 3:2:1: weight + 1 each, highest weight first, then nobody', () => {
    expect(predictHeld('ovf', idle([3, 2, 1]), 10)).toEqual(['n1', 'n1', 'n1', 'n1', 'n2', 'n2', 'n2', 'n3', 'n3', undefined])
  })

  it('fo: the highest weight whatever its load; weight 0 is never chosen', () => {
    expect(predictHeld('fo', idle([1, 3, 2]), 3)).toEqual(['n2', 'n2', 'n2'])
    expect(predictHeld('fo', idle([1, 0, 2]), 2)).toEqual(['n3', 'n3'])
    expect(predictHeld('lc', idle([0, 0, 0]), 1)).toEqual([undefined])
  })
})

describe('binomialTailAtLeast', () => {
  it('matches small cases worked by hand', () => {
    expect(binomialTailAtLeast(2, 0.5, 1)).toBeCloseTo(0.75)
    expect(binomialTailAtLeast(3, 0.5, 3)).toBeCloseTo(0.125)
    expect(binomialTailAtLeast(10, 0.1, 0)).toBe(1)
  })
  it('the twos bound: more than 7 of 32 at p = 1/16 is rarer than 1 in 1000', () => {
    expect(binomialTailAtLeast(32, 1 / 16, 8)).toBeLessThan(0.001)
  })
})
