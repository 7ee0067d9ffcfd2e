/**
 * The lab kernel's messages in a window of host time, read from inside a node: dmesg in a
 * privileged container reads the kernel the containers share (the guest's, in the VM lab;
 * the engine's, with LVS_LAB=docker). The guest console file is no substitute: the guest
 * boots with `quiet`, so only errors reach it, and its stamps are guest uptime with nothing
 * to tie them to host time.
 *
 * Uptime, not the guest's wall clock, ties the lines to host time: the script reads
 * /proc/uptime in the same round trip as the log, and the host knows when that round trip
 * ran, so the windows agree with the transcript's (host) times within half a round trip,
 * however the guest's clock was set or has drifted under emulation.
 */

/** Runs a script in a node: what LabNode.run does. */
export interface ScriptRunner {
  run(script: string, timeoutMs?: number): Promise<{ node: string; exitCode: number; stdout: string; stderr: string; seconds: number }>
}

export interface KernelLine {
  /** Host wall clock, ms since the epoch. */
  at: number
  /** As the kernel stamped it: seconds since boot. */
  uptime: number
  level: string
  text: string
}

export interface KernelLogWindow {
  lines: KernelLine[]
  /** How far off the times may be: half the round trip. */
  uncertaintySeconds: number
  /** When the oldest line the kernel still holds was logged (its ring buffer wraps). */
  oldest?: number
  node: string
}

export const kernelLogScript = 'cat /proc/uptime\ndmesg -r'

const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug']

/**
 * Parses what kernelLogScript printed: /proc/uptime, then `<prio>[  uptime] text` lines
 * (a line without the prefix continues the message before it). `readAt` is the host time
 * at which the uptime was read.
 */
export function parseKernelLog(text: string, readAt: number): KernelLine[] {
  const [first, ...rest] = text.split('\n')
  const uptime = Number(first.split(' ')[0])
  if (!Number.isFinite(uptime)) throw new Error(`no uptime at the start of the kernel log: ${first.slice(0, 80)}`)
  const bootAt = readAt - uptime * 1000
  const lines: KernelLine[] = []
  for (const l of rest) {
    const m = /^<(\d+)>\[\s*(\d+\.\d+)\] ?(.*)$/.exec(l)
    if (m) lines.push({ at: bootAt + Number(m[2]) * 1000, uptime: Number(m[2]), level: levels[Number(m[1]) % 8], text: m[3] })
    else if (l !== '' && lines.length > 0) lines[lines.length - 1].text += `\n${l}`
  }
  return lines
}

/** The lines logged from `start` to `end`, widened by `slackMs` each side. */
export function inWindow(lines: KernelLine[], start: number, end: number, slackMs = 0): KernelLine[] {
  return lines.filter((l) => l.at >= start - slackMs && l.at <= end + slackMs)
}

/**
 * The kernel's lines from `start` to `end` (and `slackMs` either side), in one round trip
 * to `node`. Gives up after `timeoutMs`, counting the wait behind the node's other scripts.
 */
export async function readKernelLog(node: ScriptRunner, start: Date, end: Date, { slackMs = 1000, timeoutMs = 20_000 } = {}): Promise<KernelLogWindow> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no kernel log within ${timeoutMs / 1000} s`)), timeoutMs)
  })
  try {
    const r = await Promise.race([node.run(kernelLogScript, timeoutMs), late])
    if (r.exitCode !== 0) throw new Error(`dmesg in ${r.node} exited ${r.exitCode}: ${r.stderr.trim().split('\n').slice(-1)[0]}`)
    // The round trip ended now and took r.seconds (not counting its wait in the queue).
    const back = Date.now()
    const lines = parseKernelLog(r.stdout, back - (r.seconds * 1000) / 2)
    return { lines: inWindow(lines, start.getTime(), end.getTime(), slackMs), uncertaintySeconds: r.seconds / 2, oldest: lines[0]?.at, node: r.node }
  } finally {
    clearTimeout(timer)
  }
}

/** The window as text, one line a message, its time in seconds from `t0` (the test's start) like the transcript's. */
export function formatKernelLog(w: KernelLogWindow, t0: number): string {
  const rel = (at: number) => `${at >= t0 ? '+' : ''}${((at - t0) / 1000).toFixed(1)} s`
  const out = [`read with dmesg in ${w.node}; times from the test's start, ±${w.uncertaintySeconds.toFixed(2)} s`]
  if (w.oldest !== undefined && w.oldest > t0) out.push(`(the kernel no longer holds lines before ${rel(w.oldest)}: its ring buffer wrapped)`)
  if (w.lines.length === 0) out.push('no kernel messages in the window')
  for (const l of w.lines) out.push(...`${rel(l.at)} ${l.level.padEnd(6)} ${l.text}`.split('\n').map((x, i) => (i === 0 ? x : `    ${x}`)))
  return out.join('\n')
}
