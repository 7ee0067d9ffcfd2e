import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseIpvsRate } from '../../lab/ipvs'
import { parseRuleCounters } from '../../lab/netfilter/rule-counters'
import {
  carriesOnWhenReAdded,
  droppedSilently,
  expiredAtNextPacket,
  knobsAsDocumented,
  notTracked,
  parseKnobListing,
  rateRises,
  rateStaysZero,
  readNodestListings,
  readUdpDeleted,
  trackedByConntrack,
  udpDroppedUntilExpiry,
  udpRescheduledAtOnce,
  type NodestRun,
  type UdpNodestRun,
} from './checks'
import { documentedKnobs } from './ipvs-sysctl-doc'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')
const netfilter = (f: string) => readFileSync(new URL(`../../lab/netfilter/__fixtures__/${f}`, import.meta.url), 'utf8')
const release61 = '6.1.0-57-cloud-amd64'

describe('the knobs against ipvs-sysctl.rst (ls /proc/sys/net/ipv4/vs/ on the 6.1 lab)', () => {
  const knobs = parseKnobListing(lab('vs-knobs-6.1.txt'))

  it('6.1 holds: debug_level, the 6.2 estimator knobs and the later tables knobs absent, five undocumented knobs present, all explained', () => {
    const v = knobsAsDocumented(knobs, release61)
    expect(v.failures).toEqual([])
    expect(v.findings.map((f) => f.split(':')[0])).toEqual([
      'debug_level',
      'est_cpulist',
      'est_nice',
      'conn_lfactor',
      'svc_lfactor',
      'conn_max',
      'lblc_expiration',
      'lblcr_expiration',
      'schedule_icmp',
      'sloppy_sctp',
      'sloppy_tcp',
    ])
  })

  it('run_estimation may be missing before 5.16 only', () => {
    const without = knobs.filter((k) => k !== 'run_estimation')
    expect(knobsAsDocumented(without, '5.10.0-32-cloud-amd64').failures).toEqual([])
    expect(knobsAsDocumented(without, release61).failures).toEqual(['run_estimation is documented but missing on 6.1.0-57-cloud-amd64'])
  })

  it('the document with one knob removed or added fails; so does a 6.2 kernel without the estimator knobs', () => {
    expect(
      knobsAsDocumented(
        knobs,
        release61,
        documentedKnobs.filter((d) => d.name !== 'expire_nodest_conn'),
      ).failures,
    ).toEqual([
      'expire_nodest_conn is present on 6.1.0-57-cloud-amd64 but neither in Documentation/networking/ipvs-sysctl.rst (torvalds/linux 254a142007114cad7b0a901215c1558e4315d46f) nor among the known undocumented knobs',
    ])
    expect(knobsAsDocumented(knobs, release61, [...documentedKnobs, { name: 'conn_frobnicate' }]).failures).toEqual([
      'conn_frobnicate is documented but missing on 6.1.0-57-cloud-amd64',
    ])
    expect(knobsAsDocumented(knobs, '6.12.118+deb13-cloud-amd64').failures).toEqual([
      'est_cpulist is documented but missing on 6.12.118+deb13-cloud-amd64',
      'est_nice is documented but missing on 6.12.118+deb13-cloud-amd64',
    ])
    expect(passed(knobsAsDocumented([], release61))).toBe(false)
  })
})

describe('expire_nodest_conn (the director\u2019s -Lnc readings of the 6.1 lab)', () => {
  const client = '192.168.100.1'
  const at0 = readNodestListings(lab('nodest-0-deleted-6.1.txt'), lab('nodest-0-later-6.1.txt'), { port: 8001, client })
  const at1 = readNodestListings(lab('nodest-1-deleted-6.1.txt'), lab('nodest-1-later-6.1.txt'), { port: 8002, client })
  // the client's and the real server's readings of the same runs (what the run saw)
  const run0: NodestRun = {
    knob: 0,
    ...at0,
    clientAtDelete: { id: 1, server: 'lvs-node-1', lines: 2, open: true },
    clientAfter: { id: 1, server: 'lvs-node-1', lines: 2, open: true },
    unackedAfter: 25,
    reAdded: { unacked: 0, seconds: 1.3, client: { id: 1, server: 'lvs-node-1', lines: 9, open: true } },
  }
  const run1: NodestRun = {
    knob: 1,
    ...at1,
    clientAtDelete: { id: 2, server: 'lvs-node-1', lines: 1, open: true },
    clientAfter: { id: 2, server: 'lvs-node-1', lines: 1, open: false },
    unackedAfter: 20,
    reAdded: { unacked: 95, seconds: 15.7, client: { id: 2, server: 'lvs-node-1', lines: 1, open: false } },
  }

  it('reads the entry before, right after and 4 s after the -d; at 1 it is gone at once (the flush on delete)', () => {
    expect(at0.before?.destination).toEqual({ address: '172.16.100.11', port: 9000 })
    expect(at0.after?.state).toBe('ESTABLISHED')
    expect(at0.waitedSeconds).toBeCloseTo(4.37, 1)
    expect(at1.before?.source.port).toBe(37974)
    expect(at1.rightAfter).toBeUndefined()
    expect(at1.after).toBeUndefined()
  })

  it('at 0 dropped silently and carried on when re-added, not expired; at 1 the reverse', () => {
    expect(passed(droppedSilently(run0))).toBe(true)
    expect(passed(carriesOnWhenReAdded(run0))).toBe(true)
    expect(passed(expiredAtNextPacket(run0))).toBe(false)
    expect(passed(expiredAtNextPacket(run1))).toBe(true)
    expect(droppedSilently(run1).failures).toEqual(['the entry is gone 4.0 s after the -d', 'the client was told: its end of the connection is closed'])
    expect(passed(carriesOnWhenReAdded(run1))).toBe(false)
  })

  it('a server that got the client\u2019s acknowledgements after all fails the silent-drop check', () => {
    expect(droppedSilently({ ...run0, unackedAfter: 0 }).failures).toEqual(["the server's data was acknowledged (Send-Q 0): the client's packets reached it"])
  })
})

describe('expire_nodest_conn over UDP (-Lnc right after the -d on the 6.1 lab, and the datagrams\u2019 answers)', () => {
  const client = '192.168.100.1'
  const base = { udpTimeout: 5, deletedServer: 'lvs-node-1' }
  const at0 = readUdpDeleted(lab('nodest-udp-0-deleted-6.1.txt'), { port: 8003, client, sourcePort: 48003 })
  const at1 = readUdpDeleted(lab('nodest-udp-1-deleted-6.1.txt'), { port: 8004, client, sourcePort: 48004 })
  const t0 = at0.deletedAt
  const t1 = at1.deletedAt
  const run0: UdpNodestRun = {
    knob: 0,
    ...base,
    ...at0,
    first: { server: 'lvs-node-1', at: t0 - 0.2 },
    attempts: [{ at: t0 + 3.7 }, { at: t0 + 6.9 }, { server: 'lvs-node-2', at: t0 + 7.3 }],
  }
  const run1: UdpNodestRun = { knob: 1, ...base, ...at1, first: { server: 'lvs-node-1', at: t1 - 0.9 }, attempts: [{ server: 'lvs-node-2', at: t1 + 0.6 }] }

  it('at 0 the entry stays (4 s left) and the datagrams go unanswered until it runs out; at 1 it is gone and the next one goes to lvs-node-2', () => {
    expect(at0.entryAfterDelete?.expiresInSeconds).toBe(4)
    expect(at1.entryAfterDelete).toBeUndefined()
    expect(passed(udpDroppedUntilExpiry(run0))).toBe(true)
    expect(passed(udpRescheduledAtOnce(run0))).toBe(false)
    expect(passed(udpRescheduledAtOnce(run1))).toBe(true)
    expect(passed(udpDroppedUntilExpiry(run1))).toBe(false)
  })

  it('an answer before the udp timeout, or from the deleted server, fails the drop check', () => {
    expect(passed(udpDroppedUntilExpiry({ ...run0, attempts: [{ at: t0 + 3 }, { server: 'lvs-node-2', at: t0 + 3.2 }] }))).toBe(false)
    expect(passed(udpDroppedUntilExpiry({ ...run0, attempts: [{ at: t0 + 3.7 }, { server: 'lvs-node-1', at: t0 + 6 }] }))).toBe(false)
  })
})

describe('run_estimation (--rate 5 s into the traffic on the 6.1 lab)', () => {
  const key = { protocol: 'TCP' as const, address: '192.168.100.6', port: 8004 }
  const off = parseIpvsRate(lab('rate-estimation-0-6.1.txt'))
  const on = parseIpvsRate(lab('rate-estimation-1-6.1.txt'))
  const traffic = { sent: 8, answered: 8 }

  it('at 0 the rates stay 0, at 1 they rise', () => {
    expect(passed(rateStaysZero(off, key, traffic))).toBe(true)
    expect(passed(rateRises(off, key, traffic))).toBe(false)
    const key1 = { ...key, port: 8003 }
    expect(passed(rateRises(on, key1, traffic))).toBe(true)
    expect(passed(rateStaysZero(on, key1, traffic))).toBe(false)
  })

  it('no traffic proves nothing: both checks fail', () => {
    expect(passed(rateStaysZero(off, key, { sent: 4, answered: 0 }))).toBe(false)
  })
})

describe('conntrack (iptables-save -c -t mangle on the 6.1 lab)', () => {
  const counts = (f: string) => {
    const c = parseRuleCounters(netfilter(f))
    return { client: c.get('lab-ct-client'), reply: c.get('lab-ct-reply'), requests: 3, answered: 3 }
  }

  it('reads the counters of the commented rules', () => {
    const c = parseRuleCounters(netfilter('mangle-conntrack-1-6.1.txt'))
    expect(c.get('lab-ct-client')).toMatchObject({ packets: 13, bytes: 922 })
    expect(c.get('lab-ct-reply')?.rule).toMatch(/--ctorigdst 192\.168\.100\.6 --ctorigdstport 8006/)
  })

  it('at 0 nothing tracked, at 1 both directions', () => {
    expect(passed(notTracked(counts('mangle-conntrack-0-6.1.txt')))).toBe(true)
    expect(passed(trackedByConntrack(counts('mangle-conntrack-0-6.1.txt')))).toBe(false)
    expect(passed(trackedByConntrack(counts('mangle-conntrack-1-6.1.txt')))).toBe(true)
    expect(passed(notTracked(counts('mangle-conntrack-1-6.1.txt')))).toBe(false)
  })

  it('a missing counting rule never passes', () => {
    expect(passed(notTracked({ requests: 3, answered: 3 }))).toBe(false)
  })
})
