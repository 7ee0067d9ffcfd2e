import { describe, expect, it } from 'vitest'
import { formatTranscript, scriptHead, scriptTitle, Transcript } from './transcript'

const t0 = Date.parse('2025-01-01T12:00:00Z')
const command = { node: 'director', deadlineSeconds: 60, seconds: 0.28 }

describe('the command transcript', () => {
  it('keeps what was sent after a mark, and only that', () => {
    const t = new Transcript()
    t.record({ ...command, at: t0, script: 'before', exitCode: 0 })
    const mark = t.mark()
    t.record({ ...command, at: t0 + 1, script: 'first', exitCode: 0 })
    t.record({ ...command, at: t0 + 2, script: 'second', exitCode: 1 })
    expect(t.since(mark)).toMatchObject({ entries: [{ script: 'first' }, { script: 'second' }], dropped: 0 })
    expect(t.since(t.mark())).toEqual({ entries: [], dropped: 0 })
  })

  it("stays bounded, and says how many of a test's commands it no longer holds", () => {
    const t = new Transcript(3)
    const mark = t.mark()
    for (let i = 1; i <= 5; i++) t.record({ ...command, at: t0 + i, script: `c${i}`, exitCode: 0, stdout: 'x'.repeat(5000) })
    const { entries, dropped } = t.since(mark)
    expect(entries.map((e) => e.script)).toEqual(['c3', 'c4', 'c5'])
    expect(dropped).toBe(2)
    expect(entries[0].stdout).toHaveLength(400)
    expect(entries[0].stdoutLength).toBe(5000)
  })

  it('shows a script by its first lines, without the set -e that LabNode.sh adds', () => {
    expect(scriptTitle('set -e\n\n  ipvsadm -L -n\nipvsadm -Z')).toBe('ipvsadm -L -n')
    const long = ['set -e', ...Array.from({ length: 9 }, (_, i) => `line ${i + 1}`)].join('\n')
    expect(scriptHead(long).split('\n')).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', '… (3 more lines)'])
    expect(scriptHead('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`)
  })

  it('formats one block a command: start, node, outcome, duration, script, then its output indented', () => {
    const t = new Transcript()
    const mark = t.mark()
    t.record({
      ...command,
      at: t0 + 12_300,
      script: 'set -e\nipvsadm -L -n',
      exitCode: 0,
      stdout: 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n',
    })
    t.record({
      node: 'client',
      at: t0 + 13_050,
      script: 'curl -s http://10.0.0.10/\necho done',
      exitCode: 7,
      seconds: 1.5,
      deadlineSeconds: 30,
      stderr: 'curl: (7) Failed to connect\n',
    })
    t.record({ node: 'rs1', at: t0 + 20_000, script: 'sleep 99', exitCode: 124, deadlinePassed: true, seconds: 2.01, deadlineSeconds: 2 })
    t.record({ node: 'rs2', at: t0 + 25_000, script: 'true', seconds: 7, deadlineSeconds: 2, error: 'the agent of rs2 went away' })
    t.record({ ...command, at: t0 + 26_000, script: 'cat big', exitCode: 0, stdout: 'y'.repeat(1000) })
    const { entries, dropped } = t.since(mark)
    expect(formatTranscript(entries, t0, dropped)).toBe(
      [
        '+12.3 s director exit 0 (0.28 s): ipvsadm -L -n',
        '    IP Virtual Server version 1.2.1 (size=4096)',
        '    Prot LocalAddress:Port Scheduler Flags',
        '+13.1 s client exit 7 (1.50 s): curl -s http://10.0.0.10/',
        '    > echo done',
        '    ! curl: (7) Failed to connect',
        '+20.0 s rs1 killed at its 2 s deadline (2.01 s): sleep 99',
        '+25.0 s rs2 no answer (the agent of rs2 went away) (7.00 s): true',
        '+26.0 s director exit 0 (0.28 s): cat big',
        `    ${'y'.repeat(400)}`,
        '    … (600 more characters)',
      ].join('\n'),
    )
  })

  it('says so when commands of the test were dropped', () => {
    expect(formatTranscript([], t0, 4)).toBe('(4 earlier commands are no longer kept)')
  })
})
