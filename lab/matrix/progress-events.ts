/** What a kernel's vitest run tells the matrix as it goes: one marker line per file and per test. */
export type ProgressEvent =
  | { event: 'file'; file: string }
  | { event: 'test'; file: string; titles: string[]; state: 'passed' | 'failed' | 'skipped'; detail?: string }
  /** A file that could not run at all (it failed to load, or a hook outside every test failed). */
  | { event: 'file-error'; file: string; detail: string }

export const progressMarker = '@@lvs-progress '

export function parseProgressLine(line: string): ProgressEvent | undefined {
  if (!line.startsWith(progressMarker)) return undefined
  try {
    return JSON.parse(line.slice(progressMarker.length)) as ProgressEvent
  } catch {
    return undefined
  }
}

/** A lab phase finished: `[lab   12.3s] boot ... and wait for dockerd: 17.2 s` (lab/progress.ts). */
export function parsePhaseLine(line: string): { phase: string; seconds: number; failed: boolean } | undefined {
  const m = /^\[lab\s+[\d.]+s\] (.+?): (failed after )?(\d+(?:\.\d+)?) s$/.exec(line)
  // The boot phase names its kernel; the matrix compares it across kernels under one name.
  const phase = m?.[1].replace(/^boot \S+ \((\w+)\) and wait for dockerd$/, 'boot ($1) until dockerd answers')
  return m ? { phase: phase!, seconds: Number(m[3]), failed: Boolean(m[2]) } : undefined
}
