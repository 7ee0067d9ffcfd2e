import type { Client } from '../../fixtures/nodes/client'
import type { Director } from '../../fixtures/nodes/director'
import type { Visit, VisitStep } from '../../lab/http/visits'
import { formatEndpoint } from '../../lab/ipvs/endpoint'
import { maskedAddress } from './ipv4'
import type { ServiceObservation } from './judge-service'
import type { PlannedService } from './replay-plan'
import type { Evidence } from './replay-result'

/**
 * The service's requests in order: round after round, each target in turn, each client in turn
 * (interleaved, so that one client's stickiness is told apart from the scheduler's own order).
 */
export function stepsOf(s: PlannedService): VisitStep[] {
  const steps: VisitStep[] = []
  for (let round = 0; round < s.rounds; round++)
    for (const t of s.targets.filter((x) => x.protocol === 'tcp'))
      for (const client of s.clients) steps.push({ client, port: t.port, url: `http://${formatEndpoint(t.address, t.port)}/` })
  return steps
}

/**
 * Sends the service its traffic from its own clients (one round trip for the TCP requests, one
 * per UDP target), then reads what the director holds for them (`-Lnc`, one more).
 */
export async function sendTraffic(s: PlannedService, client: Client, director: Director): Promise<{ observation: ServiceObservation; evidence: Evidence[] }> {
  const steps = stepsOf(s)
  const tcp = steps.length ? await client.visit(steps) : { visits: [], raw: '' }
  const datagrams = []
  for (const target of s.targets.filter((t) => t.protocol === 'udp'))
    datagrams.push({ target, answers: await client.askUdp(formatEndpoint(target.address, target.port), s.rounds, s.clients[0]) })
  const connections = await director.connections()
  // with -M the kernel keeps a template per client network, named by the network's address
  const sources = new Set([...s.clients, ...(s.netmask ? s.clients.map((c) => maskedAddress(c, s.netmask!)) : [])])
  const ours = connections.text
    .split('\n')
    .filter((l, i) => i < 2 || [...sources].some((c) => l.includes(` ${c}:`)))
    .join('\n')
  const evidence: Evidence[] = [
    ...(tcp.visits.length ? [{ name: 'requests, in order (client, URL, who answered)', text: requestTable(tcp.visits) }] : []),
    ...datagrams.map((d) => ({
      name: `datagrams to ${d.target.address}:${d.target.port} from ${s.clients[0]} (one source port each)`,
      text: d.answers.map((a, i) => `${String(i + 1).padStart(3)}. ${a ?? '(no answer within 2 s)'}`).join('\n'),
    })),
    { name: "ipvsadm -Lnc right after the traffic (the service's clients; templates have client port 0)", text: ours },
  ]
  if (tcp.raw) evidence.push({ name: 'curl output', text: tcp.raw })
  return { observation: { visits: tcp.visits, datagrams, connections: connections.data }, evidence }
}

/** Each request in order, then per client and port the servers it reached. */
export function requestTable(visits: Visit[]): string {
  const t0 = visits[0]?.startedAt ?? 0
  const rows = visits.map((v) => {
    const x = v.exchange
    const outcome = x.curlExit === 0 ? `HTTP ${x.status} ${x.server ?? '(the page names no server)'}` : `no answer (curl exit ${x.curlExit})`
    return `${String(v.step).padStart(3)}. +${(v.startedAt - t0).toFixed(2).padStart(6)} s  ${v.client.padEnd(15)} ${v.url.padEnd(30)} ${outcome}`
  })
  const per = new Map<string, string[]>()
  for (const v of visits) per.set(`${v.client} :${v.port}`, [...(per.get(`${v.client} :${v.port}`) ?? []), v.exchange.server ?? '-'])
  return [...rows, '', 'per client and port:', ...[...per].map(([k, servers]) => `${k.padEnd(22)} ${servers.join(', ')}`)].join('\n')
}
