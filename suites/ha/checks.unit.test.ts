import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseVrrpStates } from '../../fixtures/vrrp-pair'
import { parseArping } from '../../lab/capture/parse-arping'
import { haDrTopology } from '../../topologies/ha-dr'
import { describeMoveRun, firstAnsweredAfter, gratuitousFrom, movedTo, moveTimes, oneMaster, secondsOfDay, takeoverSeconds, type DirectorState, type PairReading } from './checks'
import { dockerMac, lab, labRuns } from './lab-runs'
import { state } from './move-run'

const vip = haDrTopology.vip
const { address, viewOf, moveRunOf } = labRuns(haDrTopology)
const mac0a = dockerMac(address('lvs-node-0a'))
const mac0b = dockerMac(address('lvs-node-0b'))

/** What one-master read in the lab: both directors after keepalived settled, and the client's arping for the VIP. */
function pairReading(run: 'one-master' | 'one-master-blocked'): PairReading {
  return {
    directors: [state(viewOf(`${run}-0a-6.1.txt`, 'lvs-node-0a')), state(viewOf(`${run}-0b-6.1.txt`, 'lvs-node-0b'))],
    arp: parseArping(lab(`${run}-arping-6.1.txt`)),
  }
}

describe('parseVrrpStates (fixtures/vrrp-pair.ts) on the 6.1 lab’s keepalived logs', () => {
  it('reads every `Entering X STATE` in order, `(init)` and all: the master BACKUP then MASTER, the backup BACKUP', () => {
    expect(parseVrrpStates(viewOf('one-master-0a-6.1.txt', 'lvs-node-0a').log)).toEqual(['BACKUP', 'MASTER'])
    expect(parseVrrpStates(viewOf('one-master-0b-6.1.txt', 'lvs-node-0b').log)).toEqual(['BACKUP'])
  })

  it('the backup’s log across a failover and the failback reads BACKUP, MASTER, BACKUP: its last state is the current one', () => {
    expect(parseVrrpStates(lab('failback-0b-6.1.txt'))).toEqual(['BACKUP', 'MASTER', 'BACKUP'])
  })

  it('a log without a state change (ip addr alone, or nothing) reads no state', () => {
    expect(parseVrrpStates(viewOf('one-master-0a-6.1.txt', 'lvs-node-0a').addresses)).toEqual([])
    expect(parseVrrpStates('')).toEqual([])
    expect(parseVrrpStates('Thu Dec  3 08:41:18 2026: (VI_51) Backup received priority 0 advertisement\n')).toEqual([])
  })
})

describe('one master: the directors’ addresses, keepalived logs and the client’s arping on the 6.1 lab', () => {
  const settled = pairReading('one-master')
  const blocked = pairReading('one-master-blocked')

  it('reads the settled pair: lvs-node-0a holds the VIP as MASTER, lvs-node-0b is BACKUP without it, two replies from 0a’s MAC', () => {
    expect(settled.directors).toEqual([
      { name: 'lvs-node-0a', mac: '02:42:ac:10:64:64', holdsVip: true, state: 'MASTER' },
      { name: 'lvs-node-0b', mac: '02:42:ac:10:64:63', holdsVip: false, state: 'BACKUP' },
    ])
    expect(settled.arp).toEqual([
      { address: vip, mac: mac0a },
      { address: vip, mac: mac0a },
    ])
  })

  it('with both keepalived running, exactly one director holds the VIP and answers ARP for it', () => {
    expect(passed(oneMaster(settled))).toBe(true)
  })

  it('with the adverts dropped, both directors are MASTER with the VIP and two MACs answer: the check fails as it did in the lab', () => {
    expect(blocked.directors.map((d) => [d.name, d.holdsVip, d.state])).toEqual([
      ['lvs-node-0a', true, 'MASTER'],
      ['lvs-node-0b', true, 'MASTER'],
    ])
    expect(oneMaster(blocked).failures).toEqual(['2 directors hold the VIP (lvs-node-0a, lvs-node-0b)', '2 MACs answered ARP for the VIP (02:42:ac:10:64:63, 02:42:ac:10:64:64)'])
  })

  it('the settled pair fails when ARP is answered by the backup’s MAC, or by nobody', () => {
    expect(oneMaster({ ...settled, arp: [{ address: vip, mac: mac0b }] }).failures).toEqual([
      "ARP was answered by 02:42:ac:10:64:63, not the holder lvs-node-0a's 02:42:ac:10:64:64",
    ])
    expect(oneMaster({ ...settled, arp: [] }).failures).toEqual(['0 MACs answered ARP for the VIP (none)'])
  })

  it('fails when nobody holds the VIP, and when the holder’s keepalived is not MASTER or the other’s not BACKUP', () => {
    const [a, b] = settled.directors as [DirectorState, DirectorState]
    expect(oneMaster({ directors: [{ ...a, holdsVip: false, state: 'BACKUP' }, b], arp: [] }).failures).toEqual([
      '0 directors hold the VIP',
      '0 MACs answered ARP for the VIP (none)',
    ])
    expect(
      oneMaster({
        ...settled,
        directors: [
          { ...a, state: 'BACKUP' },
          { ...b, state: 'FAULT' },
        ],
      }).failures,
    ).toEqual(['lvs-node-0a holds the VIP in state BACKUP', 'lvs-node-0b is FAULT without the VIP, not BACKUP'])
    expect(oneMaster({ ...settled, directors: [a, { ...b, state: undefined }] }).failures).toEqual(['lvs-node-0b is (no state) without the VIP, not BACKUP'])
  })
})

describe('failover and failback: the directors, the client’s ARP capture, neighbour entry and probes on the 6.1 lab', () => {
  const stopped = moveRunOf('failover-stop', 'lvs-node-0b')
  const paused = moveRunOf('failover-pause', 'lvs-node-0b', ['0b'])
  const failback = moveRunOf('failback', 'lvs-node-0a')
  const backupFirst = moveRunOf('failover-backup-stopped', 'lvs-node-0b')

  it('the runs rebuilt from the fixtures read as the lab’s runs did (what the run saw)', () => {
    expect(describeMoveRun(stopped)).toBe(lab('failover-stop-run-6.1.txt'))
    expect(describeMoveRun(paused)).toBe(lab('failover-pause-run-6.1.txt'))
    expect(describeMoveRun(failback)).toBe(lab('failback-run-6.1.txt'))
    expect(describeMoveRun(backupFirst)).toBe(lab('failover-backup-stopped-run-6.1.txt'))
  })

  it('reads the stop: lvs-node-0b MASTER with the VIP, lvs-node-0a STOPPED without it, the neighbour entry on 0b’s MAC', () => {
    expect(stopped.to).toEqual({ name: 'lvs-node-0b', mac: mac0b, holdsVip: true, state: 'MASTER' })
    expect(stopped.other).toEqual({ name: 'lvs-node-0a', mac: mac0a, holdsVip: false, state: 'STOPPED' })
    expect(stopped.neighbourMac).toBe(mac0b)
    expect(stopped.probes).toHaveLength(21)
    expect(stopped.arpFrames).toHaveLength(13)
    expect(paused.other).toBeUndefined()
  })

  it('gratuitousFrom keeps the frames of that MAC that speak for the VIP: 0b’s six requests, not the client’s or the real servers’ ARP', () => {
    expect(gratuitousFrom(stopped, mac0b).map((f) => f.time)).toEqual([
      '08:41:19.331251',
      '08:41:19.331978',
      '08:41:19.332211',
      '08:41:20.336203',
      '08:41:20.336694',
      '08:41:20.336904',
    ])
    // 0a's reply to the client's who-has, before the stop, speaks for the VIP too
    expect(gratuitousFrom(stopped, mac0a).map((f) => f.line)).toEqual([
      '08:41:18.547880 02:42:ac:10:64:64 > 02:42:ac:10:64:32, ethertype ARP (0x0806), length 42: Reply 172.16.100.200 is-at 02:42:ac:10:64:64, length 28',
    ])
    expect(gratuitousFrom(stopped, dockerMac(address('client')))).toEqual([])
    expect(gratuitousFrom(backupFirst, mac0b)).toEqual([])
  })

  it('takeoverSeconds: 0b’s first gratuitous ARP came 0.65 s after the clean stop (priority 0) and 3.18 s after the pause; 0a’s 3.65 s after its start', () => {
    expect(takeoverSeconds(stopped)).toBeCloseTo(0.652, 3)
    expect(takeoverSeconds(paused)).toBeCloseTo(3.182, 3)
    expect(takeoverSeconds(failback)).toBeCloseTo(3.647, 3)
    expect(takeoverSeconds(backupFirst)).toBeUndefined()
  })

  it('takeoverSeconds ignores ARP for the VIP before the event: 0a’s reply before the stop, 0b’s gratuitous ARP before the failback', () => {
    expect(takeoverSeconds({ ...stopped, to: stopped.other! })).toBeUndefined()
    expect(gratuitousFrom(failback, mac0b)).toHaveLength(3)
    expect(takeoverSeconds({ ...failback, to: failback.other! })).toBeUndefined()
    // the same frames count once the event is put a second earlier, before them
    expect(takeoverSeconds({ ...failback, to: failback.other!, at: failback.at - 1 })).toBeCloseTo(0.649, 3)
  })

  it('takeoverSeconds counts across midnight: an event at 23:59:59.5 and a gratuitous ARP at 00:00:00.1 are 0.6 s apart', () => {
    const frame = { ...gratuitousFrom(stopped, mac0b)[0]!, time: '00:00:00.100000' }
    const midnight = Math.ceil(stopped.at / 86400) * 86400
    expect(takeoverSeconds({ ...stopped, at: midnight - 0.5, arpFrames: [frame] })).toBeCloseTo(0.6, 3)
    expect(takeoverSeconds({ ...stopped, at: midnight + 0.5, arpFrames: [frame] })).toBeUndefined()
  })

  it('firstAnsweredAfter skips the probes sent before the event and the unanswered ones', () => {
    expect(firstAnsweredAfter(stopped)).toEqual({ sentAt: 1796287279.667, endedAt: 1796287279.809, server: 'lvs-node-2' })
    expect(stopped.probes.find((p) => p.sentAt >= stopped.at)).toEqual({ sentAt: 1796287278.827, endedAt: 1796287279.439 })
    expect(firstAnsweredAfter(paused)?.sentAt).toBe(1796287298.018)
    expect(firstAnsweredAfter(backupFirst)).toBeUndefined()
    expect(firstAnsweredAfter({ ...stopped, at: 1796287286.31 })).toBeUndefined()
  })

  it('moveTimes: the service through the new holder counts from its gratuitous ARP; a paused master’s kernel answers before it', () => {
    const stop = moveTimes(stopped)
    expect(stop.takeover).toBeCloseTo(0.652, 3)
    // the first answered probe after the event is already after 0b's ARP (08:41:19.331)
    expect(stop.answeredThrough).toBeCloseTo(firstAnsweredAfter(stopped)!.endedAt - stopped.at, 3)
    expect(stop.probes).toBe(stopped.probes.filter((p) => p.sentAt >= stopped.at).length)
    expect(stop.unanswered).toBe(stopped.probes.filter((p) => p.sentAt >= stopped.at && !p.server).length)
    expect(stop.unanswered).toBeGreaterThan(0)
    const pause = moveTimes(paused)
    expect(firstAnsweredAfter(paused)!.endedAt - paused.at).toBeLessThan(pause.takeover!)
    expect(pause.answeredThrough).toBeGreaterThan(pause.takeover!)
    expect(moveTimes(backupFirst)).toMatchObject({ takeover: undefined, answeredThrough: undefined })
  })

  it('the bounds are ha.test.ts’s: 3.61 s for lvs-node-0b (priority 100), 3.41 s for lvs-node-0a (priority 150)', () => {
    expect(stopped.boundSeconds).toBe(3 + 156 / 256)
    expect(failback.boundSeconds).toBe(3 + 106 / 256)
  })

  it('the master’s keepalived stopped: lvs-node-0b takes the VIP, the client follows, new connections are answered', () => {
    expect(passed(movedTo(stopped))).toBe(true)
  })

  it('the master paused: lvs-node-0b takes the VIP after the master-down interval, within the bound', () => {
    expect(passed(movedTo(paused))).toBe(true)
  })

  it('failback: lvs-node-0a takes the VIP back and lvs-node-0b is BACKUP without it', () => {
    expect(failback.other).toEqual({ name: 'lvs-node-0b', mac: mac0b, holdsVip: false, state: 'BACKUP' })
    expect(passed(movedTo(failback))).toBe(true)
  })

  it('the backup stopped first: nobody takes the VIP and the check fails as it did in the lab', () => {
    expect(backupFirst.to).toEqual({ name: 'lvs-node-0b', mac: mac0b, holdsVip: false, state: 'STOPPED' })
    expect(movedTo(backupFirst).failures).toEqual([
      'lvs-node-0b does not hold the VIP',
      'lvs-node-0b is STOPPED, not MASTER',
      'the client saw no gratuitous ARP for the VIP from lvs-node-0b (02:42:ac:10:64:63) after the event',
      "the client's neighbour entry for the VIP is 02:42:ac:10:64:64, not lvs-node-0b's 02:42:ac:10:64:63",
      'no new connection was answered after the master stopped keepalived (10 probes)',
    ])
  })

  it('movedTo fails when the takeover or the first answer comes later than bound + tolerance, and holds when both are within it', () => {
    expect(movedTo({ ...paused, boundSeconds: 1 }).failures).toEqual(["lvs-node-0b's first gratuitous ARP came 3.18 s after the event"])
    expect(movedTo({ ...stopped, boundSeconds: 0.5, toleranceSeconds: 0 }).failures).toEqual([
      "lvs-node-0b's first gratuitous ARP came 0.65 s after the event",
      'the first answered connection ended 1.13 s after the event',
    ])
    expect(passed(movedTo({ ...stopped, boundSeconds: 1.2, toleranceSeconds: 0 }))).toBe(true)
  })

  it('movedTo fails when the other director still holds the VIP, or the client’s neighbour entry stayed on the old master', () => {
    expect(movedTo({ ...failback, other: { ...failback.other!, holdsVip: true } }).failures).toEqual(['lvs-node-0b still holds the VIP'])
    expect(movedTo({ ...stopped, neighbourMac: mac0a }).failures).toEqual(["the client's neighbour entry for the VIP is 02:42:ac:10:64:64, not lvs-node-0b's 02:42:ac:10:64:63"])
    expect(movedTo({ ...stopped, neighbourMac: undefined }).failures).toEqual(["the client's neighbour entry for the VIP is (none), not lvs-node-0b's 02:42:ac:10:64:63"])
  })
})

describe('secondsOfDay and the lab’s clock', () => {
  it('turns tcpdump’s HH:MM:SS.micro into seconds since midnight', () => {
    expect(secondsOfDay('00:00:00.000000')).toBe(0)
    expect(secondsOfDay('08:41:19.331251')).toBeCloseTo(8 * 3600 + 41 * 60 + 19.331251, 6)
    expect(secondsOfDay('23:59:59.999999')).toBeCloseTo(86399.999999, 6)
    expect(secondsOfDay('01:00:00')).toBe(3600)
  })

  it('the event’s stamp (seconds since the epoch) modulo a day is the same clock: the stop at 08:41:18.679 UTC', () => {
    const stopped = moveRunOf('failover-stop', 'lvs-node-0b')
    expect(new Date(stopped.at * 1000).toISOString()).toBe('2026-12-03T08:41:18.679Z')
    expect(stopped.at % 86400).toBeCloseTo(secondsOfDay('08:41:18.679'), 3)
  })
})
