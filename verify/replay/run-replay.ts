import { PacketCapture } from '../../fixtures/capture'
import type { RunningTopology } from '../../fixtures/bring-up'
import type { LabNode } from '../../fixtures/nodes/lab-node'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import { timed } from '../../fixtures/timings'
import { summarizeCapture } from '../../lab/capture/summarize'
import { plural } from '../../lab/matrix/plural'
import { parseIpvsList } from '../../lab/ipvs/parse-list'
import { parseIpvsTimeout } from '../../lab/ipvs/parse-timeout'
import type { LabInfo } from '../../lab/lab-info'
import type { Topology } from '../../topologies/topology'
import { parseCheckerStates } from '../keepalived/checker-states'
import { checkerStateScript } from '../keepalived/keepalived-script'
import { readRulesTable, type RulesTable } from '../rules/rules-table'
import { judgeService, type SharedObservation } from './judge-service'
import { parseProgramming, programmingScript, type DirectorInput } from './program-director'
import type { PlannedRealServer, ReplayPlan } from './replay-plan'
import type { Evidence, ReplayResult, ServiceReplay } from './replay-result'
import { compareRoundTrip } from './round-trip'
import { holdForLoad, sendTraffic } from './service-traffic'

export interface ReplayRun {
  plan: ReplayPlan
  director: DirectorInput
  /** The file's table, as the lint read it: what the save is compared with. */
  table: RulesTable
  lab: LabInfo
  /** Brings the planned topology up with the suites' machinery: bringUp, or the suites' pool (which takes the previous one down). */
  up: (topology: Topology) => Promise<RunningTopology>
  say: (line: string) => void
}

/**
 * The replay on a real kernel: the planned topology up, the director programmed from the file,
 * every service sent its traffic in turn from its own clients (captures running where a reply
 * path is judged by them), then the settled counters; each service judged by the suites' checks,
 * the save compared with the file. The topology stays up: its caller takes it down.
 */
export async function runReplay(run: ReplayRun): Promise<ReplayResult> {
  const { plan, lab, say } = run
  say(
    `replay: bringing up the lab's copy of the file: a director, ${plan.realServers.length} real servers, ${plural(
      plan.services.reduce((n, s) => n + s.clients.length, 0),
      'client address',
      'client addresses',
    )}`,
  )
  const net = await run.up(plan.topology)
  const { director, client, timings } = net
  const servers = new Map(net.realServers.map((rs) => [rs.name, rs]))
  const keepalived = run.director.keepalived !== undefined
  say(`replay: programming the director (iptables-restore, sysctl, ${keepalived ? "keepalived's checker" : 'ipvsadm -R'}) and the real servers`)
  const setUp = () => Promise.all(plan.realServers.map((p) => setUpRealServer(servers.get(p.address)!, p, keepalived)))
  // keepalived's checkers probe from the moment it starts: the servers serve first, or a first probe
  // that finds no UDP responder yet takes a healthy server down
  const [programmed] = await timed(timings, 'programming the director and the real servers', async () =>
    keepalived ? [await setUp().then(() => director.run(programmingScript(run.director)))] : Promise.all([director.run(programmingScript(run.director)), setUp()]),
  )
  const steps = parseProgramming(programmed.stdout)
  const output = (name: string) => steps.get(name)?.output ?? ''
  const saved = output('ipvsadm -S -n')
  const programming: Evidence[] = [
    keepalived
      ? {
          name: 'keepalived --check < the file (its log up to the table programmed)',
          text: `${output('keepalived --check')}--- exit ${steps.get('keepalived --check')?.exitCode ?? '?'} (0: programmed)\n${output('keepalived log')}`,
        }
      : {
          name: 'ipvsadm -R < the file',
          text: `${run.director.rules}\n--- ipvsadm said (exit ${steps.get('ipvsadm -R')?.exitCode ?? '?'}):\n${output('ipvsadm -R') || '(nothing)'}`,
        },
    ...(run.director.mangle
      ? [
          {
            name: 'iptables-restore < the mangle table',
            text: `${run.director.mangle}\n--- exit ${steps.get('iptables-restore')?.exitCode ?? '?'}:\n${output('iptables-restore') || '(nothing)'}`,
          },
        ]
      : []),
    { name: `sysctl -w (net.ipv4.vs.* and ip_forward of the sysctl file; ${run.director.sysctlsLeftOut} other settings left alone)`, text: output('sysctl') || '(none given)' },
    { name: 'ipvsadm -Ln --nosort after the restore', text: output('ipvsadm -Ln --nosort') },
    { name: 'ipvsadm -L --timeout', text: output('ipvsadm -L --timeout') },
    { name: 'iptables-save -t mangle after the restore', text: output('iptables-save -t mangle') },
  ]
  const table = parseIpvsList(output('ipvsadm -Ln --nosort'))
  const timeouts = parseIpvsTimeout(output('ipvsadm -L --timeout'))
  const health = keepalived ? await timed(timings, "keepalived's checkers, a result each", () => checkersRan(director, say)) : undefined

  const watch = captureWatch(plan, net, keepalived)
  const allClients = plan.services.flatMap((s) => s.clients)
  const [quiet, captures] = await timed(timings, 'quiet start and captures', () =>
    Promise.all([director.sh(quietStartScript({ clients: allClients }), undefined, { readOnly: true }), Promise.all(watch.map((w) => PacketCapture.start(w.node, w.filter)))]),
  )
  const startingState = provenQuiet(parseQuietStart({ clients: allClients }, quiet))
  const observed: (Awaited<ReturnType<typeof sendTraffic>> | undefined)[] = []
  for (const s of plan.services) {
    if (!s.targets.length) {
      observed.push(undefined)
      continue
    }
    say(`replay: ${s.name}: ${s.clients.length} client${s.clients.length === 1 ? '' : 's'}, ${s.targets.map((t) => `${t.protocol} ${t.address}:${t.port}`).join(', ')}`)
    observed.push(await timed(timings, `${s.name}: traffic and entries`, () => sendTraffic(s, client, director)))
  }
  const stopped = await Promise.all(captures.map((c) => c.stop()))
  const stats = await timed(timings, 'counters settled (ipvsadm --stats --exact)', () => director.settledStats())
  // held connections last, once the counters the reply paths are judged by have been read: they would count in them
  for (const [i, s] of plan.services.entries()) {
    const sent = observed[i]
    if (!sent || !s.checks.includes('held-load')) continue
    const { held, evidence } = await timed(timings, `${s.name}: held connections`, () => holdForLoad(s, client, director))
    sent.observation.held = held
    sent.evidence.push(...evidence)
  }
  const macs = new Map(net.nodes.map((n) => [n.mac(), n.name]))
  const captureOf = (node: LabNode) => stopped[watch.findIndex((w) => w.node === node)]
  const shared: SharedObservation = {
    table,
    stats: stats.data,
    client: captureOf(client),
    director: captureOf(director),
    tunnels: new Map(net.realServers.filter((rs) => watch.some((w) => w.node === rs)).map((rs) => [rs.name, captureOf(rs)!])),
    macs,
    directorAddress: plan.director,
    tcpFin: timeouts.tcpFin,
    ...(health && { health: { states: health.states, table: health.table } }),
  }
  const common: Evidence[] = [
    { name: 'starting state', text: startingState },
    ...(health?.evidence ?? []),
    { name: `ipvsadm -Ln --stats --exact after every service's traffic (settled after ${stats.waitedSeconds.toFixed(1)} s)`, text: stats.text },
    ...stopped.map((c) => ({ name: `capture summary: ${c.description}`, text: summarizeCapture(c, macs) })),
  ]
  const services: ServiceReplay[] = plan.services.map((s, i) => {
    const o = observed[i]
    const verdicts = o ? judgeService(s, o.observation, shared) : []
    return { name: s.name, line: s.line, verdicts, notChecked: s.notChecked, evidence: [...(o?.evidence ?? []), ...common] }
  })
  const differences = compareRoundTrip(run.table, readRulesTable(saved))
  return {
    lab: { mode: lab.mode, kernelRelease: lab.kernelRelease, reason: lab.reason },
    programming,
    services,
    roundTrip: { saved, differences },
    notes: plan.notes,
    timings,
    failed: services.reduce((n, s) => n + s.verdicts.filter((v) => v.failures.length > 0).length, 0),
  }
}

/** keepalived's checkers get this long for a first result each: warmup (delay_loop), connect_timeout and a retry. */
const CHECKERS_LIMIT_SECONDS = 60

/**
 * Waits, in the director, until every health checker of the keepalived.conf has had a result,
 * then reads their state (SIGUSR1), the table they left and keepalived's log since its dump.
 */
async function checkersRan(director: RunningTopology['director'], say: (line: string) => void) {
  say("replay: waiting for keepalived's health checkers to have a result each")
  const out = await director.run(checkerStateScript(CHECKERS_LIMIT_SECONDS), (CHECKERS_LIMIT_SECONDS + 30) * 1000, { readOnly: true })
  const parts = parseProgramming(out.stdout)
  const text = (name: string) => parts.get(name)?.output ?? ''
  const states = parseCheckerStates(text('checker state'))
  const ran = parts.get('checker state')?.exitCode === 0
  const evidence: Evidence[] = [
    {
      name: `keepalived's checkers (SIGUSR1, ${states.length} checkers${ran ? ', each had a result' : `, not all had a result within ${CHECKERS_LIMIT_SECONDS} s`})`,
      text: states.map((c) => `${c.service} -> ${c.address}:${c.port} ${c.method}: ${c.hasRun ? (c.up ? 'up' : 'DOWN') : 'no result yet'}`).join('\n'),
    },
    { name: "ipvsadm -Ln --nosort once keepalived's checkers had run", text: text('ipvsadm -Ln --nosort') },
    { name: "keepalived's log after its dump", text: text('keepalived log') },
  ]
  return { states, table: parseIpvsList(text('ipvsadm -Ln --nosort')), evidence }
}

/**
 * Captures where a reply path is judged by them: DR on the client and the director (replies
 * must reach the client from the real server's MAC, and never cross the director), TUN on
 * each TUN server (one IP-in-IP SYN per connection). NAT is judged by the counters alone.
 */
function captureWatch(plan: ReplayPlan, net: RunningTopology, keepalived: boolean): Array<{ node: LabNode; filter: string }> {
  const judged = plan.services.filter((s) => s.checks.includes('reply-path'))
  const watch: Array<{ node: LabNode; filter: string }> = []
  // keepalived's checkers talk TCP from the director to the servers all along: a capture taking
  // them in never catches up when it stops, and they are no part of a reply path
  const checkers = keepalived ? ` and not host ${plan.director}` : ''
  if (judged.some((s) => s.forward === 'Route')) watch.push({ node: net.client, filter: 'tcp' }, { node: net.director, filter: `tcp${checkers}` })
  const tunnelled = new Set(judged.filter((s) => s.forward === 'Tunnel').flatMap((s) => s.servers.map((rs) => rs.address)))
  for (const rs of net.realServers) if (tunnelled.has(rs.name)) watch.push({ node: rs, filter: `(tcp${checkers}) or ip proto 4` })
  return watch
}

/**
 * What the topology's spec cannot say: the VIP on tunl0 for TUN (with reverse-path filtering
 * relaxed: decapsulated packets arrive on tunl0 from a client routed via eth0), and a UDP
 * responder per UDP port, bound to each VIP on a DR or TUN server (it must answer from the VIP);
 * for a keepalived.conf one that answers DNS_CHECK's queries too (real-server.ts serveUdp).
 */
async function setUpRealServer(node: RealServer, p: PlannedRealServer, answersDns: boolean): Promise<void> {
  if (p.withheld) return
  if (p.vipsOnTunnel.length)
    await node.sh(
      ['ip link set tunl0 up', ...p.vipsOnTunnel.map((v) => `ip addr replace ${v}/32 dev tunl0`), 'sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0'].join(
        '\n',
      ),
    )
  // keepalived's checkers probe the server at its own address: a DR or TUN server answers there too
  const binds = p.nat ? [undefined] : [...p.vipsOnLo, ...p.vipsOnTunnel, ...(answersDns ? [p.address] : [])]
  for (const port of p.udpPorts) for (const bind of binds) await node.serveUdp(port, bind, { answersDns })
}
