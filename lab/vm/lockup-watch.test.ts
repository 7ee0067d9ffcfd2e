import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LockupWatch, parseLockup } from './lockup-watch'

// The console of a 6.1 guest that wedged while the NAT topology's containers started (both CPUs in runc).
const console61 = readFileSync(new URL('./__fixtures__/console-soft-lockup-6.1.txt', import.meta.url), 'utf8').split('\n')

describe('LockupWatch', () => {
  it('reads a watchdog report', () => {
    expect(parseLockup('[   44.844941] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [runc:321]')).toEqual({ cpu: 0, seconds: 22, task: 'runc:321' })
    expect(parseLockup('lab: dockerd ready at 12.28s')).toBeUndefined()
  })

  it('says the guest is wedged at the first report past 40 s, naming every stuck CPU, and only once', () => {
    const watch = new LockupWatch()
    const said = console61.map((line) => watch.feed(line))
    expect(said.filter(Boolean)).toEqual(['the guest kernel locked up (soft lockup: CPU#0 in runc:321 for 48 s, CPU#1 in runc:323 for 22 s)'])
    expect(console61[said.findIndex(Boolean)]).toContain('CPU#0 stuck for 48s')
  })

  it('lets a lone first report pass: a CPU the host starved for 22 s that then recovers', () => {
    const watch = new LockupWatch()
    expect(
      console61
        .slice(0, 6)
        .map((line) => watch.feed(line))
        .filter(Boolean),
    ).toEqual([])
  })
})
