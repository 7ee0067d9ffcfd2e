import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { heardAwk, statsFile, waitHeard } from './vrrp-stats'

/** keepalived 2.2.7's stats of a backup that heard six adverts (SIGUSR2 on the 6.1 lab). */
const heard = readFileSync(path.join(__dirname, '__fixtures__', 'stats-backup-heard-6.1.txt'), 'utf8')
const asInstance = (text: string, name: string) => text.replace('VRRP Instance: VI_51', `VRRP Instance: ${name}`)
const withReceived = (text: string, n: number) => text.replace('    Received: 6', `    Received: ${n}`)

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vrrp-stats-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The awk's exit status on a stats text. */
function awkStatus(text: string | undefined, instances: string[]): number {
  const file = path.join(dir, 'stats')
  if (text !== undefined) writeFileSync(file, text)
  try {
    execFileSync('bash', ['-c', `${heardAwk(instances)} ${file} 2>/dev/null`])
    return 0
  } catch (e) {
    return (e as { status: number }).status
  }
}

describe('heardAwk on keepalived 2.2.7 stats', () => {
  it('passes a backup that received adverts and never became master', () => {
    expect(awkStatus(heard, ['VI_51'])).toBe(0)
    expect(awkStatus(heard + asInstance(heard, 'VI_52'), ['VI_51', 'VI_52'])).toBe(0)
  })

  it('says not heard (1) for no advert received, or a turn as master', () => {
    expect(awkStatus(withReceived(heard, 0), ['VI_51'])).toBe(1)
    expect(awkStatus(heard.replace('  Became master: 0', '  Became master: 1'), ['VI_51'])).toBe(1)
    expect(awkStatus(heard + asInstance(withReceived(heard, 0), 'VI_52'), ['VI_51', 'VI_52'])).toBe(1)
  })

  it('says not yet (2) while the file is missing, cut short, or lacks an instance', () => {
    expect(awkStatus(undefined, ['VI_51'])).toBe(2)
    expect(awkStatus(heard.slice(0, heard.indexOf('  Priority Zero:')), ['VI_51'])).toBe(2)
    expect(awkStatus(heard, ['VI_51', 'VI_52'])).toBe(2)
  })
})

describe('waitHeard', () => {
  /** The wait in bash under set -e, keepalived taken for alive, the stats file written by `askStats` after `delay`. */
  function run(stats: string, { delay = 0, backup = 'true', limitSeconds = 2 } = {}): { status: number; err: string; seconds: number } {
    const source = path.join(dir, 'source')
    writeFileSync(source, stats)
    const script = waitHeard(['VI_51'], { inBackup: backup, askStats: `(sleep ${delay}; cp ${source} ${statsFile}) &`, logFile: '/dev/null', limitSeconds })
    const t0 = Date.now()
    try {
      execFileSync('bash', ['-c', `set -e\nalive() { true; }\n${script}`], { encoding: 'utf8', stdio: 'pipe' })
      return { status: 0, err: '', seconds: (Date.now() - t0) / 1000 }
    } catch (e) {
      const err = e as { status: number; stderr: string }
      return { status: err.status, err: err.stderr, seconds: (Date.now() - t0) / 1000 }
    }
  }

  it('returns as soon as the stats, written a moment after the signal, say heard; and removes them', () => {
    const r = run(heard, { delay: 0.3 })
    expect(r.status).toBe(0)
    expect(r.seconds).toBeLessThan(1.5)
    expect(() => readFileSync(statsFile)).toThrow()
  })

  it('fails at its limit, with the stats, when no advert was received', () => {
    const r = run(withReceived(heard, 0))
    expect(r.status).toBe(1)
    expect(r.err).toMatch(/^keepalived did not hear the master as BACKUP within 2 s \(VI_51\):\n[\s\S]*Received: 0/)
  })

  it('fails at its limit when keepalived is not BACKUP, whatever the stats say', () => {
    const r = run(heard, { backup: 'false' })
    expect(r.status).toBe(1)
    expect(r.seconds).toBeGreaterThanOrEqual(2)
  })
})
