import { comparable, type IpvsConnection, type IpvsRateTable, type IpvsStatsTable, type IpvsTable, type IpvsTimeouts, type ServiceKey } from '../../lab/ipvs'
import type { IpvsThresholdsTable } from '../../lab/ipvs'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import type { HeldConnection } from '../../lab/tcp/held-connections'
import { verdict, type Verdict } from '../../checks/verdict'

const sameKey = (a: ServiceKey, b: ServiceKey) => a.protocol === b.protocol && a.address === b.address && a.port === b.port && a.fwmark === b.fwmark

export interface ExpectedService extends ServiceKey {
  scheduler: string
  /** address -> weight; exactly these real servers. */
  weights: Map<string, number>
}

/** -Ln shows the service with this scheduler and exactly these real servers and weights. */
export function listedAs(table: IpvsTable, expected: ExpectedService, check: string): Verdict {
  const svc = table.services.find((s) => sameKey(s, expected))
  if (!svc) return verdict(check, [`no ${expected.protocol} ${expected.address ?? expected.fwmark}:${expected.port ?? ''} in -Ln (${table.services.length} services)`])
  const listed = new Map(svc.realServers.map((rs) => [rs.address, rs.weight]))
  return verdict(check, [
    svc.scheduler !== expected.scheduler && `scheduler is ${svc.scheduler}, expected ${expected.scheduler}`,
    ...[...expected.weights].map(([a, w]) => (!listed.has(a) ? `${a} is not listed` : listed.get(a) !== w && `${a} has weight ${listed.get(a)}, expected ${w}`)),
    ...[...listed.keys()].map((a) => !expected.weights.has(a) && `${a} is listed but should not be`),
  ])
}

/** The service is gone from -Ln, and requests to it find nothing (curl cannot connect). */
export function serviceGone(table: IpvsTable, key: ServiceKey, exchanges: HttpExchange[]): Verdict {
  return verdict('-D: the service is gone', [
    table.services.some((s) => sameKey(s, key)) && 'the service is still listed',
    exchanges.length === 0 && 'no requests were made',
    ...exchanges.map((x) => x.server && `request ${x.index + 1} was answered by ${x.server}`),
  ])
}

/** -C: nothing left in the table. */
export function tableEmpty(table: IpvsTable): Verdict {
  return verdict('-C clears every service', [
    table.services.length > 0 && `${table.services.length} services remain: ${table.services.map((s) => `${s.protocol} ${s.address ?? s.fwmark}:${s.port ?? ''}`).join(', ')}`,
  ])
}

/** -S -n, -C, -R: the restored table lists exactly as the saved one did (configuration only). */
export function restoredIdentical(before: IpvsTable, after: IpvsTable): Verdict {
  const a = JSON.stringify(comparable(before), null, 1)
  const b = JSON.stringify(comparable(after), null, 1)
  const beforeLines = a.split('\n')
  const afterLines = b.split('\n')
  const diff = beforeLines
    .map((l, i) => l !== afterLines[i] && `line ${i + 1}: before ${l.trim()} / after ${(afterLines[i] ?? '(nothing)').trim()}`)
    .filter(Boolean)
    .slice(0, 10)
  return verdict('-S, -C, -R restores an identical table', [
    before.services.length === 0 && 'the saved table was empty',
    a !== b && `the restored table differs (${before.services.length} services before, ${after.services.length} after): ${diff.join('; ')}`,
  ])
}

/** What a save does not carry: thresholds set before -S are 0 after -R. */
export function thresholdsLost(before: IpvsThresholdsTable, after: IpvsThresholdsTable): Verdict {
  const set = before.services.flatMap((s) => s.realServers.filter((r) => r.counters.upperThreshold + r.counters.lowerThreshold > 0).map((r) => ({ s, r })))
  return verdict('a save does not carry -x/-y', [
    set.length === 0 && 'no real server had thresholds before the save',
    ...set.map(({ s, r }) => {
      const again = after.services.find((x) => sameKey(x, s))?.realServers.find((x) => x.address === r.address && x.port === r.port)
      if (!again) return `${r.address}:${r.port} is missing after the restore`
      return (
        (again.counters.upperThreshold !== 0 || again.counters.lowerThreshold !== 0) &&
        `${r.address}:${r.port} kept -x ${again.counters.upperThreshold} -y ${again.counters.lowerThreshold}`
      )
    }),
  ])
}

/** What a count of connections has to know beyond the requests: the SYNs the client sent again, and what the kernel made of them. */
export interface ResentSyns {
  /** SYNs the client sent again during the requests (TcpExt TCPSynRetrans). */
  sent: number
  /** Entries the kernel scheduled anew on a client port a request had been answered on (rescheduledEntries). */
  rescheduled: IpvsConnection[]
}

/**
 * A SYN the client sent again that reaches the director after its connection has closed meets
 * the entry in TIME_WAIT or CLOSE, and conn_reuse_mode schedules it as a new connection
 * (is_new_conn_expected, ip_vs_in in net/netfilter/ipvs/ip_vs_core.c): the old entry expires,
 * the new one is counted, and its real server's SYN-ACK meets a closed socket. In -Lnc it is
 * the entry of an answered request's client port that is not the finished connection: at
 * another real server than the one that answered, or in SYN_RECV or CLOSE.
 */
export function rescheduledEntries(entries: IpvsConnection[], answered: { localPort: number; server: string }[]): IpvsConnection[] {
  const servedOn = new Map(answered.map((a) => [a.localPort, a.server]))
  return entries.filter((e) => {
    const server = servedOn.get(e.source.port)
    return !e.isTemplate && server !== undefined && (e.destination.address !== server || e.state === 'SYN_RECV' || e.state === 'CLOSE')
  })
}

/**
 * --stats after N requests on zeroed counters: Conns exact per real server and in total. A
 * connection the kernel scheduled anew from a SYN sent again counts too, each one shown by its
 * entry and matched by a SYN the client did send again; nothing else is allowed for.
 */
export function statsCount(stats: IpvsStatsTable, key: ServiceKey, servedBy: Map<string, number>, resent: ResentSyns = { sent: 0, rescheduled: [] }): Verdict {
  const svc = stats.services.find((s) => sameKey(s, key))
  if (!svc) return verdict('--stats counts the traffic', ['the service is not in --stats'])
  const answered = [...servedBy.values()].reduce((a, b) => a + b, 0)
  const anew = (address: string) => resent.rescheduled.filter((e) => e.destination.address === address).length
  const total = answered + resent.rescheduled.length
  const also = (n: number) => (n ? ` and ${n} scheduled anew` : '')
  return verdict('--stats counts the traffic', [
    answered === 0 && 'no traffic was sent',
    resent.rescheduled.length > resent.sent && `${resent.rescheduled.length} entries scheduled anew for ${resent.sent} SYNs the client sent again`,
    svc.counters.conns !== total && `the service counted ${svc.counters.conns} connections for ${answered} answered requests${also(resent.rescheduled.length)}`,
    svc.counters.conns !== total && resent.sent > 0 && `the client sent ${resent.sent} SYN(s) again during the requests (a handshake over 1 s)`,
    ...svc.realServers.map((rs) => {
      const expected = (servedBy.get(rs.address) ?? 0) + anew(rs.address)
      return rs.counters.conns !== expected && `${rs.address} counted ${rs.counters.conns}, it answered ${servedBy.get(rs.address) ?? 0}${also(anew(rs.address))}`
    }),
    svc.counters.inPkts < 2 * answered && `InPkts ${svc.counters.inPkts} for ${answered} connections`,
    svc.counters.outPkts < 2 * answered && `OutPkts ${svc.counters.outPkts} for ${answered} connections`,
    !svc.counters.exact && 'the counters were not exact',
  ])
}

/** -Z: every counter of the service (and of its real servers) reads 0. */
export function zeroed(stats: IpvsStatsTable, key: ServiceKey, check: string): Verdict {
  const svc = stats.services.find((s) => sameKey(s, key))
  if (!svc) return verdict(check, ['the service is not in --stats'])
  const rows = [{ name: 'the service', c: svc.counters }, ...svc.realServers.map((r) => ({ name: r.address, c: r.counters }))]
  return verdict(
    check,
    rows.map(
      ({ name, c }) => c.conns + c.inPkts + c.outPkts + c.inBytes + c.outBytes > 0 && `${name}: conns ${c.conns}, pkts ${c.inPkts}/${c.outPkts}, bytes ${c.inBytes}/${c.outBytes}`,
    ),
  )
}

/** The service's counters survived a -Z aimed at another service. */
export function stillCounting(stats: IpvsStatsTable, key: ServiceKey, check: string): Verdict {
  const svc = stats.services.find((s) => sameKey(s, key))
  return verdict(check, [!svc && 'the service is not in --stats', svc && svc.counters.conns === 0 && `Conns is 0 (pkts ${svc.counters.inPkts}/${svc.counters.outPkts})`])
}

/** --stats and --stats --exact print the same values when nothing is large enough to round. */
export function exactAgrees(plain: IpvsStatsTable, exact: IpvsStatsTable): Verdict {
  const a = JSON.stringify(plain.services.map((s) => s.counters))
  const b = JSON.stringify(exact.services.map((s) => s.counters))
  return verdict('--stats and --exact agree', [plain.services.length === 0 && 'nothing listed', a !== b && `--stats ${a} but --exact ${b}`])
}

export interface MeasuredRate {
  cps: number
  inPps: number
}

/**
 * --rate agrees with the traffic: CPS and InPPS within `tolerance` (a fraction) of the rate
 * measured from the --stats counters over the same seconds, give or take the half a unit the
 * kernel rounds each rate by. The kernel's estimator is a
 * moving average over 2 s samples (ip_vs_est.c), so it lags a change of rate by several
 * seconds; read it only after steady traffic.
 */
export function rateAgrees(rate: IpvsRateTable, key: ServiceKey, measured: MeasuredRate, tolerance: number): Verdict {
  const svc = rate.services.find((s) => sameKey(s, key))
  if (!svc) return verdict('--rate agrees with the traffic', ['the service is not in --rate'])
  // ip_vs_read_estimator (net/netfilter/ipvs/ip_vs_est.c) rounds each rate to a whole number,
  // (e->cps + 0x1FF) >> 10: what --rate shows is within 0.5 of the estimate, on top of the tolerance
  const off = (shown: number, real: number) => Math.abs(shown - real) > tolerance * real + 0.5
  return verdict('--rate agrees with the traffic', [
    measured.cps === 0 && 'no traffic was measured',
    off(svc.counters.cps, measured.cps) && `CPS ${svc.counters.cps}, measured ${measured.cps.toFixed(2)} (tolerance ${tolerance * 100}%)`,
    off(svc.counters.inPps, measured.inPps) && `InPPS ${svc.counters.inPps}, measured ${measured.inPps.toFixed(2)} (tolerance ${tolerance * 100}%)`,
  ])
}

/** -Lnc lists each held connection: ESTABLISHED, from the client, to the server that answered it, expiring within the tcp timeout. */
export function connectionsListed(
  conns: IpvsConnection[],
  held: HeldConnection[],
  client: string,
  vip: string,
  port: number,
  addressOf: (name: string) => string,
  tcpTimeout: number,
): Verdict {
  const ours = conns.filter((c) => c.protocol === 'TCP' && c.virtual.address === vip && c.virtual.port === port)
  return verdict('-Lnc lists each connection with its state and expiry', [
    held.length === 0 && 'no connections were held',
    ours.length !== held.length && `${ours.length} entries for ${held.length} open connections`,
    ...ours.map((c) => c.state !== 'ESTABLISHED' && `${c.source.address}:${c.source.port} is ${c.state}`),
    ...ours.map((c) => c.source.address !== client && `an entry from ${c.source.address}, not the client`),
    ...ours.map(
      (c) =>
        (c.expiresInSeconds > tcpTimeout || c.expiresInSeconds < tcpTimeout - 30) && `${c.source.port}: expires in ${c.expiresInSeconds} s, the tcp timeout is ${tcpTimeout} s`,
    ),
    ...held.map((h) => h.server && !ours.some((c) => c.destination.address === addressOf(h.server!)) && `no entry to ${h.server}, which answered connection ${h.id}`),
  ])
}

/** --set: --timeout reports the values, and new entries of each kind (on the given virtual ports) expire within theirs. */
export function timeoutsApply(reported: IpvsTimeouts, wanted: IpvsTimeouts, conns: IpvsConnection[], vip: string, ports: number[]): Verdict {
  const ofKind = (protocol: string, state: string) =>
    conns.filter((c) => c.protocol === protocol && c.state === state && c.virtual.address === vip && ports.includes(c.virtual.port))
  const within = (list: IpvsConnection[], limit: number, what: string) => [
    list.length === 0 && `no ${what} entry to look at`,
    ...list.map((c) => c.expiresInSeconds > limit && `a ${what} entry expires in ${c.expiresInSeconds} s, more than ${limit} s`),
  ]
  return verdict('--set changes the timeouts and the expiry of new entries', [
    (reported.tcp !== wanted.tcp || reported.tcpFin !== wanted.tcpFin || reported.udp !== wanted.udp) &&
      `--timeout reports ${reported.tcp} ${reported.tcpFin} ${reported.udp}, set ${wanted.tcp} ${wanted.tcpFin} ${wanted.udp}`,
    ...within(ofKind('TCP', 'ESTABLISHED'), wanted.tcp, 'ESTABLISHED'),
    ...within(ofKind('TCP', 'FIN_WAIT'), wanted.tcpFin, 'FIN_WAIT'),
    ...within(ofKind('UDP', 'UDP'), wanted.udp, 'UDP'),
  ])
}

/** A UDP service: every datagram answered, in turn by each server (rr), each listed in -Lnc and counted. */
export function udpBalanced(answers: (string | undefined)[], kernelOrder: string[], conns: IpvsConnection[], stats: IpvsStatsTable, key: ServiceKey): Verdict {
  const svc = stats.services.find((s) => sameKey(s, key))
  const udpEntries = conns.filter((c) => c.protocol === 'UDP' && c.virtual.port === key.port)
  const expected = answers.map((_, i) => kernelOrder[i % kernelOrder.length])
  return verdict('a UDP service is balanced, listed and counted', [
    answers.length === 0 && 'no datagrams were sent',
    answers.join(',') !== expected.join(',') && `answers ${answers.map((a) => a ?? '(none)').join(', ')}; expected ${expected.join(', ')}`,
    udpEntries.length !== answers.length && `-Lnc lists ${udpEntries.length} UDP entries for ${answers.length} datagrams from different ports`,
    !svc && 'the service is not in --stats',
    svc && svc.counters.conns !== answers.length && `--stats counts ${svc.counters.conns} connections for ${answers.length} datagrams`,
    svc && svc.counters.outPkts !== answers.filter(Boolean).length && `--stats OutPkts ${svc.counters.outPkts} for ${answers.filter(Boolean).length} answers`,
  ])
}
