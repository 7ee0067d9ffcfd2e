import { allSeries, kernelSeries } from '../kernel/series'
import type { Outcome } from './model'

type CheckName = string | RegExp

/** A difference between kernels that is expected, with the reason it is. */
export interface KnownDifference {
  /** A check's full name, its name without the file, or a pattern; or a list of them sharing one reason. */
  check: CheckName | CheckName[]
  /** Series names (`bullseye`) or kernel lines (`5.10`). */
  kernels: string[]
  outcome: Outcome
  reason: string
}

function seriesOf(kernel: string): string | undefined {
  return (kernelSeries.find((s) => s.name === kernel) ?? allSeries.find((s) => s.line === kernel))?.name
}

/** Kernels in the registry that name no known series: a typo there would silently match nothing. */
export function unknownRegistryKernels(registry: KnownDifference[]): string[] {
  return registry.flatMap((d) => d.kernels).filter((k) => !seriesOf(k))
}

function matchesName(name: CheckName, check: { id: string; titles: string[] }): boolean {
  if (name instanceof RegExp) return name.test(check.id)
  return name === check.id || name === check.titles.join(' > ')
}

export function matchesCheck(entry: KnownDifference, check: { id: string; titles: string[] }): boolean {
  return (Array.isArray(entry.check) ? entry.check : [entry.check]).some((name) => matchesName(name, check))
}

/** The registry's entry for this check on this kernel, if any. */
export function knownDifference(registry: KnownDifference[], check: { id: string; titles: string[] }, series: string): KnownDifference | undefined {
  return registry.find((d) => d.kernels.some((k) => seriesOf(k) === series) && matchesCheck(d, check))
}
