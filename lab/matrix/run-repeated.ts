import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateReport } from '../report/generate'
import type { KernelToRun } from './fetch-kernels'
import { holdLab } from './held-lab'
import { asLabGone } from '../lab-gone'
import { readKernelIdentity, readRunResults } from './kernel-results'
import { mergeAllureResults } from './merge-allure'
import { isFlaky, mergeRuns } from './merge-runs'
import type { CheckResult, KernelColumn, PhaseTiming } from './model'
import { plural } from './plural'
import type { KernelProgress } from './progress-printer'
import { labOverhead, runKernel } from './run-kernel'

export interface RepeatSpec {
  kernel: KernelToRun
  /** The kernel's reports folder: the lab and the merged report here, each run in runs/<i>/. */
  dir: string
  reportsRoot: string
  vitestArgs: string[]
  /** True with --kernel: then only the kernel lab VM can run it. */
  forceVm: boolean
  repeat: number
  progress: KernelProgress
  /** The kernel's timings so far (its download). */
  fetch: PhaseTiming[]
  base: Pick<KernelColumn, 'series' | 'line' | 'pinned'>
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  )

/**
 * `--repeat N` on one kernel: its lab started once and held up (held-lab.ts), the suites run N
 * times against it, each run into runs/<i>/, then one Allure report of every run and one
 * result per check with how many runs had each outcome. A run that writes no results is
 * recorded and the next one still runs; a lab that goes away ends the runs.
 */
export async function runRepeated(spec: RepeatSpec): Promise<KernelColumn> {
  const { kernel: k, dir, repeat, progress } = spec
  const t0 = Date.now()
  // Results of an earlier run must not pass for this one's.
  for (const stale of ['vitest.json', 'skips.json', 'junit.xml', 'html', 'lab', 'allure-results', 'runs']) await fs.rm(path.join(dir, stale), { recursive: true, force: true })
  await fs.mkdir(dir, { recursive: true })
  const log = path.join(dir, 'run.log')
  const logStream = createWriteStream(log)
  const closeLog = () => new Promise<void>((resolve) => logStream.end(resolve))
  const links = { log: path.relative(spec.reportsRoot, log) }

  const held = await holdLab({ kernel: k.request.wanted, record: k.record, dir, forceVm: spec.forceVm, prefetched: Boolean(k.kernel), log: logStream, progress })
  if ('problem' in held) {
    await closeLog()
    progress.line(`could not be booted: ${held.problem}`)
    const seconds = k.seconds + (Date.now() - t0) / 1000
    return {
      ...spec.base,
      state: 'lab-failed',
      problem: held.problem,
      kernel: await readKernelIdentity(dir),
      ...links,
      results: [],
      runs: repeat,
      timings: [...spec.fetch, { phase: 'total', seconds }],
      seconds,
    }
  }

  const runDirs: string[] = []
  const runProblems: string[] = []
  const fileErrors: string[] = []
  const runTimings: PhaseTiming[] = []
  let suites = 0
  for (let i = 1; i <= repeat; i++) {
    const gone = held.gone()
    if (gone) {
      runProblems.push(`${i === repeat ? `run ${i}` : `runs ${i} to ${repeat}`} of ${repeat} did not run: the lab went away (${gone})`)
      break
    }
    progress.startRun(i, repeat)
    const runDir = path.join(dir, 'runs', String(i))
    const run = await runKernel({
      kernel: spec.base.series,
      dir: runDir,
      forceVm: false,
      dockerHost: held.info.dockerHost,
      missingSchedulers: held.info.missingSchedulers,
      heldKernel: held.info.kernelRelease,
      prefetched: true,
      vitestArgs: spec.vitestArgs,
      progress,
    })
    runTimings.push({ phase: `run ${i}/${repeat}`, seconds: run.seconds })
    const goneDuring = held.gone()
    if (goneDuring) {
      runProblems.push(`run ${i}/${repeat}: ${asLabGone(goneDuring)}; none of its results is counted`)
      progress.line(asLabGone(goneDuring))
      break
    }
    runDirs.push(runDir)
    suites += Math.max(0, run.seconds - labOverhead(run.phases))
    fileErrors.push(...progress.fileErrors.map((f) => `run ${i}/${repeat}: ${f}`))
    if (!(await exists(path.join(runDir, 'vitest.json')))) {
      const problem = run.labError ?? `the suites wrote no results (vitest exited with ${run.exitCode})`
      runProblems.push(`run ${i}/${repeat}: ${problem}`)
      progress.line(`wrote no results: ${problem}`)
      continue
    }
    const { passed, failed, skipped } = progress.counts
    const files = progress.fileErrors.length ? `; ${plural(progress.fileErrors.length, 'file')} could not run` : ''
    progress.line(`done in ${run.seconds.toFixed(0)} s: ${passed} passed, ${failed} failed, ${skipped} skipped${files}`)
  }
  progress.endRuns()
  await held.stop()
  await closeLog()

  // One report of every run: the lab's record (the guest, not each run's view of its engine) and the last run's ipvsadm.
  const tr = Date.now()
  await mergeAllureResults(runDirs, path.join(dir, 'allure-results'))
  const ipvsadm = runDirs.map((d) => path.join(d, 'lab', 'ipvsadm-version.txt')).reverse()
  for (const file of ipvsadm)
    if (
      await fs.copyFile(file, path.join(dir, 'lab', 'ipvsadm-version.txt')).then(
        () => true,
        () => false,
      )
    )
      break
  let reportProblem: string | undefined
  const hasResults = (await fs.readdir(path.join(dir, 'allure-results'))).some((n) => n.endsWith('-result.json'))
  const title = `LVS conformance on ${k.kernel ? `${k.kernel.release} (${k.kernel.packageVersion})` : spec.base.series}, ${plural(runDirs.length, 'run')}`
  if (hasResults) await generateReport(dir, title).catch((err: Error) => void (reportProblem = err.message.split('\n')[0]))
  const reportSeconds = (Date.now() - tr) / 1000
  const report = hasResults && !reportProblem ? path.relative(spec.reportsRoot, path.join(dir, 'html', 'index.html')) : undefined

  const perRun = (await Promise.all(runDirs.map((d) => readRunResults(d, process.cwd(), report)))).filter((r): r is CheckResult[] => Boolean(r))
  const seconds = k.seconds + (Date.now() - t0) / 1000
  const timings: PhaseTiming[] = [
    ...spec.fetch,
    ...held.phases,
    ...runTimings,
    { phase: 'suites', seconds: suites },
    { phase: 'report', seconds: reportSeconds },
    { phase: 'total', seconds },
  ]
  await fs.writeFile(path.join(dir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`)
  const column = { ...spec.base, kernel: await readKernelIdentity(dir), ...links, report, runs: repeat, timings, seconds }
  if (perRun.length === 0) {
    const problem = runProblems[0] ?? 'no run wrote results'
    progress.line(`could not be run: ${problem}`)
    return { ...column, state: 'lab-failed', problem, results: [] }
  }
  const results = mergeRuns(perRun)
  const flaky = results.filter((r) => isFlaky(r.tally!)).length
  const steady = (o: CheckResult['outcome']) => results.filter((r) => !isFlaky(r.tally!) && r.outcome === o).length
  progress.line(
    `done: ${plural(perRun.length, 'run')} of ${repeat} in ${seconds.toFixed(0)} s; checks ${steady('passed')} passed in every run, ${steady('failed')} failed, ${steady('skipped')} skipped, ${flaky} flaky${reportProblem ? `; no HTML report (${reportProblem})` : ''}`,
  )
  progress.line(`timings: ${timings.map((t) => `${t.phase} ${t.seconds.toFixed(1)} s`).join('; ')}`)
  return { ...column, state: 'ran', results, runProblems, fileErrors, report }
}
