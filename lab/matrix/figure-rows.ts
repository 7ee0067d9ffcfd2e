import type { KernelColumn } from './model'

/** One measured quantity across the kernels: per column, its value in each run (none: not measured there). */
export interface FigureRow {
  name: string
  unit: string
  /** The check that measured it, as the matrix names checks. */
  check: string
  values: number[][]
}

/**
 * The figures of every column as rows, in the order the checks and their figures first appear:
 * a figure is known by its name, so the same quantity lines up across kernels.
 */
export function figureRows(columns: KernelColumn[]): FigureRow[] {
  const rows = new Map<string, FigureRow>()
  columns.forEach((column, i) => {
    for (const result of column.results)
      for (const f of result.figures ?? []) {
        const row = rows.get(f.name) ?? { name: f.name, unit: f.unit, check: result.titles.at(-1) ?? result.id, values: columns.map(() => []) }
        row.values[i]!.push(f.value)
        rows.set(f.name, row)
      }
  })
  return [...rows.values()]
}

/** A cell's text: `3.41 s`, or each run's value, `3.41 · 3.6 · 3.52 s`; a count `of 10` reads `0 of 10`. */
export function figureText(values: number[], unit: string): string {
  return values.length ? `${values.join(' · ')} ${unit}` : ''
}
