import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { buildMatrix } from './build-matrix'
import { columnFile, writeKernelColumn } from './kernel-column-file'
import { checkResults, type AllureResult, type VitestJson } from './kernel-results'
import { mergeMatrix } from './merge-matrix'
import { mergeRuns } from './merge-runs'
import type { CheckResult, KernelColumn } from './model'
import type { KnownDifference } from './registry'

// Real runs of the NAT suite (bullseye with its Allure results, sid without), as four kernels' columns.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'))
const root = '/work/wt-matrix'
const results = (series: string, json = 'bullseye-nat.vitest.json', allure?: AllureResult[]) =>
  checkResults({ json: fixture(json) as VitestJson, root, allure, report: `kernels/${series}/html/index.html` })
const allure = fixture('bullseye-nat.allure-results.json') as AllureResult[]

function column(series: string, line: string, checks: CheckResult[], extra: Partial<KernelColumn> = {}): KernelColumn {
  const timings = [
    { phase: 'boot', seconds: 17.6 },
    { phase: 'total', seconds: 513 },
  ]
  return { series, line, state: 'ran', results: checks, timings, seconds: 513, report: `kernels/${series}/html/index.html`, log: `kernels/${series}/run.log`, ...extra }
}

const bullseyeChecks = results('bullseye', undefined, allure)
// bullseye skips the first check, as the registry below says it may.
const skippedFirst = bullseyeChecks.map((r, i) => (i === 0 ? { ...r, outcome: 'skipped' as const, note: 'not on 5.10' } : r))
// trixie ran three times (--repeat 3) and the second check failed in one of them: flaky.
const trixieRuns = [1, 2, 3].map((run) =>
  results('trixie').map((r, i) => (i === 1 && run === 2 ? { ...r, outcome: 'failed' as const, failure: 'AssertionError: Conns grew by 7' } : r)),
)
const columns: KernelColumn[] = [
  column('bullseye', '5.10', skippedFirst, {
    kernel: { package: 'linux-image-5.10.0-46-cloud-amd64', packageVersion: '5.10.262-1', release: '5.10.0-46-cloud-amd64', labMode: 'vm', accel: 'tcg' },
  }),
  column('bookworm', '6.1', results('bookworm'), { pinned: '6.1.192-3' }),
  column('trixie', '6.12', mergeRuns(trixieRuns), { runs: 3, runProblems: [] }),
  {
    series: 'sid',
    line: '7',
    state: 'fetch-failed',
    problem: 'cannot read the Debian archive for sid',
    results: [],
    timings: [{ phase: 'fetch kernel', seconds: 3 }],
    seconds: 3,
    log: 'kernels/sid/run.log',
  },
]
const registry: KnownDifference[] = [{ check: skippedFirst[0].id, kernels: ['bullseye'], outcome: 'skipped', reason: 'not on 5.10' }]

let tmp: string
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'merge-matrix-'))
})
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true })
})

/** Each column written into its folder below `reports` the way a kernel's run leaves it. */
async function writeFolders(reports: string, cols = columns): Promise<string[]> {
  const dirs = cols.map((c) => path.join(reports, 'kernels', c.series))
  for (const [i, c] of cols.entries()) await writeKernelColumn(dirs[i], c, reports)
  return dirs
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  )

describe('mergeMatrix', () => {
  it("gives the same matrix from four kernels' folders as building it from their columns, and writes both files", async () => {
    const reports = path.join(tmp, 'reports')
    const dirs = await writeFolders(reports)
    const t0 = Date.now()
    const { matrix, page } = await mergeMatrix(dirs, reports, registry)
    expect(Date.now() - t0).toBeLessThan(10_000)
    const direct = buildMatrix(columns, registry)
    expect(matrix).toEqual(direct)
    // The rules held through the files: the registered skip, the flaky row, the kernel that did not run.
    expect(matrix.rows[0].cells[0].state).toBe('known')
    expect(matrix.rows[1].cells[2].state).toBe('flaky')
    expect(matrix.failed).toBe(true)
    expect(matrix.problems).toContain('sid: cannot read the Debian archive for sid')
    expect(page).toBe(path.join(reports, 'matrix.html'))
    expect(await fs.readFile(page, 'utf8')).toContain('pinned: --kernel 6.1.192-3')
    const record = JSON.parse(await fs.readFile(path.join(reports, 'matrix.json'), 'utf8')) as { failed: boolean; rows: unknown[]; columns: { series: string; checks: number }[] }
    expect([record.failed, record.rows.length, record.columns.map((c) => [c.series, c.checks])]).toEqual([
      true,
      9,
      [
        ['bullseye', 9],
        ['bookworm', 9],
        ['trixie', 9],
        ['sid', 0],
      ],
    ])
  })

  it('passes when the kernels agree, as a local run would', async () => {
    const agreeing = columns.slice(1, 2).concat(column('bullseye', '5.10', results('bullseye')))
    const { matrix } = await mergeMatrix(await writeFolders(path.join(tmp, 'reports'), agreeing), path.join(tmp, 'reports'), [])
    expect([matrix.failed, matrix.problems]).toEqual([false, []])
  })

  it('re-roots the links of folders downloaded elsewhere, so that each still reaches its evidence', async () => {
    const made = path.join(tmp, 'job', 'reports')
    await writeFolders(made)
    // Another job downloads the folders into its own layout and writes the matrix somewhere else again.
    const downloaded = path.join(tmp, 'artefacts')
    await fs.cp(path.join(made, 'kernels'), downloaded, { recursive: true })
    const out = path.join(tmp, 'out')
    const { matrix } = await mergeMatrix(
      columns.map((c) => path.join(downloaded, c.series)),
      out,
      registry,
    )
    const [bullseye] = matrix.columns
    expect(bullseye.report).toBe('../artefacts/bullseye/html/index.html')
    expect(bullseye.log).toBe('../artefacts/bullseye/run.log')
    const evidence = bullseye.results[3].evidence!
    expect(evidence).toBe(`../artefacts/bullseye/html/index.html${columns[0].results[3].evidence!.slice(columns[0].results[3].evidence!.indexOf('#'))}`)
    expect(evidence).toMatch(/#\/[0-9a-f]{32}$/)
  })

  it("refuses a folder that is not a kernel's results, with one line, before writing anything", async () => {
    const reports = path.join(tmp, 'reports')
    const [bullseye] = await writeFolders(reports)
    const notResults = path.join(tmp, 'suites-nat')
    await fs.mkdir(notResults)
    await fs.writeFile(path.join(notResults, 'run.log'), 'vitest output\n')
    const broken = path.join(tmp, 'broken')
    await fs.mkdir(broken)
    await fs.writeFile(path.join(broken, columnFile), '{"column": ')

    const refusal = (dirs: string[]) =>
      mergeMatrix(dirs, reports, registry).then(
        () => undefined,
        (err: unknown) => err,
      )
    const todo = 'give --merge the reports/kernels/<series>/ folders that npm run conformance left'
    for (const [dir, why] of [
      [notResults, 'no column.json'],
      [path.join(tmp, 'nowhere'), 'no such folder'],
      [broken, 'column.json is not JSON'],
    ]) {
      const err = await refusal([bullseye, dir])
      expect(err).toBeInstanceOf(LabError)
      expect((err as LabError).message).toBe(`${dir} is not a kernel's results (${why}): ${todo}`)
    }
    expect(await exists(path.join(reports, 'matrix.html'))).toBe(false)
    expect(await exists(path.join(reports, 'matrix.json'))).toBe(false)
  })

  it('refuses two folders for the same kernel, naming both, before writing anything', async () => {
    const reports = path.join(tmp, 'reports')
    const [bullseye] = await writeFolders(reports)
    const again = path.join(tmp, 'other-machine', 'bullseye')
    await fs.cp(bullseye, again, { recursive: true })
    const err = await mergeMatrix([bullseye, again], reports, registry).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).message).toBe(`${again} and ${bullseye} are both results of bullseye: give --merge one folder per kernel`)
    expect(await exists(path.join(reports, 'matrix.html'))).toBe(false)
  })
})
