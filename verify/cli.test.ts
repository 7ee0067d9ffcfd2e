import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('..', import.meta.url).pathname
const reports = mkdtempSync(path.join(tmpdir(), 'verify-cli-'))

/** `npm run verify -- ...` as a user runs it, with the report written to a scratch directory. */
function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(root, 'node_modules/.bin/tsx'), ['verify/cli.ts', ...args], { cwd: root, env: { ...process.env, LVS_REPORTS_DIR: reports } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    )
  })
}

const tooMany = path.join(reports, 'eleven.rules')
writeFileSync(tooMany, ['-A -t 10.0.0.1:80 -s rr', ...Array.from({ length: 11 }, (_, i) => `-a -t 10.0.0.1:80 -r 10.0.1.${i + 1}:80 -m`)].join('\n'))

describe('npm run verify', () => {
  it('exits 0 without an error finding, 1 with one, and writes the report as data', async () => {
    const [good, broken] = await Promise.all([verify('examples/nat.save', '--lint-only'), verify('examples/broken.rules', '--mangle', 'examples/broken.mangle', '--lint-only')])
    expect(good).toMatchObject({ code: 0, stderr: '' })
    expect(good.stdout).toMatch(/^verify examples\/nat\.save: ipvsadm rules, 1 service, 2 real servers/)
    expect(broken.code).toBe(1)
    const data = JSON.parse(readFileSync(path.join(reports, 'verify', 'broken.rules.json'), 'utf8'))
    expect(data.counts.error).toBeGreaterThan(0)
    expect(data.findings[0]).toMatchObject({ severity: 'error', file: 'rules', line: expect.any(Number), wire: expect.any(String), todo: expect.any(String) })
  }, 30_000)

  it.each([
    ['an unreadable file', ['examples/no-such.rules', '--lint-only'], 'verify: cannot read file to verify examples/no-such.rules (no such file): pass a readable file to verify'],
    [
      'a mangle file that is not iptables-save output',
      ['examples/nat.save', '--mangle', 'examples/nat.save', '--lint-only'],
      /^verify: examples\/nat\.save line 1 is not iptables-save output/,
    ],
    [
      'a replay with more real servers than the lab holds (nothing is started)',
      [tooMany],
      'verify: the file has 11 real servers, and the lab holds at most 10 (one container each): replay a part of the file, or run with --lint-only',
    ],
  ])(
    'exits 2 with one line on %s',
    async (_what, args, line) => {
      const r = await verify(...args)
      expect(r.code).toBe(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(line)
    },
    30_000,
  )
})
