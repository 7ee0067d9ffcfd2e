import { describe, expect, it } from 'vitest'
import { parsePhaseLine, parseProgressLine, progressMarker, type ProgressEvent } from './progress-events'
import { KernelProgress } from './progress-printer'

describe('progress of a kernel run', () => {
  it("reads the lab's phase lines and the reporter's markers, and nothing else", () => {
    expect(parsePhaseLine('[lab   38.0s] boot 5.10.0-46-cloud-amd64 (tcg) and wait for dockerd: 27.5 s')).toEqual({
      phase: 'boot (tcg) until dockerd answers',
      seconds: 27.5,
      failed: false,
    })
    expect(parsePhaseLine('[lab  300.1s] lab ready: failed after 299.0 s')).toMatchObject({ phase: 'lab ready', failed: true })
    expect(parsePhaseLine('[lab   38.0s] lab: vm (LVS_LAB=vm asks for the kernel lab VM); kernel 5.10.0-46')).toBeUndefined()
    expect(parseProgressLine(`${progressMarker}{"event":"file","file":"suites/nat/nat.test.ts"}`)).toEqual({ event: 'file', file: 'suites/nat/nat.test.ts' })
    expect(parseProgressLine(' ✓ suites/nat/nat.test.ts')).toBeUndefined()
  })

  it('prints the kernel, the elapsed times, the test and the counts so far', () => {
    const lines: string[] = []
    let now = 1_000
    const p = new KernelProgress(
      'trixie 6.12',
      0,
      (l) => lines.push(l),
      () => now,
    )
    now = 65_000
    p.event({ event: 'test', file: 'suites/nat/nat.test.ts', titles: ['NAT', 'rr alternates'], state: 'passed' })
    p.event({ event: 'test', file: 'suites/nat/nat.test.ts', titles: ['NAT', 'twos'], state: 'skipped', detail: 'no ip_vs_twos' })
    expect(lines).toEqual([
      '[matrix   1:05] trixie 6.12   1:04  suites/nat/nat.test.ts ✓ rr alternates [1 passed, 0 failed, 0 skipped]',
      '[matrix   1:05] trixie 6.12   1:04  suites/nat/nat.test.ts – twos (no ip_vs_twos) [1 passed, 0 failed, 1 skipped]',
    ])
  })

  it('counts a file that could not run as a failure and keeps why', () => {
    const lines: string[] = []
    const p = new KernelProgress(
      'bullseye 5.10',
      0,
      (l) => lines.push(l),
      () => 0,
    )
    p.event({ event: 'file-error', file: 'suites/fwm/fwm.test.ts', detail: 'TypeError: clientAddressPool is not a function' })
    expect(p.fileErrors).toEqual(['suites/fwm/fwm.test.ts could not run: TypeError: clientAddressPool is not a function'])
    expect(lines).toEqual(['[matrix   0:00] bullseye 5.10   0:00  suites/fwm/fwm.test.ts ✗ could not run: TypeError: clientAddressPool is not a function'])
  })

  it('with --repeat, says which run each line is about, and counts each run apart', () => {
    const lines: string[] = []
    const p = new KernelProgress(
      'sid 7',
      0,
      (l) => lines.push(l),
      () => 0,
    )
    const test: ProgressEvent = { event: 'test', file: 'suites/nat/nat.test.ts', titles: ['NAT', 'rr alternates'], state: 'passed' }
    p.startRun(1, 2)
    p.event(test)
    p.startRun(2, 2)
    p.event(test)
    p.endRuns()
    p.line('done')
    expect(lines).toEqual([
      '[matrix   0:00] sid 7   0:00  run 1/2  suites/nat/nat.test.ts ✓ rr alternates [1 passed, 0 failed, 0 skipped]',
      '[matrix   0:00] sid 7   0:00  run 2/2  suites/nat/nat.test.ts ✓ rr alternates [1 passed, 0 failed, 0 skipped]',
      '[matrix   0:00] sid 7   0:00  done',
    ])
  })
})
