import { describe, expect, it } from 'vitest'
import { toSaveCommands } from './to-save-commands'
import { parseIpvsList } from './parse-list'
import { parseIpvsSave } from './parse-save'
import { fixture, fixturesOf } from './fixtures'

describe('toSaveCommands', () => {
  // every save- fixture is what ipvsadm -S -n printed, so rendering must reproduce it
  it.each(fixturesOf('save'))('reproduces %s', (name) => {
    const text = fixture(name)
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    expect(toSaveCommands(parseIpvsSave(text))).toEqual(lines)
  })

  it('renders a listing as ipvsadm -S would, with Local as -g', () => {
    expect(toSaveCommands(parseIpvsList(fixture('list-options.txt')))).toEqual(fixture('save-options.txt').trim().split('\n'))
  })

  it('rejects a Bypass server, which has no rule syntax', () => {
    const t = parseIpvsSave(fixture('save-nat.txt'))
    t.services[0]!.realServers[0]!.forward = 'Bypass'
    expect(() => toSaveCommands(t)).toThrow(RangeError)
  })
})
