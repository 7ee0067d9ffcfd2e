/**
 * Two NAT directors (topologies/ha-nat.ts): the VIP outside and the real servers' default
 * gateway inside float together, two VRRP instances in one vrrp_sync_group, because a NAT real
 * server sends its replies to whichever director holds the gateway and only the one that took
 * the request can masquerade them.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { parseVrrpStates, type VrrpPair } from '../../fixtures/vrrp-pair'
import { vrrpInstanceNames, type KeepalivedService } from '../../lab/keepalived/vrrp-conf'
import { masterDownSeconds } from '../../lab/keepalived/master-down'
import { haNatGateway, haNatTopology } from '../../topologies/ha-nat'
import type { Client } from '../../fixtures/nodes/client'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { haNatTest as test, type HaFixtures } from './ha-fixtures'
import { move, moveFigures } from './move-run'
import { describeGateway, natMovedTo, parseNeighbour, type NatMoveRun } from './nat-failover'

const vrrp = haNatTopology.vrrp!
const realServers = haNatTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
const [vipInstance, gatewayInstance] = vrrpInstanceNames(vrrp)
const inside = vrrp.floating![0]!.network
/** The backup's master-down interval, 3 x advert_int + skew (RFC 5798): a cut link sends no last advert. */
const backupPriority = Math.min(...vrrp.members.map((m) => m.priority))
const masterDown = masterDownSeconds(vrrp, backupPriority)
/** As in ha.test.ts: the probes' granularity and a loaded emulated guest. */
const toleranceSeconds = 2

const service = (port: number): KeepalivedService => ({ port, scheduler: 'rr', realServers, realPort: 80, delayLoop: 2 })

/** The master moved by `event` under the client's probes, then the gateway read on both directors and every real server. */
async function natMove(pair: VrrpPair, client: Client, rs: RealServer[], port: number, name: string, event: () => Promise<number>): Promise<NatMoveRun> {
  const { run, views } = await move(pair, client, { port, name, to: 'backup', boundSeconds: masterDown, toleranceSeconds, instance: vipInstance }, event)
  const neighbours = await Promise.all(rs.map(async (r) => ({ name: r.name, text: await r.sh(`ip neigh show ${haNatGateway}`, undefined, { readOnly: true }) })))
  const holds = (name: string) => {
    const v = views.find((x) => x.name === name)
    return (
      v && {
        name,
        holdsGateway: new RegExp(`inet ${haNatGateway.replace(/\./g, '\\.')}/`).test(v.addresses),
        state: v.running ? parseVrrpStates(v.log, gatewayInstance).at(-1) : 'STOPPED',
      }
    )
  }
  const other = holds(pair.master.name)
  const nat: NatMoveRun = {
    move: run,
    gateway: {
      gateway: haNatGateway,
      to: { ...holds(pair.backup.name)!, insideMac: pair.backup.mac(inside) },
      ...(other ? { other } : {}),
      neighbours: neighbours.map((n) => ({ name: n.name, ...parseNeighbour(n.text) })),
    },
  }
  for (const n of neighbours) await evidence(`${n.name}: ip neigh show ${haNatGateway}`, n.text || '(none)')
  await evidence('the gateway after the move', describeGateway(nat.gateway))
  return nat
}

/** keepalived started on both (the instances grouped or not), then the master's outside link cut under the probes. */
async function cutRun({ pair, client, realServers, net }: HaFixtures, syncGroup: boolean): Promise<NatMoveRun> {
  const port = net.freshPort()
  await pair.start({ services: [service(port)], syncGroup })
  return natMove(pair, client, realServers, port, 'lost its outside link', () => pair.cut(pair.master, vrrp.network))
}

describe('NAT with two directors: the real servers’ gateway moves with the VIP (vrrp_sync_group)', () => {
  test('the master’s outside link cut: lvs-node-0b takes the VIP and the gateway together, the real servers’ replies follow, new connections are answered', async ({
    pair,
    client,
    realServers,
    net,
    task,
  }) => {
    const run = await cutRun({ pair, client, realServers, net }, true)
    moveFigures(task, 'NAT failover, the master’s outside link cut', run.move)
    await expectPass(natMovedTo(run))
  })

  test('the master’s keepalived stopped: lvs-node-0b takes both, new connections are answered', async ({ pair, client, realServers: rs, net, task }) => {
    const port = net.freshPort()
    await pair.start({ services: [service(port)] })
    const run = await natMove(pair, client, rs, port, 'stopped keepalived', () => pair.stop(pair.master))
    moveFigures(task, 'NAT failover, the master’s keepalived stopped', run.move)
    await expectPass(natMovedTo(run))
  })

  test('negative control: the two instances not in a sync group, the cut moves only the VIP; the replies still go to lvs-node-0a and the check fails', async ({
    pair,
    client,
    realServers,
    net,
  }) => {
    await expectFail(natMovedTo(await cutRun({ pair, client, realServers, net }, false)))
  })
})
