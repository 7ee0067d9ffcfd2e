import type { ProgressEvent } from './progress-events'

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

const mark = { passed: '✓', failed: '✗', skipped: '–' } as const

/**
 * Progress lines for one kernel's run: the matrix's elapsed time, the kernel and its own
 * elapsed time, then what happened, with the counts so far.
 */
export class KernelProgress {
  counts = { passed: 0, failed: 0, skipped: 0 }
  /** Files that could not run, with why: they have no tests to count, so they are listed. */
  fileErrors: string[] = []
  private readonly kernelStart: number
  /** Which of several runs on this kernel the lines are about (`--repeat`). */
  private run = ''

  constructor(
    private readonly label: string,
    private readonly matrixStart: number,
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
    private readonly now: () => number = Date.now,
  ) {
    this.kernelStart = now()
  }

  line(text: string): void {
    const t = this.now()
    this.write(`[matrix ${clock(t - this.matrixStart).padStart(6)}] ${this.label} ${clock(t - this.kernelStart).padStart(6)}  ${this.run}${text}`)
  }

  /** The next run on the same kernel: its lines say which run it is, and its counts start again. */
  startRun(i: number, of: number): void {
    this.run = `run ${i}/${of}  `
    this.counts = { passed: 0, failed: 0, skipped: 0 }
    this.fileErrors = []
  }

  /** Back to lines about the kernel as a whole. */
  endRuns(): void {
    this.run = ''
  }

  event(e: ProgressEvent): void {
    if (e.event === 'file') return this.line(`${e.file} ...`)
    if (e.event === 'file-error') {
      this.fileErrors.push(`${e.file} could not run: ${e.detail}`)
      return this.line(`${e.file} ${mark.failed} could not run: ${e.detail}`)
    }
    this.counts[e.state]++
    const { passed, failed, skipped } = this.counts
    const detail = e.detail ? ` (${e.detail})` : ''
    this.line(`${e.file} ${mark[e.state]} ${e.titles.at(-1)}${detail} [${passed} passed, ${failed} failed, ${skipped} skipped]`)
  }
}
