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
