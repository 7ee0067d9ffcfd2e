import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { KernelRunSpec } from './run-kernel'

// The lab, the runs and the report stand in: what is tested is what the matrix does with them.
const holdLab = vi.hoisted(() => vi.fn())
const runKernel = vi.hoisted(() => vi.fn())
const generateReport = vi.hoisted(() => vi.fn())
vi.mock('./held-lab', () => ({ holdLab }))
vi.mock('./run-kernel', async (original) => ({ ...(await original<typeof import('./run-kernel')>()), runKernel }))
vi.mock('../report/generate', () => ({ generateReport }))
const { runRepeated } = await import('./run-repeated')
const { buildMatrix } = await import('./build-matrix')
const { KernelProgress } = await import('./progress-printer')

const file = 'suites/nat/nat.test.ts'
const tests = ['rr alternates', 'replies go back through the director']

/** What vitest and allure-vitest write for one run; `outcomes` per test, or nothing at all. */
function writeRun(dir: string, i: number, outcomes: string[] | undefined): void {
  mkdirSync(path.join(dir, 'allure-results'), { recursive: true })
  if (!outcomes) return
  const assertionResults = tests.map((title, k) => ({
    ancestorTitles: ['NAT'],
    title,
    fullName: `NAT ${title}`,
    status: outcomes[k],
    failureMessages: outcomes[k] === 'failed' ? [`AssertionError: broke in run ${i}`] : [],
  }))
  writeFileSync(path.join(dir, 'vitest.json'), JSON.stringify({ testResults: [{ name: path.join(process.cwd(), file), assertionResults }] }))
  tests.forEach((title, k) => {
    const uuid = `run${i}-test${k}`
    writeFileSync(path.join(dir, 'allure-results', `${uuid}-result.json`), JSON.stringify({ uuid, fullName: `lvs-conformance:${file}#NAT ${title}`, parameters: [] }))
  })
  mkdirSync(path.join(dir, 'lab'), { recursive: true })
  writeFileSync(path.join(dir, 'lab', 'ipvsadm-version.txt'), `ipvsadm v1.31 run ${i}\n`)
}

let reports: string
let stopped: boolean
let lines: string[]
let labGone: string | undefined

function spec(repeat: number) {
  const dir = path.join(reports, 'kernels', 'bookworm')
  const kernel = {
    request: { wanted: 'bookworm', series: { name: 'bookworm', line: '6.1', suites: [] } },
    kernel: { series: 'bookworm', package: 'linux-image-6.1.0-57-cloud-amd64', packageVersion: '6.1.192-2', release: '6.1.0-57-cloud-amd64' },
    seconds: 1,
  }
  return {
    kernel: kernel as never,
    dir,
    reportsRoot: reports,
    vitestArgs: ['suites/nat'],
    forceVm: true,
    repeat,
    progress: new KernelProgress('bookworm 6.1', 0, (l) => lines.push(l)),
    fetch: [{ phase: 'fetch kernel', seconds: 1 }],
    base: { series: 'bookworm', line: '6.1' },
  }
}

/** Each run's outcomes, in order; undefined for a run that writes nothing. */
function runsWith(outcomes: (string[] | undefined)[]): void {
  let i = 0
  runKernel.mockImplementation(async (s: KernelRunSpec) => {
    i++
    writeRun(s.dir, i, outcomes[i - 1])
    outcomes[i - 1]?.forEach((state, k) => s.progress.event({ event: 'test', file, titles: ['NAT', tests[k]], state: state as 'passed' | 'failed' }))
    if (i === labGoneDuringRun) labGone = 'the guest kernel locked up (soft lockup: CPU#0 in runc:321 for 48 s)'
    return {
      exitCode: outcomes[i - 1] ? 0 : 2,
      phases: [{ phase: 'lab ready', seconds: 2 }],
      labError: outcomes[i - 1] ? undefined : 'LVS_LAB=docker, but no Docker engine answers',
      seconds: 10,
      log: path.join(s.dir, 'run.log'),
    }
  })
}
let labGoneDuringRun: number | undefined

beforeEach(() => {
  reports = mkdtempSync(path.join(os.tmpdir(), 'lvs-repeat-'))
  stopped = false
  lines = []
  labGone = undefined
  labGoneDuringRun = undefined
  holdLab.mockReset().mockImplementation(async (s: { dir: string }) => {
    mkdirSync(path.join(s.dir, 'lab'), { recursive: true })
    writeFileSync(
      path.join(s.dir, 'lab', 'lab.json'),
      JSON.stringify({ mode: 'vm', kernelRelease: '6.1.0-57-cloud-amd64', kernelPackage: 'linux-image-6.1.0-57-cloud-amd64', kernelPackageVersion: '6.1.192-2', accel: 'tcg' }),
    )
    return {
      info: { dockerHost: 'tcp://127.0.0.1:40123', kernelRelease: '6.1.0-57-cloud-amd64' },
      phases: [{ phase: 'boot (tcg) until dockerd answers', seconds: 15 }],
      gone: () => labGone,
      stop: async () => void (stopped = true),
    }
  })
  generateReport.mockReset().mockImplementation(async (dir: string) => {
    mkdirSync(path.join(dir, 'html'), { recursive: true })
    writeFileSync(path.join(dir, 'html', 'index.html'), '<html></html>')
  })
  runKernel.mockReset()
})

describe('runRepeated', () => {
  it('boots one lab, runs the suites against it each time, and keeps every run apart', async () => {
    runsWith([
      ['passed', 'passed'],
      ['passed', 'failed'],
      ['passed', 'passed'],
    ])
    const column = await runRepeated(spec(3))
    expect(holdLab).toHaveBeenCalledTimes(1)
    // Each run is told the kernel the held lab booted: it does not probe the engine again.
    expect(runKernel.mock.calls.map(([s]) => [path.relative(reports, s.dir), s.dockerHost, s.forceVm, s.heldKernel])).toEqual([
      ['kernels/bookworm/runs/1', 'tcp://127.0.0.1:40123', false, '6.1.0-57-cloud-amd64'],
      ['kernels/bookworm/runs/2', 'tcp://127.0.0.1:40123', false, '6.1.0-57-cloud-amd64'],
      ['kernels/bookworm/runs/3', 'tcp://127.0.0.1:40123', false, '6.1.0-57-cloud-amd64'],
    ])
    expect(stopped).toBe(true)
    expect(column).toMatchObject({
      state: 'ran',
      runs: 3,
      runProblems: [],
      report: 'kernels/bookworm/html/index.html',
      kernel: { package: 'linux-image-6.1.0-57-cloud-amd64', labMode: 'vm' },
    })
    expect(column.results.map((r) => r.tally)).toEqual([
      { passed: 3, failed: 0, skipped: 0 },
      { passed: 2, failed: 1, skipped: 0 },
    ])
    expect(column.timings.map((t) => t.phase)).toEqual(['fetch kernel', 'boot (tcg) until dockerd answers', 'run 1/3', 'run 2/3', 'run 3/3', 'suites', 'report', 'total'])
    expect(column.timings.find((t) => t.phase === 'suites')?.seconds).toBe(24)
  })

  it('writes one report of every run, each result naming its run, and links cells to the last run', async () => {
    runsWith([
      ['passed', 'passed'],
      ['passed', 'failed'],
    ])
    const column = await runRepeated(spec(2))
    const merged = path.join(reports, 'kernels/bookworm/allure-results')
    expect(readdirSync(merged).sort()).toEqual(['run1-test0-result.json', 'run1-test1-result.json', 'run2-test0-result.json', 'run2-test1-result.json'])
    expect(JSON.parse(readFileSync(path.join(merged, 'run1-test1-result.json'), 'utf8')).parameters).toEqual([{ name: 'run', value: '1 of 2', excluded: true }])
    expect(generateReport).toHaveBeenCalledWith(path.join(reports, 'kernels/bookworm'), 'LVS conformance on 6.1.0-57-cloud-amd64 (6.1.192-2), 2 runs')
    expect(readFileSync(path.join(reports, 'kernels/bookworm/lab/ipvsadm-version.txt'), 'utf8')).toBe('ipvsadm v1.31 run 2\n')
    const md5 = (s: string) => createHash('md5').update(s).digest('hex')
    expect(column.results[1].evidence).toBe(`kernels/bookworm/html/index.html#/${md5('run2-test1')}`)
  })

  it('a flaky check fails the matrix; the lines say which run is running', async () => {
    runsWith([
      ['passed', 'passed'],
      ['passed', 'failed'],
    ])
    const m = buildMatrix([await runRepeated(spec(2))], [])
    expect(m.rows.map((r) => r.verdict)).toEqual(['passed', 'flaky'])
    expect(m.failed).toBe(true)
    expect(lines.some((l) => l.includes('run 2/2  done in 10 s: 1 passed, 1 failed, 0 skipped'))).toBe(true)
    expect(lines.at(-2)).toMatch(/done: 2 runs of 2 in \d+ s; checks 1 passed in every run, 0 failed, 0 skipped, 1 flaky$/)
  })

  it('a run that writes no results is recorded and the next still runs', async () => {
    runsWith([['passed', 'passed'], undefined, ['passed', 'passed']])
    const column = await runRepeated(spec(3))
    expect(runKernel).toHaveBeenCalledTimes(3)
    expect(column.runProblems).toEqual(['run 2/3: LVS_LAB=docker, but no Docker engine answers'])
    expect(column.results.map((r) => r.tally)).toEqual([
      { passed: 2, failed: 0, skipped: 0 },
      { passed: 2, failed: 0, skipped: 0 },
    ])
  })

  it("a lab that goes away during a run: none of that run counts (its failures are the lab's), the runs end, the matrix fails", async () => {
    labGoneDuringRun = 2
    runsWith([
      ['passed', 'passed'],
      ['passed', 'failed'],
      ['passed', 'passed'],
    ])
    const column = await runRepeated(spec(4))
    expect(runKernel).toHaveBeenCalledTimes(2)
    expect(column.runProblems).toEqual([
      'run 2/4: the lab went away during the run: the guest kernel locked up (soft lockup: CPU#0 in runc:321 for 48 s); none of its results is counted',
    ])
    expect(column.results.map((r) => r.tally)).toEqual([
      { passed: 1, failed: 0, skipped: 0 },
      { passed: 1, failed: 0, skipped: 0 },
    ])
    const m = buildMatrix([column], [])
    expect(m.rows.map((r) => r.verdict)).toEqual(['passed', 'passed'])
    expect(m.failed).toBe(true)
  })

  it('a lab that cannot start is a kernel that did not run', async () => {
    holdLab.mockResolvedValueOnce({ problem: 'the lab guest did not answer within 300 s: see console.log' })
    const column = await runRepeated(spec(3))
    expect(column).toMatchObject({ state: 'lab-failed', problem: 'the lab guest did not answer within 300 s: see console.log', results: [] })
    expect(runKernel).not.toHaveBeenCalled()
  })
})
