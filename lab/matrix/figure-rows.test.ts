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
      {
        name: 'failover, keepalived stopped',
        check: 'stopped',
        cells: [
          [{ value: 0.71, unit: 's' }],
          [
            { value: 0.68, unit: 's' },
            { value: 0.74, unit: 's' },
          ],
          [],
        ],
      },
      { name: 'connections lost, sync daemon', check: 'sync', cells: [[], [{ value: 0, unit: 'of 10' }], []] },
    ])
  })

  it('is empty when no check measured anything', () => {
    expect(figureRows([column('bookworm', [result('stopped', undefined)])])).toEqual([])
  })
})

describe('figureText', () => {
  it('reads one value, several runs, and nothing', () => {
    expect(figureText([{ value: 3.41, unit: 's' }])).toBe('3.41 s')
    expect(
      figureText([
        { value: 0, unit: 'of 10' },
        { value: 1, unit: 'of 10' },
      ]),
    ).toBe('0 · 1 of 10')
    expect(figureText([])).toBe('')
  })

  it('gives each run its own unit when they differ', () => {
    expect(
      figureText([
        { value: 1, unit: 'of 3' },
        { value: 0, unit: 'of 6' },
      ]),
    ).toBe('1 of 3 · 0 of 6')
  })
})
