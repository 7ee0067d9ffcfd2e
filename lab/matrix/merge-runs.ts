import type { CheckResult, Outcome, RunTally } from './model'

/** Runs that disagree: more than one outcome was seen. */
export const isFlaky = (t: RunTally) => [t.passed, t.failed, t.skipped].filter((n) => n > 0).length > 1

/** The worst outcome seen: it picks the failure line or note a flaky cell shows, nothing more. */
const worst = (t: RunTally): Outcome => (t.failed > 0 ? 'failed' : t.skipped > 0 ? 'skipped' : 'passed')

/**
 * One kernel's runs (`--repeat`) as one result per check, in the order the checks first
 * appeared: the outcome with how many runs had each outcome, the first failure (naming its run),
 * the first skip note, every run's figures in run order, and the last run's evidence (the
 * kernel's report shows the last run, with the earlier ones as its retries).
 */
export function mergeRuns(runs: CheckResult[][]): CheckResult[] {
  const merged = new Map<string, CheckResult & { tally: RunTally }>()
  runs.forEach((results, i) => {
    for (const r of results) {
      const m = merged.get(r.id) ?? { ...r, note: undefined, failure: undefined, figures: undefined, tally: { passed: 0, failed: 0, skipped: 0 } }
      m.tally[r.outcome]++
      if (r.figures?.length) m.figures = [...(m.figures ?? []), ...r.figures]
      if (r.outcome === 'failed' && m.failure === undefined) m.failure = `run ${i + 1}: ${r.failure ?? 'failed'}`
      if (r.outcome === 'skipped' && m.note === undefined) m.note = r.note
      m.evidence = r.evidence
      merged.set(r.id, m)
    }
  })
  return [...merged.values()].map((m) => ({ ...m, outcome: worst(m.tally) }))
}
