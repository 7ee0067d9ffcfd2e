import type { VerifyArgs } from '../args'
import type { Finding, Severity } from '../lint/finding'
import type { LintInput } from '../lint/lint-input'
import { LINT_RULES } from '../lint/rules'
import { serviceName } from '../rules/service-name'
import type { Reading } from '../read-configuration'
import { keepalivedNotes } from '../read-configuration'
import type { Timeouts } from '../rules/rules-table'
import type { ReplayResult } from '../replay/replay-result'

/** The verification of one file as data: what the summary prints, for a page to render later. */
export interface VerifyReport {
  file: string
  kind: Reading['kind']
  readBy: string
  /** What the reading adds: VRRP blocks not replayed, health checkers kept. */
  notes: string[]
  mangle?: { file: string; markRules: number; hasMangleTable: boolean }
  sysctl?: { file: string; settings: number; ipvsSettings: number }
  timeouts: Timeouts & { from: string }
  services: ReportedService[]
  findings: Finding[]
  counts: Record<Severity, number>
  rules: Array<{ id: string; title: string }>
  seconds: number
  /** The replay on a real kernel; absent with --lint-only. */
  replay?: ReplayResult
}

export interface ReportedService {
  name: string
  line: number
  scheduler: string
  flags: string[]
  persistent?: number
  netmask?: string
  realServers: Array<{ address: string; port: number; forward: string; weight: number; line: number }>
}

/** Where the timeouts come from: a rules file's --set, a keepalived.conf's lvs_timeouts, or the kernel. */
function timeoutsFrom(t: Timeouts): string {
  const setting = t.setting ?? '--set'
  return t.line ? `${setting} at line ${t.line}` : `the kernel's defaults (the file has no ${setting})`
}

export function buildReport(args: VerifyArgs, reading: Reading, input: LintInput, findings: Finding[], seconds: number): VerifyReport {
  const { timeouts } = input.table
  const report: VerifyReport = {
    file: args.file,
    kind: reading.kind,
    readBy: reading.readBy,
    notes: reading.keepalived ? keepalivedNotes(reading.keepalived.outline) : [],
    timeouts: { ...timeouts, from: timeoutsFrom(timeouts) },
    services: input.table.services.map((svc) => ({
      name: serviceName(svc),
      line: svc.line,
      scheduler: svc.scheduler,
      flags: svc.flags,
      ...(svc.persistent !== undefined && { persistent: svc.persistent }),
      ...(svc.netmask !== undefined && { netmask: svc.netmask }),
      realServers: svc.realServers.map(({ address, port, forward, weight, line }) => ({ address, port, forward, weight, line })),
    })),
    findings,
    counts: { error: 0, warning: 0, info: 0 },
    rules: LINT_RULES.map(({ id, title }) => ({ id, title })),
    seconds,
  }
  for (const f of findings) report.counts[f.severity]++
  if (args.mangle && input.mangle) report.mangle = { file: args.mangle, markRules: input.mangle.marks.length, hasMangleTable: input.mangle.present }
  if (args.sysctl && input.sysctl)
    report.sysctl = { file: args.sysctl, settings: input.sysctl.size, ipvsSettings: [...input.sysctl.keys()].filter((k) => k.startsWith('net.ipv4.vs.')).length }
  return report
}
