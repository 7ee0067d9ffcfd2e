import fs from 'node:fs/promises'
import path from 'node:path'
import type { LabConfig } from './config'
import { dockerClient } from './docker/client'
import { hasImage, importNodeImage } from './docker/node-image'
import { probeIpvs } from './docker/probe'
import { sweepLab } from './docker/sweep'
import { LabError } from './errors'
import { buildRoots } from './image/build-roots'
import { nodeImageName } from './image/recipe'
import type { LabInfo } from './lab-info'
import { phase, say } from './progress'
import { prepareKernelLab, startKernelLab } from './vm/kernel-lab'
import { buildTools, checkRoot, ensureTools } from './host/requirements'

export interface StartedLab {
  info: LabInfo
  /** The kernel lab's guest: settles with the one line that says why, if it goes away mid-run. */
  gone?: Promise<string>
  stop(): Promise<void>
}

async function reachable(dockerHost: string | undefined): Promise<boolean> {
  if (!dockerHost) {
    const socket = await fs.access('/var/run/docker.sock').then(
      () => true,
      () => false,
    )
    if (!socket) return false
  }
  return dockerClient(dockerHost)
    .ping()
    .then(
      () => true,
      () => false,
    )
}

/** An engine that is already there: usable only if its kernel really does IPVS. */
async function tryExistingEngine(config: LabConfig, runDir: string): Promise<StartedLab | string> {
  const dockerHost = process.env.DOCKER_HOST
  if (!(await reachable(dockerHost))) return `no Docker engine answers at ${dockerHost ?? '/var/run/docker.sock'}`
  const docker = dockerClient(dockerHost)
  const image = nodeImageName()
  if (!(await hasImage(docker, image))) {
    checkRoot()
    await ensureTools(buildTools)
    const roots = await phase('build the node image', () => buildRoots(config.cacheDir, config.mirror))
    await phase('import the node image into the engine', () => importNodeImage(docker, roots.nodeImageTar, image))
  }
  // The matrix's held lab (--repeat) booted this engine's kernel and checked it before the boot:
  // probing it again costs each run a container start (about 15 s under emulation).
  const held = process.env.LVS_HELD_KERNEL
  const probe = held ? { ipvs: true, kernelRelease: held, detail: '' } : await phase('probe the engine for IPVS', () => probeIpvs(docker, image))
  if (!probe.ipvs) return `the engine's kernel ${probe.kernelRelease} cannot do IPVS (${probe.detail})`
  const swept = await sweepLab(docker)
  if (swept.containers + swept.networks > 0) say(`swept ${swept.containers} containers and ${swept.networks} networks left by an earlier run`)
  return {
    info: {
      mode: 'docker',
      reason: held
        ? `the matrix holds the lab at ${dockerHost} up for every run, on the kernel ${held} it booted`
        : `the Docker engine at ${dockerHost ?? '/var/run/docker.sock'} runs kernel ${probe.kernelRelease} with IPVS`,
      dockerHost: dockerHost ?? 'unix:///var/run/docker.sock',
      nodeImage: image,
      kernelRelease: probe.kernelRelease,
      // The matrix's held lab (--repeat) hands on its kernel's pre-boot check: an engine's own kernel is not checked.
      missingSchedulers: process.env.LVS_MISSING_SCHEDULERS ? (JSON.parse(process.env.LVS_MISSING_SCHEDULERS) as LabInfo['missingSchedulers']) : undefined,
      runDir,
    },
    stop: async () => {
      await sweepLab(docker)
    },
  }
}

async function kernelLab(config: LabConfig, runDir: string, why: string): Promise<StartedLab> {
  const prepared = await prepareKernelLab(config)
  const guest = await startKernelLab(config, prepared, runDir)
  return {
    info: {
      mode: 'vm',
      reason: why,
      dockerHost: guest.dockerHost,
      nodeImage: nodeImageName(),
      kernelRelease: prepared.kernel.release,
      kernelPackage: prepared.kernel.package,
      kernelPackageVersion: prepared.kernel.packageVersion,
      kernelSeries: prepared.kernel.series,
      kernelFiles: prepared.kernel.own?.files,
      kernelImageSha256: prepared.kernel.own?.imageSha256,
      missingSchedulers: prepared.check.missingSchedulers.map((l) => ({ scheduler: l.scheduler, why: l.why })),
      accel: prepared.accel,
      memoryMiB: config.memoryMiB,
      cpus: config.cpus,
      runDir,
    },
    gone: guest.gone,
    stop: () => guest.stop(),
  }
}

/** Chooses the lab (an existing IPVS-capable engine, else the kernel lab VM), says why, starts it. */
export async function startLab(config: LabConfig, runDir: string): Promise<StartedLab> {
  await fs.mkdir(runDir, { recursive: true })
  let lab: StartedLab
  if (config.mode === 'vm') {
    lab = await kernelLab(config, runDir, 'LVS_LAB=vm asks for the kernel lab VM')
  } else {
    const existing = await tryExistingEngine(config, runDir)
    if (typeof existing !== 'string') lab = existing
    else if (config.mode === 'docker')
      throw new LabError(`LVS_LAB=docker, but ${existing}`, 'set DOCKER_HOST to an engine whose kernel has ip_vs, or unset LVS_LAB to use the kernel lab VM')
    else lab = await kernelLab(config, runDir, `${existing}, so the suite boots its own kernel`)
  }
  say(`lab: ${lab.info.mode} (${lab.info.reason}); kernel ${lab.info.kernelRelease}; Docker API ${lab.info.dockerHost}`)
  await fs.writeFile(path.join(runDir, 'lab.json'), JSON.stringify(lab.info, null, 2))
  return lab
}
