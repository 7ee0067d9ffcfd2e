import { describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { allSeries, findSeries, resolveSeries } from './series'

describe('resolveSeries', () => {
  it('accepts a series name or its kernel line', () => {
    expect(resolveSeries('bookworm').name).toBe('bookworm')
    expect(resolveSeries('6.12').name).toBe('trixie')
    expect(resolveSeries('5.10.0').name).toBe('bullseye')
    expect(resolveSeries('7.2').name).toBe('sid')
  })

  it('refuses an unknown kernel with one line listing the known ones', () => {
    expect(() => resolveSeries('6.3')).toThrow(LabError)
    expect(() => resolveSeries('6.3')).toThrow(
      'unknown kernel "6.3": set LVS_KERNEL to one of: bullseye (5.10), bookworm (6.1), trixie (6.12), sid (7); opt-in: bookworm-backports (6.12), experimental (rc)',
    )
  })
})

describe('the opt-in series', () => {
  it('are not part of all, which stays the four', () => {
    expect(allSeries.map((s) => s.name)).toEqual(['bullseye', 'bookworm', 'trixie', 'sid'])
  })

  it('are found by name, or by a version only they build, never by the line trixie and sid answer to', () => {
    expect(findSeries('bookworm-backports')?.name).toBe('bookworm-backports')
    expect(findSeries('experimental')?.name).toBe('experimental')
    // Versions as the archive names them (bookworm-backports and experimental, December 2026).
    expect(findSeries('6.12.95-1~bpo12+1')?.name).toBe('bookworm-backports')
    expect(findSeries('7.3~rc7-1~exp1')?.name).toBe('experimental')
    expect(findSeries('6.12')?.name).toBe('trixie')
    expect(findSeries('6.12.95')?.name).toBe('trixie')
    expect(findSeries('7.3')?.name).toBe('sid')
    expect(findSeries('rc')).toBeUndefined()
  })

  it('take their kernel from their own suite only, with no security archive', () => {
    for (const name of ['bookworm-backports', 'experimental']) expect([resolveSeries(name).suites, resolveSeries(name).security]).toEqual([[name], undefined])
  })
})
