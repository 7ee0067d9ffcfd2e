import { spawn } from 'node:child_process'
import type { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { onInterrupt } from '../host/interrupts'
import type { LabInfo } from '../lab-info'
import { followLabOutput } from './lab-output'
import type { PhaseTiming } from './model'
import type { KernelProgress } from './progress-printer'

/** The line on which hold-lab.ts hands over the lab's facts, once the lab is up. */
export const heldLabMarker = '@@lvs-lab-up '

export interface HeldLab {
  info: LabInfo
  /** The lab's phases so far: provisioning, boot, lab ready; lab stop once stopped. */
  phases: PhaseTiming[]
  /** Why the lab is gone before it was stopped (the guest died), if it is. */
  gone(): string | undefined
  stop(): Promise<void>
}

export interface HoldSpec {
  /** LVS_KERNEL for the lab: a series name, its line, or a pinned version. */
  kernel: string
  /** A user's own kernel: its record in the cache, booted instead of LVS_KERNEL. */
  record?: string
  /** The kernel's reports folder: the lab's own files go to its lab/. */
  dir: string
  /** Force the kernel lab VM (`--kernel`); otherwise the lab chooses, as vitest's globalSetup would. */
  forceVm: boolean
  prefetched: boolean
  log: Writable
  progress: KernelProgress
  /** The script that holds the lab: hold-lab.ts; a stand-in in unit tests. */
  script?: string
}

const holdLabScript = fileURLToPath(new URL('./hold-lab.ts', import.meta.url))

/** Starts the kernel's lab in hold-lab.ts and waits until it is up; a lab that cannot start gives its one line. */
export async function holdLab(spec: HoldSpec): Promise<HeldLab | { problem: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LVS_KERNEL: spec.kernel, LVS_REPORTS_DIR: spec.dir, FORCE_COLOR: '0', NO_COLOR: '1' }
  if (spec.forceVm) env.LVS_LAB = 'vm'
  if (spec.record) env.LVS_KERNEL_RECORD = spec.record
  if (spec.prefetched) delete env.LVS_KERNEL_REFRESH
  // setpriv's parent-death signal, and stdin: if the matrix dies, the lab stops with it.
  const child = spawn('setpriv', ['--pdeathsig', 'SIGTERM', '--', process.execPath, '--import', import.meta.resolve('tsx'), spec.script ?? holdLabScript], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const forget = onInterrupt(() => child.kill('SIGTERM'))
  // A lab that died has closed its end: ending stdin then must not crash the matrix.
  child.stdin!.on('error', () => undefined)
  let exitCode: number | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      exitCode = code ?? (signal ? 128 : 1)
      forget()
      resolve()
    }),
  )
  let info: LabInfo | undefined
  let up: (() => void) | undefined
  const output = followLabOutput(child, spec.log, spec.progress, (line) => {
    if (!line.startsWith(heldLabMarker)) return false
    info = JSON.parse(line.slice(heldLabMarker.length)) as LabInfo
    up?.()
    return true
  })
  await Promise.race([exited, new Promise<void>((resolve) => (up = resolve))])
  const why = () => output.labError ?? `the lab exited with ${exitCode}`
  if (!info) return { problem: why() }
  let stopping = false
  return {
    info,
    phases: output.phases,
    gone: () => (exitCode !== undefined && !stopping ? why() : undefined),
    async stop() {
      stopping = true
      child.stdin!.end()
      const timer = setTimeout(() => child.kill('SIGTERM'), 120_000)
      await exited
      clearTimeout(timer)
    },
  }
}
