import { describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { resolveSeries } from './series'

describe('resolveSeries', () => {
  it('accepts a series name or its kernel line', () => {
    expect(resolveSeries('bookworm').name).toBe('bookworm')
    expect(resolveSeries('6.12').name).toBe('trixie')
    expect(resolveSeries('5.10.0').name).toBe('bullseye')
    expect(resolveSeries('7.2').name).toBe('sid')
  })

  it('refuses an unknown kernel with one line listing the known ones', () => {
    expect(() => resolveSeries('6.3')).toThrow(LabError)
    expect(() => resolveSeries('6.3')).toThrow('unknown kernel "6.3": set LVS_KERNEL to one of: bullseye (5.10), bookworm (6.1), trixie (6.12), sid (7)')
  })
})
