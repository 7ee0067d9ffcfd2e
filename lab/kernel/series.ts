import { LabError } from '../errors'

/** A Debian release whose cloud kernel the lab can boot. */
export interface KernelSeries {
  name: string
  /** Kernel line users know it by, accepted as an alias. */
  line: string
  /** apt `deb` lines, relative to the mirror; the security archive is derived from it. */
  suites: string[]
  security?: string
}

export const kernelSeries: KernelSeries[] = [
  { name: 'bullseye', line: '5.10', suites: ['bullseye', 'bullseye-updates'], security: 'bullseye-security' },
  { name: 'bookworm', line: '6.1', suites: ['bookworm', 'bookworm-updates'], security: 'bookworm-security' },
  { name: 'trixie', line: '6.12', suites: ['trixie', 'trixie-updates'], security: 'trixie-security' },
  { name: 'sid', line: '7', suites: ['sid'] },
]

export const defaultKernel = 'bookworm'

/** Accepts a series name or its kernel line (`6.12`); anything else is refused with the list. */
export function resolveSeries(wanted: string): KernelSeries {
  const found = kernelSeries.find((s) => s.name === wanted || s.line === wanted || wanted.startsWith(`${s.line}.`))
  if (!found) {
    const known = kernelSeries.map((s) => `${s.name} (${s.line})`).join(', ')
    throw new LabError(`unknown kernel "${wanted}"`, `set LVS_KERNEL to one of: ${known}`)
  }
  return found
}
