import { kernelSeries } from '../kernel/series'
import type { Outcome } from './model'

/** A difference between kernels that is expected, with the reason it is. */
export interface KnownDifference {
  check: string | RegExp
  /** Series names (`bullseye`) or kernel lines (`5.10`). */
  kernels: string[]
  outcome: Outcome
  reason: string
}

function seriesOf(kernel: string): string | undefined {
  return kernelSeries.find((s) => s.name === kernel || s.line === kernel)?.name
}

/** Kernels in the registry that name no known series: a typo there would silently match nothing. */
export function unknownRegistryKernels(registry: KnownDifference[]): string[] {
  return registry.flatMap((d) => d.kernels).filter((k) => !seriesOf(k))
}

export function matchesCheck(entry: KnownDifference, check: { id: string; titles: string[] }): boolean {
  if (entry.check instanceof RegExp) return entry.check.test(check.id)
  return entry.check === check.id || entry.check === check.titles.join(' > ')
}

/** The registry's entry for this check on this kernel, if any. */
export function knownDifference(registry: KnownDifference[], check: { id: string; titles: string[] }, series: string): KnownDifference | undefined {
  return registry.find((d) => d.kernels.some((k) => seriesOf(k) === series) && matchesCheck(d, check))
}
