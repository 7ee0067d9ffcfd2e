import fs from 'node:fs/promises'
import path from 'node:path'
import type { LabConfig } from '../config'
import { LabError } from '../errors'
import { buildRoots } from '../image/build-roots'
import { bootTools, buildTools, checkRoot, ensureTools, refuseUninstallable } from '../host/requirements'
import { archiveRemedy, checkKernel, describeMissingSchedulers, ownRemedy, refuseIncomplete, type KernelCheck } from '../kernel/check-kernel'
import { fetchKernel, kernelRecord, type FetchedKernel } from '../kernel/fetch-kernel'
import { contentsOfFetched } from '../kernel/kernel-contents'
import { pinnedVersion, resolveSeries } from '../kernel/series'
import { phase, say } from '../progress'
import { pruneOtherRecipes } from '../cache-prune'
import { chooseAccel } from './accel'
import { bakeDockerDisk } from './docker-disk'
import { bootGuest, type RunningGuest } from './guest'
import { assembleInitrd } from './initrd'
import { loopbackPort } from './ports'
import { exists, sweepTemporaries } from '../cache'
import { recipeHash } from '../image/recipe'

/** Everything a guest boot needs, found in or added to the cache. */
export interface PreparedKernelLab {
  kernel: FetchedKernel
  /** What the pre-boot check found: the schedulers this kernel lacks, whose checks can skip. */
  check: KernelCheck
  initrd: string
  disk: string
  accel: 'kvm' | 'tcg'
}

/** A user's own kernel, unpacked into the cache by `npm run conformance` (import-own-kernel.ts) before the run. */
async function ownKernel(record: string): Promise<FetchedKernel> {
  const known = (await fs.readFile(record, 'utf8').then(JSON.parse, () => undefined)) as FetchedKernel | undefined
  if (!known || !(await exists(known.vmlinuz)) || !(await exists(known.modulesCpio)))
    throw new LabError(`LVS_KERNEL_RECORD=${record} is no kernel in the cache`, 'give npm run conformance the kernel again (--kernel-file or --kernel-image), which puts it there')
  return known
}

export async function prepareKernelLab(config: LabConfig): Promise<PreparedKernelLab> {
  // A user's own kernel is read first: a record that is gone stops the lab before anything is built.
  const own = config.kernelRecord ? await ownKernel(config.kernelRecord) : undefined
  const series = own ? undefined : resolveSeries(config.kernel)
  // LVS_KERNEL=6.1.192-3: that kernel, kept in the cache apart from the series' newest.
  const pin = series && pinnedVersion(config.kernel, series)
  refuseUninstallable(bootTools)
  await sweepTemporaries(config.cacheDir)
  const hash = recipeHash()
  // Anything missing from the cache (the series' kernel, the disk of this recipe) is built.
  const warm =
    (await exists(path.join(config.cacheDir, 'disks', `docker-${hash}.img`))) &&
    (!series || (await exists(kernelRecord(config.cacheDir, series, pin)))) &&
    process.env.LVS_KERNEL_REFRESH !== '1'
  if (!warm) {
    checkRoot()
    await ensureTools(buildTools)
  }
  // A fresh machine's qemu install (about 45 s of apt) runs while the cache is built: the
  // first boot (the docker disk's) is the first thing that needs it.
  const [kernel, roots] = await phase('provision kernel and user space', () =>
    Promise.all([
      own ?? fetchKernel(series!, config.cacheDir, config.mirror, process.env.LVS_KERNEL_REFRESH === '1', pin),
      buildRoots(config.cacheDir, config.mirror),
      ensureTools(bootTools),
    ]),
  )
  // Before anything is built on it or booted: a kernel without IPVS, veth, bridge... stops here in one line.
  const check = checkKernel(await contentsOfFetched(kernel))
  if (kernel.own) refuseIncomplete(check, `your kernel ${kernel.own.files.join(', ')}`, ownRemedy)
  else refuseIncomplete(check, `${kernel.series} kernel ${kernel.package} ${kernel.packageVersion}`, archiveRemedy)
  const lacking = describeMissingSchedulers(check, kernel.release)
  if (lacking) say(lacking)
  const initrd = await phase('assemble initramfs', () => assembleInitrd(config.cacheDir, roots, kernel))
  const accel = chooseAccel()
  const disk = await phase('docker disk with the node image', () =>
    bakeDockerDisk(config.cacheDir, roots, {
      kernel,
      initrd,
      memoryMiB: config.memoryMiB,
      cpus: config.cpus,
      accel,
      bootTimeoutSeconds: config.bootTimeoutSeconds,
    }),
  )
  const pruned = await pruneOtherRecipes(config.cacheDir, roots.hash)
  if (pruned.length > 0) say(`removed ${pruned.length} cache entries of earlier recipes (${pruned.join(', ')})`)
  return { kernel, check, initrd, disk, accel }
}

export async function startKernelLab(config: LabConfig, prepared: PreparedKernelLab, runDir: string): Promise<RunningGuest> {
  const guest = bootGuest({
    kernel: prepared.kernel,
    initrd: prepared.initrd,
    disk: prepared.disk,
    snapshot: true,
    port: await loopbackPort(config.port),
    memoryMiB: config.memoryMiB,
    cpus: config.cpus,
    accel: prepared.accel,
    consoleLog: path.join(runDir, 'guest-console.log'),
    bootTimeoutSeconds: config.bootTimeoutSeconds,
  })
  try {
    await phase(`boot ${prepared.kernel.release} (${prepared.accel}) and wait for dockerd`, () => guest.waitForDocker())
  } catch (err) {
    guest.kill()
    throw err
  }
  guest.superviseEngine()
  return guest
}
