import { LabError } from '../errors'

/** A Debian suite whose cloud kernel the lab can boot (always on the same bookworm user space). */
export interface KernelSeries {
  name: string
  /** Kernel line users know it by, accepted as an alias (for the four of `all` only). */
  line: string
  /** apt `deb` lines, relative to the mirror; the security archive is derived from it. */
  suites: string[]
  security?: string
  /** Not part of `all`: run only when asked for by name (or by a version of its own, below). */
  optIn?: boolean
  /** Debian versions only this suite builds (`6.12.95-1~bpo12+1`): a pinned one of them names this series, not the one its line does. */
  versions?: RegExp
}

export const kernelSeries: KernelSeries[] = [
  { name: 'bullseye', line: '5.10', suites: ['bullseye', 'bullseye-updates'], security: 'bullseye-security' },
  { name: 'bookworm', line: '6.1', suites: ['bookworm', 'bookworm-updates'], security: 'bookworm-security' },
  { name: 'trixie', line: '6.12', suites: ['trixie', 'trixie-updates'], security: 'trixie-security' },
  { name: 'sid', line: '7', suites: ['sid'] },
  // The trixie kernel line rebuilt for bookworm (linux-image-6.12.*+deb12-cloud-amd64, version ~bpo12+N).
  { name: 'bookworm-backports', line: '6.12', suites: ['bookworm-backports'], optIn: true, versions: /~bpo12\+/ },
  // The newest release candidate (linux-image-<x.y>-cloud-amd64, version <x.y>~rc<n>-1~exp1), in split packages.
  { name: 'experimental', line: 'rc', suites: ['experimental'], optIn: true, versions: /~(rc|exp)/ },
]

/** What `--kernel all` runs: every series but the opt-in ones. */
export const allSeries = kernelSeries.filter((s) => !s.optIn)

export const defaultKernel = 'bookworm'

/** The series a name, kernel line or version (`6.12`, `6.1.192-3`, `6.12.95-1~bpo12+1`) belongs to. */
export function findSeries(wanted: string): KernelSeries | undefined {
  return (
    kernelSeries.find((s) => s.versions?.test(wanted)) ?? kernelSeries.find((s) => s.name === wanted) ?? allSeries.find((s) => s.line === wanted || wanted.startsWith(`${s.line}.`))
  )
}

/** The version `wanted` pins (`6.1.192-3`), or undefined when it names the series or its line: then its newest kernel. */
export function pinnedVersion(wanted: string, series: KernelSeries): string | undefined {
  return wanted === series.name || wanted === series.line ? undefined : wanted
}

/** The known series for a message: `bullseye (5.10), ..., sid (7)` and the opt-in ones. */
export function knownKernels(all = ''): string {
  const list = (series: KernelSeries[]) => series.map((s) => `${s.name} (${s.line})`).join(', ')
  return `${list(allSeries)}${all}; opt-in: ${list(kernelSeries.filter((s) => s.optIn))}`
}

/** Accepts a series name or its kernel line (`6.12`); anything else is refused with the list. */
export function resolveSeries(wanted: string): KernelSeries {
  const found = findSeries(wanted)
  if (!found) throw new LabError(`unknown kernel "${wanted}"`, `set LVS_KERNEL to one of: ${knownKernels()}`)
  return found
}
