import { describe, expect, it } from 'vitest'
import { readLabConfig } from './config'

describe('readLabConfig', () => {
  it('defaults to choosing the lab automatically with the bookworm kernel', () => {
    const c = readLabConfig({ HOME: '/home/x' })
    expect(c.mode).toBe('auto')
    expect(c.kernel).toBe('bookworm')
    expect(c.cacheDir).toMatch(/lvs-conformance$/)
  })

  it('refuses an unknown lab mode and a malformed number, saying what to set', () => {
    expect(() => readLabConfig({ LVS_LAB: 'kvm' })).toThrow('LVS_LAB=kvm is not a lab mode: use LVS_LAB=docker')
    expect(() => readLabConfig({ LVS_LAB_PORT: 'abc' })).toThrow('LVS_LAB_PORT=abc is not a whole number')
  })
})
