import { LabError } from '../errors'
import { defaultKernel, kernelSeries, type KernelSeries } from '../kernel/series'

/** One kernel asked for on the command line: what the user typed and the series it names. */
export interface KernelRequest {
  /** As typed: a series (`trixie`), its line (`6.12`) or a longer version (`6.12.118`). */
  wanted: string
  series: KernelSeries
}

export interface ConformanceArgs {
  kernels: KernelRequest[]
  /** True when --kernel was given: then the kernel lab VM is the only lab that can answer. */
  explicit: boolean
  /** How many kernels run at once. */
  jobs: number
  /** How many times the suites run on each kernel (`--repeat`, a soak): 1 by default. */
  repeat: number
  /** Handed to `vitest run` as they are: file filters, `-t pattern`. */
  vitestArgs: string[]
  /** The suite file filters among them, checked against the suites before anything boots. */
  files: string[]
  /** The `-t` patterns among them, checked likewise. */
  testNamePatterns: string[]
}

const examples: Record<string, string> = { '--jobs': '--jobs 2', '--repeat': '--repeat 5', '--kernel': '--kernel 6.12', '-t': "-t 'rr:'", '--testNamePattern': "-t 'rr:'" }

const knownList = () => `${kernelSeries.map((s) => `${s.name} (${s.line})`).join(', ')}, or all`

/** Finds the series a kernel name or version belongs to; unknown ones get the list of known ones. */
export function kernelRequest(wanted: string): KernelRequest {
  const series = kernelSeries.find((s) => s.name === wanted || s.line === wanted || wanted.startsWith(`${s.line}.`))
  if (!series) throw new LabError(`unknown kernel "${wanted}"`, `give --kernel one of: ${knownList()}`)
  return { wanted, series }
}

/** A version more precise than the series' line must match what the archive resolved it to. */
export function versionMatches(request: KernelRequest, found: { packageVersion: string; release: string }): boolean {
  const { wanted, series } = request
  if (wanted === series.name || wanted === series.line) return true
  return found.packageVersion.startsWith(wanted) || found.release.startsWith(wanted)
}

export function noSuchVersion(request: KernelRequest, found: { packageVersion: string; release: string }): LabError {
  return new LabError(
    `the Debian archive has no kernel ${request.wanted} (${request.series.name} has ${found.release}, package version ${found.packageVersion})`,
    `give --kernel one of: ${knownList()}`,
  )
}

const wholeNumber = (flag: string, v: string, todo: string) => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new LabError(`${flag} ${v} is not a whole number ${flag === '--jobs' ? 'of kernels' : 'of runs'}`, todo)
  return n
}

/**
 * `--kernel a,b --kernel c`, `--kernel=all`, `--jobs N`, `--repeat N`; file filters and `-t`
 * go to vitest, and so does everything after `--` (unchecked). Without --kernel: LVS_KERNEL,
 * else the default kernel.
 */
export function parseConformanceArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ConformanceArgs {
  const wanted: string[] = []
  const vitestArgs: string[] = []
  const files: string[] = []
  const testNamePatterns: string[] = []
  let jobs = 1
  let repeat = 1
  let explicit = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') throw new LabError(`${flag} needs a value`, `for example ${examples[flag] ?? `${flag} <value>`}`)
      return v
    }
    if (flag === '--kernel') {
      explicit = true
      wanted.push(
        ...value()
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
    } else if (flag === '--jobs') {
      jobs = wholeNumber(flag, value(), 'give --jobs 1 (one kernel after another) or --jobs 2')
    } else if (flag === '--repeat') {
      repeat = wholeNumber(flag, value(), 'give --repeat 5 to run the suites five times on each kernel')
    } else if (flag === '--') {
      vitestArgs.push(...argv.slice(i + 1))
      break
    } else if (flag === '-t' || flag === '--testNamePattern') {
      const pattern = value()
      testNamePatterns.push(pattern)
      vitestArgs.push(flag, pattern)
    } else if (flag.startsWith('-')) {
      throw new LabError(`unknown option ${arg}`, 'use --kernel <series|version|all>[,...], --jobs N, --repeat N, -t <test name pattern> or suite file paths')
    } else {
      files.push(arg)
      vitestArgs.push(arg)
    }
  }
  if (!explicit) wanted.push(env.LVS_KERNEL || defaultKernel)
  const expanded = wanted.flatMap((w) => (w === 'all' ? kernelSeries.map((s) => s.name) : [w]))
  if (expanded.length === 0) throw new LabError('--kernel names no kernel', `give --kernel one of: ${knownList()}`)
  // Every request is checked before anything runs: one bad name and nothing boots.
  const kernels: KernelRequest[] = []
  for (const request of expanded.map(kernelRequest)) {
    if (!kernels.some((k) => k.series.name === request.series.name)) kernels.push(request)
  }
  return { kernels, explicit, jobs, repeat, vitestArgs, files, testNamePatterns }
}
