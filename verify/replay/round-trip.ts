import { formatEndpoint } from '../../lab/ipvs/endpoint'
import { serviceId } from '../../lab/ipvs/parse-save-rules'
import type { LocatedServer, LocatedService, RulesTable } from '../rules/rules-table'
import { serviceName } from '../rules/service-name'

/** One thing `ipvsadm -S -n` of the replayed table says differently from the file. */
export interface RoundTripDifference {
  /** The file's line it is about; absent for what the save holds and the file does not. */
  line?: number
  service?: string
  /** What differs, in one sentence: what a save and restore would lose or change. */
  what: string
}

const flagsOf = (s: LocatedService) => [...s.flags].sort().join(',')

/**
 * The file against what the kernel saves of it (pure). The save is what an operator keeps and
 * restores, so every difference is something a save and restore loses or changes: thresholds
 * (`ipvsadm -S` has no -x/-y), the `--set` timeouts (it prints none), a DR/TUN port ipvsadm
 * rewrote, a line the kernel refused.
 */
export function compareRoundTrip(file: RulesTable, saved: RulesTable): RoundTripDifference[] {
  const out: RoundTripDifference[] = []
  const savedById = new Map(saved.services.map((s) => [serviceId(s), s]))
  if (file.timeouts.line !== undefined) {
    const t = file.timeouts
    const set = t.setting ? `${t.setting} tcp ${t.tcp} tcpfin ${t.tcpFin} udp ${t.udp}` : `--set ${t.tcp} ${t.tcpFin} ${t.udp}`
    out.push({ line: t.line, what: `${set} is not in the save (ipvsadm -S writes no timeouts): a restore leaves the kernel's timeouts as they were` })
  }
  for (const r of file.refused)
    out.push({ line: r.line, service: r.service, what: `the ${r.what} added again here was refused by the kernel (EEXIST), so the save holds only line ${r.firstLine}'s` })
  for (const svc of file.services) {
    const name = serviceName(svc)
    const back = savedById.get(serviceId(svc))
    if (!back) {
      out.push({ line: svc.line, service: name, what: 'the service is not in the save: the kernel did not keep it' })
      continue
    }
    const changed = (what: string, before: unknown, after: unknown) =>
      before !== after && out.push({ line: svc.line, service: name, what: `${what} ${show(before)} in the file, ${show(after)} in the save` })
    changed('scheduler', svc.scheduler, back.scheduler)
    changed('scheduler flags', flagsOf(svc), flagsOf(back))
    changed('persistence', svc.persistent, back.persistent)
    changed('persistence netmask', svc.netmask, back.netmask)
    changed('one-packet scheduling', svc.ops ?? false, back.ops ?? false)
    changed('persistence engine', svc.pe, back.pe)
    for (const rs of svc.realServers) out.push(...serverDifferences(name, rs, back))
    for (const rs of back.realServers)
      if (!svc.realServers.some((x) => x.address === rs.address && x.port === rs.port))
        out.push({ service: name, what: `${formatEndpoint(rs.address, rs.port)} is in the save but no line of the file adds it` })
  }
  for (const back of saved.services)
    if (!file.services.some((s) => serviceId(s) === serviceId(back))) out.push({ service: serviceName(back), what: 'the service is in the save but no line of the file adds it' })
  return out
}

function serverDifferences(service: string, rs: LocatedServer, back: LocatedService): RoundTripDifference[] {
  const at = formatEndpoint(rs.address, rs.port)
  const again = back.realServers.find((x) => x.address === rs.address && x.port === rs.port)
  const diff = (what: string): RoundTripDifference => ({ line: rs.line, service, what })
  if (!again) return [diff(`${at} is not in the save: the kernel did not keep it`)]
  const out: RoundTripDifference[] = []
  if (rs.writtenPort !== undefined)
    out.push(diff(`${formatEndpoint(rs.address, rs.writtenPort)} is saved as ${at}: DR and TUN cannot remap a port, and ipvsadm wrote the service's in`))
  if (rs.forward !== again.forward) out.push(diff(`${at} forwards as ${rs.forward} in the file, ${again.forward} in the save`))
  if (rs.weight !== again.weight) out.push(diff(`${at} has weight ${rs.weight} in the file, ${again.weight} in the save`))
  if ((rs.upperThreshold ?? 0) + (rs.lowerThreshold ?? 0) > 0 && again.upperThreshold === undefined && again.lowerThreshold === undefined)
    out.push(
      diff(`${at}'s thresholds (-x ${rs.upperThreshold ?? 0} -y ${rs.lowerThreshold ?? 0}) are not in the save: after a save and restore the server has no connection limit`),
    )
  if (JSON.stringify(rs.tunnel ?? null) !== JSON.stringify(again.tunnel ?? null))
    out.push(diff(`${at}'s tunnel is ${show(rs.tunnel?.type)} in the file, ${show(again.tunnel?.type)} in the save`))
  return out
}

function show(v: unknown): string {
  return v === undefined || v === '' ? '(none)' : String(v)
}
