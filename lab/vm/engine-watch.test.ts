import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stallDiagnosis, watchEngine } from './engine-watch'

describe('watchEngine', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  /** Runs the watch over a sequence of answers (true: answered) and returns what it said. */
  async function run(answers: boolean[], misses = 3) {
    const stalls: number[] = []
    let asked = 0
    const stop = watchEngine({
      everyMs: 30_000,
      misses,
      probe: async () => {
        const ok = answers[asked++] ?? true
        if (!ok) throw new Error('no answer')
      },
      onStall: (s) => stalls.push(s),
    })
    for (let i = 0; i < answers.length + 2; i++) await vi.advanceTimersByTimeAsync(30_000)
    stop()
    return { stalls, asked }
  }

  it('says nothing while the engine answers, or misses fewer times in a row than allowed', async () => {
    expect((await run([true, false, false, true, false, false, true])).stalls).toEqual([])
  })

  it('says once, after the misses in a row, how long the engine has not answered, and stops asking', async () => {
    const r = await run([true, false, false, false, false, false])
    expect(r.stalls).toEqual([60])
    expect(r.asked).toBe(4)
  })

  it('asks nothing more once stopped', async () => {
    let asked = 0
    const stop = watchEngine({ everyMs: 1000, misses: 1, probe: async () => void asked++, onStall: () => undefined })
    await vi.advanceTimersByTimeAsync(2500)
    stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(asked).toBe(2)
  })
})

describe('stallDiagnosis', () => {
  it("names libnetwork's deadlock when dockerd's goroutines wait in both of its functions", () => {
    expect(stallDiagnosis(['dockerd goroutines=412 lock-waits=37 in: processEndpointDelete getSvcRecords sbLeave', 'blocked tasks:'])).toBe(
      'dockerd deadlocked in libnetwork (processEndpointDelete against getSvcRecords, moby/libnetwork#2649)',
    )
  })

  it("otherwise counts dockerd's lock waits and names the tasks the kernel holds", () => {
    expect(stallDiagnosis(['dockerd goroutines=300 lock-waits=12 in: sbLeave', 'blocked tasks: runc kworker/u4:2'])).toBe(
      'dockerd has 300 goroutines, 12 of them waiting on a lock; tasks blocked in the kernel: runc kworker/u4:2',
    )
    expect(stallDiagnosis(['dockerd goroutines= lock-waits= in:', 'blocked tasks:'])).toBe('no goroutine dump from dockerd')
  })

  it('says so when the guest does not answer at all', () => {
    expect(stallDiagnosis([])).toBe('the guest did not answer on its console either (its CPUs or its disk stopped)')
  })
})
