// fixtures/transcript.ts's attachOnFailure, wired as the lab's topology tests wire it: an
// automatic per-test fixture. The failing test is declared with `fails`, so that this
// file passes; the last test checks what the two before it attached.
import { describe, expect, test as base, vi } from 'vitest'
import { attachOnFailure } from '../../fixtures/transcript'
import type { ScriptRunner } from './kernel-log'
import { transcript } from './transcript'

const attached = vi.hoisted(() => [] as { name: string; text: string }[])
vi.mock('allure-js-commons', () => ({ attachment: async (name: string, text: string) => void attached.push({ name, text }) }))

const scripts: string[] = []
const director: ScriptRunner = {
  run: async (script) => {
    scripts.push(script)
    // Booted just now: every line logged "now" is in the window.
    const uptime = 1000
    return { node: 'director', exitCode: 0, stdout: `${uptime}.00 1.00\n<3>[ ${uptime}.000000] IPVS: sh: TCP 10.0.0.10:80 - no destination available\n`, stderr: '', seconds: 0.01 }
  },
}

const test = base.extend<{ transcript: void }>({
  transcript: [
    async ({ onTestFailed }, use) => {
      attachOnFailure(onTestFailed, director)
      await use()
    },
    { auto: true },
  ],
})

const record = (script: string, exitCode: number) =>
  transcript.record({ at: Date.now(), node: 'client', script, exitCode, deadlineSeconds: 60, seconds: 0.3, stdout: `${script} said this\n` })

describe('attachOnFailure', () => {
  test('a passing test', () => record('echo passing', 0))

  test.fails('a failing test', () => {
    record('echo failing', 1)
    throw new Error('the check failed')
  })

  test("attaches the failing test's commands and kernel log, and reads nothing for the passing one", () => {
    expect(scripts).toHaveLength(1)
    expect(attached.map((a) => a.name)).toEqual(['commands sent to the nodes', 'kernel log'])
    const [commands, log] = attached.map((a) => a.text)
    expect(commands).toMatch(/^1 command sent to the nodes from \S+ to \S+;/)
    expect(commands).toMatch(/\n\+0\.0 s client exit 1 \(0\.30 s\): echo failing\n {4}echo failing said this$/)
    expect(commands).not.toContain('passing')
    expect(log).toMatch(/^read with dmesg in director;/)
    expect(log).toContain(' err    IPVS: sh: TCP 10.0.0.10:80 - no destination available')
  })
})
