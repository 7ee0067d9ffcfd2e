import { $, type ProcessPromise } from 'zx'

/**
 * The one way the lab runs host commands. Every child is remembered so that an interrupt
 * can end them all (see host/interrupts.ts) and nothing keeps running after the lab stops.
 */
const running = new Set<ProcessPromise>()

const quiet = $({ quiet: true, verbose: false })

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
    try {
      p.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}
