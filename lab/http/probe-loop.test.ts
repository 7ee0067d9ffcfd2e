import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { probeLoop } from './probe-loop'

const vip = '172.16.100.200'
const master = '02:42:ac:10:64:64'
const backup = '02:42:ac:10:64:63'

/**
 * Runs the program in the local bash as the client runs it (bash -c), with `ip` and `curl`
 * replaced by scripts that read the neighbour entry and the answering server from files: what
 * a test writes there while the run goes on is the move.
 */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'probe-loop-'))
  writeFileSync(join(dir, 'ip'), `#!/bin/sh\ncat ${dir}/neigh 2>/dev/null\n`, { mode: 0o755 })
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\n[ -s ${dir}/server ] || exit 7\necho "<h1>Welcome to nginx in $(cat ${dir}/server)</h1>"\n`, { mode: 0o755 })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const neighbour = (mac: string) => writeFileSync(join(dir, 'neigh'), `${vip} dev eth0 lladdr ${mac} REACHABLE\n`)
const answer = (server: string) => writeFileSync(join(dir, 'server'), server)

/** The run, with `setup` run in the background first (the move, in shell); its probe lines and seconds. */
function run(seconds: number, until: boolean, setup = ''): { lines: string[]; seconds: number } {
  const tag = join(dir, 'probes')
  const program = probeLoop(tag, `http://${vip}:8001/`, seconds, { intervalSeconds: 0.05, ...(until ? { until: { ip: vip, mac: backup.toUpperCase(), answered: 2 } } : {}) })
  expect(program).not.toContain("'")
  const t0 = Date.now()
  execFileSync('bash', ['-c', `${setup}\nbash -c '${program}'`], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } })
  const lines = readFileSync(tag, 'utf8').trim().split('\n')
  expect(lines.at(-1)).toBe('end')
  return { lines: lines.slice(0, -1), seconds: (Date.now() - t0) / 1000 }
}

describe('probeLoop', () => {
  it('probes for its whole time without until, a line per probe: sent, ended, server', () => {
    neighbour(master)
    answer('lvs-node-1')
    const r = run(0.6, false)
    expect(r.seconds).toBeGreaterThanOrEqual(0.6)
    expect(r.lines.length).toBeGreaterThan(2)
    for (const l of r.lines) expect(l).toMatch(/^\d{16} \d{16} lvs-node-1$/)
  })

  it('ends once the entry has moved to the target and two probes were answered through it', () => {
    neighbour(master)
    answer('lvs-node-1')
    const r = run(5, true, `(sleep 0.4; rm -f ${dir}/server; sleep 0.3; echo "${vip} dev eth0 lladdr ${backup} STALE" > ${dir}/neigh; echo lvs-node-2 > ${dir}/server) &`)
    expect(r.seconds).toBeLessThan(3)
    expect(r.lines.at(-1)).toMatch(/ lvs-node-2$/)
    expect(r.lines.at(-2)).toMatch(/ lvs-node-2$/)
    expect(r.lines.some((l) => l.endsWith(' -'))).toBe(true)
  })

  it('ends nothing early when the entry names the target from the first probe on: no move was seen', () => {
    neighbour(backup)
    answer('lvs-node-2')
    expect(run(1, true).seconds).toBeGreaterThanOrEqual(1)
  })

  it('runs its whole time when the entry moves but nothing answers through it, or nothing moves', () => {
    neighbour(master)
    answer('lvs-node-1')
    expect(run(1, true, `(sleep 0.2; rm -f ${dir}/server; echo "${vip} dev eth0 lladdr ${backup} STALE" > ${dir}/neigh) &`).seconds).toBeGreaterThanOrEqual(1)
    expect(run(1, true).seconds).toBeGreaterThanOrEqual(1)
  })
})
