/**
 * The failover observation the HA files share: the client probes the VIP every 0.2 s with its
 * ARP captured while an event moves the master, then the client's neighbour entry and both
 * directors are read.
 */
import type { TestContext } from 'vitest'
import { PacketCapture } from '../../fixtures/capture'
import { evidence } from '../../fixtures/evidence'
import { figure } from '../../fixtures/figures'
import type { Client } from '../../fixtures/nodes/client'
import { parseVrrpStates, type DirectorView, type VrrpPair } from '../../fixtures/vrrp-pair'
import { describeMoveRun, moveTimes, type DirectorState, type MoveRun } from './checks'

/**
 * A director's VRRP state: its log's last (of one instance, when named), or STOPPED once
 * keepalived has ended (it logs no state on the way out).
 */
export const state = (v: Omit<DirectorView, 'at'>, instance?: string): DirectorState => ({
  name: v.name,
  mac: v.mac,
  holdsVip: v.holdsVip,
  state: v.running ? (instance ? parseVrrpStates(v.log, instance) : v.states).at(-1) : 'STOPPED',
})

export async function attachViews(title: string, views: DirectorView[]) {
  for (const v of views) await evidence(`${title}: ${v.name} (ip -o -4 addr, keepalived log)`, `${v.addresses}\n\n${v.log}`)
}

export interface MoveOptions {
  /** The service's port the probes go to. */
  port: number
  /** What moves the master, for the report: `stopped keepalived`, `paused`. */
  name: string
  /** Who should hold the VIP afterwards. */
  to: 'master' | 'backup'
  /** The backup's master-down interval (or the master's, for a failback) in seconds. */
  boundSeconds: number
  toleranceSeconds: number
  /** The VRRP instance of the VIP, where a director runs more than one. */
  instance?: string
}

/** Runs `event` (it returns the lab's clock at the event) under the probes; the run, and the directors as read afterwards. */
export async function move(pair: VrrpPair, client: Client, o: MoveOptions, event: () => Promise<number>): Promise<{ run: MoveRun; views: DirectorView[] }> {
  const vip = pair.net.topology.vip
  const url = `http://${vip}:${o.port}/`
  const target = o.to === 'master' ? pair.master : pair.backup
  // 8 s outlasts the bound (3.61 s + 2 s) after the event; a move the client has seen through
  // (its entry for the VIP moved to the target's MAC, two probes answered after that) ends them
  // sooner, and the directors are read as soon as it has. They start once the capture listens,
  // in its round trip.
  const probe = client.probeRun(url, 8, { until: { ip: vip, mac: target.mac(), answered: 2 } })
  const capture = await PacketCapture.start(client, 'arp', { after: probe.script })
  const at = await event()
  const probes = await client.probes(probe.tag)
  // once the probes are over: the client's side and both directors, read side by side
  const [[arp, neighbour], views] = await Promise.all([
    capture.stop().then(async (arp) => [arp, await client.sh(`ip neigh show ${vip}`, undefined, { readOnly: true })] as const),
    pair.read(),
  ])
  const toView = views.find((v) => v.name === target.name)!
  const other = views.find((v) => v.name !== target.name)
  const run: MoveRun = {
    event: o.name,
    at,
    from: state(other ?? toView, o.instance),
    to: state(toView, o.instance),
    ...(other ? { other: state(other, o.instance) } : {}),
    probes,
    arpFrames: arp.frames,
    neighbourMac: /lladdr ([0-9a-f:]{17})/.exec(neighbour)?.[1],
    vip,
    boundSeconds: o.boundSeconds,
    toleranceSeconds: o.toleranceSeconds,
  }
  await attachViews(`after the master ${o.name}`, views)
  await evidence(arp.description, arp.text || '(no frames)')
  await evidence(`ip neigh show ${vip} on the client`, neighbour || '(none)')
  await evidence('the probes (sent, ended on the lab clock, server)', probes.map((p) => `${p.sentAt.toFixed(3)} ${p.endedAt.toFixed(3)} ${p.server ?? '-'}`).join('\n'))
  await evidence('what the run saw', describeMoveRun(run))
  return { run, views }
}

/**
 * A move's times, for the matrix's figures (moveTimes): to the new holder's first gratuitous
 * ARP, to the first new connection answered after it, and the new connections left unanswered
 * (the client's probes, one after another, each ended by its answer or its 0.5 s connect timeout).
 */
export function moveFigures(task: TestContext['task'], label: string, run: MoveRun): void {
  const t = moveTimes(run)
  figure(task, `${label}: to the new holder's first gratuitous ARP`, t.takeover, 's')
  figure(task, `${label}: to the first new connection answered after it`, t.answeredThrough, 's')
  figure(task, `${label}: new connections after the event left unanswered`, t.unanswered, `of ${t.probes}`)
}
