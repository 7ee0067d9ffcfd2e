import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseIpvsConnections, parseIpvsList, parseIpvsRate, parseIpvsStats, parseIpvsThresholds, type ServiceKey } from '../../lab/ipvs'
import { passed } from '../../fixtures/verdict'
import {
  connectionsListed,
  exactAgrees,
  rateAgrees,
  rescheduledEntries,
  restoredIdentical,
  statsCount,
  stillCounting,
  tableEmpty,
  thresholdsLost,
  timeoutsApply,
  zeroed,
} from './checks'

// Output captured from the ipvsadm suite on the 6.1 lab: each check must tell good from broken.
const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')
const vip = '192.168.100.6'
const key: ServiceKey = { protocol: 'TCP', address: vip, port: 80 }
const addressOf = (name: string) => `172.16.100.1${name.slice(-1)}`

describe('ipvsadm checks on captured lab output', () => {
  it('-C and -S/-C/-R: the cleared table is empty, the restored one identical, thresholds lost', () => {
    const before = parseIpvsList(lab('list-before-save-6.1.txt'))
    const cleared = parseIpvsList(lab('list-after-clear-6.1.txt'))
    const after = parseIpvsList(lab('list-after-restore-6.1.txt'))
    expect(passed(tableEmpty(cleared))).toBe(true)
    expect(passed(tableEmpty(before))).toBe(false)
    expect(passed(restoredIdentical(before, after))).toBe(true)
    expect(passed(restoredIdentical(before, cleared))).toBe(false)
    const oneServerShort = { ...after, services: after.services.map((s, i) => (i === 0 ? { ...s, realServers: s.realServers.slice(1) } : s)) }
    expect(passed(restoredIdentical(before, oneServerShort))).toBe(false)
    const tBefore = parseIpvsThresholds(lab('thresholds-before-save-6.1.txt'))
    expect(passed(thresholdsLost(tBefore, parseIpvsThresholds(lab('thresholds-after-restore-6.1.txt'))))).toBe(true)
    expect(passed(thresholdsLost(tBefore, parseIpvsThresholds(lab('thresholds-after-restore-by-hand-6.1.txt'))))).toBe(false)
  })

  it('--stats after -Z and 9 rr requests counts 3 per server; -Z of one service zeroes only it', () => {
    const stats = parseIpvsStats(lab('stats-after-9-6.1.txt'))
    const three = new Map(['172.16.100.11', '172.16.100.12', '172.16.100.13'].map((a) => [a, 3]))
    expect(passed(statsCount(stats, key, three))).toBe(true)
    expect(passed(statsCount(stats, key, new Map([...three, ['172.16.100.13', 2]])))).toBe(false)
    // a SYN sent again is named in a miscount; without an entry scheduled anew it excuses nothing
    const short = new Map([...three, ['172.16.100.13', 2]])
    const unexplained = statsCount(stats, key, short, { sent: 1, rescheduled: [] })
    expect(unexplained.failures).toContain('the client sent 1 SYN(s) again during the requests (a handshake over 1 s)')
    expect(passed(statsCount(stats, key, three, { sent: 1, rescheduled: [] }))).toBe(true)
  })

  it('a SYN sent again and scheduled anew counts as a connection, shown by its entry and matched by the SYN', () => {
    const captured = lab('entries-after-9-6.1.txt')
    const entries = parseIpvsConnections(captured)
    const answered = entries.map((e) => ({ localPort: e.source.port, server: e.destination.address }))
    expect(rescheduledEntries(entries, answered)).toEqual([])
    // the last request's port met again by its resent SYN: the entry is the new one, reset by the client
    const last = / TIME_WAIT {3}(192\.168\.100\.1:38778 .* 172\.16\.100\.13:80)/
    const reset = parseIpvsConnections(captured.replace(last, ' CLOSE       $1'))
    const elsewhere = parseIpvsConnections(captured.replace(last, (line) => line.replace('172.16.100.13:80', '172.16.100.11:80')))
    expect(rescheduledEntries(reset, answered).map((e) => e.source.port)).toEqual([38778])
    expect(rescheduledEntries(elsewhere, answered).map((e) => e.source.port)).toEqual([38778])
    // 8 answered and one scheduled anew at .13: the 3/3/3 count is exact
    const stats = parseIpvsStats(lab('stats-after-9-6.1.txt'))
    const eight = new Map([
      ['172.16.100.11', 3],
      ['172.16.100.12', 3],
      ['172.16.100.13', 2],
    ])
    const rescheduled = rescheduledEntries(reset, answered)
    expect(passed(statsCount(stats, key, eight, { sent: 1, rescheduled }))).toBe(true)
    expect(statsCount(stats, key, eight, { sent: 0, rescheduled }).failures).toContain('1 entries scheduled anew for 0 SYNs the client sent again')
    expect(passed(statsCount(stats, key, eight))).toBe(false)
    expect(
      passed(
        statsCount(
          stats,
          key,
          new Map([
            ['172.16.100.11', 2],
            ['172.16.100.12', 3],
            ['172.16.100.13', 3],
          ]),
          { sent: 1, rescheduled },
        ),
      ),
    ).toBe(false)
    expect(passed(exactAgrees(stats, stats))).toBe(true)
    const afterZero = parseIpvsStats(lab('stats-after-zero-one-6.1.txt'))
    expect(passed(zeroed(afterZero, key, '-Z'))).toBe(true)
    expect(passed(zeroed(afterZero, { ...key, port: 81 }, '-Z'))).toBe(false)
    expect(passed(stillCounting(afterZero, { ...key, port: 81 }, '-Z'))).toBe(true)
    expect(passed(stillCounting(afterZero, key, '-Z'))).toBe(false)
    expect(passed(exactAgrees(stats, afterZero))).toBe(false)
  })

  it('--rate: the settled reading agrees with 2.08 conn/s and 10.4 pkt/s, the early one does not', () => {
    const measured = { cps: 2.079, inPps: 10.397 }
    expect(passed(rateAgrees(parseIpvsRate(lab('rate-settled-6.1.txt')), key, measured, 0.35))).toBe(true)
    expect(passed(rateAgrees(parseIpvsRate(lab('rate-early-6.1.txt')), key, measured, 0.35))).toBe(false)
  })

  it('allows --rate the half unit the kernel rounds it by, on top of the tolerance: a CI run showed CPS 2 for 3.10 measured (InPPS 12 for 15.5)', () => {
    const ci = parseIpvsRate(lab('rate-settled-ci-6.1.txt'))
    const ciKey = { protocol: 'TCP' as const, address: '192.168.100.6', port: 8006 }
    expect(passed(rateAgrees(ci, ciKey, { cps: 3.102, inPps: 15.512 }, 0.35))).toBe(true)
    // 1 more unit off is not rounding
    expect(passed(rateAgrees(ci, ciKey, { cps: 4.2, inPps: 15.512 }, 0.35))).toBe(false)
  })

  it('-Lnc and --set: held connections listed; expiries within --set 100 37 11, not within the defaults', () => {
    const set = { tcp: 100, tcpFin: 37, udp: 11 }
    const held = [1, 2, 3].map((id) => ({ id, server: `lvs-node-${id}`, lines: 1 }))
    const defaults = parseIpvsConnections(lab('conn-default-timeouts-6.1.txt'))
    const afterSet = parseIpvsConnections(lab('conn-after-set-6.1.txt'))
    expect(
      passed(
        connectionsListed(
          defaults.filter((c) => c.state !== 'CLOSE'),
          held,
          '192.168.100.1',
          vip,
          9001,
          addressOf,
          900,
        ),
      ),
    ).toBe(true)
    expect(passed(connectionsListed(defaults, held, '192.168.100.1', vip, 9001, addressOf, 900))).toBe(false)
    // the capture predates fresh ports per run: it also lists an earlier run's UDP entries (300 s), left out here
    expect(
      passed(
        timeoutsApply(
          set,
          set,
          afterSet.filter((c) => c.expiresInSeconds <= 100 || c.state !== 'UDP'),
          vip,
          [80, 5353, 9001],
        ),
      ),
    ).toBe(true)
    expect(passed(timeoutsApply({ tcp: 900, tcpFin: 120, udp: 300 }, set, defaults, vip, [80, 5353, 9001]))).toBe(false)
  })
})
