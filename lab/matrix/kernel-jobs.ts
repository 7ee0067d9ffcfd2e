import { parseConformanceArgs } from './conformance-args'

/** One CI job of the fanned-out nightly: the kernel as asked for, and the series whose folder its run leaves. */
export interface KernelJob {
  wanted: string
  series: string
}

/**
 * The nightly's `--kernel` input (`all`, or a comma list of series, lines and versions) as one
 * job per kernel, checked and expanded exactly as `npm run conformance -- --kernel` would.
 */
export function kernelJobs(kernels: string): KernelJob[] {
  return parseConformanceArgs(['--kernel', kernels], {}).kernels.map((k) => ({ wanted: k.wanted, series: k.series.name }))
}
