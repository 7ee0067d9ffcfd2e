import { $, type ProcessPromise } from 'zx'

/**
 * The one way the lab runs host commands. Each runs in its own process group and is
 * remembered, so that an interrupt can kill it with everything it started (debootstrap's
 * dpkg, apt's methods) synchronously, before the process exits (see host/interrupts.ts).
 */
const running = new Set<ProcessPromise>()

const quiet = $({ quiet: true, verbose: false, detached: true })

export function sh(pieces: TemplateStringsArray, ...args: unknown[]): ProcessPromise {
  const p = quiet(pieces, ...(args as never[]))
  running.add(p)
  void p.then(
    () => running.delete(p),
    () => running.delete(p),
  )
  return p
}

export function killChildren(): void {
  for (const p of running) {
    const pid = p.child?.pid
    if (!pid) continue
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // the group is already gone
    }
  }
  running.clear()
}
