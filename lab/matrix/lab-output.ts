import type { ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { createInterface } from 'node:readline'
import type { PhaseTiming } from './model'
import { parsePhaseLine, parseProgressLine } from './progress-events'
import type { KernelProgress } from './progress-printer'

export interface LabOutput {
  /** The lab's phases as it printed them (lab/progress.ts). */
  phases: PhaseTiming[]
  /** The one-line reason the lab gave up (`lvs-conformance: ...`), if it did. */
  labError?: string
}

/**
 * Follows a child that starts a lab (a vitest run, or the lab held for --repeat): test markers
 * go to the progress, every other line to the log, the lab's own lines to the progress too.
 * `take` sees each stdout line first and may keep one for itself.
 */
export function followLabOutput(child: ChildProcess, log: Writable, progress: KernelProgress, take?: (line: string) => boolean): LabOutput {
  const out: LabOutput = { phases: [] }
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (take?.(line)) return
    const event = parseProgressLine(line)
    if (event) return progress.event(event)
    log.write(`${line}\n`)
    const phase = parsePhaseLine(line)
    if (phase) out.phases.push({ phase: phase.failed ? `${phase.phase} (failed)` : phase.phase, seconds: phase.seconds })
    if (line.startsWith('[lab ')) {
      const text = line.replace(/^\[lab\s+[\d.]+s\] /, '')
      progress.line(text.startsWith('lab: ') ? text : `lab: ${text}`)
    }
  })
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log.write(`${line}\n`)
    if (line.startsWith('lvs-conformance: ')) out.labError = line.slice('lvs-conformance: '.length)
  })
  return out
}
