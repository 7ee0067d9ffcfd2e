/**
 * `npm run conformance [-- --kernel <series|version|all>[,...]] [--kernel-file PKG.deb[,...] | --kernel-image FILE --modules DIR]
 *   [--jobs N] [--repeat N] [suite files] [-t pattern]`: every suite on each chosen kernel (N times with --repeat), one Allure report per kernel, then
 * reports/matrix.html. Suite filters, -t and every kernel are checked, and the kernels fetched,
 * before any guest boots. Exits non-zero if any check failed or was flaky, any kernel could not
 * run, or kernels differ where the registry does not say they may; 2 on bad input.
 *
 * `npm run conformance -- --merge DIR...`: the same matrix, by the same rules and with the same
 * exit code, from kernels' result folders (`reports/kernels/<series>/`) made by other jobs or machines.
 */
import path from 'node:path'
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { checkSelection } from '../matrix/check-selection'
import { describeOwnKernel } from '../kernel/own-kernel'
import { isPinned, parseConformanceArgs } from '../matrix/conformance-args'
import { fetchKernels, type KernelToRun } from '../matrix/fetch-kernels'
import { describeCounts } from '../matrix/matrix-counts'
import { mergeMatrix } from '../matrix/merge-matrix'
import { plural } from '../matrix/plural'
import { runMatrix } from '../matrix/run-matrix'
import type { MatrixRun } from '../matrix/write-matrix'
import { reportsDir } from '../reports-dir'

const start = Date.now()

function printSummary({ matrix, page }: MatrixRun): void {
  console.log(`\n[matrix] per-kernel timings (s):`)
  for (const c of matrix.columns) console.log(`  ${c.series.padEnd(9)} ${c.state.padEnd(12)} ${c.timings.map((t) => `${t.phase} ${t.seconds.toFixed(1)}`).join(', ')}`)
  console.log(`[matrix] ${describeCounts(matrix)}`)
  console.log(
    `[matrix] ${plural(matrix.rows.length, 'check')} on ${plural(matrix.columns.length, 'kernel')} in ${((Date.now() - start) / 1000).toFixed(0)} s: ${matrix.failed ? 'FAILED' : 'passed'}`,
  )
  for (const p of matrix.problems) console.log(`  - ${p}`)
  console.log(`[matrix] page: ${path.relative(process.cwd(), page)}`)
  for (const c of matrix.columns) if (c.report) console.log(`[matrix] ${c.series} report: ${path.relative(process.cwd(), path.join(reportsDir(), c.report))}`)
}

function describeToRun(k: KernelToRun): string {
  if (k.kernel?.own) return `${k.request.series.name} (your kernel ${k.kernel.release}, image sha256 ${k.kernel.own.imageSha256})`
  return k.kernel ? `${k.request.series.name} (${k.kernel.package} ${k.kernel.packageVersion}${isPinned(k.request) ? ', pinned' : ''})` : k.request.series.name
}

try {
  const args = parseConformanceArgs(process.argv.slice(2))
  if (args.merge) {
    const merged = await mergeMatrix(args.merge, reportsDir())
    printSummary(merged)
    console.log(`[matrix] merged ${plural(args.merge.length, 'kernel folder')} in ${((Date.now() - start) / 1000).toFixed(2)} s`)
    process.exit(merged.matrix.failed ? 1 : 0)
  }
  const config = readLabConfig()
  if (args.explicit && config.mode === 'docker') {
    const own = args.kernels.find((k) => k.own)
    const flag = own ? describeOwnKernel(own.own!).split(' ')[0] : '--kernel'
    throw new LabError(
      `${flag} boots that kernel in the lab VM, but LVS_LAB=docker asks for an existing engine`,
      `unset LVS_LAB, or leave out ${flag} to test the engine's own kernel`,
    )
  }
  // Before any kernel is fetched: a suite filter or -t that selects nothing must not cost a boot.
  const selection = await checkSelection(args, { root: process.cwd(), cwd: process.cwd() })
  if (selection) console.log(`[matrix] ${selection}`)
  // Without --kernel the lab chooses as it always does (an IPVS-capable engine, else the VM).
  const vm = args.explicit || config.mode === 'vm'
  const toRun: KernelToRun[] = vm ? await fetchKernels(args.kernels, config, process.env.LVS_KERNEL_REFRESH === '1') : args.kernels.map((request) => ({ request, seconds: 0 }))
  console.log(
    `[matrix] ${plural(toRun.length, 'kernel')}: ${toRun.map(describeToRun).join(', ')}; ${args.jobs} at a time${args.repeat > 1 ? `; the suites ${args.repeat} times on each, on one boot of its lab` : ''}`,
  )
  const run = await runMatrix(args, toRun, reportsDir(), start)
  printSummary(run)
  process.exit(run.matrix.failed ? 1 : 0)
} catch (err) {
  if (err instanceof LabError) {
    console.error(`lvs-conformance: ${err.message}`)
    process.exit(2)
  }
  throw err
}
