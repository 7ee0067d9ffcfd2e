import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { knownDifferences, runEstimationChecks, twosCheck, twosControl } from './known-differences'
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

  it('a full name with its file matches too, and so does any name of a list', () => {
    expect(knownDifference([{ ...registry[1], check: check.id }], check, 'sid')).toBeDefined()
    expect(knownDifference([{ ...registry[1], check: ['schedulers > rr', check.id] }], check, 'sid')).toBeDefined()
    expect(knownDifference([{ ...registry[1], check: ['schedulers > rr', /nat/] }], check, 'sid')).toBeUndefined()
  })

  it('names only kernels the lab knows, so that no entry silently matches nothing', () => {
    expect(unknownRegistryKernels(knownDifferences)).toEqual([])
    expect(unknownRegistryKernels([{ ...registry[0], kernels: ['5.4', 'bookworm'] }])).toEqual(['5.4'])
  })
})

describe('the registry as shipped', () => {
  const file = 'suites/schedulers/schedulers.test.ts'
  const named = (name: string) => ({ id: `${file} > ${name}`, titles: name.split(' > ') })
  const check = named(twosCheck)
  const control = named(twosControl)

  it('excuses the twos check and its negative control together on the kernels without ip_vs_twos, and nowhere else', () => {
    for (const c of [check, control]) {
      expect(knownDifference(knownDifferences, c, 'bullseye')?.outcome).toBe('skipped')
      expect(knownDifference(knownDifferences, c, 'bookworm')?.outcome).toBe('skipped')
      expect(knownDifference(knownDifferences, c, 'trixie')).toBeUndefined()
      expect(knownDifference(knownDifferences, c, 'sid')).toBeUndefined()
    }
    expect(knownDifference(knownDifferences, control, 'bullseye')?.reason).toBe(knownDifference(knownDifferences, check, 'bullseye')?.reason)
  })

  it('excuses no other check, not even one beside them or one whose name says twos', () => {
    const beside = named(
      'schedulers: the rule of each one, on a NAT service with three real servers > thresholds -x/-y > over -x 3 a server gets no new connections until it drops below -y 2',
    )
    const saysTwos = named('schedulers: the rule of each one, on a NAT service with three real servers > twos: the less loaded of two random picks > twos: something new')
    expect(knownDifference(knownDifferences, beside, 'bullseye')).toBeUndefined()
    expect(knownDifference(knownDifferences, saysTwos, 'bullseye')).toBeUndefined()
  })

  it('excuses the run_estimation checks and their controls on bullseye only', () => {
    for (const name of runEstimationChecks) {
      const c = { id: `suites/semantics/semantics.test.ts > ${name}`, titles: name.split(' > ') }
      expect(knownDifference(knownDifferences, c, 'bullseye')?.outcome).toBe('skipped')
      expect(knownDifference(knownDifferences, c, 'bookworm')).toBeUndefined()
    }
  })

  it('names checks that exist: every title of every registered name is in the suite sources', () => {
    const sources = readdirSync('suites', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts') && !f.endsWith('.unit.test.ts'))
      .map((f) => readFileSync(path.join('suites', f), 'utf8'))
      .join('\n')
    const names = knownDifferences.flatMap((d) => [d.check].flat()).filter((n): n is string => typeof n === 'string')
    expect(names.length).toBeGreaterThan(0)
    for (const title of names.flatMap((n) => n.split(' > '))) expect(sources, title).toContain(title)
  })
})
