/** One soft lockup report of the guest kernel's watchdog. */
export interface Lockup {
  cpu: number
  seconds: number
  /** `comm:pid` of the task the CPU was running. */
  task: string
}

// kernel/watchdog.c, watchdog_timer_fn(): pr_emerg("BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]").
const report = /watchdog: BUG: soft lockup - CPU#(\d+) stuck for (\d+)s! \[(.+?)\]/

export function parseLockup(line: string): Lockup | undefined {
  const m = report.exec(line)
  return m ? { cpu: Number(m[1]), seconds: Number(m[2]), task: m[3] } : undefined
}

/**
 * The watchdog reports a CPU once it has not scheduled for 2 x watchdog_thresh (20 s by default),
 * then again each further period while it stays stuck (update_report_ts() in kernel/watchdog.c).
 * A report of 40 s or more is that second one: the CPU did not recover. A lone first report can
 * be the host starving the emulated CPU; it is noted, not acted on.
 */
export const wedgedAfterSeconds = 40

/** Follows the guest console: says once, in one line, when the guest's kernel has locked up for good. */
export class LockupWatch {
  private readonly latest = new Map<number, Lockup>()
  private said = false

  /** The reason, the first time a line shows the kernel wedged; undefined otherwise. */
  feed(line: string): string | undefined {
    const lockup = parseLockup(line)
    if (!lockup) return undefined
    this.latest.set(lockup.cpu, lockup)
    if (this.said || lockup.seconds < wedgedAfterSeconds) return undefined
    this.said = true
    const cpus = [...this.latest.values()].sort((a, b) => a.cpu - b.cpu).map((l) => `CPU#${l.cpu} in ${l.task} for ${l.seconds} s`)
    return `the guest kernel locked up (soft lockup: ${cpus.join(', ')})`
  }
}
