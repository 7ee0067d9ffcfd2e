import type { Visit } from '../../lab/http/visits'
import type { IpvsConnection } from '../../lab/ipvs/types'
import { verdict, type Verdict } from '../../checks/verdict'
import { describeDestinations, unanswered, visitsOf } from '../../checks/shop'

/** Each client, on each port taken on its own, is sent to one real server. */
export function stickyPerPort(visits: Visit[], clients: string[]): Verdict {
  return verdict(
    `each client stays on one real server per port`,
    clients.flatMap((client) => {
      const own = visitsOf(visits, client)
      const missing = own.map(unanswered).filter(Boolean)
      if (missing.length) return missing
      return [...new Set(own.map((v) => v.port))].flatMap((port) => {
        const onPort = own.filter((v) => v.port === port)
        if (onPort.length < 2) return [`${client} asked :${port} only once: nothing to stick to`]
        return new Set(onPort.map((v) => v.exchange.server)).size > 1 ? [`${client} on :${port} was sent to ${describeDestinations(onPort)}`] : []
      })
    }),
  )
}

/**
 * The article's lost cart: a client browsing on one port and checking out on another lands on
 * different real servers. A demonstration that per-port persistence does not merge ports.
 */
export function portsSplit(visits: Visit[], clients: string[]): Verdict {
  const split = clients.filter((c) => new Set(visitsOf(visits, c).map((v) => v.exchange.server)).size > 1)
  return verdict(`a client is sent to different real servers on different ports`, [
    ...visits.filter((v) => clients.includes(v.client)).map(unanswered),
    split.length === 0 && `every client stayed on one real server across ports: ${clients.map((c) => `${c}: ${describeDestinations(visitsOf(visits, c))}`).join('; ')}`,
  ])
}

/**
 * Firewall-mark persistence merges the marked ports only: on them each client stays on one
 * real server, while the unmarked port, a service of its own, is scheduled apart (seen when a
 * client's request to it lands on another server than its marked ports).
 */
export function onlyMarkedPortsMerged(visits: Visit[], clients: string[], marked: number[], unmarked: number): Verdict {
  const failures: (string | undefined | false)[] = visits.filter((v) => clients.includes(v.client)).map(unanswered)
  let apart = 0
  for (const client of clients) {
    const own = visitsOf(visits, client)
    const onMarked = own.filter((v) => marked.includes(v.port))
    const servers = new Set(onMarked.map((v) => v.exchange.server))
    if (new Set(onMarked.map((v) => v.port)).size < marked.length) failures.push(`${client} did not ask on every marked port (${marked.join(', ')})`)
    if (servers.size > 1) failures.push(`${client}'s marked ports went to ${describeDestinations(onMarked)}`)
    const off = own.filter((v) => v.port === unmarked)
    if (!off.length) failures.push(`${client} did not ask on :${unmarked}`)
    if (off.some((v) => !servers.has(v.exchange.server))) apart++
  }
  failures.push(apart === 0 && `every client's :${unmarked} followed its marked ports' real server: the unmarked port was merged too`)
  return verdict(`only the marked ports ${marked.join(' and ')} are merged; :${unmarked} is scheduled on its own`, failures)
}

/** What a template should say: the client (or its network), what it is for, and where it sends. */
export interface ExpectedTemplate {
  source: string
  /** VIP:port for PPC, VIP:0 for PCC, or the mark of an FWM service. */
  virtual: { address: string; port: number } | { fwmark: number }
  destination: string
  /** The ports whose connections the template governs, for a mark (a client's other ports belong to other services). */
  ports?: number[]
}

const describeVirtual = (v: ExpectedTemplate['virtual']) => ('fwmark' in v ? `mark ${v.fwmark}` : `${v.address}:${v.port}`)

function matchesVirtual(e: IpvsConnection, v: ExpectedTemplate['virtual']): boolean {
  return 'fwmark' in v ? e.protocol === 'IP' && e.fwmark === v.fwmark : e.protocol !== 'IP' && e.virtual.address === v.address && e.virtual.port === v.port
}

/**
 * `-Lnc` lists, for each expected template, one entry from the client's address at port 0 for
 * the service (its VIP:port, VIP:0 or mark), to the real server the client was sent to, in
 * state NONE or ASSURED, expiring within the persistence timeout; and the client's
 * connections under it go to that same server.
 */
export function templatesListed(entries: IpvsConnection[], expected: ExpectedTemplate[], timeout: number): Verdict {
  return verdict(
    `-Lnc lists each client's persistence template next to its connections`,
    expected.flatMap((x) => {
      const what = `${x.source} for ${describeVirtual(x.virtual)}`
      const found = entries.filter((e) => e.isTemplate && e.source.address === x.source && matchesVirtual(e, x.virtual))
      if (found.length !== 1) return [`${found.length} templates from ${what}, expected 1`]
      const t = found[0]!
      // a mark's connections are listed by the VIP:port they went to; a VIP:0 template takes every port
      const v = x.virtual
      const under = entries.filter(
        (e) =>
          !e.isTemplate &&
          e.source.address === x.source &&
          ('fwmark' in v ? (x.ports ?? []).includes(e.virtual.port) : e.virtual.address === v.address && (v.port === 0 || e.virtual.port === v.port)),
      )
      return [
        t.destination.address !== x.destination && `the template from ${what} sends to ${t.destination.address}, not ${x.destination}`,
        !['NONE', 'ASSURED'].includes(t.state) && `the template from ${what} is in state ${t.state}`,
        (t.expiresInSeconds > timeout || t.expiresInSeconds < 0) && `the template from ${what} expires in ${t.expiresInSeconds} s, beyond -p ${timeout}`,
        under.length === 0 && `no connection from ${x.source} is listed next to its template`,
        ...under
          .filter((e) => e.destination.address !== x.destination)
          .map(
            (e) =>
              `connection ${e.source.address}:${e.source.port} -> ${e.virtual.address}:${e.virtual.port} went to ${e.destination.address}, not the template's ${x.destination}`,
          ),
      ]
    }),
  )
}

/**
 * With `-M`, clients of one network share a template: all their requests go to one real
 * server, and the only template for them is from the network's address.
 */
export function networkShares(visits: Visit[], entries: IpvsConnection[], clients: string[], network: string): Verdict {
  const own = visits.filter((v) => clients.includes(v.client))
  const servers = new Set(own.map((v) => v.exchange.server))
  const templates = entries.filter((e) => e.isTemplate && (e.source.address === network || clients.includes(e.source.address)))
  return verdict(`clients of ${network} share one template and one real server`, [
    ...clients.map((c) => !visitsOf(visits, c).length && `${c} made no request`),
    ...own.map(unanswered),
    servers.size > 1 && `the clients were sent to ${servers.size} real servers: ${clients.map((c) => `${c}: ${describeDestinations(visitsOf(visits, c))}`).join('; ')}`,
    !templates.some((t) => t.source.address === network) && `no template from ${network}:0`,
    ...templates.filter((t) => t.source.address !== network).map((t) => `a template of its own for ${t.source.address}`),
  ])
}

/** While the template lives, every request of the client goes where its first one went. */
export function honouredWhileAlive(visits: Visit[]): Verdict {
  return verdict(`while its template lives, the client stays on its first real server`, [
    visits.length < 2 && 'fewer than two requests: nothing to stick to',
    ...visits.map(unanswered),
    new Set(visits.map((v) => v.exchange.server)).size > 1 && `the requests went to ${describeDestinations(visits)}`,
  ])
}

/** Once the template is gone the next connection is scheduled afresh: to the scheduler's next server. */
export function scheduledAfresh(visit: Visit, expected: string): Verdict {
  return verdict(`after the template expired, the next connection went to the scheduler's next server (${expected})`, [
    unanswered(visit),
    visit.exchange.server !== undefined && visit.exchange.server !== expected && `request ${visit.step} went to ${visit.exchange.server}`,
  ])
}

export interface Sample {
  at: number
  entries: IpvsConnection[]
}

/**
 * How long the client stayed sticky after its last connection began: when its connection
 * entries and its template disappeared from `-Lnc`, on the lab's clock.
 */
export interface Horizon {
  timeout: number
  lastRequestAt: number
  /** Seconds after the last request when no connection entry of the client was left. */
  connectionsGoneAfter?: number
  /** Seconds after the last request when the template was gone; undefined when it was still there. */
  templateGoneAfter?: number
  /** The last sample: the template's expiry then, when it was still there. */
  lastSampleAfter: number
  templateExpiryAtLastSample?: number
}

export function measureHorizon(samples: Sample[], lastRequestAt: number, timeout: number): Horizon {
  const after = (s: Sample) => s.at - lastRequestAt
  const noConnections = samples.find((s) => !s.entries.some((e) => !e.isTemplate))
  const noTemplate = samples.find((s) => !s.entries.some((e) => e.isTemplate))
  const last = samples[samples.length - 1]
  return {
    timeout,
    lastRequestAt,
    connectionsGoneAfter: noConnections && after(noConnections),
    templateGoneAfter: noTemplate && after(noTemplate),
    lastSampleAfter: last ? after(last) : 0,
    templateExpiryAtLastSample: last?.entries.find((e) => e.isTemplate)?.expiresInSeconds,
  }
}

/**
 * The template lasts what `-p` says: gone no earlier than T after the last connection began
 * and no later than T plus the slack of the kernel's timer and the 0.2 s sampling.
 */
export function horizonIsTimeout(h: Horizon, slackSeconds: number): Verdict {
  const limit = h.timeout + slackSeconds
  return verdict(`the template is gone ${h.timeout} s (-p) after the last connection, within ${slackSeconds} s`, [
    h.templateGoneAfter === undefined &&
      `the template was still there ${h.lastSampleAfter.toFixed(1)} s after the last request, expiring in ${h.templateExpiryAtLastSample ?? '?'} s more`,
    h.templateGoneAfter !== undefined && h.templateGoneAfter > limit && `the template lasted ${h.templateGoneAfter.toFixed(1)} s, more than ${limit} s`,
    h.templateGoneAfter !== undefined && h.templateGoneAfter < h.timeout - 1 && `the template lasted ${h.templateGoneAfter.toFixed(1)} s, less than -p ${h.timeout}`,
  ])
}

export function describeHorizon(h: Horizon, tcpFin: number): string {
  const f = (x?: number) => (x === undefined ? 'not within the watch' : `${x.toFixed(1)} s`)
  const lines = [
    `-p ${h.timeout} s; FIN_WAIT (--set tcpfin) ${tcpFin} s; times after the last request began`,
    `connection entries gone after: ${f(h.connectionsGoneAfter)}`,
    `template gone after:           ${f(h.templateGoneAfter)}`,
  ]
  if (h.templateGoneAfter !== undefined) {
    const held = Math.max(0, h.templateGoneAfter - h.timeout)
    lines.push(
      `stickiness horizon ${h.templateGoneAfter.toFixed(1)} s = T ${h.timeout} s + ${held.toFixed(1)} s`,
      (h.connectionsGoneAfter ?? Infinity) < h.timeout
        ? `The connections ended (FIN_WAIT ran out) before T, so nothing held the template: the horizon is T, plus the kernel timer's and the sampling's slack.`
        : `A connection outlived T and held the template: the part beyond T is connection state.`,
    )
  } else {
    lines.push(
      `the template was still there ${h.lastSampleAfter.toFixed(1)} s after the last request, expiring in ${h.templateExpiryAtLastSample ?? '?'} s more`,
      `When T ran out the template still controlled a connection (FIN_WAIT lasts ${tcpFin} s), so the kernel re-armed it for 60 s (ip_vs_conn_expire: expire_later). ` +
        `The horizon is then T + 60 s at least, each re-arming another 60 s while connections remain: the part beyond T is connection state.`,
    )
  }
  return lines.join('\n')
}
