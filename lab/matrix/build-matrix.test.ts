import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildMatrix } from './build-matrix'
import { checkResults, type AllureResult, type VitestJson } from './kernel-results'
import type { CheckResult, KernelColumn, Outcome } from './model'
import type { KnownDifference } from './registry'

// A real run: the NAT suite on the bullseye 5.10 kernel (vitest's JSON and allure-vitest's results).
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'))
const json = fixture('bullseye-nat.vitest.json') as VitestJson
const allure = fixture('bullseye-nat.allure-results.json') as AllureResult[]
const root = '/work/wt-matrix'
const report = 'kernels/bullseye/html/index.html'
const real = checkResults({ json, root, allure, report })
// The same suite on the sid 7.2 kernel, without its Allure results: cells link to the report itself.
const sid = checkResults({ json: fixture('sid-nat.vitest.json') as VitestJson, root, report: 'kernels/sid/html/index.html' })

function column(series: string, results: CheckResult[], state: KernelColumn['state'] = 'ran'): KernelColumn {
  return { series, line: series, state, results, timings: [], seconds: 0, report: `kernels/${series}/html/index.html`, log: `kernels/${series}/run.log` }
}

/** The same results, with one check's outcome changed. */
function withOutcome(results: CheckResult[], index: number, outcome: Outcome, note?: string): CheckResult[] {
  return results.map((r, i) => (i === index ? { ...r, outcome, note } : r))
}

describe('a file that could not run', () => {
  it('fails the matrix, even when every check that ran passed', () => {
    const m = buildMatrix([{ ...column('bullseye', real), fileErrors: ['suites/fwm/fwm.test.ts could not run: TypeError: x is not a function'] }, column('trixie', real)], [])
    expect(m.failed).toBe(true)
    expect(m.problems).toEqual(['bullseye: suites/fwm/fwm.test.ts could not run: TypeError: x is not a function'])
  })
})

describe('checkResults (from vitest JSON)', () => {
  it('names each check by file and titles, and links it to its test in the Allure report', () => {
    expect(real).toHaveLength(9)
    expect(real.every((r) => r.outcome === 'passed')).toBe(true)
    expect(real[0].id).toBe(
      'suites/nat/nat.test.ts > NAT mode: lvs-node-0 masquerading for lvs-node-1 and lvs-node-2 > ipvsadm -Ln shows TCP 192.168.100.6:80 rr with both real servers as Masq, weight 1',
    )
    const control = real.find((r) => r.titles.at(-1)!.startsWith('a real server added without -m'))!
    const uuid = allure.find((a) => a.fullName!.endsWith(control.titles.at(-1)!))!.uuid
    expect(control.evidence).toBe(`${report}#/${createHash('md5').update(uuid).digest('hex')}`)
    expect(new Set(real.map((r) => r.evidence)).size).toBe(9)
  })

  it("takes a skipped check's note from the skip notes and a failure's first line", () => {
    const skippedJson: VitestJson = {
      testResults: [
        {
          name: `${root}/suites/x.test.ts`,
          assertionResults: [
            { ancestorTitles: ['x'], title: 'twos', fullName: 'x twos', status: 'skipped' },
            { ancestorTitles: ['x'], title: 'rr', fullName: 'x rr', status: 'failed', failureMessages: ['AssertionError: rr: fails\n  - stack'] },
          ],
        },
      ],
    }
    const r = checkResults({ json: skippedJson, root, notes: [{ file: 'suites/x.test.ts', titles: ['x', 'twos'], note: 'no ip_vs_twos on 5.10' }] })
    expect(r[0]).toMatchObject({ outcome: 'skipped', note: 'no ip_vs_twos on 5.10', evidence: undefined })
    expect(r[1]).toMatchObject({ outcome: 'failed', failure: 'AssertionError: rr: fails' })
  })
})

describe('buildMatrix', () => {
  const twos: KnownDifference = { check: /rr: 8 requests/, kernels: ['bullseye'], outcome: 'skipped', reason: 'not on this kernel' }

  it('passes when every kernel agrees, with one row per check and one cell per kernel', () => {
    const m = buildMatrix([column('bullseye', real), column('sid', sid)], [])
    expect(m.failed).toBe(false)
    expect(m.rows).toHaveLength(9)
    expect(m.rows[0].cells.map((c) => [c.series, c.state, c.href])).toEqual([
      ['bullseye', 'passed', real[0].evidence],
      ['sid', 'passed', 'kernels/sid/html/index.html'],
    ])
  })

  it('fails on a difference that is not registered, and marks the odd cell', () => {
    const m = buildMatrix([column('bullseye', withOutcome(real, 1, 'skipped', 'no module')), column('bookworm', real), column('trixie', real)], [])
    expect(m.failed).toBe(true)
    expect(m.rows[1].verdict).toBe('differs')
    expect(m.rows[1].cells.map((c) => c.differs)).toEqual([true, false, false])
    expect(m.rows[1].cells[0].reason).toBe('no module')
    expect(m.problems).toEqual([`${real[1].id}: differs on bullseye and the difference is not registered`])
  })

  it('shows a registered difference with its reason and passes', () => {
    const m = buildMatrix([column('bullseye', withOutcome(real, 1, 'skipped')), column('trixie', real)], [twos])
    expect(m.failed).toBe(false)
    expect(m.rows[1].cells[0]).toMatchObject({ state: 'known', reason: 'not on this kernel', differs: false })
  })

  it("a skip the pre-boot check explains (the kernel's own package lacks the scheduler) shows why and passes, registered or not", () => {
    const note = 'this kernel has no sh scheduler (CONFIG_IP_VS_SH is not set), so its checks cannot run'
    const m = buildMatrix([column('linux-image-own.deb', withOutcome(real, 1, 'skipped', note)), column('trixie', real)], [])
    expect(m.failed).toBe(false)
    expect(m.rows[1].cells[0]).toMatchObject({ state: 'known', reason: note, differs: false })
    // Any other skip that differs is still a difference nobody explained.
    const other = buildMatrix([column('linux-image-own.deb', withOutcome(real, 1, 'skipped', 'ipvsadm refused -s sh')), column('trixie', real)], [])
    expect(other.failed).toBe(true)
  })

  it('fails when a registered kernel does not behave as registered', () => {
    const m = buildMatrix([column('bullseye', real), column('trixie', real)], [twos])
    expect(m.failed).toBe(true)
    expect(m.rows[1].cells[0].state).toBe('unexpected')
    expect(m.rows[1].cells[0].reason).toMatch(/^registered as skipped on bullseye \(not on this kernel\), but passed/)
  })

  it('fails on a failed check everywhere, and a check skipped everywhere is skipped, not a difference', () => {
    const failed = buildMatrix([column('bullseye', withOutcome(real, 2, 'failed'))], [])
    expect(failed.rows[2].verdict).toBe('failed')
    expect(failed.failed).toBe(true)
    const skipped = buildMatrix([column('bullseye', withOutcome(real, 2, 'skipped')), column('sid', withOutcome(real, 2, 'skipped'))], [])
    expect(skipped.rows[2].verdict).toBe('skipped')
    expect(skipped.failed).toBe(false)
  })

  it('a kernel that could not run fails the matrix and is shown in its column; the others keep their results', () => {
    const down: KernelColumn = { ...column('sid', [], 'lab-failed'), problem: 'the lab guest did not answer within 300 s' }
    const m = buildMatrix([column('bullseye', real), down], [])
    expect(m.failed).toBe(true)
    expect(m.problems[0]).toBe('sid: the lab guest did not answer within 300 s')
    expect(m.rows[0].cells.map((c) => c.state)).toEqual(['passed', 'no-kernel'])
    expect(m.rows[0].verdict).toBe('passed')
  })

  it('a check missing from one kernel that ran is a difference', () => {
    const m = buildMatrix([column('bullseye', real), column('trixie', real.slice(1))], [])
    expect(m.rows[0].cells[1]).toMatchObject({ state: 'missing', differs: true })
    expect(m.failed).toBe(true)
  })
})
