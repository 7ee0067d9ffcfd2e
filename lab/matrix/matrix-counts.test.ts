import { describe, expect, it } from 'vitest'
import { buildMatrix } from './build-matrix'
import { knownDifferences, twosCheck, twosControl } from './known-differences'
import { countMatrix, describeCounts } from './matrix-counts'
import type { CheckResult, KernelColumn, Outcome } from './model'
import { plural } from './plural'

const file = 'suites/schedulers/schedulers.test.ts'
const rr = 'schedulers: the rule of each one, on a NAT service with three real servers > rr and wrr: turns > rr: 9 requests cycle strictly'
const threshold =
  'schedulers: the rule of each one, on a NAT service with three real servers > thresholds -x/-y > over -x 3 a server gets no new connections until it drops below -y 2'

function result(name: string, outcome: Outcome): CheckResult {
  return { id: `${file} > ${name}`, file, titles: name.split(' > '), outcome, note: outcome === 'skipped' ? 'this kernel has no twos scheduler' : undefined }
}

function column(series: string, results: CheckResult[]): KernelColumn {
  return { series, line: series, state: 'ran', results, timings: [], seconds: 0 }
}

/** What each kernel's suites report: twos and its control skip where there is no ip_vs_twos. */
const onKernel = (series: string, twos: Outcome, failing: Outcome = 'passed') =>
  column(series, [result(rr, 'passed'), result(twosCheck, twos), result(twosControl, twos), result(threshold, failing)])

describe('the matrix counts', () => {
  it('four kernels, twos and its control skipping on bullseye and bookworm as registered: green, with the skips counted', () => {
    const m = buildMatrix([onKernel('bullseye', 'skipped'), onKernel('bookworm', 'skipped'), onKernel('trixie', 'passed'), onKernel('sid', 'passed')], knownDifferences)
    expect(m.problems).toEqual([])
    expect(m.failed).toBe(false)
    expect(m.rows.map((r) => r.verdict)).toEqual(['passed', 'passed', 'passed', 'passed'])
    expect(m.rows[2].cells.map((c) => c.state)).toEqual(['known', 'known', 'passed', 'passed'])
    expect(countMatrix(m)).toEqual({
      checks: { passed: 4, failed: 0, skipped: 0, flaky: 0, differs: 0 },
      cells: { passed: 12, failed: 0, skipped: 4, flaky: 0, notRun: 0 },
      known: { passed: 0, failed: 0, skipped: 4 },
    })
    expect(describeCounts(m)).toBe('4 checks on 4 kernels: checks 4 passed, 0 failed, 0 skipped; cells (check × kernel) 12 passed, 0 failed, 4 skipped (4 known differences)')
  })

  it('one kernel: a registered skip counts as a skip, so the counts are the ones vitest gave', () => {
    // bookworm alone, one check failing: vitest says 1 passed, 1 failed, 2 skipped.
    const m = buildMatrix([onKernel('bookworm', 'skipped', 'failed')], knownDifferences)
    expect(countMatrix(m).checks).toEqual({ passed: 1, failed: 1, skipped: 2, flaky: 0, differs: 0 })
    expect(countMatrix(m).cells).toMatchObject({ passed: 1, failed: 1, skipped: 2 })
    expect(countMatrix(m).known).toEqual({ passed: 0, failed: 0, skipped: 2 })
    expect(describeCounts(m)).toBe('4 checks on 1 kernel: checks 1 passed, 1 failed, 2 skipped; cells (check × kernel) 1 passed, 1 failed, 2 skipped (2 known differences)')
  })

  it('without the control registered, its skip on two kernels is an unregistered difference', () => {
    const onlyCheck = [{ ...knownDifferences[0], check: twosCheck }]
    const m = buildMatrix([onKernel('bullseye', 'skipped'), onKernel('bookworm', 'skipped'), onKernel('trixie', 'passed'), onKernel('sid', 'passed')], onlyCheck)
    expect(m.failed).toBe(true)
    expect(m.problems).toEqual([`${file} > ${twosControl}: differs on bullseye, bookworm and the difference is not registered`])
    expect(countMatrix(m).checks.differs).toBe(1)
  })

  it('counts a kernel that did not run as cells not run, and says the number of runs', () => {
    const down: KernelColumn = { ...column('sid', []), state: 'lab-failed', problem: 'no boot' }
    const m = buildMatrix([{ ...onKernel('trixie', 'passed'), runs: 3 }, down], knownDifferences)
    expect(countMatrix(m).cells).toMatchObject({ passed: 4, notRun: 4 })
    expect(describeCounts(m)).toBe('4 checks on 2 kernels, 3 runs each: checks 4 passed, 0 failed, 0 skipped; cells (check × kernel) 4 passed, 0 failed, 0 skipped, 4 not run')
  })
})

describe('plural', () => {
  it('agrees with its count', () => {
    expect([plural(1, 'kernel'), plural(4, 'kernel'), plural(0, 'check'), plural(1, 'run')]).toEqual(['1 kernel', '4 kernels', '0 checks', '1 run'])
  })
})
