/**
 * Watches the lab's Docker engine from the host, for the failure a test cannot see as such: a
 * dockerd that deadlocks (remove-containers.ts names the one seen) answers no network call
 * again, so every test after it waits out its own timeout and a run of a few minutes' work
 * overruns CI's limit. Once the engine has missed `misses` answers in a row the watch stops and
 * says so; the guest is then stopped (guest.ts), and the tests still to run fail at once.
 */
export interface EngineWatchOptions {
  /** One question to the engine: resolves if it answered in time, rejects otherwise. */
  probe: () => Promise<void>
  everyMs: number
  misses: number
  /** Called once, with how long the engine has not answered. */
  onStall: (seconds: number) => void
}

/** Starts the watch; the function it returns ends it. */
export function watchEngine(o: EngineWatchOptions): () => void {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let missed = 0
  let since = 0
  const tick = async () => {
    const asked = Date.now()
    try {
      await o.probe()
      missed = 0
    } catch {
      if (missed++ === 0) since = asked
    }
    if (stopped) return
    if (missed >= o.misses) {
      stopped = true
      o.onStall(Math.round((Date.now() - since) / 1000))
      return
    }
    timer = setTimeout(() => void tick(), o.everyMs)
    timer.unref()
  }
  timer = setTimeout(() => void tick(), o.everyMs)
  timer.unref()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

/**
 * What the guest's stall report (guest-init.sh, "lab: stall ..." lines) says the engine is stuck
 * on, in a few words for the run's one line.
 */
export function stallDiagnosis(report: string[]): string {
  if (report.length === 0) return 'the guest did not answer on its console either (its CPUs or its disk stopped)'
  const dockerd = report.find((l) => l.startsWith('dockerd '))
  const tasks = report
    .find((l) => l.startsWith('blocked tasks:'))
    ?.slice('blocked tasks:'.length)
    .trim()
  const inFns = dockerd?.split(' in:')[1]?.trim().split(/\s+/).filter(Boolean) ?? []
  const blocked = tasks ? `; tasks blocked in the kernel: ${tasks}` : ''
  if (inFns.includes('processEndpointDelete') && inFns.includes('getSvcRecords'))
    return `dockerd deadlocked in libnetwork (processEndpointDelete against getSvcRecords, moby/libnetwork#2649)${blocked}`
  const counts = /goroutines=(\d*) lock-waits=(\d*)/.exec(dockerd ?? '')
  const waits = counts && counts[1] ? `dockerd has ${counts[1]} goroutines, ${counts[2] || 0} of them waiting on a lock` : 'no goroutine dump from dockerd'
  return `${waits}${blocked}`
}
