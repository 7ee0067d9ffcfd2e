import { killChildren } from './shell'

/**
 * Synchronous clean-ups run on SIGINT/SIGTERM and at exit: a qemu process or a half-built
 * cache entry must not outlive the run, whatever phase it was in.
 */
const cleanups = new Set<() => void>()
let installed = false

export function onInterrupt(cleanup: () => void): () => void {
  install()
  cleanups.add(cleanup)
  return () => cleanups.delete(cleanup)
}

function runAll(): void {
  killChildren()
  for (const c of [...cleanups].reverse()) {
    try {
      c()
    } catch {
      // keep going: the rest must still run
    }
  }
  cleanups.clear()
}

function install(): void {
  if (installed) return
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stdout.write(`\n[lab] ${signal}: stopping the lab\n`)
      runAll()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  process.once('exit', runAll)
}
