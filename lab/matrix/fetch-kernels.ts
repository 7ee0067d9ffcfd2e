import { exists } from '../cache'
import type { LabConfig } from '../config'
import { LabError } from '../errors'
import { buildTools, checkRoot, ensureTools } from '../host/requirements'
import { checkKernel, refuseIncomplete } from '../kernel/check-kernel'
import { fetchKernel, kernelRecord, MissingKernelPackage, type FetchedKernel } from '../kernel/fetch-kernel'
import { contentsOfFetched } from '../kernel/kernel-contents'
import { knownKernels, pinnedVersion } from '../kernel/series'
import { noSuchVersion, versionMatches, type KernelRequest } from './conformance-args'

export interface KernelToRun {
  request: KernelRequest
  kernel?: FetchedKernel
  /** Why this kernel could not be fetched; the others still run. */
  problem?: string
  /** Time spent resolving and downloading it (0 when cached). */
  seconds: number
}

const knownList = () => knownKernels(', or all')

/**
 * Resolves and downloads every requested kernel before any guest boots. A kernel the archive
 * does not have is bad input and stops everything; one that cannot be downloaded (network,
 * mirror) is recorded and the others still run.
 */
export async function fetchKernels(requests: KernelRequest[], config: LabConfig, refresh: boolean): Promise<KernelToRun[]> {
  const uncached = []
  for (const r of requests) if (refresh || !(await exists(kernelRecord(config.cacheDir, r.series, pinnedVersion(r.wanted, r.series))))) uncached.push(r)
  if (uncached.length > 0) {
    checkRoot()
    await ensureTools(buildTools)
  }
  const out: KernelToRun[] = []
  for (const request of requests) {
    const t0 = Date.now()
    const seconds = () => (Date.now() - t0) / 1000
    try {
      const kernel = await fetchKernel(request.series, config.cacheDir, config.mirror, refresh, pinnedVersion(request.wanted, request.series))
      if (!versionMatches(request, kernel)) throw noSuchVersion(request, kernel)
      out.push({ request, kernel, seconds: seconds() })
    } catch (err) {
      if (err instanceof MissingKernelPackage) throw new LabError(err.what, `give --kernel one of: ${knownList()}`)
      if (err instanceof LabError && err.what.startsWith('the Debian archive has no kernel')) throw err
      out.push({ request, problem: err instanceof LabError ? err.message : String(err).split('\n')[0], seconds: seconds() })
    }
  }
  // The lab checks again before its own boot; here a kernel without IPVS, veth, bridge... stops the matrix before the first boot.
  for (const { request, kernel } of out)
    if (kernel) refuseIncomplete(checkKernel(await contentsOfFetched(kernel)), `${request.series.name} kernel ${kernel.package} ${kernel.packageVersion}`)
  return out
}
