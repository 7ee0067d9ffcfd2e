import fs from 'node:fs/promises'
import path from 'node:path'
import { labGonePrefix } from '../lab-gone'
import { generateReport } from '../report/generate'
import { isPinned, type ConformanceArgs } from './conformance-args'
import type { KernelToRun } from './fetch-kernels'
import { writeKernelColumn } from './kernel-column-file'
import { readKernelRun } from './kernel-results'
import type { KernelColumn, PhaseTiming } from './model'
import { plural } from './plural'
import { KernelProgress } from './progress-printer'
import { labOverhead, runKernel } from './run-kernel'
import { runRepeated } from './run-repeated'
import { writeMatrix, type MatrixRun } from './write-matrix'

export type { MatrixRun } from './write-matrix'

/** What names a column: its series and, when --kernel named an exact version, that version. */
function columnBase(k: KernelToRun): Pick<KernelColumn, 'series' | 'line' | 'pinned'> {
  const { series } = k.request
  return { series: series.name, line: series.line, ...(isPinned(k.request) ? { pinned: k.request.wanted } : {}) }
}

async function runOne(k: KernelToRun, args: ConformanceArgs, reportsRoot: string, matrixStart: number, position: string): Promise<KernelColumn> {
  const { series } = k.request
  const dir = path.join(reportsRoot, 'kernels', series.name)
  const label = `${series.name} ${series.line}`.padEnd(12)
  const progress = new KernelProgress(label, matrixStart)
  const fetch: PhaseTiming[] = k.kernel ? [{ phase: 'fetch kernel', seconds: k.seconds }] : []
  const base = { ...columnBase(k), results: [] }
  if (!k.kernel && k.problem) {
    progress.line(`could not be fetched: ${k.problem}`)
    return { ...base, state: 'fetch-failed', problem: k.problem, timings: [{ phase: 'fetch kernel', seconds: k.seconds }], seconds: k.seconds }
  }
  const version = k.kernel?.own
    ? `your kernel ${k.kernel.own.files.join(', ')}, uname -r ${k.kernel.release}, image sha256 ${k.kernel.own.imageSha256}`
    : k.kernel
      ? `${k.kernel.package} ${k.kernel.packageVersion}`
      : 'the lab chooses the engine'
  if (args.repeat > 1) {
    progress.line(
      `kernel ${position}: ${version}; ${plural(args.repeat, 'run')} on one lab, each run's full output in ${path.relative(process.cwd(), path.join(dir, 'runs', '<run>', 'run.log'))}`,
    )
    return runRepeated({ kernel: k, dir, reportsRoot, vitestArgs: args.vitestArgs, forceVm: args.explicit, repeat: args.repeat, progress, fetch, base })
  }
  progress.line(`kernel ${position}: ${version}; full output in ${path.relative(process.cwd(), path.join(dir, 'run.log'))}`)
  // The run's LVS_KERNEL is the kernel as asked for: a pinned version boots that version, as fetched above.
  const run = await runKernel({ kernel: k.request.wanted, record: k.record, dir, forceVm: args.explicit, prefetched: Boolean(k.kernel), vitestArgs: args.vitestArgs, progress })

  const t0 = Date.now()
  let reportProblem: string | undefined
  const hasResults = await fs.access(path.join(dir, 'allure-results')).then(
    () => true,
    () => false,
  )
  if (hasResults) {
    await generateReport(
      dir,
      `LVS conformance on ${k.kernel ? `${k.kernel.release} (${k.kernel.own ? k.kernel.own.files.join(', ') : k.kernel.packageVersion})` : series.name}`,
    ).catch((err: Error) => {
      reportProblem = err.message.split('\n')[0]
    })
  }
  const reportSeconds = (Date.now() - t0) / 1000
  const { results, kernel } = await readKernelRun(dir, reportsRoot, process.cwd())
  const timings: PhaseTiming[] = [
    ...fetch,
    ...run.phases,
    { phase: 'suites', seconds: Math.max(0, run.seconds - labOverhead(run.phases)) },
    { phase: 'report', seconds: reportSeconds },
  ]
  const seconds = k.seconds + run.seconds + reportSeconds
  timings.push({ phase: 'total', seconds })
  const links = {
    log: path.relative(reportsRoot, run.log),
    report: kernel && hasResults && !reportProblem ? path.relative(reportsRoot, path.join(dir, 'html', 'index.html')) : undefined,
  }
  await fs.writeFile(path.join(dir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`)
  const { passed, failed, skipped } = progress.counts
  // A guest that went away mid-run spoiled every result after it: the column says so and counts none.
  if (!results || results.length === 0 || run.labError?.startsWith(labGonePrefix)) {
    const problem = run.labError ?? `the suites wrote no results (vitest exited with ${run.exitCode})`
    progress.line(`could not be booted or run: ${problem}`)
    return { ...base, state: 'lab-failed', problem, kernel, ...links, timings, seconds }
  }
  const files = progress.fileErrors.length ? `; ${plural(progress.fileErrors.length, 'file')} could not run` : ''
  progress.line(`done in ${seconds.toFixed(0)} s: ${passed} passed, ${failed} failed, ${skipped} skipped${files}${reportProblem ? `; no HTML report (${reportProblem})` : ''}`)
  progress.line(`timings: ${timings.map((t) => `${t.phase} ${t.seconds.toFixed(1)} s`).join('; ')}`)
  return { ...base, state: 'ran', kernel, ...links, results, fileErrors: progress.fileErrors, timings, seconds }
}

/**
 * What a kernel's folder says while its run is going: if the job is killed or times out before
 * the run ends, a merge elsewhere still shows the kernel, as one that did not run.
 */
function unfinished(k: KernelToRun, base: Pick<KernelColumn, 'series' | 'line' | 'pinned'>, dir: string, reportsRoot: string): KernelColumn {
  const problem = 'its run did not finish (the job was stopped or timed out); see run.log in its folder'
  return { ...base, state: 'lab-failed', problem, log: path.relative(reportsRoot, path.join(dir, 'run.log')), results: [], timings: [], seconds: k.seconds }
}

/** Runs the kernels (`args.jobs` at a time), each leaving its column in its folder, then writes matrix.html and matrix.json. */
export async function runMatrix(args: ConformanceArgs, toRun: KernelToRun[], reportsRoot: string, matrixStart: number): Promise<MatrixRun> {
  const columns: KernelColumn[] = new Array(toRun.length)
  let next = 0
  const worker = async () => {
    while (next < toRun.length) {
      const i = next++
      const k = toRun[i]
      const dir = path.join(reportsRoot, 'kernels', k.request.series.name)
      await writeKernelColumn(dir, unfinished(k, columnBase(k), dir, reportsRoot), reportsRoot)
      columns[i] = await runOne(k, args, reportsRoot, matrixStart, `${i + 1} of ${toRun.length}`)
      await writeKernelColumn(dir, columns[i], reportsRoot)
    }
  }
  await Promise.all(Array.from({ length: Math.min(args.jobs, toRun.length) }, worker))
  return writeMatrix(columns, reportsRoot)
}
