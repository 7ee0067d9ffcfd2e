import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSampledConnections } from './sampled-connections'

const fixture = (name: string) => readFileSync(new URL(`../../suites/persistence/__fixtures__/${name}`, import.meta.url), 'utf8')

describe('parseSampledConnections (a client followed in -Lnc on 6.1)', () => {
  it('reads every sample with its time and entries, up to the one without the template', () => {
    const samples = parseSampledConnections(fixture('expiry-samples-6.1.txt'))
    expect(samples.length).toBeGreaterThan(3)
    const times = samples.map((s) => s.at)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(samples[0]!.entries.some((e) => e.isTemplate && e.state === 'ASSURED')).toBe(true)
    expect(samples[samples.length - 1]!.entries).toEqual([])
  })

  it('reads an empty sample as no entries', () => {
    expect(parseSampledConnections('@@sample 1795704972.194766\n\n')).toEqual([{ at: 1795704972.194766, entries: [], text: '' }])
  })
})
