/**
 * Runs every fixture through its parser, so outputs captured from the kernel
 * lab are checked just by dropping them into __fixtures__:
 *   list-*.txt (-Ln), stats-*.txt (-Ln --stats), rate-*.txt (-Ln --rate),
 *   conn-*.txt (-Lnc), save-*.txt (-S -n), timeout-*.txt (-L --timeout),
 *   invalid-<kind>-*.txt must be rejected.
 * A `<name>.json` beside a fixture is compared with the parse result.
 * list-X/save-X pairs must describe the same configuration, and
 * list-X/stats-X pairs the same services and real servers.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { comparable, IpvsParseError, parseIpvsConnections, parseIpvsList, parseIpvsRate, parseIpvsSave, parseIpvsStats, parseIpvsTimeout } from './index'
import { expectedFor, fixture, FIXTURE_DIR, fixturesOf, scenarioOf } from './fixtures'

const PARSERS: Record<string, (text: string) => unknown> = {
  list: parseIpvsList,
  stats: parseIpvsStats,
  rate: parseIpvsRate,
  conn: parseIpvsConnections,
  save: parseIpvsSave,
  timeout: parseIpvsTimeout,
}

describe.each(Object.keys(PARSERS))('%s fixtures', (kind) => {
  it.each(fixturesOf(kind))('%s parses', (name) => {
    const result = PARSERS[kind]!(fixture(name))
    const expected = expectedFor(name)
    if (expected !== undefined) expect(result).toEqual(expected)
  })
})

const invalid = readdirSync(FIXTURE_DIR).filter((f) => f.startsWith('invalid-') && f.endsWith('.txt'))
describe.runIf(invalid.length > 0)('invalid fixtures', () => {
  it.each(invalid)('%s is rejected', (name) => {
    const kind = name.split('-')[1]!
    expect(PARSERS[kind], `no parser for kind ${kind}`).toBeDefined()
    expect(() => PARSERS[kind]!(fixture(name))).toThrow(IpvsParseError)
  })
})

describe('listing and saved rules agree', () => {
  const pairs = fixturesOf('list').filter((l) => fixturesOf('save').includes(`save-${scenarioOf(l)}.txt`))
  it.each(pairs)('%s matches its save- twin', (name) => {
    const listText = fixture(name)
    // only a --tun-info listing shows what -S writes as --tun-type
    const tunnel = listText.includes('TunnelInfo')
    const listed = comparable(parseIpvsList(listText), { tunnel })
    const saved = comparable(parseIpvsSave(fixture(`save-${scenarioOf(name)}.txt`)), { tunnel })
    expect(listed).toEqual(saved)
  })
})

describe('listing and stats name the same endpoints', () => {
  const pairs = fixturesOf('list').filter((l) => fixturesOf('stats').includes(`stats-${scenarioOf(l)}.txt`))
  it.each(pairs)('%s matches its stats- twin', (name) => {
    const shape = (services: Array<{ protocol: string; address?: string; port?: number; fwmark?: number; realServers: Array<{ address: string; port: number }> }>) =>
      services.map((s) => ({ protocol: s.protocol, address: s.address, port: s.port, fwmark: s.fwmark, servers: s.realServers.map((r) => `${r.address} ${r.port}`) }))
    expect(shape(parseIpvsStats(fixture(`stats-${scenarioOf(name)}.txt`)).services)).toEqual(shape(parseIpvsList(fixture(name)).services))
  })
})
