/** Progress lines and phase timings, printed as the lab works so a long first run is never silent. */
const started = Date.now()

export function say(line: string): void {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6)
  process.stdout.write(`[lab ${t}s] ${line}\n`)
}

export interface PhaseTiming {
  phase: string
  seconds: number
}

const timings: PhaseTiming[] = []

/** Runs one named phase, prints its duration and keeps it for the summary. */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now()
  say(`${name} ...`)
  let ok = false
  try {
    const result = await work()
    ok = true
    return result
  } finally {
    const seconds = (Date.now() - t0) / 1000
    timings.push({ phase: name, seconds })
    say(ok ? `${name}: ${seconds.toFixed(1)} s` : `${name}: failed after ${seconds.toFixed(1)} s`)
  }
}

export function phaseTimings(): PhaseTiming[] {
  return [...timings]
}
