import path from 'node:path'
import { LabError } from '../errors'
import { imageUsage, ownKernelSeries, type OwnKernel } from '../kernel/own-kernel'
import { allSeries, defaultKernel, findSeries, knownKernels, pinnedVersion, type KernelSeries } from '../kernel/series'

/** One kernel asked for on the command line: what the user typed and the series it names. */
export interface KernelRequest {
  /** As typed: a series (`trixie`), its line (`6.12`) or a longer version (`6.12.118`); a user's own kernel's name. */
  wanted: string
  series: KernelSeries
  /** A kernel given as files (`--kernel-file`, `--kernel-image`): its series is a stand-in named after the file. */
  own?: OwnKernel
}

export interface ConformanceArgs {
  kernels: KernelRequest[]
  /** True when --kernel (or a kernel as files) was given: then the kernel lab VM is the only lab that can answer. */
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
  /** With --merge: the kernels' result folders to build the matrix from (then nothing runs). */
  merge?: string[]
}

const examples: Record<string, string> = {
  '--jobs': '--jobs 2',
  '--repeat': '--repeat 5',
  '--kernel': '--kernel 6.12',
  '--kernel-file': '--kernel-file linux-image-6.1.0-57-cloud-amd64_6.1.192-3_amd64.deb',
  '--kernel-image': '--kernel-image /boot/vmlinuz-$(uname -r) --modules /lib/modules/$(uname -r)',
  '--modules': '--kernel-image /boot/vmlinuz-$(uname -r) --modules /lib/modules/$(uname -r)',
  '-t': "-t 'rr:'",
  '--testNamePattern': "-t 'rr:'",
}

/**
 * The user's own kernel from `--kernel-file` (every .deb given makes one kernel: a split
 * kernel's image and modules packages) or `--kernel-image` with `--modules`; one per run.
 */
function ownKernel(debs: string[], image: string[], modules: string[]): OwnKernel | undefined {
  if (debs.length > 0 && (image.length > 0 || modules.length > 0)) {
    throw new LabError(
      `--kernel-file and --kernel-image${modules.length ? '/--modules' : ''} are two ways of giving one kernel, and a run takes one own kernel`,
      'give the .deb files with --kernel-file, or the image and its modules with --kernel-image and --modules, and run the other kernel after it',
    )
  }
  const notDeb = debs.find((d) => !d.endsWith('.deb'))
  if (notDeb) throw new LabError(`--kernel-file takes Debian packages, and ${notDeb} is no .deb`, `for a kernel that is not a .deb, ${imageUsage}`)
  if (debs.length > 0) return { debs }
  if (image.length > 1 || modules.length > 1) throw new LabError(`a run takes one own kernel, and ${image.length > 1 ? '--kernel-image' : '--modules'} was given twice`, imageUsage)
  if (image.length === 1 && modules.length === 0) throw new LabError(`--kernel-image ${image[0]} needs the modules built with it`, imageUsage)
  if (modules.length === 1 && image.length === 0)
    throw new LabError(`--modules ${modules[0]} needs the image it was built with`, `${imageUsage}; a .deb carries both (--kernel-file)`)
  return image.length === 1 ? { image: image[0], modules: modules[0] } : undefined
}

const knownList = () => knownKernels(', or all')

/** Finds the series a kernel name or version belongs to; unknown ones get the list of known ones. */
export function kernelRequest(wanted: string): KernelRequest {
  const series = findSeries(wanted)
  if (!series) throw new LabError(`unknown kernel "${wanted}"`, `give --kernel one of: ${knownList()}`)
  return { wanted, series }
}

/** A version more precise than the series or its line (`6.1.192-3`, `6.12.118`): that kernel, not the newest of the series. */
export const isPinned = ({ wanted, series }: KernelRequest) => pinnedVersion(wanted, series) !== undefined

/** A pinned version must match what the archive resolved it to. */
export function versionMatches(request: KernelRequest, found: { packageVersion: string; release: string }): boolean {
  if (!isPinned(request)) return true
  return found.packageVersion.startsWith(request.wanted) || found.release.startsWith(request.wanted)
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

/** `--merge DIR...`: every other word is a result folder, and nothing that would run a suite may come with it. */
function mergeArgs(dirs: string[], runOptions: string[]): ConformanceArgs {
  // A suite filter among the folders (suites/nat, x.test.ts) is a run's argument, not a result.
  const suites = path.resolve('suites')
  const filters = dirs.filter((d) => /\.test\.ts$/.test(d) || path.resolve(d) === suites || path.resolve(d).startsWith(`${suites}${path.sep}`))
  if (filters.length > 0) runOptions.push(`suite filter${filters.length > 1 ? 's' : ''} (${filters.join(', ')})`)
  if (runOptions.length > 0) {
    throw new LabError(
      `--merge builds the matrix from results already made and runs nothing, so it takes no ${runOptions.join(', ')}`,
      'run the kernels first (npm run conformance -- --kernel <k>), then --merge their reports/kernels/<series>/ folders',
    )
  }
  if (dirs.length === 0) throw new LabError('--merge names no result folder', 'for example --merge reports/kernels/bullseye reports/kernels/sid')
  return { kernels: [], explicit: false, jobs: 1, repeat: 1, vitestArgs: [], files: [], testNamePatterns: [], merge: dirs }
}

/**
 * `--merge DIR...` builds the matrix from kernels' result folders instead (merge-matrix.ts).
 * `--kernel a,b --kernel c`, `--kernel=all`, `--jobs N`, `--repeat N`; file filters and `-t`
 * go to vitest, and so does everything after `--` (unchecked). Without --kernel: LVS_KERNEL,
 * else the default kernel.
 */
export function parseConformanceArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ConformanceArgs {
  const wanted: string[] = []
  const debs: string[] = []
  const images: string[] = []
  const modules: string[] = []
  const vitestArgs: string[] = []
  const files: string[] = []
  const testNamePatterns: string[] = []
  let jobs = 1
  let repeat = 1
  let explicit = false
  let merge = false
  /** Options that run something, which --merge cannot take. */
  const runOptions = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') throw new LabError(`${flag} needs a value`, `for example ${examples[flag] ?? `${flag} <value>`}`)
      return v
    }
    if (flag === '--merge') {
      if (inline !== undefined) throw new LabError(`--merge takes the folders after it, not ${arg}`, 'for example --merge reports/kernels/bullseye reports/kernels/sid')
      merge = true
    } else if (flag === '--kernel') {
      explicit = true
      runOptions.add('--kernel')
      wanted.push(
        ...value()
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
    } else if (flag === '--kernel-file') {
      runOptions.add(flag)
      debs.push(
        ...value()
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
    } else if (flag === '--kernel-image' || flag === '--modules') {
      runOptions.add(flag)
      ;(flag === '--kernel-image' ? images : modules).push(value())
    } else if (flag === '--jobs') {
      jobs = wholeNumber(flag, value(), 'give --jobs 1 (one kernel after another) or --jobs 2')
      runOptions.add('--jobs')
    } else if (flag === '--repeat') {
      repeat = wholeNumber(flag, value(), 'give --repeat 5 to run the suites five times on each kernel')
      runOptions.add('--repeat')
    } else if (flag === '--') {
      vitestArgs.push(...argv.slice(i + 1))
      runOptions.add('--')
      break
    } else if (flag === '-t' || flag === '--testNamePattern') {
      const pattern = value()
      testNamePatterns.push(pattern)
      vitestArgs.push(flag, pattern)
      runOptions.add(flag)
    } else if (flag.startsWith('-')) {
      throw new LabError(
        `unknown option ${arg}`,
        'use --kernel <series|version|all>[,...], --kernel-file PKG.deb[,...], --kernel-image FILE --modules DIR, --jobs N, --repeat N, -t <test name pattern>, suite file paths, or --merge DIR...',
      )
    } else {
      files.push(arg)
      vitestArgs.push(arg)
    }
  }
  if (merge) return mergeArgs(files, [...runOptions])
  const own = ownKernel(debs, images, modules)
  // A kernel given as files runs alone, or beside the kernels --kernel names (its column next to theirs).
  if (!explicit && !own) wanted.push(env.LVS_KERNEL || defaultKernel)
  const expanded = wanted.flatMap((w) => (w === 'all' ? allSeries.map((s) => s.name) : [w]))
  if (expanded.length === 0 && !own) throw new LabError('--kernel names no kernel', `give --kernel one of: ${knownList()}`)
  // Every request is checked before anything runs: one bad name and nothing boots.
  const kernels: KernelRequest[] = []
  for (const request of expanded.map(kernelRequest)) {
    if (!kernels.some((k) => k.series.name === request.series.name)) kernels.push(request)
  }
  if (own) kernels.push({ wanted: ownKernelSeries(own).name, series: ownKernelSeries(own), own })
  return { kernels, explicit: explicit || Boolean(own), jobs, repeat, vitestArgs, files, testNamePatterns }
}
