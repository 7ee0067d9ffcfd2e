import { describe, expect, it } from 'vitest'
import { ipv4MaskOf, ipv4PrefixOf } from './ipv4-mask'

describe('ipv4MaskOf (inet_aton, as ipvsadm -M reads it)', () => {
  it.each([
    ['255.255.255.0', '255.255.255.0'],
    ['24', '0.0.0.24'],
    ['0xffffff00', '255.255.255.0'],
    ['255.255.0xff00', '255.255.255.0'],
    ['4294967295', '255.255.255.255'],
  ])('%s is %s', (text, dotted) => expect(ipv4MaskOf(text)).toBe(dotted))

  it.each(['1.2.3.4.5', 'abc', '4294967296', '255.255.255.256', '255.255.255.0/24'])('refuses %s', (text) => expect(ipv4MaskOf(text)).toBeUndefined())

  it('gives the prefix of a contiguous mask only', () => {
    expect(ipv4PrefixOf('255.255.0.0')).toBe(16)
    expect(ipv4PrefixOf('0.0.0.0')).toBe(0)
    expect(ipv4PrefixOf('0.0.0.24')).toBeUndefined()
  })
})
