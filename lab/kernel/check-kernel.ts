import path from 'node:path'
import { LabError } from '../errors'
import { coreNeeds, schedulerNeed, schedulers, type KernelNeed, type Scheduler } from './kernel-needs'

/** What a kernel package holds, as far as the suites care. */
export interface KernelContents {
  /** `uname -r`: the name of its modules folder. */
  release: string
  /** Paths of its module files (`.../ip_vs.ko`, compressed or not). */
  modules: string[]
  /** The lines of its modules.builtin, where it ships one. */
  builtin?: string[]
  /** Its config file (`/boot/config-<release>`, or `config` in the modules folder), where it ships one. */
  config?: string
}

/** A need the kernel does not meet, with how that shows in the package. */
export interface Lack extends KernelNeed {
  why: string
}

export interface KernelCheck {
  release: string
  /** Missing pieces no suite can run without. */
  missing: Lack[]
  /** Schedulers the kernel lacks: only their checks can run into it (they skip with the reason). */
  missingSchedulers: (Lack & { scheduler: Scheduler })[]
  /** Whether a config file was read, or only which modules the package ships. */
  configRead: boolean
}

/** `net/netfilter/ipvs/ip_vs_rr.ko.xz` -> `ip_vs_rr`; the kernel treats `-` and `_` in a module name alike. */
const moduleName = (file: string) =>
  path
    .basename(file)
    .replace(/\.ko(\.(xz|zst|gz))?$/, '')
    .replace(/-/g, '_')

function parseConfig(text: string): Map<string, string> {
  const options = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line.trim())
    if (m) options.set(m[1], m[2])
  }
  return options
}

/** Checks a kernel's modules (and config, where it has one) for what the suites need; pure, over captured data. */
export function checkKernel(contents: KernelContents): KernelCheck {
  const shipped = new Set([...contents.modules.filter((f) => /\.ko(\.(xz|zst|gz))?$/.test(f)), ...(contents.builtin ?? [])].map(moduleName))
  const config = contents.config === undefined ? undefined : parseConfig(contents.config)
  const lack = (need: KernelNeed): string | undefined => {
    const value = config?.get(need.config)
    if (value === 'y' || shipped.has(need.module)) return undefined
    if (value === 'm') return `${need.config}=m but no ${need.module} module in the package`
    return config ? `${need.config} is not set` : `no ${need.module} module in the package`
  }
  const missing = coreNeeds.flatMap((need) => {
    const why = lack(need)
    return why ? [{ ...need, why }] : []
  })
  const missingSchedulers = schedulers.flatMap((scheduler) => {
    const need = schedulerNeed(scheduler)
    const why = lack(need)
    return why ? [{ ...need, scheduler, why }] : []
  })
  return { release: contents.release, missing, missingSchedulers, configRead: config !== undefined }
}

/** What to do about the missing options: an archive kernel is replaced, a user's own is rebuilt. */
export const archiveRemedy = (options: string) => `give --kernel a kernel built with ${options} (=m or =y)`
export const ownRemedy = (options: string) => `build the kernel with ${options} (=m or =y), or give another one`

/** A kernel without what every suite needs stops here, before its initramfs is built or it boots. */
export function refuseIncomplete(check: KernelCheck, kernel: string, remedy = archiveRemedy): void {
  if (check.missing.length === 0) return
  throw new LabError(
    `${kernel} (${check.release}) lacks what the suites need: ${check.missing.map((l) => `${l.module} for ${l.what} (${l.why})`).join('; ')}`,
    remedy(check.missing.map((l) => l.config).join(', ')),
  )
}

/** One line about the schedulers a kernel lacks, or none. */
export function describeMissingSchedulers(check: KernelCheck, kernel: string): string | undefined {
  const lacks = check.missingSchedulers
  if (lacks.length === 0) return undefined
  const one = lacks.length === 1
  return `${kernel} lacks the scheduler${one ? '' : 's'} ${lacks.map((l) => `${l.scheduler} (${l.why})`).join(', ')}: only ${one ? 'its' : 'their'} checks can skip`
}
