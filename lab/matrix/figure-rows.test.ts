import { describe, expect, it } from 'vitest'
import { figureRows, figureText } from './figure-rows'
import type { CheckResult, KernelColumn } from './model'

const result = (test: string, figures: CheckResult['figures']): CheckResult => ({
  id: `suites/ha/ha.test.ts > failover > ${test}`,
  file: 'suites/ha/ha.test.ts',
  titles: ['failover', test],
  outcome: 'passed',
  figures,
})
const column = (series: string, results: CheckResult[]): KernelColumn => ({ series, line: series, state: 'ran', results, timings: [], seconds: 1 })

describe('figureRows', () => {
  it('lines up a figure by name across kernels, each kernel with its runs in order, and leaves a kernel that did not measure it empty', () => {
    const rows = figureRows([
      column('bullseye', [result('stopped', [{ name: 'failover, keepalived stopped', value: 0.71, unit: 's' }])]),
      column('bookworm', [
        result('stopped', [
          { name: 'failover, keepalived stopped', value: 0.68, unit: 's' },
          { name: 'failover, keepalived stopped', value: 0.74, unit: 's' },
        ]),
        result('sync', [{ name: 'connections lost, sync daemon', value: 0, unit: 'of 10' }]),
      ]),
      { ...column('trixie', []), state: 'lab-failed' },
    ])
    expect(rows).toEqual([
      { name: 'failover, keepalived stopped', unit: 's', check: 'stopped', values: [[0.71], [0.68, 0.74], []] },
      { name: 'connections lost, sync daemon', unit: 'of 10', check: 'sync', values: [[], [0], []] },
    ])
  })

  it('is empty when no check measured anything', () => {
    expect(figureRows([column('bookworm', [result('stopped', undefined)])])).toEqual([])
  })
})

describe('figureText', () => {
  it('reads one value, several runs, and nothing', () => {
    expect(figureText([3.41], 's')).toBe('3.41 s')
    expect(figureText([0, 1], 'of 10')).toBe('0 · 1 of 10')
    expect(figureText([], 's')).toBe('')
  })
})
