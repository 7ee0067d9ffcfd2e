import type { Cell, CheckResult, KernelColumn, Matrix, Outcome, Row, RunTally } from './model'
import { isFlaky } from './merge-runs'
import { knownDifference, type KnownDifference } from './registry'

/** Every check seen on any kernel, in the order the first kernel that ran it listed it. */
function allChecks(columns: KernelColumn[]): CheckResult[] {
  const seen = new Map<string, CheckResult>()
  for (const c of columns) for (const r of c.results) if (!seen.has(r.id)) seen.set(r.id, r)
  return [...seen.values()]
}

/** The outcome most unregistered kernels agree on; a tie goes to the better outcome. */
function usualOutcome(outcomes: Outcome[]): Outcome | undefined {
  const rank: Outcome[] = ['passed', 'skipped', 'failed']
  let best: Outcome | undefined
  let bestCount = 0
  for (const o of rank) {
    const n = outcomes.filter((x) => x === o).length
    if (n > bestCount) [best, bestCount] = [o, n]
  }
  return best
}

const runsOf = (t: RunTally) => t.passed + t.failed + t.skipped

function flakyReason(t: RunTally, result: CheckResult): string {
  const seen = (['passed', 'failed', 'skipped'] as const).filter((o) => t[o] > 0).map((o) => `${o} ${t[o]}`)
  const detail = result.failure ?? result.note
  return `runs disagree: ${seen.join(', ')} of ${runsOf(t)}${detail ? `; ${detail}` : ''}`
}

/** The skip note of fixtures/kernel-schedulers.ts: the pre-boot check found the scheduler missing from the kernel. */
const lacksSchedulerNote = (note: string | undefined) => (note && /^this kernel has no \S+ scheduler \(.+\), so its checks cannot run$/.test(note) ? note : undefined)

function cellFor(check: CheckResult, column: KernelColumn, registry: KnownDifference[]): Cell {
  const base = { series: column.series, differs: false }
  if (column.state !== 'ran') return { ...base, state: 'no-kernel', reason: column.problem, href: column.log }
  const result = column.results.find((r) => r.id === check.id)
  if (!result) return { ...base, state: 'missing', reason: `not run on ${column.series}`, href: column.report ?? column.log }
  const repeated = result.tally ? { tally: result.tally, runs: column.runs ?? runsOf(result.tally) } : {}
  const cell: Cell = {
    ...base,
    state: result.outcome,
    outcome: result.outcome,
    reason: result.outcome === 'failed' ? result.failure : result.note,
    href: result.evidence ?? column.report,
    ...repeated,
  }
  // Runs that disagree fail the matrix whatever the registry says: no kernel is registered as flaky.
  if (result.tally && isFlaky(result.tally)) return { ...cell, state: 'flaky', reason: flakyReason(result.tally, result) }
  const known = knownDifference(registry, check, column.series)
  if (!known) {
    // The kernel's own package lacks the scheduler (the pre-boot check read its config and
    // modules): a kernel of someone's own that nobody registered still shows why, and passes.
    const lacking = result.outcome === 'skipped' ? lacksSchedulerNote(result.note) : undefined
    return lacking ? { ...cell, state: 'known', reason: lacking } : cell
  }
  if (known.outcome === result.outcome) return { ...cell, state: 'known', reason: known.reason }
  return {
    ...cell,
    state: 'unexpected',
    reason: `registered as ${known.outcome} on ${column.series} (${known.reason}), but ${result.outcome}${cell.reason ? `: ${cell.reason}` : ''}`,
  }
}

function buildRow(check: CheckResult, columns: KernelColumn[], registry: KnownDifference[]): Row {
  const cells = columns.map((c) => cellFor(check, c, registry))
  // Kernels not in the registry for this check must agree with each other.
  const plain = cells.filter((c) => c.state === 'passed' || c.state === 'failed' || c.state === 'skipped' || c.state === 'missing')
  const usual = usualOutcome(plain.flatMap((c) => (c.outcome ? [c.outcome] : [])))
  for (const c of plain) c.differs = c.outcome !== usual
  const differs = cells.some((c) => c.differs)
  // A registered difference counts as what it was: a known skip is a skip, as vitest counted it.
  const outcomes = cells.flatMap((c) => (c.outcome && c.state !== 'flaky' ? [c.outcome] : []))
  let verdict: Row['verdict']
  if (cells.some((c) => c.state === 'failed' || c.state === 'unexpected')) verdict = 'failed'
  else if (cells.some((c) => c.state === 'flaky')) verdict = 'flaky'
  else if (differs) verdict = 'differs'
  else if (!outcomes.includes('passed') && outcomes.includes('skipped')) verdict = 'skipped'
  else verdict = 'passed'
  return { id: check.id, file: check.file, titles: check.titles, cells, verdict }
}

/** Checks as rows, kernels as columns; the matrix fails on any failure, flaky check, unregistered difference or kernel that did not run. */
export function buildMatrix(columns: KernelColumn[], registry: KnownDifference[]): Matrix {
  const rows = allChecks(columns).map((check) => buildRow(check, columns, registry))
  const problems: string[] = []
  for (const c of columns) if (c.state !== 'ran') problems.push(`${c.series}: ${c.problem ?? c.state}`)
  for (const c of columns) if (c.state === 'ran' && c.results.length === 0) problems.push(`${c.series}: no check ran`)
  for (const c of columns) for (const f of [...(c.runProblems ?? []), ...(c.fileErrors ?? [])]) problems.push(`${c.series}: ${f}`)
  for (const r of rows) {
    if (r.verdict === 'failed')
      problems.push(
        `${r.id}: failed on ${r.cells
          .filter((c) => c.state === 'failed' || c.state === 'unexpected')
          .map((c) => c.series)
          .join(', ')}`,
      )
    const flaky = r.cells.filter((c) => c.state === 'flaky')
    if (flaky.length) problems.push(`${r.id}: flaky on ${flaky.map((c) => `${c.series} (passed ${c.tally?.passed} of ${c.runs} runs)`).join(', ')}`)
    if (r.verdict === 'differs')
      problems.push(
        `${r.id}: differs on ${r.cells
          .filter((c) => c.differs)
          .map((c) => c.series)
          .join(', ')} and the difference is not registered`,
      )
  }
  return { columns, rows, failed: problems.length > 0, problems }
}
