/**
 * Every script sent to a lab node, kept so that a failed test's report can show what the
 * nodes were asked and what they said, in order. One log per process (a vitest worker runs
 * one test file at a time); a test takes a mark when it starts and reads `since(mark)`.
 */

/** One script sent to a node, trimmed to what a reader needs. */
export interface TranscriptEntry {
  /** Counts up over the process; marks are compared with it. */
  seq: number
  /** When the script was sent (host wall clock, ms since the epoch). */
  at: number
  node: string
  /** Its first lines (see scriptHead). */
  script: string
  /** Absent when no answer came (then `error` says why). */
  exitCode?: number
  /** The agent killed it at its deadline. */
  deadlinePassed: boolean
  deadlineSeconds: number
  seconds: number
  /** The start of each; `…Length` is the whole length, to say how much was cut. */
  stdout: string
  stdoutLength: number
  stderr: string
  stderrLength: number
  error?: string
}

export interface CommandRecord {
  at: number
  node: string
  script: string
  exitCode?: number
  deadlinePassed?: boolean
  deadlineSeconds: number
  seconds: number
  stdout?: string
  stderr?: string
  error?: string
}

const outputChars = 400
const scriptLines = 6
const lineChars = 200

/**
 * A script's first lines, without the `set -e` that LabNode.sh puts first and without
 * leading blank lines; long lines and long scripts cut, saying how much.
 */
export function scriptHead(script: string, maxLines = scriptLines): string {
  const lines = script
    .replace(/^set -e\n/, '')
    .trim()
    .split('\n')
  const head = lines.slice(0, maxLines).map((l) => (l.length > lineChars ? `${l.slice(0, lineChars)}…` : l))
  if (lines.length > maxLines) head.push(`… (${lines.length - maxLines} more lines)`)
  return head.join('\n')
}

/** The first line a reader would recognise a script by. */
export function scriptTitle(script: string): string {
  return scriptHead(script, 1).split('\n')[0]
}

export class Transcript {
  private entries: TranscriptEntry[] = []
  private seq = 0

  /** Memory stays bounded: past `limit` entries the oldest go. */
  constructor(private readonly limit = 2000) {}

  mark(): number {
    return this.seq
  }

  record(c: CommandRecord): void {
    this.entries.push({
      seq: ++this.seq,
      at: c.at,
      node: c.node,
      script: scriptHead(c.script),
      exitCode: c.exitCode,
      deadlinePassed: c.deadlinePassed ?? false,
      deadlineSeconds: c.deadlineSeconds,
      seconds: c.seconds,
      stdout: (c.stdout ?? '').slice(0, outputChars),
      stdoutLength: (c.stdout ?? '').length,
      stderr: (c.stderr ?? '').slice(0, outputChars),
      stderrLength: (c.stderr ?? '').length,
      error: c.error,
    })
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit)
  }

  /** The entries recorded after a mark, and how many of them are no longer kept. */
  since(mark: number): { entries: TranscriptEntry[]; dropped: number } {
    const entries = this.entries.filter((e) => e.seq > mark)
    const first = entries[0]?.seq ?? this.seq + 1
    return { entries, dropped: Math.max(0, first - mark - 1) }
  }
}

/** The process's transcript: AgentSession records every command in it. */
export const transcript = new Transcript()

const indent = (text: string, prefix: string) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${prefix}${l}`)

function cut(text: string, length: number): string[] {
  return length > text.length ? [`… (${length - text.length} more characters)`] : []
}

function outcome(e: TranscriptEntry): string {
  if (e.deadlinePassed) return `killed at its ${e.deadlineSeconds} s deadline`
  if (e.exitCode === undefined) return `no answer (${e.error ?? 'unknown'})`
  return `exit ${e.exitCode}`
}

/**
 * The entries as text, one block a command: a line with its start (seconds from `t0`),
 * node, outcome, duration and first script line; then, indented, the rest of the script
 * ("> "), the start of its stdout, and of its stderr ("! ").
 */
export function formatTranscript(entries: TranscriptEntry[], t0: number, dropped = 0): string {
  const out: string[] = []
  if (dropped > 0) out.push(`(${dropped} earlier commands are no longer kept)`)
  for (const e of entries) {
    const [first, ...rest] = e.script.split('\n')
    const start = ((e.at - t0) / 1000).toFixed(1)
    out.push(`+${start} s ${e.node} ${outcome(e)} (${e.seconds.toFixed(2)} s): ${first}`)
    for (const l of rest) out.push(`    > ${l}`)
    if (e.stdout) out.push(...indent(e.stdout, '    '), ...cut(e.stdout, e.stdoutLength).map((l) => `    ${l}`))
    if (e.stderr) out.push(...indent(e.stderr, '    ! '), ...cut(e.stderr, e.stderrLength).map((l) => `    ! ${l}`))
  }
  return out.join('\n')
}
