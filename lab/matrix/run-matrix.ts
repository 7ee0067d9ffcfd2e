import fs from 'node:fs/promises'
import path from 'node:path'
import { generateReport } from '../report/generate'
import { buildMatrix } from './build-matrix'
import type { ConformanceArgs } from './conformance-args'
import type { KernelToRun } from './fetch-kernels'
import { readKernelRun } from './kernel-results'
import { knownDifferences } from './known-differences'
import type { KernelColumn, Matrix, PhaseTiming } from './model'
import { countMatrix } from './matrix-counts'
import { plural } from './plural'
import { KernelProgress } from './progress-printer'
import { renderMatrixPage } from './render-page'
import { labOverhead, runKernel } from './run-kernel'
import { runRepeated } from './run-repeated'

export interface MatrixRun {
  matrix: Matrix
  page: string
}

async function runOne(k: KernelToRun, args: ConformanceArgs, reportsRoot: string, matrixStart: number, position: string): Promise<KernelColumn> {
  const { series } = k.request
  const dir = path.join(reportsRoot, 'kernels', series.name)
  const label = `${series.name} ${series.line}`.padEnd(12)
  const progress = new KernelProgress(label, matrixStart)
  const fetch: PhaseTiming[] = k.kernel ? [{ phase: 'fetch kernel', seconds: k.seconds }] : []
  const base = { series: series.name, line: series.line, results: [] }
  if (!k.kernel && k.problem) {
    progress.line(`could not be fetched: ${k.problem}`)
    return { ...base, state: 'fetch-failed', problem: k.problem, timings: [{ phase: 'fetch kernel', seconds: k.seconds }], seconds: k.seconds }
  }
  const version = k.kernel ? `${k.kernel.package} ${k.kernel.packageVersion}` : 'the lab chooses the engine'
  if (args.repeat > 1) {
    progress.line(
      `kernel ${position}: ${version}; ${plural(args.repeat, 'run')} on one lab, each run's full output in ${path.relative(process.cwd(), path.join(dir, 'runs', '<run>', 'run.log'))}`,
    )
    return runRepeated({ kernel: k, dir, reportsRoot, vitestArgs: args.vitestArgs, forceVm: args.explicit, repeat: args.repeat, progress, fetch, base })
  }
  progress.line(`kernel ${position}: ${version}; full output in ${path.relative(process.cwd(), path.join(dir, 'run.log'))}`)
  const run = await runKernel({ kernel: series.name, dir, forceVm: args.explicit, prefetched: Boolean(k.kernel), vitestArgs: args.vitestArgs, progress })

  const t0 = Date.now()
  let reportProblem: string | undefined
  const hasResults = await fs.access(path.join(dir, 'allure-results')).then(
    () => true,
    () => false,
  )
  if (hasResults) {
    await generateReport(dir, `LVS conformance on ${k.kernel ? `${k.kernel.release} (${k.kernel.packageVersion})` : series.name}`).catch((err: Error) => {
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
  if (!results || results.length === 0) {
    const problem = run.labError ?? `the suites wrote no results (vitest exited with ${run.exitCode})`
    progress.line(`could not be booted or run: ${problem}`)
    return { ...base, state: 'lab-failed', problem, kernel, ...links, timings, seconds }
  }
  const files = progress.fileErrors.length ? `; ${plural(progress.fileErrors.length, 'file')} could not run` : ''
  progress.line(`done in ${seconds.toFixed(0)} s: ${passed} passed, ${failed} failed, ${skipped} skipped${files}${reportProblem ? `; no HTML report (${reportProblem})` : ''}`)
  progress.line(`timings: ${timings.map((t) => `${t.phase} ${t.seconds.toFixed(1)} s`).join('; ')}`)
  return { ...base, state: 'ran', kernel, ...links, results, fileErrors: progress.fileErrors, timings, seconds }
}

/** Runs the kernels (`args.jobs` at a time), then writes matrix.html and matrix.json. */
export async function runMatrix(args: ConformanceArgs, toRun: KernelToRun[], reportsRoot: string, matrixStart: number): Promise<MatrixRun> {
  const columns: KernelColumn[] = new Array(toRun.length)
  let next = 0
  const worker = async () => {
    while (next < toRun.length) {
      const i = next++
      columns[i] = await runOne(toRun[i], args, reportsRoot, matrixStart, `${i + 1} of ${toRun.length}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(args.jobs, toRun.length) }, worker))
  const matrix = buildMatrix(columns, knownDifferences)
  const page = path.join(reportsRoot, 'matrix.html')
  await fs.mkdir(reportsRoot, { recursive: true })
  await fs.writeFile(page, renderMatrixPage(matrix, knownDifferences, new Date()))
  const record = {
    generatedAt: new Date().toISOString(),
    failed: matrix.failed,
    problems: matrix.problems,
    counts: countMatrix(matrix),
    columns: columns.map(({ results, ...c }) => ({ ...c, checks: results.length })),
    rows: matrix.rows,
  }
  await fs.writeFile(path.join(reportsRoot, 'matrix.json'), `${JSON.stringify(record, null, 2)}\n`)
  return { matrix, page }
}
