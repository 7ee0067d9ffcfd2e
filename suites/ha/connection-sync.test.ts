/**
 * Connection sync between the two directors (keepalived's lvs_sync_daemon, which runs the
 * kernel's IPVS sync daemon: master on the VRRP master, backup on the backup): long-lived
 * connections through the master, what the backup knows of them, and what survives a failover.
 */
import { describe, expect, type TestContext } from 'vitest'
import { PacketCapture } from '../../fixtures/capture'
import { evidence } from '../../fixtures/evidence'
import { figure } from '../../fixtures/figures'
import { changedState } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import { oncePerKey } from '../../fixtures/once-per-key'
import { pollUntil } from '../../fixtures/shell-poll'
import { directorsByPriority } from '../../fixtures/vrrp-pair'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { haDrTopology } from '../../topologies/ha-dr'
import {
  backupHasTheConnections,
  connectionsSurvive,
  describeStoppedTraces,
  describeSyncRun,
  heldTraces,
  notFlowingBeforeFailover,
  serviceEntries,
  stoppedBeforeFailover,
  survivesByHashing,
  survivors,
  type SyncRun,
} from './connection-sync'
import { haTest, type HaFixtures } from './ha-fixtures'

const vip = haDrTopology.vip
const realServerAddresses = haDrTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
const held = 10
/**
 * How long a connection may take to carry two more lines after the move: its lost
 * acknowledgements are resent at the server's retransmission timeouts, 0.2 s at least and
 * doubling (RFC 6298), so a second's outage is over by the fourth, about 3 s on; 15 s covers
 * a timeout grown to 1 s under emulation.
 */
const watchLimitSeconds = 15

/**
 * How long the backup is given to list the master's connections. The master's sync thread
 * sends its current buffer once it is IPVS_SYNC_FLUSH_TIME (2 s) old and looks every
 * IPVS_SYNC_CHECK_PERIOD (1 s) when there is nothing queued (include/net/ip_vs.h,
 * next_sync_buff and sync_thread_master in net/netfilter/ipvs/ip_vs_sync.c): sent within 3 s
 * of the connection's third packet; plus the 2 s the HA checks allow a loaded emulated guest.
 * Without the daemon the backup is read after the same wait: what it would have been sent.
 */
const syncBoundSeconds = 3 + 2

/**
 * The runs: rr with and without the sync daemon; mh (hashing the client's port too) without
 * it, the backup's sloppy_tcp as the sloppyBackup fixture leaves it (1) or as the spec has it (0).
 */
const variants = {
  sync: { syncDaemon: true, scheduler: 'rr', schedulerFlags: [] },
  'no sync': { syncDaemon: false, scheduler: 'rr', schedulerFlags: [] },
  'mh, sloppy backup': { syncDaemon: false, scheduler: 'mh', schedulerFlags: ['mh-port'] },
  mh: { syncDaemon: false, scheduler: 'mh', schedulerFlags: ['mh-port'] },
} as const
type Variant = keyof typeof variants

/** sloppy_tcp=1 on the backup director for one test, restored by the spec guard after it. */
const test = haTest.extend<{ sloppyBackup: Director }>({
  sloppyBackup: changedState(async ({ net }) => {
    const backup = directorsByPriority(net)[1]!
    await backup.setSysctl('net.ipv4.vs.sloppy_tcp', '1')
    return backup
  }),
})

describe('connection sync: what the backup knows of the master’s connections, and what survives the failover', () => {
  async function syncRun({ pair, client, realServers, net }: HaFixtures, variant: Variant): Promise<SyncRun> {
    const { syncDaemon, scheduler, schedulerFlags } = variants[variant]
    // the real servers' nginx holds every fresh port (DR cannot remap): the hold endpoint takes
    // the fresh port + 1000, as unused as the fresh one
    const port = net.freshPort() + 1000
    await Promise.all(realServers.map((rs) => rs.serveHeldConnections(port)))
    // the client's side of every held connection, kept through the failover: what a lost one
    // saw last (and who closed it) is evidence when a run goes red
    const [, capture] = await Promise.all([
      pair.start({ services: [{ port, scheduler, schedulerFlags: [...schedulerFlags], realServers: realServerAddresses, delayLoop: 2 }], syncDaemon }),
      PacketCapture.start(client, `tcp port ${port}`),
    ])
    // evidence only, read by no check: a capture that cannot be read says so in its place
    const traceOf = async (ids: number[]) => {
      try {
        const seen = await capture.stop()
        return describeStoppedTraces(heldTraces(seen.frames, { vip, port }), connections, ids, { vip })
      } catch (e) {
        return `the capture could not be read: ${(e as Error).message}`
      }
    }
    const connections = await client.hold(`${vip}:${port}`, held, { keepaliveSeconds: 1, together: true })
    const where = { vip, port, client: client.address() }
    const count = `ipvsadm -L -n -c | awk '$4 ~ /^${client.address().replace(/\./g, '\\.')}:/ && $5 == "${vip}:${port}"' | wc -l`
    // the sync daemon sends a connection after its third packet: wait on the backup until it lists them all (at most syncBoundSeconds)
    const [masterText, backupOut] = await Promise.all([
      pair.master.sh('ipvsadm -L -n -c', undefined, { readOnly: true }),
      pair.backup.sh(
        `${pollUntil(`[ "$(${count})" -ge ${connections.length} ]`, { seconds: syncBoundSeconds })}\necho "@@sloppy_tcp $(cat /proc/sys/net/ipv4/vs/sloppy_tcp)"\nipvsadm -L -n -c`,
        30_000,
        { readOnly: true },
      ),
    ])
    const backupSloppyTcp = Number(/^@@sloppy_tcp (\d+)$/m.exec(backupOut)?.[1] ?? NaN)
    const backupText = backupOut.replace(/^@@sloppy_tcp .*\n/m, '')
    // the starting state, read last before the move: every connection carried a line since it
    // was opened, else a loss after the move would not be the move's
    const beforeFailover = await client.held({ until: { since: connections, moreLines: 1, limitSeconds: 4 } })
    const notFlowing = notFlowingBeforeFailover(connections, beforeFailover)
    if (notFlowing) {
      await evidence(
        'held connections right before the failover',
        beforeFailover.map((c) => `connection ${c.id} to ${c.server ?? '-'}: ${c.lines} lines, ${c.open ? 'open' : 'closed'}`).join('\n'),
      )
      await evidence(`${client.name}: the capture of the connections that stopped`, await traceOf(stoppedBeforeFailover(connections, beforeFailover).map((c) => c.id)))
      // the held connections go with the failed run, or the next run would count them
      await client.release()
      throw new Error(notFlowing)
    }
    // the master fails as a hung machine does (docker pause): its kernel keeps what it holds,
    // the backup takes over after its master-down interval. A clean stop of its keepalived is
    // not that failure: the checker deletes the virtual servers on its way out
    // (clear_service_vs in keepalived/check/ipwrapper.c) while the VRRP process may still hold
    // the VIP, and a client's packet that reaches the master then is reset by its own stack (a
    // reset from the VIP and the master's MAC, 0.4 s before the backup's gratuitous ARP, in a
    // 6.1 soak): keepalived's shutdown order, not the sync daemon's doing
    await pair.pause(pair.master)
    await pair.waitForVip(pair.backup, 8)
    const atFailover = await client.held()
    const t0 = Date.now()
    // a connection whose acknowledgements were lost in the move resumes at its server's next
    // retransmission (the timeout doubles each time): watched until each has two more lines or
    // has closed, for at most watchLimitSeconds; the backup's table is read once that is over,
    // when every connection that carried on has been through it
    const later = await client.held({ until: { since: atFailover, moreLines: 2, limitSeconds: watchLimitSeconds } })
    const laterText = await pair.backup.sh('ipvsadm -L -n -c', 30_000, { readOnly: true })
    const run: SyncRun = {
      syncDaemon,
      scheduler: [scheduler, ...schedulerFlags].join(' '),
      held,
      backupSloppyTcp,
      masterEntries: serviceEntries(masterText, where),
      backupEntries: serviceEntries(backupText, where),
      backupEntriesAfter: serviceEntries(laterText, where),
      atFailover,
      later,
      watchedSeconds: (Date.now() - t0) / 1000,
    }
    const lost = later.filter((c) => !survivors(run).includes(c)).map((c) => c.id)
    const lostTrace = await traceOf(lost)
    await client.release()
    if (lost.length) await evidence(`${client.name}: the capture of the connections lost after the failover`, lostTrace)
    await evidence(`${pair.master.name} (master): ipvsadm -Lnc before the failover`, masterText)
    await evidence(`${pair.backup.name} (backup): ipvsadm -Lnc before the failover`, backupText)
    await evidence(`${pair.backup.name}: ipvsadm -Lnc after it took over, the connections watched`, laterText)
    await evidence('what the run saw', describeSyncRun(run))
    return run
  }
  const runOf = oncePerKey(syncRun, describeSyncRun)
  /** The matrix's figure of a run: how many of the held connections the failover lost. */
  function lostFigure(task: TestContext['task'], label: string, run: SyncRun): SyncRun {
    figure(task, `connections lost at the failover, ${label}`, run.held - survivors(run).length, `of ${run.held}`)
    return run
  }

  test(`with the sync daemon, the backup’s -Lnc lists the master’s ${held} connections: same client port, real server, ESTABLISHED`, async ({ pair, client, realServers, net }) => {
    await expectPass(backupHasTheConnections(await runOf({ pair, client, realServers, net }, 'sync')))
  })

  test(`with the sync daemon, all ${held} connections keep flowing to their real servers after the failover`, async ({ pair, client, realServers, net, task }) => {
    await expectPass(connectionsSurvive(lostFigure(task, 'sync daemon, rr', await runOf({ pair, client, realServers, net }, 'sync'))))
  })

  describe('negative controls: without the sync daemon', () => {
    test('the backup has no entries: the sync check fails', async ({ pair, client, realServers, net }) => {
      await expectFail(backupHasTheConnections(await runOf({ pair, client, realServers, net }, 'no sync')))
    })
    test('the connections break at the failover (the backup resets what it has no entry for): the survival check fails', async ({ pair, client, realServers, net, task }) => {
      await expectFail(connectionsSurvive(lostFigure(task, 'no sync daemon, rr', await runOf({ pair, client, realServers, net }, 'no sync'))))
    })
  })

  describe('no sync daemon, mh on both directors: the backup hashes a connection it has no entry for to the same server', () => {
    test(`with sloppy_tcp=1 on the backup, all ${held} connections keep flowing to the master’s real servers after the failover`, async ({
      pair,
      client,
      realServers,
      net,
      sloppyBackup,
      task,
    }) => {
      expect(sloppyBackup).toBe(pair.backup)
      await expectPass(survivesByHashing(lostFigure(task, 'no sync daemon, mh, sloppy_tcp=1 on the backup', await runOf({ pair, client, realServers, net }, 'mh, sloppy backup'))))
    })
    test('negative control: with sloppy_tcp=0 (the default) the backup resets what it has no entry for: the check fails', async ({ pair, client, realServers, net, task }) => {
      await expectFail(survivesByHashing(lostFigure(task, 'no sync daemon, mh, sloppy_tcp=0', await runOf({ pair, client, realServers, net }, 'mh'))))
    })
  })
})
