/**
 * The HA unit tests' reading of runs attached in the lab (suites/ha/__fixtures__): a director's
 * view, and a failover run as move() (move-run.ts) built it, per topology.
 */
import { readFileSync } from 'node:fs'
import { parseVrrpStates, type DirectorView } from '../../fixtures/vrrp-pair'
import { parseTcpdump } from '../../lab/capture/parse-tcpdump'
import { masterDownSeconds } from '../../lab/keepalived/master-down'
import type { Topology } from '../../topologies/topology'
import type { MoveRun } from './checks'
import { state } from './move-run'

export const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

/** docker's MAC for a container address, 02:42 and the address in hex: what arping and tcpdump show for each node. */
export const dockerMac = (ip: string) => ['02', '42', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':')

/** `instance`: the VRRP instance of the VIP, where the directors run more than one. */
export function labRuns(topology: Topology, { instance }: { instance?: string } = {}) {
  const vip = topology.vip
  const vrrp = topology.vrrp!
  /** A node's first address (on a director of ha-nat, its outside one). */
  const address = (name: string) => topology.nodes.find((n) => n.name === name)!.interfaces[0]!.address

  /**
   * A director as VrrpPair.read() read it, from its attachment: `ip -o -4 addr`, a blank line, the keepalived log.
   * Two things of the view were not attached: its MAC is docker's for its address, and whether keepalived was still
   * running (the view's @@running) is read from the log, which keepalived closes with `Stopped Keepalived` on its way out.
   */
  function viewOf(file: string, name: string): DirectorView {
    const text = lab(file)
    const blank = text.indexOf('\n\n')
    const [addresses, log] = [text.slice(0, blank), text.slice(blank + 2)]
    return {
      name,
      mac: dockerMac(address(name)),
      holdsVip: new RegExp(`inet ${vip.replace(/\./g, '\\.')}/`).test(addresses),
      states: parseVrrpStates(log),
      running: !/: Stopped Keepalived /.test(log),
      at: NaN,
      log,
      addresses,
    }
  }

  /** The bound of a move: the master-down interval of the director that takes the VIP, 3 x advert_int + skew. */
  const masterDown = (priority: number) => masterDownSeconds(vrrp, priority)
  const priority = (name: string) => vrrp.members.find((m) => m.node === name)!.priority

  /**
   * A failover (or failback) run as move() built it, from its attachments: the directors it could read
   * (`<run>-0a`, `<run>-0b`), the client's ARP capture, `ip neigh`, and the probes (`sent ended server`, `-`
   * unanswered). The event's name and its stamp on the lab's clock were not attached on their own: they are read from
   * the first line of what the run saw (`<run>-run`), which prints the stamp to the millisecond.
   */
  function moveRunOf(run: string, to: 'lvs-node-0a' | 'lvs-node-0b', readable: ('0a' | '0b')[] = ['0a', '0b']): MoveRun {
    const event = /^event: the master (.+), at (\d+\.\d+) \(the lab's clock\)$/m.exec(lab(`${run}-run-6.1.txt`))
    if (!event) throw new Error(`${run}: no event line in what the run saw`)
    const views = readable.map((d) => viewOf(`${run}-${d}-6.1.txt`, `lvs-node-${d}`))
    const toView = views.find((v) => v.name === to)!
    const other = views.find((v) => v.name !== to)
    const probes = lab(`${run}-probes-6.1.txt`)
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const [sentAt = '', endedAt = '', server = '-'] = l.split(' ')
        return { sentAt: Number(sentAt), endedAt: Number(endedAt), ...(server === '-' ? {} : { server }) }
      })
    return {
      event: event[1]!,
      at: Number(event[2]),
      from: state(other ?? toView, instance),
      to: state(toView, instance),
      ...(other ? { other: state(other, instance) } : {}),
      probes,
      arpFrames: parseTcpdump(lab(`${run}-arp-6.1.txt`)).frames,
      neighbourMac: /lladdr ([0-9a-f:]{17})/.exec(lab(`${run}-neigh-6.1.txt`))?.[1],
      vip,
      boundSeconds: masterDown(priority(to)),
      toleranceSeconds: 2,
    }
  }

  return { address, viewOf, moveRunOf, masterDown, priority }
}
