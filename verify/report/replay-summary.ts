import { formatTimings } from '../../fixtures/timings'
import { plural } from '../../lab/matrix/plural'
import type { ReplayResult } from '../replay/replay-result'

/** The replay as a person reads it on stdout, after the lint: per service its checks and verdicts. */
export function replaySummaryOf(r: ReplayResult): string {
  const checks = r.services.reduce((n, s) => n + s.verdicts.length, 0)
  const lines = [`replay on ${r.lab.mode} lab, kernel ${r.lab.kernelRelease}`, ...r.notes.map((n) => `  note: ${n}`), '']
  for (const s of r.services) {
    lines.push(`  line ${String(s.line).padEnd(4)} ${s.name}`)
    for (const v of s.verdicts) {
      lines.push(`    ${v.failures.length ? 'FAIL' : 'ok  '} [${v.kind}] ${v.check}`)
      for (const f of v.failures.slice(0, 6)) lines.push(`           - ${f}`)
      if (v.failures.length > 6) lines.push(`           - ... and ${v.failures.length - 6} more`)
    }
    for (const n of s.notChecked) lines.push(`    --   not checked: ${n}`)
  }
  lines.push(
    '',
    `  save/restore round trip (ipvsadm -S -n of the replayed table): ${r.roundTrip.differences.length ? plural(r.roundTrip.differences.length, 'difference') : 'the save says what the file says'}`,
  )
  for (const d of r.roundTrip.differences) lines.push(`    ${d.line === undefined ? '' : `line ${d.line}: `}${d.service ? `${d.service}: ` : ''}${d.what}`)
  lines.push('', `${plural(r.failed, 'failed check')} of ${checks} replayed`, formatTimings('phase timings:', r.timings))
  return lines.join('\n')
}
