import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { onInterrupt } from '../host/interrupts'
import type { LabInfo } from '../lab-info'
import { followLabOutput } from './lab-output'
import type { PhaseTiming } from './model'
import type { KernelProgress } from './progress-printer'

export interface KernelRunSpec {
  /** LVS_KERNEL for the run: a series name, its line, or a pinned version. */
  kernel: string
  /** A user's own kernel: its record in the cache, booted instead of LVS_KERNEL. */
  record?: string
  /** This kernel's reports folder (LVS_REPORTS_DIR of the run). */
  dir: string
  /** Force the kernel lab VM: a chosen kernel cannot come from someone's Docker engine. */
  forceVm: boolean
  /** The lab the matrix holds up for this kernel (`--repeat`): the run uses its engine instead of booting its own. */
  dockerHost?: string
  /** ... and what its pre-boot check found missing: the run's engine is that lab, whose kernel it cannot check itself. */
  missingSchedulers?: LabInfo['missingSchedulers']
  /** The held lab's kernel (`uname -r`), booted and checked by the matrix: the run need not probe the engine for IPVS. */
  heldKernel?: string
  /** The matrix already resolved and downloaded this kernel (and refreshed it if asked). */
  prefetched: boolean
  vitestArgs: string[]
  progress: KernelProgress
}

export interface KernelRunOutcome {
  exitCode: number
  /** The lab's phases as it printed them (lab/progress.ts). */
  phases: PhaseTiming[]
  /** The one-line reason the lab gave up (`lvs-conformance: ...`), if it did. */
  labError?: string
  seconds: number
  log: string
}

/** The lab's own phases in a run that are not the suites: what is left of the run is the suites' time. */
export const labOverhead = (phases: PhaseTiming[]) => phases.filter((p) => /^lab (ready|stop)\b/.test(p.phase)).reduce((s, p) => s + p.seconds, 0)

const vitestBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')

/**
 * One kernel's `vitest run --project suites` in a child process with its own LVS_KERNEL and
 * reports folder. Its full output goes to run.log; lab phases and test progress are echoed.
 */
export async function runKernel(spec: KernelRunSpec): Promise<KernelRunOutcome> {
  const t0 = Date.now()
  // Results of an earlier run (or an earlier --repeat's runs) must not pass for this one's if this one writes none.
  for (const stale of ['vitest.json', 'skips.json', 'junit.xml', 'html', 'lab', 'runs']) await fs.rm(path.join(spec.dir, stale), { recursive: true, force: true })
  await fs.mkdir(spec.dir, { recursive: true })
  const log = path.join(spec.dir, 'run.log')
  const logStream = createWriteStream(log)
  const env: NodeJS.ProcessEnv = { ...process.env, LVS_KERNEL: spec.kernel, LVS_REPORTS_DIR: spec.dir, LVS_PROGRESS: '1', FORCE_COLOR: '0', NO_COLOR: '1' }
  if (spec.forceVm) env.LVS_LAB = 'vm'
  if (spec.record) env.LVS_KERNEL_RECORD = spec.record
  if (spec.dockerHost) Object.assign(env, { LVS_LAB: 'docker', DOCKER_HOST: spec.dockerHost })
  if (spec.missingSchedulers) env.LVS_MISSING_SCHEDULERS = JSON.stringify(spec.missingSchedulers)
  if (spec.heldKernel) env.LVS_HELD_KERNEL = spec.heldKernel
  // One look-up per kernel and run: the guest uses what the matrix fetched before the first boot.
  if (spec.prefetched) delete env.LVS_KERNEL_REFRESH
  // setpriv's parent-death signal: if the matrix dies hard, the run (and through it its qemu) stops too.
  const child = spawn('setpriv', ['--pdeathsig', 'SIGTERM', '--', process.execPath, vitestBin, 'run', '--project', 'suites', ...spec.vitestArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const forget = onInterrupt(() => child.kill('SIGTERM'))
  const output = followLabOutput(child, logStream, spec.progress)

  const exitCode = await new Promise<number>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))))
  forget()
  await new Promise<void>((resolve) => logStream.end(resolve))
  return { exitCode, phases: output.phases, labError: output.labError, seconds: (Date.now() - t0) / 1000, log }
}
