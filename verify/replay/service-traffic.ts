import type { Client } from '../../fixtures/nodes/client'
import type { Director } from '../../fixtures/nodes/director'
import type { Visit, VisitStep } from '../../lab/http/visits'
import { pollUntil } from '../../fixtures/shell-poll'
import { formatEndpoint } from '../../lab/ipvs/endpoint'
import { parseIpvsList } from '../../lab/ipvs/parse-list'
import type { ServiceKey } from '../../lab/ipvs/types'
import { heldCount, type HeldLoad } from './held-load'
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

/** ipvsadm's selector of a service: `-t VIP:port`, `-u VIP:port` or `-f mark`. */
export function serviceSelector(key: ServiceKey): string {
  if (key.protocol === 'FWM') return `-f ${key.fwmark}`
  return `${key.protocol === 'UDP' ? '-u' : key.protocol === 'SCTP' ? '--sctp-service' : '-t'} ${formatEndpoint(key.address!, key.port!)}`
}

/**
 * held-load's observation: once the service's short requests hold no active connection (at
 * most 10 s; what is still active then is the check's starting state to report), its rows in
 * `-Ln`; then heldCount connections to its first TCP target, one after another and kept open,
 * the rows again, and the connections closed.
 */
export async function holdForLoad(s: PlannedService, client: Client, director: Director): Promise<{ held: HeldLoad; evidence: Evidence[] }> {
  const select = serviceSelector(s.key)
  const target = s.targets.find((t) => t.protocol === 'tcp')!
  const asked = heldCount(s.scheduler, s.servers, s.heldRounds ?? 1)
  const active = `ipvsadm -L -n ${select} | awk '$1 == "->" && $5 ~ /^[0-9]+$/ && $5 > 0' | wc -l`
  const beforeText = await director.sh(`${pollUntil(`[ "$(${active})" -eq 0 ]`, { seconds: 10 })}\nipvsadm -L -n ${select}`, 40_000, { readOnly: true })
  let opened = 0
  let afterText = ''
  try {
    opened = await client.holdIdle(formatEndpoint(target.address, target.port), asked)
    afterText = await director.sh(`ipvsadm -L -n ${select}`, undefined, { readOnly: true })
  } finally {
    await client.releaseIdle()
  }
  const rows = (text: string) => parseIpvsList(text).services[0]?.realServers ?? []
  return {
    held: { asked, opened, before: rows(beforeText), after: rows(afterText) },
    evidence: [
      { name: `ipvsadm -Ln ${select} before the held connections`, text: beforeText },
      { name: `ipvsadm -Ln ${select} with ${opened} of ${asked} connections to ${formatEndpoint(target.address, target.port)} held`, text: afterText },
    ],
  }
}
