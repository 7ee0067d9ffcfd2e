import os from 'node:os'
import path from 'node:path'
import { LabError } from './errors'

export type LabMode = 'auto' | 'docker' | 'vm'

/** Everything a user can set about the lab, read once from the environment. */
export interface LabConfig {
  mode: LabMode
  /** Debian series of the guest kernel (bookworm, trixie, ...) or an exact kernel package. */
  kernel: string
  /** A user's own kernel already in the cache (`--kernel-file`, `--kernel-image`): its record, booted instead of `kernel`. */
  kernelRecord?: string
  cacheDir: string
  /** Fixed loopback port for the guest's Docker API; 0 picks a free one. */
  port: number
  memoryMiB: number
  cpus: number
  bootTimeoutSeconds: number
  mirror: string
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new LabError(`${name}=${raw} is not a whole number`, `unset it or give e.g. ${name}=${fallback}`)
  return n
}

export function readLabConfig(env: NodeJS.ProcessEnv = process.env): LabConfig {
  const mode = (env.LVS_LAB ?? 'auto') as LabMode
  if (!['auto', 'docker', 'vm'].includes(mode)) {
    throw new LabError(`LVS_LAB=${mode} is not a lab mode`, 'use LVS_LAB=docker (an existing engine), LVS_LAB=vm (the kernel lab VM) or leave it unset')
  }
  const cacheHome = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return {
    mode,
    kernel: env.LVS_KERNEL || 'bookworm',
    kernelRecord: env.LVS_KERNEL_RECORD || undefined,
    cacheDir: path.resolve(env.LVS_CACHE_DIR || path.join(cacheHome, 'lvs-conformance')),
    port: int(env, 'LVS_LAB_PORT', 0),
    memoryMiB: int(env, 'LVS_VM_MEMORY', 2048),
    cpus: int(env, 'LVS_VM_CPUS', 2),
    bootTimeoutSeconds: int(env, 'LVS_BOOT_TIMEOUT', 300),
    mirror: env.LVS_DEBIAN_MIRROR || 'http://deb.debian.org/debian',
  }
}
