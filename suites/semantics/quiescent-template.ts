import { parseIpvsConnections, type IpvsConnection } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one expire_quiescent_template run saw: a persistent client served once (its template
 * made), its server then set to weight 0 (quiesced, not removed), and the client's next
 * requests.
 */
export interface QuiescentRun {
  knob: number
  /** The server of the client's first request, the one quiesced next. */
  firstServer?: string
  /** The servers of the requests after the weight went to 0, in order (undefined: not answered). */
  afterServers: (string | undefined)[]
  /** The client's template on VIP:0 (port 0: a per-service template of `-p`), before and after. */
  templateBefore?: IpvsConnection
  templateAfter?: IpvsConnection
  /** The real servers by address, to name a template's destination. */
  servers: { name: string; address: string }[]
}

/** The client's persistence template of the service on VIP:port in an `-Lnc` listing: client port 0, the service's port. */
export function clientTemplate(listing: string, { vip, port, client }: { vip: string; port: number; client: string }): IpvsConnection | undefined {
  return parseIpvsConnections(listing).find((e) => e.isTemplate && e.source.address === client && e.virtual.address === vip && e.virtual.port === port)
}

const nameOf = (run: QuiescentRun, e?: IpvsConnection) => (e ? (run.servers.find((s) => s.address === e.destination.address)?.name ?? e.destination.address) : undefined)

/**
 * 2, at 0 (the default). A template's server at weight 0 is quiescent, not unavailable:
 * ip_vs_check_template (net/netfilter/ipvs/ip_vs_conn.c) keeps the template unless its
 * destination lost IP_VS_DEST_F_AVAILABLE or expire_quiescent_template is set and its weight
 * is 0, so ip_vs_sched_persist (ip_vs_core.c) sends the client to the quiesced server again,
 * however rr would place a new client.
 */
export function stillOnQuiesced(run: QuiescentRun): Verdict {
  return verdict(`expire_quiescent_template=${run.knob}: a persistent client keeps its server after the server's weight goes to 0`, [
    !run.firstServer && "the client's first request was not answered",
    !run.templateBefore && 'no template for the client before the weight change',
    run.afterServers.length === 0 && 'no request after the weight change',
    ...run.afterServers.map((s, i) => s !== run.firstServer && `request ${i + 2} was answered by ${s ?? 'nobody'}, not the quiesced ${run.firstServer}`),
    run.templateAfter && nameOf(run, run.templateAfter) !== run.firstServer && `the template now names ${nameOf(run, run.templateAfter)}`,
  ])
}

/**
 * 2, at 1. The document: "expire the persistent connection template ... when the destination
 * server is quiescent", so that persistent clients go elsewhere. ip_vs_check_template
 * invalidates the template (rehashed with port 0xffff, left to expire) when the client's next
 * connection looks it up, and ip_vs_sched_persist schedules that connection afresh, among the
 * servers with weight: the other one, with a new template.
 */
export function movedOffQuiesced(run: QuiescentRun): Verdict {
  return verdict(`expire_quiescent_template=${run.knob}: a persistent client whose server is quiesced is scheduled to a live server`, [
    !run.firstServer && "the client's first request was not answered",
    !run.templateBefore && 'no template for the client before the weight change',
    run.afterServers.length === 0 && 'no request after the weight change',
    ...run.afterServers.map((s, i) => (s === undefined ? `request ${i + 2} was not answered` : s === run.firstServer && `request ${i + 2} went to the quiesced ${s} again`)),
    !run.templateAfter && 'no template for the client after the requests',
    run.templateAfter && nameOf(run, run.templateAfter) === run.firstServer && `the template still names the quiesced ${run.firstServer}`,
  ])
}

export function describeQuiescentRun(run: QuiescentRun): string {
  const t = (e?: IpvsConnection) => (e ? `to ${nameOf(run, e)} (${e.destination.address}), expires in ${e.expiresInSeconds} s` : 'not listed')
  return [
    `expire_quiescent_template=${run.knob}`,
    `first request answered by ${run.firstServer ?? '(nobody)'}; its template ${t(run.templateBefore)}`,
    `${run.firstServer ?? 'that server'} set to weight 0`,
    ...run.afterServers.map((s, i) => `request ${i + 2}: ${s ?? 'not answered'}`),
    `the client's template after them: ${t(run.templateAfter)}`,
  ].join('\n')
}
