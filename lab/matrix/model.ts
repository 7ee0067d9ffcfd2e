/** The matrix's data: what each kernel's run produced, and the rows built from them. */

export type Outcome = 'passed' | 'failed' | 'skipped'

/** How many of a kernel's runs (`--repeat`) had each outcome for one check. */
export interface RunTally {
  passed: number
  failed: number
  skipped: number
}

/**
 * A quantity a check measured, as the test reported it (`fixtures/figures.ts`): a failover's
 * seconds, connections lost of 10. One per run; the matrix shows them side by side per kernel.
 */
export interface Figure {
  name: string
  value: number
  unit: string
}

/** One check's result on one kernel. */
export interface CheckResult {
  /** `file > describe > ... > test`: the same on every kernel. */
  id: string
  file: string
  titles: string[]
  outcome: Outcome
  /** Why it was skipped (`ctx.skip(note)`), when the test said. */
  note?: string
  /** The first line of the failure. */
  failure?: string
  /** Link to the evidence, relative to the reports folder. */
  evidence?: string
  /** Over every run of the kernel, when it ran more than once; runs that disagree make the check flaky. */
  tally?: RunTally
  /** What it measured, one entry per figure and run, in run order. */
  figures?: Figure[]
}

export interface PhaseTiming {
  phase: string
  seconds: number
}

/** What is known about the kernel a column ran on, from the lab's own record. */
export interface KernelIdentity {
  package?: string
  packageVersion?: string
  release: string
  /** A user's own kernel: the files it was given as, and the sha256 of its image. */
  files?: string[]
  imageSha256?: string
  labMode: string
  accel?: string
}

/** One kernel of the matrix: ran (with results), or could not be fetched or booted. */
export interface KernelColumn {
  series: string
  line: string
  /** The version --kernel named (`6.1.192-3`), when it named one; absent: the newest kernel of the series. */
  pinned?: string
  state: 'ran' | 'fetch-failed' | 'lab-failed'
  /** The one line that says what went wrong, for a kernel that did not run. */
  problem?: string
  kernel?: KernelIdentity
  /** Links relative to the reports folder. */
  report?: string
  log?: string
  results: CheckResult[]
  /** Test files that could not run on this kernel, one line each. */
  fileErrors?: string[]
  /** How many times the suites ran on this kernel (`--repeat`); absent means once. */
  runs?: number
  /** Runs that wrote no results or where the lab went away, one line each. */
  runProblems?: string[]
  timings: PhaseTiming[]
  seconds: number
}

export type CellState = Outcome | 'flaky' | 'known' | 'unexpected' | 'missing' | 'no-kernel'

export interface Cell {
  series: string
  state: CellState
  /** The outcome seen, when the check ran on that kernel. */
  outcome?: Outcome
  /** Differs from the row without being registered. */
  differs: boolean
  /** Skip note, registered reason, failure line or why the kernel did not run. */
  reason?: string
  href?: string
  /** Per outcome, over the kernel's runs, when it ran more than once. */
  tally?: RunTally
  /** How many times the kernel ran the suites, when more than once. */
  runs?: number
}

export interface Row {
  id: string
  file: string
  titles: string[]
  cells: Cell[]
  verdict: 'passed' | 'failed' | 'skipped' | 'flaky' | 'differs'
}

export interface Matrix {
  columns: KernelColumn[]
  rows: Row[]
  failed: boolean
  /** Why the matrix failed, one line each. */
  problems: string[]
}
