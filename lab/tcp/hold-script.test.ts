import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseHeldConnections } from './held-connections'
import { holdScript, releaseScript } from './hold-script'

/**
 * The scripts run in the local bash under set -e, as a node's agent runs them, with `socat`
 * replaced: it writes the server named by the target's port to its OPEN file and holds, or
 * exits at once for port 1 (refused).
 */
let dir: string
let bin: string
beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'hold-bin-'))
  dir = join(bin, 'held')
  writeFileSync(
    join(bin, 'socat'),
    `#!/bin/bash
file=\${2#OPEN:}; file=\${file%%,*}; port=\${3#TCP:*:}; port=\${port%%,*}
[ "$port" = 1 ] && exit 1
: > "$file"; sleep 0.1; printf '%-31s\\n' "lvs-node-$port" > "$file"; exec sleep 30
`,
    { mode: 0o755 },
  )
})
afterEach(() => {
  execFileSync('bash', ['-c', releaseScript(dir)])
  rmSync(bin, { recursive: true, force: true })
})

const sh = (script: string) => execFileSync('bash', ['-c', `set -e\n${script}`], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' })

describe('holdScript and releaseScript', () => {
  for (const together of [false, true]) {
    it(`${together ? 'together' : 'one after the other'}: each connection named by its first line, ids going on from the last hold`, () => {
      expect(parseHeldConnections(sh(holdScript(dir, '10.0.0.1:2', 2, { together })))).toEqual([
        { id: 1, server: 'lvs-node-2', lines: 1 },
        { id: 2, server: 'lvs-node-2', lines: 1 },
      ])
      expect(parseHeldConnections(sh(holdScript(dir, '10.0.0.1:3', 1, { together })))).toEqual([{ id: 3, server: 'lvs-node-3', lines: 1 }])
    })
  }

  it('a refused connection is held as unanswered, and the hold does not wait for it', () => {
    const t0 = Date.now()
    expect(parseHeldConnections(sh(holdScript(dir, '10.0.0.1:1', 2, { together: true })))).toEqual([
      { id: 1, server: undefined, lines: 0 },
      { id: 2, server: undefined, lines: 0 },
    ])
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it('release under set -e: kills what still runs, passes over a socat already gone, removes every file', () => {
    sh(holdScript(dir, '10.0.0.1:2', 2))
    sh(holdScript(dir, '10.0.0.1:1', 1))
    sh(releaseScript(dir, [1, 3]))
    expect(readdirSync(dir).sort()).toEqual(['2', '2.pid', 'next'])
    sh(releaseScript(dir))
    expect(readdirSync(dir)).toEqual(['next'])
    expect(existsSync(join(dir, '1'))).toBe(false)
  })
})
