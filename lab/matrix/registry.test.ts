import { describe, expect, it } from 'vitest'
import { knownDifferences } from './known-differences'
import { knownDifference, unknownRegistryKernels, type KnownDifference } from './registry'

const check = { id: 'suites/schedulers/schedulers.test.ts > schedulers > twos spreads new connections', titles: ['schedulers', 'twos spreads new connections'] }
const registry: KnownDifference[] = [
  { check: /\btwos\b/, kernels: ['5.10'], outcome: 'skipped', reason: 'no ip_vs_twos' },
  { check: 'schedulers > twos spreads new connections', kernels: ['sid'], outcome: 'failed', reason: 'by name' },
]

describe('the known-differences registry', () => {
  it('matches a check by pattern or by name, on a kernel named by series or by line', () => {
    expect(knownDifference(registry, check, 'bullseye')?.reason).toBe('no ip_vs_twos')
    expect(knownDifference(registry, check, 'sid')?.reason).toBe('by name')
    expect(knownDifference(registry, check, 'trixie')).toBeUndefined()
    expect(knownDifference(registry, { id: 'suites/nat/nat.test.ts > NAT > rr', titles: ['NAT', 'rr'] }, 'bullseye')).toBeUndefined()
  })

  it('a full name with its file matches too', () => {
    expect(knownDifference([{ ...registry[1], check: check.id }], check, 'sid')).toBeDefined()
  })

  it('names only kernels the lab knows, so that no entry silently matches nothing', () => {
    expect(unknownRegistryKernels(knownDifferences)).toEqual([])
    expect(unknownRegistryKernels([{ ...registry[0], kernels: ['5.4', 'bookworm'] }])).toEqual(['5.4'])
  })
})

describe('the registry as shipped', () => {
  const id = (describe: string, test: string) => ({ id: `suites/schedulers/schedulers.test.ts > schedulers > ${describe} > ${test}`, titles: ['schedulers', describe, test] })
  it('excuses the twos check on the kernels without ip_vs_twos, but not the rr control beside it', () => {
    const check = id('twos: the less loaded of two random picks', 'twos: a server holding 4 open connections gets a new one only when both picks land on it')
    const control = id('twos: the less loaded of two random picks', 'negative control: rr in the same scenario: the avoid-the-loaded check fails')
    expect(knownDifference(knownDifferences, check, 'bullseye')?.outcome).toBe('skipped')
    expect(knownDifference(knownDifferences, check, 'bookworm')?.outcome).toBe('skipped')
    expect(knownDifference(knownDifferences, check, 'trixie')).toBeUndefined()
    expect(knownDifference(knownDifferences, control, 'bullseye')).toBeUndefined()
  })
})
