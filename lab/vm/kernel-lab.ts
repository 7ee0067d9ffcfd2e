import path from 'node:path'
import type { LabConfig } from '../config'
import { buildRoots } from '../image/build-roots'
import { bootTools, buildTools, checkRoot, ensureTools, refuseUninstallable } from '../host/requirements'
import { fetchKernel, type FetchedKernel } from '../kernel/fetch-kernel'
import { resolveSeries } from '../kernel/series'
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
  initrd: string
  disk: string
  accel: 'kvm' | 'tcg'
}

export async function prepareKernelLab(config: LabConfig): Promise<PreparedKernelLab> {
  const series = resolveSeries(config.kernel)
  refuseUninstallable(bootTools)
  await sweepTemporaries(config.cacheDir)
  const hash = recipeHash()
  // Anything missing from the cache (the series' kernel, the disk of this recipe) is built.
  const warm =
    (await exists(path.join(config.cacheDir, 'disks', `docker-${hash}.img`))) &&
    (await exists(path.join(config.cacheDir, 'kernels', `${series.name}.json`))) &&
    process.env.LVS_KERNEL_REFRESH !== '1'
  if (!warm) {
    checkRoot()
    await ensureTools(buildTools)
  }
  // A fresh machine's qemu install (about 45 s of apt) runs while the cache is built: the
  // first boot (the docker disk's) is the first thing that needs it.
  const [kernel, roots] = await phase('provision kernel and user space', () =>
    Promise.all([fetchKernel(series, config.cacheDir, config.mirror, process.env.LVS_KERNEL_REFRESH === '1'), buildRoots(config.cacheDir, config.mirror), ensureTools(bootTools)]),
  )
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
  return { kernel, initrd, disk, accel }
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
  return guest
}
