/**
 * Two directors, keepalived and VRRP (topologies/ha-dr.ts): one master, and what happens to
 * the VIP when the master fails and comes back. keepalived runs per test from the topology's
 * VRRP group (fixtures/vrrp-pair.ts) and is stopped after it, with the VIP and the services
 * it programmed.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { changedState } from '../../fixtures/lab-test'
import type { Client } from '../../fixtures/nodes/client'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import type { VrrpPair } from '../../fixtures/vrrp-pair'
import type { KeepalivedService } from '../../lab/keepalived/vrrp-conf'
import { masterDownSeconds } from '../../lab/keepalived/master-down'
import { haDrTopology } from '../../topologies/ha-dr'
import { haTest } from './ha-fixtures'
import { movedTo, oneMaster, type PairReading } from './checks'
import { attachViews, move, moveFigures, state } from './move-run'

const vip = haDrTopology.vip
const vrrp = haDrTopology.vrrp!
const realServers = haDrTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
const backupPriority = Math.min(...vrrp.members.map((m) => m.priority))
const masterPriority = Math.max(...vrrp.members.map((m) => m.priority))
const masterDown = (priority: number) => masterDownSeconds(vrrp, priority)
/**
 * What the emulated lab adds to the protocol's time: the probes' own granularity (a failed one
 * takes its 0.5 s connect timeout, then 0.2 s of pause) and keepalived and the client scheduled
 * late on a loaded guest.
 */
const toleranceSeconds = 2

const test = haTest.extend<{ advertsBlocked: Director[] }>({
  // VRRP is IP protocol 112: dropped on input, neither director hears the other
  advertsBlocked: changedState(async ({ net }) => (await Promise.all(net.directors.map((d) => d.sh('iptables -I INPUT -p vrrp -j DROP'))), net.directors)),
})

const service = (port: number): KeepalivedService => ({ port, scheduler: 'rr', realServers, delayLoop: 2 })

describe('one master: VRRP elects one director to hold the VIP', () => {
  async function reading(pair: VrrpPair, client: Client): Promise<PairReading> {
    const [views, arp] = await Promise.all([pair.read(), client.arping(vip, 2)])
    await attachViews('after keepalived settled', views)
    await evidence(`arping ${vip} from the client`, arp.raw)
    return { directors: views.map((v) => state(v)), arp: arp.replies }
  }

  test('with both keepalived running, exactly one director holds the VIP (lvs-node-0a, priority 150) and one MAC answers ARP for it', async ({ pair, client, net }) => {
    await pair.start({ services: [service(net.freshPort())] }, { settle: 'quiet' })
    const r = await reading(pair, client)
    await expectPass(oneMaster(r))
  })

  test('negative control: VRRP adverts dropped between the directors, both become master and two MACs answer', async ({ advertsBlocked: _, pair, client, net }) => {
    await pair.start({ services: [service(net.freshPort())] }, { settle: 'quiet' })
    const r = await reading(pair, client)
    await expectFail(oneMaster(r))
  })
})

describe('failover and failback: the VIP moves with the master', () => {
  const moveTo = (pair: VrrpPair, client: Client, port: number, name: string, to: 'master' | 'backup', event: () => Promise<number>) =>
    move(pair, client, { port, name, to, boundSeconds: masterDown(to === 'master' ? masterPriority : backupPriority), toleranceSeconds }, event).then((m) => m.run)

  test('the master’s keepalived stopped: lvs-node-0b takes the VIP, the client follows its gratuitous ARP, new connections are answered', async ({ pair, client, net, task }) => {
    const port = net.freshPort()
    await pair.start({ services: [service(port)] })
    const run = await moveTo(pair, client, port, 'stopped keepalived', 'backup', () => pair.stop(pair.master))
    moveFigures(task, 'DR failover, the master’s keepalived stopped', run)
    await expectPass(movedTo(run))
  })

  /**
   * docker pause freezes the director's processes, not its kernel: IPVS keeps forwarding what
   * still reaches it and the kernel answers ARP, so no connection is lost; keepalived's adverts
   * stop, and the backup takes over when its master-down interval runs out.
   */
  test('the master paused (docker pause): lvs-node-0b takes the VIP after the master-down interval', async ({ pair, client, net, task }) => {
    const port = net.freshPort()
    await pair.start({ services: [service(port)] })
    const run = await moveTo(pair, client, port, 'paused', 'backup', async () => {
      // the event is the pause done: from then on the master sends nothing
      await pair.pause(pair.master)
      return Number((await client.sh('echo "${EPOCHREALTIME/[.,]/}"', undefined, { readOnly: true })).trim()) / 1e6
    })
    moveFigures(task, 'DR failover, the master paused', run)
    await expectPass(movedTo(run))
  })

  test('failback: lvs-node-0a’s keepalived started again takes the VIP back (preemption)', async ({ pair, client, net, task }) => {
    const port = net.freshPort()
    await pair.start({ services: [service(port)] })
    await pair.stop(pair.master)
    // the event is the start alone: the probes watch the takeover, a settle would outlast it
    const run = await moveTo(pair, client, port, 'started keepalived again', 'master', () => pair.start({ services: [service(port)] }, { only: [pair.master], settle: 'none' }))
    moveFigures(task, 'DR failback, lvs-node-0a’s keepalived started again', run)
    await expectPass(movedTo(run))
  })

  test('negative control: nopreempt, lvs-node-0a’s keepalived started again stays backup and the failback check fails', async ({ pair, client, net }) => {
    const port = net.freshPort()
    const options = { services: [service(port)], preempt: false }
    await pair.start(options)
    await pair.stop(pair.master)
    await expectFail(movedTo(await moveTo(pair, client, port, 'started keepalived again', 'master', () => pair.start(options, { only: [pair.master], settle: 'none' }))))
  })

  test('negative control: the backup’s keepalived stopped first, nobody takes the VIP and the failover check fails', async ({ pair, client, net }) => {
    const port = net.freshPort()
    await pair.start({ services: [service(port)] })
    await pair.stop(pair.backup)
    await expectFail(movedTo(await moveTo(pair, client, port, 'stopped keepalived', 'backup', () => pair.stop(pair.master))))
  })
})
