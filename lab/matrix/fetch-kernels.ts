import { exists } from '../cache'
import type { LabConfig } from '../config'
import { LabError } from '../errors'
import { buildTools, checkRoot, ensureTools } from '../host/requirements'
import { archiveRemedy, checkKernel, ownRemedy, refuseIncomplete } from '../kernel/check-kernel'
import { fetchKernel, kernelRecord, MissingKernelPackage, type FetchedKernel } from '../kernel/fetch-kernel'
import { importOwnKernel } from '../kernel/import-own-kernel'
import { contentsOfFetched } from '../kernel/kernel-contents'
import { describeOwnKernel } from '../kernel/own-kernel'
import { knownKernels, pinnedVersion } from '../kernel/series'
import { noSuchVersion, versionMatches, type KernelRequest } from './conformance-args'

export interface KernelToRun {
  request: KernelRequest
  kernel?: FetchedKernel
  /** A user's own kernel's record in the cache, which its run boots (LVS_KERNEL_RECORD). */
  record?: string
  /** Why this kernel could not be fetched; the others still run. */
  problem?: string
  /** Time spent resolving and downloading it (0 when cached). */
  seconds: number
}

const knownList = () => knownKernels(', or all')

async function importOwn(request: KernelRequest, cacheDir: string): Promise<KernelToRun> {
  const t0 = Date.now()
  try {
    const { kernel, record } = await importOwnKernel(request.own!, cacheDir)
    return { request, kernel, record, seconds: (Date.now() - t0) / 1000 }
  } catch (err) {
    if (err instanceof LabError) throw err
    // dpkg-deb on a damaged package, depmod, cpio: still the files' fault, said in one line.
    const why = ((err as { stderr?: string }).stderr || String(err)).trim().split('\n')[0]
    throw new LabError(`${describeOwnKernel(request.own!)} could not be unpacked (${why})`, 'check the files, or give another kernel')
  }
}

/**
 * Resolves and downloads every requested kernel before any guest boots. A kernel the archive
 * does not have is bad input and stops everything; one that cannot be downloaded (network,
 * mirror) is recorded and the others still run. A user's own kernel (`--kernel-file`,
 * `--kernel-image`) is unpacked into the cache and checked first: anything wrong with it is bad input.
 */
export async function fetchKernels(requests: KernelRequest[], config: LabConfig, refresh: boolean): Promise<KernelToRun[]> {
  const out: KernelToRun[] = []
  // Bad input before any download: the user's files are read (and unpacked, and checked) first.
  const own = requests.find((r) => r.own)
  if (own) out.push(await importOwn(own, config.cacheDir))
  const uncached = []
  for (const r of requests) if (!r.own && (refresh || !(await exists(kernelRecord(config.cacheDir, r.series, pinnedVersion(r.wanted, r.series)))))) uncached.push(r)
  if (uncached.length > 0) {
    checkRoot()
    await ensureTools(buildTools)
  }
  for (const request of requests.filter((r) => !r.own)) {
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
  for (const { request, kernel } of out) {
    if (!kernel) continue
    const check = checkKernel(await contentsOfFetched(kernel))
    if (request.own) refuseIncomplete(check, describeOwnKernel(request.own), ownRemedy)
    else refuseIncomplete(check, `${request.series.name} kernel ${kernel.package} ${kernel.packageVersion}`, archiveRemedy)
  }
  // The columns in the order asked for: the user's own kernel after the archive's.
  return requests.map((r) => out.find((k) => k.request === r)!)
}
