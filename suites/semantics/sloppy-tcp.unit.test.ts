import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { clientEntry, describeSloppyRun, entryFromMidStream, noEntryWithoutSyn, type SloppyRun } from './sloppy-tcp'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

const client = '192.168.100.1'

/**
 * One run as sloppyRun reads it: the director's -Lnc while the connection was open, then `@@gone` (ms until its
 * entry was gone); the client's two lines, then `@@log` and its shell's errors; the director's -Lnc after the
 * second line.
 */
function sloppyAt(knob: number, port: number): SloppyRun {
  const where = { port, client }
  const idle = lab(`sloppy-${knob}-idle-6.1.txt`)
  const [beforeText = ''] = idle.split('@@waiting\n')
  const gone = /^@@gone (\S+)$/m.exec(idle)?.[1]
  const [out = '', log = ''] = lab(`sloppy-${knob}-client-6.1.txt`).split('@@log\n')
  const line = (tag: string) => /^(\S+) (.+)$/m.exec(out.split('\n').find((l) => l.startsWith(`${tag} `)) ?? '')?.[2]
  return {
    knob,
    firstEcho: line('first'),
    entryBefore: clientEntry(beforeText, where),
    entryGoneAfter: gone === undefined || gone === 'never' ? undefined : Number(gone) / 1000,
    secondEcho: line('second'),
    reset: /reset by peer/i.test(log),
    entryAfter: clientEntry(lab(`sloppy-${knob}-after-6.1.txt`), where),
  }
}

describe('sloppy_tcp (the director’s -Lnc and the client’s echoes on the 6.1 lab, tcp timeout 3 s)', () => {
  const run0 = sloppyAt(0, 8005)
  const run1 = sloppyAt(1, 8006)

  it('reads the client’s entry on the service port: ESTABLISHED to the echo endpoint while open, gone after 3 s idle', () => {
    expect(run0.entryBefore).toMatchObject({ state: 'ESTABLISHED', expiresInSeconds: 2, source: { port: 51394 }, destination: { address: '172.16.100.11', port: 7000 } })
    expect(run0.entryGoneAfter).toBeCloseTo(3.03, 2)
    expect(run1.entryBefore?.source.port).toBe(36128)
    expect(clientEntry(lab('sloppy-1-idle-6.1.txt').split('@@waiting\n')[0]!, { port: 8005, client })).toBeUndefined()
    expect(clientEntry(lab('sloppy-1-after-6.1.txt'), { port: 8006, client: '192.168.100.2' })).toBeUndefined()
  })

  it('after the mid-stream segment: at 0 no entry, at 1 an ESTABLISHED one for the same connection (client port 36128)', () => {
    expect(run0.entryAfter).toBeUndefined()
    expect(run1.entryAfter).toMatchObject({ state: 'ESTABLISHED', source: { address: client, port: 36128 }, destination: { address: '172.16.100.11', port: 7000 } })
  })

  it('the runs rebuilt from the fixtures read as the lab’s runs did (what the run saw)', () => {
    expect(describeSloppyRun(run0)).toBe(lab('sloppy-0-run-6.1.txt'))
    expect(describeSloppyRun(run1)).toBe(lab('sloppy-1-run-6.1.txt'))
  })

  it('at 0 the segment makes no entry and the client is reset, and the carries-on check fails', () => {
    expect(passed(noEntryWithoutSyn(run0))).toBe(true)
    expect(entryFromMidStream(run0).failures).toEqual(['the segment created no entry', 'the line sent after the entry expired was not echoed (the connection was reset)'])
  })

  it('at 1 the segment is scheduled and the second line echoed, and the makes-none check fails', () => {
    expect(passed(entryFromMidStream(run1))).toBe(true)
    expect(noEntryWithoutSyn(run1).failures).toEqual([
      'the segment created an entry (ESTABLISHED to 172.16.100.11:7000, expires in 2 s)',
      'the line sent after the entry expired was echoed (two)',
    ])
  })

  it('an entry that never expired proves nothing: both checks fail; so does a new entry not ESTABLISHED', () => {
    for (const run of [run0, run1]) {
      expect(passed(noEntryWithoutSyn({ ...run, entryGoneAfter: undefined }))).toBe(false)
      expect(passed(entryFromMidStream({ ...run, entryGoneAfter: undefined }))).toBe(false)
    }
    expect(entryFromMidStream({ ...run1, entryAfter: { ...run1.entryAfter!, state: 'SYN_RECV' } }).failures).toEqual(['the new entry is SYN_RECV, not ESTABLISHED'])
  })
})
