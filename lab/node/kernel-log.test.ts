import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { formatKernelLog, inWindow, kernelLogScript, parseKernelLog, readKernelLog, type ScriptRunner } from './kernel-log'

// What kernelLogScript prints in a lab node: /proc/uptime, then dmesg -r.
const sample = `300.00 580.12
<5>[    0.000000] Linux version 6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org)
<6>[   12.104211] IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)
<6>[  245.500000] br-5a1f0c2d: port 2(veth3c1e2b1) entered forwarding state
<3>[  245.872010] IPVS: ovf: TCP 192.168.100.6:8011 - no destination available
<4>[  250.000000] ------------[ cut here ]------------
 WARNING: CPU: 1 PID: 812 at net/netfilter/ipvs/ip_vs_conn.c:123
<6>[  296.574480] IPVS: mh: TCP 192.168.100.6:8025 - no destination available
`
// The uptime was read at readAt: boot was 300 s before it.
const readAt = Date.parse('2025-01-01T12:05:00Z')
const boot = readAt - 300_000

describe('the kernel log of a window', () => {
  it('ties each line to host time through the uptime read in the same round trip', () => {
    const lines = parseKernelLog(sample, readAt)
    expect(lines).toHaveLength(6)
    expect(lines[0]).toEqual({ at: boot, uptime: 0, level: 'notice', text: 'Linux version 6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org)' })
    expect(lines[3]).toMatchObject({ at: boot + 245_872.01, level: 'err', text: 'IPVS: ovf: TCP 192.168.100.6:8011 - no destination available' })
    // a line without the prefix continues the message before it
    expect(lines[4].text).toBe('------------[ cut here ]------------\n WARNING: CPU: 1 PID: 812 at net/netfilter/ipvs/ip_vs_conn.c:123')
  })

  it('keeps the lines of the window, widened by the slack', () => {
    const lines = parseKernelLog(sample, readAt)
    const texts = (start: number, end: number, slack = 0) => inWindow(lines, boot + start * 1000, boot + end * 1000, slack).map((l) => l.uptime)
    expect(texts(245, 251)).toEqual([245.5, 245.87201, 250])
    expect(texts(245.6, 249.9)).toEqual([245.87201])
    expect(texts(245.6, 249.9, 200)).toEqual([245.5, 245.87201, 250])
    expect(texts(297, 299)).toEqual([])
  })

  it('refuses output that does not start with the uptime', () => {
    expect(() => parseKernelLog('dmesg: read kernel buffer failed: Operation not permitted\n', readAt)).toThrow(/no uptime/)
  })

  it('reads the window in one round trip and formats it against the test start', async () => {
    const scripts: string[] = []
    // The answer comes now; the round trip took 0.4 s, so the uptime was read 0.2 s ago.
    const node: ScriptRunner = {
      run: async (script) => (scripts.push(script), { node: 'director', exitCode: 0, stdout: sample, stderr: '', seconds: 0.4 }),
    }
    const now = Date.now()
    const bootNow = now - 200 - 300_000
    const start = new Date(bootNow + 245_000)
    const w = await readKernelLog(node, start, new Date(bootNow + 251_000), { slackMs: 0 })
    expect(scripts).toEqual([kernelLogScript])
    expect(w.uncertaintySeconds).toBe(0.2)
    expect(w.lines.map((l) => l.uptime)).toEqual([245.5, 245.87201, 250])
    for (const l of w.lines) expect(Math.abs(l.at - (bootNow + l.uptime * 1000))).toBeLessThan(50)
    // Fixed times from here on: the text does not depend on when the test ran.
    const fixed = { ...w, lines: w.lines.map((l) => ({ ...l, at: boot + l.uptime * 1000 })), oldest: boot }
    expect(formatKernelLog(fixed, boot + 245_000)).toBe(
      [
        "read with dmesg in director; times from the test's start, ±0.20 s",
        '+0.5 s info   br-5a1f0c2d: port 2(veth3c1e2b1) entered forwarding state',
        '+0.9 s err    IPVS: ovf: TCP 192.168.100.6:8011 - no destination available',
        '+5.0 s warn   ------------[ cut here ]------------',
        '     WARNING: CPU: 1 PID: 812 at net/netfilter/ipvs/ip_vs_conn.c:123',
      ].join('\n'),
    )
  })

  it('says when the ring buffer no longer reaches back to the test start, or holds nothing for it', () => {
    const text = formatKernelLog({ node: 'director', lines: [], uncertaintySeconds: 0.1, oldest: boot + 10_000 }, boot)
    expect(text.split('\n').slice(1)).toEqual(['(the kernel no longer holds lines before +10.0 s: its ring buffer wrapped)', 'no kernel messages in the window'])
  })

  it('gives up on a node that does not answer, and on a dmesg that failed', async () => {
    const silent: ScriptRunner = { run: () => new Promise(() => undefined) }
    await expect(readKernelLog(silent, new Date(), new Date(), { timeoutMs: 100 })).rejects.toThrow('no kernel log within 0.1 s')
    const refused: ScriptRunner = {
      run: async () => ({ node: 'client', exitCode: 1, stdout: '1.00 1.00\n', stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n', seconds: 0.1 }),
    }
    await expect(readKernelLog(refused, new Date(), new Date())).rejects.toThrow('dmesg in client exited 1: dmesg: read kernel buffer failed: Operation not permitted')
  })

  // The same script, here: util-linux 2.38 (bookworm's) prints what the parser expects.
  const local = (() => {
    try {
      return execFileSync('bash', ['-c', kernelLogScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    } catch {
      return undefined
    }
  })()
  it.skipIf(!local)('parses what dmesg -r prints on this machine', () => {
    const lines = parseKernelLog(local!, Date.now())
    expect(lines.length).toBeGreaterThan(0)
    expect(local!.split('\n').filter((l) => /^<\d+>\[/.test(l)).length).toBe(lines.length)
  })
})
