import { formatEndpoint } from '../../lab/ipvs/endpoint'
import { plural } from '../../lab/matrix/plural'
import type { Finding } from '../lint/finding'
import type { VerifyReport } from './verify-report'

/** The report as a person reads it on stdout: the table as the director holds it, then each finding. */
export function summaryOf(r: VerifyReport, dataFile?: string): string {
  const servers = r.services.reduce((n, s) => n + s.realServers.length, 0)
  const lines = [
    `verify ${r.file}: ${r.kind}, ${plural(r.services.length, 'service')}, ${plural(servers, 'real server')}`,
    `  read by ${r.readBy}`,
    ...r.notes.map((n) => `  ${n}`),
    `  mangle: ${r.mangle ? `${r.mangle.file}, ${plural(r.mangle.markRules, 'MARK rule')}${r.mangle.hasMangleTable ? '' : ' (no *mangle table in it)'}` : 'not given (--mangle)'}`,
    `  sysctl: ${r.sysctl ? `${r.sysctl.file}, ${plural(r.sysctl.settings, 'setting')} (${r.sysctl.ipvsSettings} net.ipv4.vs.*${r.sysctl.ipvsSettings ? '' : ': ip_vs was not loaded when it was taken'})` : "not given (--sysctl): the kernel's defaults are assumed"}`,
    `  timeouts: tcp ${r.timeouts.tcp} s, tcpfin ${r.timeouts.tcpFin} s, udp ${r.timeouts.udp} s, from ${r.timeouts.from}`,
    '',
    ...r.services.map(serviceLine),
    '',
    ...r.findings.flatMap(findingLines),
    `${[plural(r.counts.error, 'error'), plural(r.counts.warning, 'warning'), plural(r.counts.info, 'info')].join(', ')} from ${plural(r.rules.length, 'lint rule')} in ${r.seconds.toFixed(2)} s`,
  ]
  if (dataFile) lines.push(`data: ${dataFile}`)
  return lines.join('\n')
}

function serviceLine(s: VerifyReport['services'][number]): string {
  const options = [s.scheduler, s.flags.length ? `-b ${s.flags.join(',')}` : '', s.persistent !== undefined ? `-p ${s.persistent}` : '', s.netmask ? `-M ${s.netmask}` : '']
    .filter(Boolean)
    .join(' ')
  const servers = s.realServers.map((rs) => `${formatEndpoint(rs.address, rs.port)} ${rs.forward} ${rs.weight}`).join(', ')
  return `  line ${String(s.line).padEnd(4)} ${s.name} ${options}: ${servers || 'no real server'}`
}

function findingLines(f: Finding): string[] {
  const where = f.line === undefined ? f.file : `${f.file} line ${f.line}`
  return [`${f.severity.toUpperCase().padEnd(7)} ${where}${f.service ? `, ${f.service}` : ''} [${f.rule}]`, `  ${f.summary}`, `  on the wire: ${f.wire}`, `  to do: ${f.todo}`, '']
}
