import { describe, expect, it } from 'vitest'
import { buildMatrix } from './build-matrix'
import { isFlaky, mergeRuns } from './merge-runs'
import type { CheckResult, KernelColumn, Outcome } from './model'

const file = 'suites/nat/nat.test.ts'
const names = ['rr alternates', 'each request is its own connection', 'replies go back through the director']
const report = 'kernels/bullseye/html/index.html'

/** One run of the three checks, with the outcomes given, as checkResults would read it. */
function run(i: number, outcomes: Outcome[]): CheckResult[] {
  return names.map((name, k) => ({
    id: `${file} > NAT > ${name}`,
    file,
    titles: ['NAT', name],
    outcome: outcomes[k],
    failure: outcomes[k] === 'failed' ? `AssertionError: ${name} broke in run ${i}` : undefined,
    note: outcomes[k] === 'skipped' ? `skipped in run ${i}` : undefined,
    evidence: `${report}#/run${i}-${k}`,
  }))
}

// Five runs: the first check passes every time, the second fails every time, the third fails twice.
const runs = [1, 2, 3, 4, 5].map((i) => run(i, ['passed', 'failed', i === 2 || i === 4 ? 'failed' : 'passed']))
const merged = mergeRuns(runs)

function column(series: string, results: CheckResult[], count = 5): KernelColumn {
  return { series, line: series, state: 'ran', results, runs: count, timings: [], seconds: 0, report: `kernels/${series}/html/index.html` }
}

describe('mergeRuns', () => {
  it('keeps one result per check, with how many runs had each outcome', () => {
    expect(merged.map((r) => [r.titles.at(-1), r.tally])).toEqual([
      ['rr alternates', { passed: 5, failed: 0, skipped: 0 }],
      ['each request is its own connection', { passed: 0, failed: 5, skipped: 0 }],
      ['replies go back through the director', { passed: 3, failed: 2, skipped: 0 }],
    ])
    expect(merged.map((r) => isFlaky(r.tally!))).toEqual([false, false, true])
  })

  it('names the run of the first failure, and links to the last run (the report shows it, with the others as retries)', () => {
    expect(merged[1]).toMatchObject({ outcome: 'failed', failure: 'run 1: AssertionError: each request is its own connection broke in run 1' })
    expect(merged[2]).toMatchObject({ outcome: 'failed', failure: 'run 2: AssertionError: replies go back through the director broke in run 2' })
    expect(merged.map((r) => r.evidence)).toEqual([`${report}#/run5-0`, `${report}#/run5-1`, `${report}#/run5-2`])
  })

  it('a check skipped in every run is skipped, with the first note; skipped in some runs only, it is flaky', () => {
    const some = mergeRuns([run(1, ['skipped', 'skipped', 'passed']), run(2, ['skipped', 'passed', 'passed'])])
    expect(some[0]).toMatchObject({ outcome: 'skipped', note: 'skipped in run 1', tally: { passed: 0, failed: 0, skipped: 2 } })
    expect(isFlaky(some[0].tally!)).toBe(false)
    expect(isFlaky(some[1].tally!)).toBe(true)
  })
})

describe('mergeRuns with figures', () => {
  it("keeps every run's figures in run order, and a run that measured nothing adds none", () => {
    const measured = (i: number, value?: number) =>
      run(i, ['passed', 'passed', 'passed']).map((r, k) => (k === 0 && value !== undefined ? { ...r, figures: [{ name: 'failover', value, unit: 's' }] } : r))
    const [first, second] = mergeRuns([measured(1, 0.7), measured(2), measured(3, 0.66)])
    expect(first!.figures).toEqual([
      { name: 'failover', value: 0.7, unit: 's' },
      { name: 'failover', value: 0.66, unit: 's' },
    ])
    expect(second!.figures).toBeUndefined()
  })
})

describe('the matrix of several runs', () => {
  const m = buildMatrix([column('bullseye', merged), column('trixie', mergeRuns(runs.map((r) => r.map((c) => ({ ...c, outcome: 'passed' as const, failure: undefined })))))], [])

  it('shows per cell how many runs passed', () => {
    expect(m.rows.map((r) => r.cells.map((c) => [c.state, `${c.tally?.passed}/${c.runs}`]))).toEqual([
      [
        ['passed', '5/5'],
        ['passed', '5/5'],
      ],
      [
        ['failed', '0/5'],
        ['passed', '5/5'],
      ],
      [
        ['flaky', '3/5'],
        ['passed', '5/5'],
      ],
    ])
  })

  it('a check whose runs disagree is flaky, not a difference between kernels, and fails the matrix', () => {
    const flaky = m.rows[2]
    expect(flaky.verdict).toBe('flaky')
    expect(flaky.cells.map((c) => c.differs)).toEqual([false, false])
    expect(flaky.cells[0].reason).toBe('runs disagree: passed 3, failed 2 of 5; run 2: AssertionError: replies go back through the director broke in run 2')
    expect(m.failed).toBe(true)
    expect(m.problems).toContain(`${file} > NAT > replies go back through the director: flaky on bullseye (passed 3 of 5 runs)`)
  })

  it('passes when every run of every kernel passed', () => {
    const green = buildMatrix([column('bullseye', mergeRuns([run(1, ['passed', 'passed', 'passed']), run(2, ['passed', 'passed', 'passed'])]), 2)], [])
    expect(green.failed).toBe(false)
    expect(green.rows.every((r) => r.verdict === 'passed')).toBe(true)
  })

  it('a flaky check is flaky even where the registry expects a difference', () => {
    const registered = buildMatrix([column('bullseye', merged)], [{ check: `NAT > ${names[2]}`, kernels: ['bullseye'], outcome: 'failed', reason: 'r' }])
    expect(registered.rows[2].cells[0].state).toBe('flaky')
    expect(registered.failed).toBe(true)
  })

  it('a run that wrote no results fails the matrix, the kernel keeping the results of its other runs', () => {
    const partial = buildMatrix(
      [
        {
          ...column('bullseye', mergeRuns(runs.slice(0, 1).map((r) => r.map((c) => ({ ...c, outcome: 'passed' as const })))), 2),
          runProblems: ['run 2/2: the suites wrote no results (vitest exited with 2)'],
        },
      ],
      [],
    )
    expect(partial.failed).toBe(true)
    expect(partial.problems).toEqual(['bullseye: run 2/2: the suites wrote no results (vitest exited with 2)'])
    expect(partial.rows[0].cells[0]).toMatchObject({ state: 'passed', tally: { passed: 1 }, runs: 2 })
  })
})
