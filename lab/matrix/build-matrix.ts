import type { Cell, CheckResult, KernelColumn, Matrix, Outcome, Row } from './model'
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

function cellFor(check: CheckResult, column: KernelColumn, registry: KnownDifference[]): Cell {
  const base = { series: column.series, differs: false }
  if (column.state !== 'ran') return { ...base, state: 'no-kernel', reason: column.problem, href: column.log }
  const result = column.results.find((r) => r.id === check.id)
  if (!result) return { ...base, state: 'missing', reason: `not run on ${column.series}`, href: column.report ?? column.log }
  const cell: Cell = { ...base, state: result.outcome, outcome: result.outcome, reason: result.outcome === 'failed' ? result.failure : result.note, href: result.evidence ?? column.report }
  const known = knownDifference(registry, check, column.series)
  if (!known) return cell
  if (known.outcome === result.outcome) return { ...cell, state: 'known', reason: known.reason }
  return { ...cell, state: 'unexpected', reason: `registered as ${known.outcome} on ${column.series} (${known.reason}), but ${result.outcome}${cell.reason ? `: ${cell.reason}` : ''}` }
}

function buildRow(check: CheckResult, columns: KernelColumn[], registry: KnownDifference[]): Row {
  const cells = columns.map((c) => cellFor(check, c, registry))
  // Kernels not in the registry for this check must agree with each other.
  const plain = cells.filter((c) => c.state === 'passed' || c.state === 'failed' || c.state === 'skipped' || c.state === 'missing')
  const usual = usualOutcome(plain.flatMap((c) => (c.outcome ? [c.outcome] : [])))
  for (const c of plain) c.differs = c.outcome !== usual
  const differs = cells.some((c) => c.differs)
  let verdict: Row['verdict']
  if (cells.some((c) => c.state === 'failed' || c.state === 'unexpected')) verdict = 'failed'
  else if (differs) verdict = 'differs'
  else if (cells.every((c) => c.state !== 'passed') && cells.some((c) => c.state === 'skipped')) verdict = 'skipped'
  else verdict = 'passed'
  return { id: check.id, file: check.file, titles: check.titles, cells, verdict }
}

/** Checks as rows, kernels as columns; the matrix fails on any failure, unregistered difference or kernel that did not run. */
export function buildMatrix(columns: KernelColumn[], registry: KnownDifference[]): Matrix {
  const rows = allChecks(columns).map((check) => buildRow(check, columns, registry))
  const problems: string[] = []
  for (const c of columns) if (c.state !== 'ran') problems.push(`${c.series}: ${c.problem ?? c.state}`)
  for (const c of columns) if (c.state === 'ran' && c.results.length === 0) problems.push(`${c.series}: no check ran`)
  for (const c of columns) for (const f of c.fileErrors ?? []) problems.push(`${c.series}: ${f}`)
  for (const r of rows) {
    if (r.verdict === 'failed') problems.push(`${r.id}: failed on ${r.cells.filter((c) => c.state === 'failed' || c.state === 'unexpected').map((c) => c.series).join(', ')}`)
    if (r.verdict === 'differs') problems.push(`${r.id}: differs on ${r.cells.filter((c) => c.differs).map((c) => c.series).join(', ')} and the difference is not registered`)
  }
  return { columns, rows, failed: problems.length > 0, problems }
}
