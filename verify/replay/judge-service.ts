import { stickyAcrossPorts, unanswered } from '../../checks/shop'
import { strictCycle, weightedCycles } from '../../checks/cycles'
import type { Capture } from '../../lab/capture/parse-tcpdump'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import type { Visit } from '../../lab/http/visits'
import type { IpvsConnection, IpvsStatsTable, IpvsTable, ServiceKey } from '../../lab/ipvs/types'
import { repliesBypassDirector, tunnelledToRealServers } from '../../suites/dr/checks'
import { markServesPorts } from '../../suites/fwm/checks'
import { repliesThroughDirector } from '../../suites/nat/checks'
import { networkShares, stickyPerPort, templatesListed, type ExpectedTemplate } from '../../suites/persistence/checks'
import { stickyPerKey } from '../../suites/schedulers/checks'
import { healthChecked } from '../keepalived/judge-health'
import type { CheckerState } from '../keepalived/checker-states'
import { heldLoadFollowsRule, type HeldLoad } from './held-load'
import { maskedAddress } from './ipv4'
import { reducedWeights } from './plan-replay'
import type { CheckKind, PlannedService, Target } from './replay-plan'
import type { ReplayVerdict } from './replay-result'
import { answeredByWeighted, everyWeightedReached, type Served } from './served-checks'

/** What one service's traffic produced: the requests (TCP) or datagrams (UDP), and the director's entries right after. */
export interface ServiceObservation {
  visits: Visit[]
  datagrams: Array<{ target: Target; answers: (string | undefined)[] }>
  connections: IpvsConnection[]
  /** held-load: the service's servers before and with the held connections open. */
  held?: HeldLoad
}

/** What every service shares: the table after the restore, the settled counters, the captures. */
export interface SharedObservation {
  /** `ipvsadm -Ln --nosort` after the restore: each service's destination list in the kernel's order. */
  table: IpvsTable
  stats: IpvsStatsTable
  client?: Capture
  director?: Capture
  /** Per TUN real server address, `tcp or ip proto 4` on its interface. */
  tunnels: Map<string, Capture>
  /** MAC to the node that owns it. */
  macs: Map<string, string>
  /** The director's address on the real servers' segment: the outer source of its IP-in-IP. */
  directorAddress: string
  /** FIN_WAIT as the director holds it: a DR template's connections are listed only that long. */
  tcpFin: number
  /** A keepalived.conf's checkers, as keepalived reported them once each had a result, and the table then. */
  health?: { states: CheckerState[]; table: IpvsTable }
}

const sameKey = (a: ServiceKey, b: ServiceKey) => a.protocol === b.protocol && a.address === b.address && a.port === b.port && a.fwmark === b.fwmark
const onTarget = (t: Target) => (v: Visit) => v.port === t.port && v.url.includes(`//${t.address}:`)

/** A datagram's answer in the shape of an HTTP exchange, so that rr's cycle is judged by the same function. */
const asExchange = (server: string | undefined, index: number): HttpExchange => ({
  index,
  curlExit: server ? 0 : 28,
  status: server ? 200 : 0,
  server,
  connectionClose: true,
  newConnection: true,
  localPort: 0,
  body: '',
})

/** A visit's exchange numbered by its place in the service's sequence. */
const numbered = (visits: Visit[]) => visits.map((v) => ({ ...v.exchange, index: v.step - 1 }))

/**
 * The service's counters under the VIP:port a check looks for (a firewall-mark service has no
 * address), with only the real servers the check is about.
 */
function statsView(stats: IpvsStatsTable, key: ServiceKey, as: { vip: string; port: number }, keep: (address: string, conns: number) => boolean): IpvsStatsTable {
  const svc = stats.services.find((s) => sameKey(s, key))
  if (!svc) return { services: [] }
  return {
    services: [
      {
        ...svc,
        protocol: svc.protocol === 'FWM' ? 'TCP' : svc.protocol,
        address: as.vip,
        port: as.port,
        realServers: svc.realServers.filter((rs) => keep(rs.address, rs.counters.conns)),
      },
    ],
  }
}

/** The service's verdicts: the checks its plan says apply, each judged by the suites' own function. */
export function judgeService(plan: PlannedService, o: ServiceObservation, shared: SharedObservation): ReplayVerdict[] {
  const weighted = plan.servers.filter((s) => s.weight > 0).map((s) => s.address)
  const quiesced = plan.servers.filter((s) => s.weight === 0).map((s) => s.address)
  const served: Served[] = [
    ...o.visits.map((v) => ({ what: `request ${v.step} (${v.client} to ${v.url})`, server: v.exchange.server, unanswered: unanswered(v) })),
    ...o.datagrams.flatMap(({ target, answers }) =>
      answers.map((a, i) => {
        const what = `datagram ${i + 1} to ${target.address}:${target.port}`
        return { what, server: a, unanswered: a ? undefined : `${what} got no answer within 2 s` }
      }),
    ),
  ]
  const listed = shared.table.services.find((s) => sameKey(s, plan.key))
  const kernelOrder = (listed?.realServers ?? []).filter((rs) => rs.weight > 0).map((rs) => rs.address)
  const exchanges = [...numbered(o.visits), ...o.datagrams.flatMap((d) => d.answers.map(asExchange))]
  const tcpTargets = plan.targets.filter((t) => t.protocol === 'tcp')
  const judge: Record<CheckKind, () => ReplayVerdict[]> = {
    answered: () => [{ kind: 'answered', ...answeredByWeighted(served, weighted, quiesced) }],
    reached: () => [{ kind: 'reached', ...everyWeightedReached(served, weighted) }],
    'rr-cycle': () => [{ kind: 'rr-cycle', ...strictCycle(exchanges, kernelOrder) }],
    'wrr-cycles': () => {
      const reduced = reducedWeights(plan.servers.map((s) => s.weight))
      const weights = new Map(plan.servers.map((s, i) => [s.address, reduced[i]!] as const).filter(([, w]) => w > 0))
      return [{ kind: 'wrr-cycles', ...weightedCycles(exchanges, weights) }]
    },
    'sticky-source': () => {
      const byClient = new Map(plan.clients.map((c) => [c, numbered(o.visits.filter((v) => v.client === c))]))
      return [{ kind: 'sticky-source', ...stickyPerKey(byClient, `${plan.scheduler}: each client address always reaches one real server`) }]
    },
    'sticky-destination': () => {
      const byTarget = new Map(plan.targets.map((t) => [`${t.address}:${t.port}`, numbered(o.visits.filter(onTarget(t)))]))
      return [{ kind: 'sticky-destination', ...stickyPerKey(byTarget, `${plan.scheduler}: each destination is served by one real server, whichever client asks`) }]
    },
    persistence: () => persistenceVerdicts(plan, o, shared, tcpTargets),
    'netmask-shared': () => {
      const sharing = plan.sharing!
      return [{ kind: 'netmask-shared', ...networkShares(o.visits, o.connections, sharing.clients, maskedAddress(sharing.clients[0]!, sharing.network)) }]
    },
    'marked-ports': () =>
      [...new Set(tcpTargets.map((t) => t.address))].map((vip) => ({
        kind: 'marked-ports' as const,
        ...markServesPorts(
          o.connections,
          vip,
          tcpTargets.filter((t) => t.address === vip).map((t) => t.port),
          plan.clients,
        ),
      })),
    'reply-path': () => replyPathVerdicts(plan, o, shared, tcpTargets, weighted),
    'held-load': () => [
      {
        kind: 'held-load',
        ...(o.held
          ? heldLoadFollowsRule(plan.scheduler, plan.servers, plan.heldRounds ?? 1, o.held)
          : { check: `${plan.scheduler}'s rule with held connections`, failures: ['no connections were held'] }),
      },
    ],
    'health-checks': () => [
      {
        kind: 'health-checks',
        ...(shared.health
          ? healthChecked(plan, shared.health.states, shared.health.table)
          : { check: "keepalived's health checkers", failures: ["keepalived's checker state was not read"] }),
      },
    ],
  }
  return plan.checks.flatMap((k) => judge[k]())
}

function persistenceVerdicts(plan: PlannedService, o: ServiceObservation, shared: SharedObservation, targets: Target[]): ReplayVerdict[] {
  const ports = new Set(targets.map((t) => t.port))
  const acrossPorts = (plan.key.protocol === 'FWM' || plan.key.port === 0) && ports.size > 1
  const clients = plan.sharing ? plan.clients.filter((c) => c === plan.sharing!.clients[0] || !plan.sharing!.clients.includes(c)) : plan.clients
  const out: ReplayVerdict[] = [{ kind: 'persistence', ...(acrossPorts ? stickyAcrossPorts(o.visits, clients) : stickyPerPort(o.visits, clients)) }]
  // a DR director lists a connection until its FIN_WAIT runs out; shorter than the reads take, no template has company
  if (plan.forward !== 'Masq' && shared.tcpFin < 10) return out
  // with -M the template is the network's and its connections the clients': netmask-shared judges those
  if (plan.netmask) return out
  const expected: ExpectedTemplate[] = []
  for (const client of clients) {
    const first = o.visits.find((v) => v.client === client && v.exchange.server)
    if (!first) continue
    const source = client
    const virtual = plan.key.protocol === 'FWM' ? { fwmark: plan.key.fwmark! } : { address: plan.key.address!, port: plan.key.port! }
    expected.push({ source, virtual, destination: first.exchange.server!, ...(plan.key.protocol === 'FWM' && { ports: [...ports] }) })
  }
  out.push({ kind: 'persistence', ...templatesListed(o.connections, expected, plan.persistent!) })
  return out
}

function replyPathVerdicts(plan: PlannedService, o: ServiceObservation, shared: SharedObservation, targets: Target[], weighted: string[]): ReplayVerdict[] {
  // hashing schedulers need not reach every server: judge the reply path of those that were sent connections
  const keep = (address: string, conns: number) => weighted.includes(address) && (plan.checks.includes('reached') || conns > 0)
  return targets.map((t) => {
    const visits = o.visits.filter(onTarget(t))
    const stats = statsView(shared.stats, plan.key, { vip: t.address, port: t.port }, keep)
    if (plan.forward === 'Masq') {
      const servedBy = new Map<string, number>()
      for (const v of visits) if (v.exchange.server) servedBy.set(v.exchange.server, (servedBy.get(v.exchange.server) ?? 0) + 1)
      return { kind: 'reply-path' as const, ...repliesThroughDirector(stats, t.address, servedBy, t.port) }
    }
    if (plan.forward === 'Tunnel') {
      return {
        kind: 'reply-path' as const,
        ...tunnelledToRealServers({
          vip: t.address,
          port: t.port,
          director: shared.directorAddress,
          stats,
          exchanges: numbered(visits),
          realServers: stats.services[0]?.realServers.map((rs) => ({ name: rs.address, address: rs.address, capture: shared.tunnels.get(rs.address) ?? { frames: [] } })) ?? [],
        }),
      }
    }
    return {
      kind: 'reply-path' as const,
      ...repliesBypassDirector({
        vip: t.address,
        port: t.port,
        stats,
        exchanges: numbered(visits),
        client: shared.client ?? { frames: [] },
        director: shared.director ?? { frames: [] },
        macs: shared.macs,
      }),
    }
  })
}
