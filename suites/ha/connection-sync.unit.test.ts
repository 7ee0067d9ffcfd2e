import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import type { HeldConnection } from '../../lab/tcp/held-connections'
import { haDrTopology } from '../../topologies/ha-dr'
import { parseTcpdump } from '../../lab/capture/parse-tcpdump'
import {
  backupHasTheConnections,
  connectionsSurvive,
  describeStoppedTraces,
  describeSyncRun,
  heldTraces,
  notFlowingBeforeFailover,
  serviceEntries,
  survivesByHashing,
  survivors,
  type SyncRun,
} from './connection-sync'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

const vip = haDrTopology.vip
const client = '172.16.100.50'
/** The four runs of one connection-sync.test.ts file on 6.1, in its order: each on its own hold endpoint, the fresh port + 1000. */
const runs = { 'sync-on': 9001, 'sync-off': 9002, 'mh-sloppy': 9003, mh: 9004 } as const
type RunName = keyof typeof runs
const where = (run: RunName) => ({ vip, port: runs[run], client })

/**
 * A connection-sync run as syncRun() in connection-sync.test.ts built it. The directors' -Lnc before the failover
 * and the backup's after it were attached (`<run>-master-lnc`, `<run>-backup-lnc`, `<run>-later-lnc`) and are read
 * here as the run read them. The client's held connections were not: their per-connection lines (`connection N to
 * S: A lines at the failover, B later, open|closed`) are only in what the run saw (`<run>-run`), and are rebuilt
 * from it, with the number held, the scheduler, the sync daemon, the backup's sloppy_tcp and the seconds watched.
 * Whether a connection was still open at the failover is not printed, and no check reads it: those readings carry
 * no `open`.
 */
function syncRunOf(name: RunName): SyncRun {
  const summary = lab(`${name}-run-6.1.txt`)
  const head = /^(\d+) held connections, (.+) on both directors, sync daemon (on|off)[^,]*, sloppy_tcp=(\d+) on the backup$/m.exec(summary)
  const watched = /kept flowing over (\S+) s;/.exec(summary)
  if (!head || !watched) throw new Error(`${name}: not a connection-sync run`)
  const atFailover: HeldConnection[] = []
  const later: HeldConnection[] = []
  for (const m of summary.matchAll(/^ {2}connection (\d+) to (\S+): (\S+) lines at the failover, (\d+) later, (open|closed)$/gm)) {
    const [, id = '', server = '', before = '', after = '', open = ''] = m
    const named = server === '?' ? {} : { server }
    if (before !== '?') atFailover.push({ id: Number(id), ...named, lines: Number(before) })
    later.push({ id: Number(id), ...named, lines: Number(after), open: open === 'open' })
  }
  return {
    syncDaemon: head[3] === 'on',
    scheduler: head[2]!,
    held: Number(head[1]),
    backupSloppyTcp: Number(head[4]),
    masterEntries: serviceEntries(lab(`${name}-master-lnc-6.1.txt`), where(name)),
    backupEntries: serviceEntries(lab(`${name}-backup-lnc-6.1.txt`), where(name)),
    backupEntriesAfter: serviceEntries(lab(`${name}-later-lnc-6.1.txt`), where(name)),
    atFailover,
    later,
    watchedSeconds: Number(watched[1]),
  }
}

describe('serviceEntries on the directors’ -Lnc of the 6.1 lab', () => {
  it('keeps the held connections of VIP:9007 from the client: ten ESTABLISHED, not the earlier tests’ FIN_WAIT entries on 8003 to 8006', () => {
    // a master's table in a full run of the suite, the earlier files' entries still in it
    const listing = lab('master-lnc-among-earlier-tests-6.1.txt')
    const entries = serviceEntries(listing, { vip, port: 9007, client })
    expect(entries).toHaveLength(10)
    expect(new Set(entries.map((e) => e.state))).toEqual(new Set(['ESTABLISHED']))
    expect(entries.map((e) => e.source.port)).toEqual([42314, 42300, 42244, 42242, 42252, 42328, 42264, 42284, 42336, 42280])
    expect(entries.filter((e) => e.destination.address === '172.16.100.101')).toHaveLength(5)
    expect(listing.split('\n').filter((l) => l.startsWith('TCP '))).toHaveLength(34)
  })

  it('keeps each run to its own port: the no-sync master still lists the sync run’s 9001 entries, serviceEntries gives 9002’s alone', () => {
    const listing = lab('sync-off-master-lnc-6.1.txt')
    expect(listing.split('\n').filter((l) => l.startsWith('TCP '))).toHaveLength(20)
    expect(serviceEntries(listing, where('sync-on'))).toHaveLength(10)
    const entries = serviceEntries(listing, where('sync-off'))
    expect(entries).toHaveLength(10)
    expect(entries.every((e) => e.virtual.port === 9002 && e.destination.port === 9002)).toBe(true)
  })

  it('another client, another VIP or a listing without the port gives nothing', () => {
    expect(serviceEntries(lab('sync-on-master-lnc-6.1.txt'), where('sync-on'))).toHaveLength(10)
    expect(serviceEntries(lab('sync-on-master-lnc-6.1.txt'), { ...where('sync-on'), client: '172.16.100.51' })).toEqual([])
    expect(serviceEntries(lab('sync-on-master-lnc-6.1.txt'), { ...where('sync-on'), vip: '172.16.100.201' })).toEqual([])
    expect(serviceEntries(lab('sync-off-backup-lnc-6.1.txt'), where('sync-off'))).toEqual([])
  })

  it('leaves out persistence templates (client port 0)', () => {
    const template = 'TCP 05:59  NONE        172.16.100.50:0    172.16.100.200:9001 172.16.100.101:9001\n'
    expect(serviceEntries(lab('sync-on-master-lnc-6.1.txt') + template, where('sync-on'))).toHaveLength(10)
  })

  it('4 s after it took over, the synced backup still lists the ten as ESTABLISHED; without sync it lists none of 9002', () => {
    expect(serviceEntries(lab('sync-on-later-lnc-6.1.txt'), where('sync-on')).map((e) => e.state)).toEqual(Array(10).fill('ESTABLISHED'))
    expect(serviceEntries(lab('sync-off-later-lnc-6.1.txt'), where('sync-off'))).toEqual([])
  })
})

describe('connection sync: the master’s and the backup’s entries, and the ten held connections, on the 6.1 lab', () => {
  const on = syncRunOf('sync-on')
  const off = syncRunOf('sync-off')

  it('the runs rebuilt from the fixtures read as the lab’s runs did (what the run saw)', () => {
    expect(describeSyncRun(on)).toBe(lab('sync-on-run-6.1.txt'))
    expect(describeSyncRun(off)).toBe(lab('sync-off-run-6.1.txt'))
  })

  it('with the sync daemon, the backup lists every connection of the master’s: same client port, real server, ESTABLISHED', () => {
    expect(on.backupEntries).toHaveLength(10)
    expect(passed(backupHasTheConnections(on))).toBe(true)
  })

  it('without it, the backup has no entry for any of the ten, and the check fails as it did in the lab', () => {
    expect(off.backupEntries).toEqual([])
    expect(backupHasTheConnections(off).failures).toEqual([
      "172.16.100.50:35512 (to 172.16.100.101) is not in the backup's -Lnc",
      "172.16.100.50:35498 (to 172.16.100.102) is not in the backup's -Lnc",
      "172.16.100.50:35536 (to 172.16.100.102) is not in the backup's -Lnc",
      "172.16.100.50:35546 (to 172.16.100.101) is not in the backup's -Lnc",
      "172.16.100.50:35600 (to 172.16.100.101) is not in the backup's -Lnc",
      "172.16.100.50:35530 (to 172.16.100.101) is not in the backup's -Lnc",
      "172.16.100.50:35578 (to 172.16.100.101) is not in the backup's -Lnc",
      "172.16.100.50:35514 (to 172.16.100.102) is not in the backup's -Lnc",
      "172.16.100.50:35590 (to 172.16.100.102) is not in the backup's -Lnc",
      "172.16.100.50:35562 (to 172.16.100.102) is not in the backup's -Lnc",
    ])
  })

  it('fails when the backup’s entry goes to another real server, or is in another state', () => {
    const backup = lab('sync-on-backup-lnc-6.1.txt')
    const moved = backup.replace('172.16.100.50:44104 172.16.100.200:9001 172.16.100.101:9001', '172.16.100.50:44104 172.16.100.200:9001 172.16.100.102:9001')
    expect(backupHasTheConnections({ ...on, backupEntries: serviceEntries(moved, where('sync-on')) }).failures).toEqual([
      '172.16.100.50:44104 goes to 172.16.100.102 on the backup, 172.16.100.101 on the master',
    ])
    const closing = backup.replace('TCP 14:59  ESTABLISHED 172.16.100.50:44124', 'TCP 01:59  FIN_WAIT    172.16.100.50:44124')
    expect(backupHasTheConnections({ ...on, backupEntries: serviceEntries(closing, where('sync-on')) }).failures).toEqual(['172.16.100.50:44124 is FIN_WAIT on the backup'])
  })

  it('fails when the master lists fewer than the connections held: nine of ten is no proof', () => {
    expect(backupHasTheConnections({ ...on, masterEntries: on.masterEntries.slice(1) }).failures).toEqual(['the master lists 9 of the 10 held connections'])
  })

  it('with the sync daemon all ten keep flowing after the failover: open, five lines or more further on', () => {
    expect(survivors(on).map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(passed(connectionsSurvive(on))).toBe(true)
  })

  it('without it the ten are closed with no line after the failover, and the survival check fails as in the lab', () => {
    expect(survivors(off)).toEqual([])
    expect(connectionsSurvive(off).failures).toEqual([
      '10 of 10 connections broke or stalled in the 4.2 s after the failover: connection 11 to lvs-node-2: 13 lines at the failover, 13 later, closed; ' +
        'connection 12 to lvs-node-1: 13 lines at the failover, 13 later, closed; connection 13 to lvs-node-2: 13 lines at the failover, 13 later, closed; …',
    ])
  })

  it('survivors wants two lines more while watched: one more is a stall; a closed connection or one unknown at the failover is lost', () => {
    const stalled = on.later.map((c) => (c.id === 10 ? { ...c, lines: 7 } : c))
    expect(survivors({ ...on, later: stalled }).map((c) => c.id)).not.toContain(10)
    expect(connectionsSurvive({ ...on, later: stalled }).failures).toEqual([
      '1 of 10 connections broke or stalled in the 4.1 s after the failover: connection 10 to lvs-node-1: 6 lines at the failover, 7 later, open',
    ])
    expect(survivors({ ...on, later: on.later.map((c) => (c.id === 10 ? { ...c, lines: 8 } : c)) })).toHaveLength(10)
    expect(survivors({ ...on, later: on.later.map((c) => (c.id === 1 ? { ...c, open: false } : c)) })).toHaveLength(9)
    expect(survivors({ ...on, later: on.later.map((c) => (c.id === 1 ? { ...c, open: undefined } : c)) })).toHaveLength(9)
    expect(connectionsSurvive({ ...on, atFailover: on.atFailover.slice(1) }).failures).toEqual([
      'only 9 of 10 connections were held at the failover',
      '1 of 10 connections broke or stalled in the 4.1 s after the failover: connection 1 to lvs-node-2: ? lines at the failover, 10 later, open',
    ])
  })
})

describe('survivesByHashing: no sync daemon, mh with mh-port on both directors, on the 6.1 lab', () => {
  const sloppy = syncRunOf('mh-sloppy')
  const strict = syncRunOf('mh')

  it('the runs rebuilt from the fixtures read as the lab’s runs did', () => {
    expect(describeSyncRun(sloppy)).toBe(lab('mh-sloppy-run-6.1.txt'))
    expect(describeSyncRun(strict)).toBe(lab('mh-run-6.1.txt'))
  })

  it('with sloppy_tcp=1 the backup, which knew none of them, made an entry for each of the ten to the master’s server, over both servers, and all ten kept flowing', () => {
    expect(sloppy.backupEntries).toEqual([])
    expect(sloppy.backupEntriesAfter).toHaveLength(10)
    expect(new Set(sloppy.masterEntries.map((e) => e.destination.address))).toEqual(new Set(['172.16.100.101', '172.16.100.102']))
    expect(new Set(sloppy.backupEntriesAfter.map((e) => e.state))).toEqual(new Set(['ESTABLISHED']))
    expect(passed(survivesByHashing(sloppy))).toBe(true)
  })

  it('with sloppy_tcp=0 the backup made no entry and the ten closed: the check fails on both counts, as in the lab', () => {
    const { failures, check } = survivesByHashing(strict)
    expect(check).toMatch(/^sloppy_tcp=0 on the backup, no sync daemon, mh mh-port on both:/)
    expect(failures).toHaveLength(11)
    expect(failures[0]).toBe('172.16.100.50:39842 (to 172.16.100.102 on the master) has no entry on the backup after it took over')
    expect(failures[10]).toMatch(
      /^10 of 10 connections broke or stalled in the 6\.5 s after the failover: connection 31 to lvs-node-2: 13 lines at the failover, 13 later, closed;/,
    )
  })

  it('fails when the backup sent a connection to another server than the master did', () => {
    const moved = lab('mh-sloppy-later-lnc-6.1.txt').replace(
      '172.16.100.50:59436 172.16.100.200:9003 172.16.100.101:9003',
      '172.16.100.50:59436 172.16.100.200:9003 172.16.100.102:9003',
    )
    expect(survivesByHashing({ ...sloppy, backupEntriesAfter: serviceEntries(moved, where('mh-sloppy')) }).failures).toEqual([
      '172.16.100.50:59436 went to 172.16.100.102 on the backup, 172.16.100.101 on the master',
    ])
  })

  it('is no proof of hashing when the sync daemon ran or the backup already knew the connections', () => {
    const synced = syncRunOf('sync-on')
    expect(survivesByHashing(synced).failures.slice(0, 2)).toEqual([
      'the sync daemon ran: the survival would not be the scheduler’s',
      'the backup listed 10 entries before the failover: with no sync daemon it should know none',
    ])
  })
})

describe('notFlowingBeforeFailover', () => {
  const c = (id: number, lines: number, open = true): HeldConnection => ({ id, server: id % 2 ? 'lvs-node-2' : 'lvs-node-1', lines, open })
  it('is satisfied when every connection is open and has more lines than when it was opened', () => {
    expect(notFlowingBeforeFailover([c(1, 1), c(2, 1)], [c(1, 5), c(2, 4)])).toBeUndefined()
  })
  it('names a connection that closed or carried no line since it was opened (as soak run 2 saw connection 9)', () => {
    expect(notFlowingBeforeFailover([c(1, 1), c(9, 1)], [c(1, 5), c(9, 1, false)])).toBe(
      'starting state not met: 1 of 2 held connections had stopped before the failover: connection 9 to lvs-node-2 (1 lines, closed)',
    )
    expect(notFlowingBeforeFailover([c(4, 1)], [c(4, 1)])).toMatch(/connection 4 to lvs-node-1 \(1 lines, open\)/)
  })
})

describe('heldTraces and describeStoppedTraces, on the client capture of ten held connections (port 9001, 6.1)', () => {
  const frames = parseTcpdump(lab('held-client-capture-6.1.txt')).frames
  const traces = heldTraces(frames, { vip, port: 9001 })
  const opened: HeldConnection[] = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, server: k % 2 ? 'lvs-node-1' : 'lvs-node-2', lines: 1 }))

  it('cuts it into the ten connections in the order their SYNs left, each from its SYN on, with the server’s lines in it', () => {
    expect(traces).toHaveLength(10)
    expect(new Set(traces.map((t) => t.clientPort)).size).toBe(10)
    expect(traces.map((t) => t.frames[0]!.ip!.tcpFlags)).toEqual(Array(10).fill('S'))
    expect(traces.map((t) => t.clientPort)[0]).toBe(51092)
    for (const t of traces) expect(t.frames.some((f) => f.ip!.src.address === vip && f.ip!.tcpFlags === 'P.')).toBe(true)
  })

  it('frames of a port before its SYN belong to an earlier connection and are left out', () => {
    const synOf = frames.findIndex((f) => f.ip?.src.port === traces[1]!.clientPort && f.ip.tcpFlags === 'S')
    const fromMidStream = heldTraces(frames.slice(synOf + 1), { vip, port: 9001 })
    expect(fromMidStream.map((t) => t.clientPort)).not.toContain(traces[1]!.clientPort)
    expect(fromMidStream).toHaveLength(8)
  })

  it('describes a stopped connection by its client port, frames each way, endings and last frames; one missing from the capture says so', () => {
    const text = describeStoppedTraces(traces, opened, [3, 11], { vip, last: 2 })
    const [first, l1, l2, missing] = text.split('\n')
    expect(first).toMatch(
      new RegExp(`^connection 3 \\(client port ${traces[2]!.clientPort}\\): \\d+ frames from the client, \\d+ from the server; no FIN or reset; its last 2 frames:$`),
    )
    expect([l1, l2]).toEqual(traces[2]!.frames.slice(-2).map((f) => `  ${f.line}`))
    expect(missing).toBe('connection 11: not in the capture (10 connections there, 10 opened)')
  })
})
