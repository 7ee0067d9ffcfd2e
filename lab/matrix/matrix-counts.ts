import type { Cell, Matrix, Row } from './model'
import { plural } from './plural'

/**
 * The matrix counted two ways, each saying what it counts. Checks (rows) by their verdict: a
 * check passed if it passed on every kernel that ran it, registered differences aside. Cells
 * (one per check and kernel) by what happened there, a registered difference by its outcome,
 * so a kernel's cells add up to what vitest counted on it.
 */
export interface MatrixCounts {
  checks: Record<Row['verdict'], number>
  cells: { passed: number; failed: number; skipped: number; flaky: number; notRun: number }
  /** Of those cells, the registered known differences, by outcome. */
  known: { passed: number; failed: number; skipped: number }
}

function cellCount(c: Cell): keyof MatrixCounts['cells'] {
  if (c.state === 'flaky') return 'flaky'
  if (c.state === 'missing' || c.state === 'no-kernel') return 'notRun'
  return c.outcome ?? (c.state as 'passed' | 'failed' | 'skipped')
}

export function countMatrix(m: Matrix): MatrixCounts {
  const checks = { passed: 0, failed: 0, skipped: 0, flaky: 0, differs: 0 }
  const cells = { passed: 0, failed: 0, skipped: 0, flaky: 0, notRun: 0 }
  const known = { passed: 0, failed: 0, skipped: 0 }
  for (const r of m.rows) {
    checks[r.verdict]++
    for (const c of r.cells) {
      cells[cellCount(c)]++
      if (c.state === 'known' && c.outcome) known[c.outcome]++
    }
  }
  return { checks, cells, known }
}

/** Zero flaky, differing or not-run counts are left out: they are the exception. */
const list = (parts: [number, string][], always: number) =>
  parts
    .filter(([n], i) => i < always || n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ')

/** `99 checks on 4 kernels: checks 99 passed, ...; cells (check × kernel) 392 passed, 0 failed, 4 skipped (4 known differences)` */
export function describeCounts(m: Matrix): string {
  const { checks, cells, known } = countMatrix(m)
  const registered = (o: keyof typeof known) => (known[o] ? ` (${plural(known[o], 'known difference')})` : '')
  const runs = Math.max(1, ...m.columns.map((c) => c.runs ?? 1))
  const scope = `${plural(m.rows.length, 'check')} on ${plural(m.columns.length, 'kernel')}${runs > 1 ? `, ${plural(runs, 'run')} each` : ''}`
  const rows = list(
    [
      [checks.passed, 'passed'],
      [checks.failed, 'failed'],
      [checks.skipped, 'skipped'],
      [checks.flaky, 'flaky'],
      [checks.differs, 'differ between kernels'],
    ],
    3,
  )
  const perCell = list(
    [
      [cells.passed, `passed${registered('passed')}`],
      [cells.failed, `failed${registered('failed')}`],
      [cells.skipped, `skipped${registered('skipped')}`],
      [cells.flaky, 'flaky'],
      [cells.notRun, 'not run'],
    ],
    3,
  )
  return `${scope}: checks ${rows}; cells (check × kernel) ${perCell}`
}
