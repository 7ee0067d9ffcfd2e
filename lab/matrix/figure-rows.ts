import type { Figure, KernelColumn } from './model'

/** One measured quantity across the kernels: per column, its value in each run (none: not measured there). */
export interface FigureRow {
  name: string
  /** The check that measured it, as the matrix names checks. */
  check: string
  cells: Pick<Figure, 'value' | 'unit'>[][]
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
        const row = rows.get(f.name) ?? { name: f.name, check: result.titles.at(-1) ?? result.id, cells: columns.map(() => []) }
        row.cells[i]!.push({ value: f.value, unit: f.unit })
        rows.set(f.name, row)
      }
  })
  return [...rows.values()]
}

/**
 * A cell's text: `3.41 s`, each run's value `3.41 · 3.6 · 3.52 s`, or with units that differ
 * by run (a count of a run's own total) each with its own: `1 of 3 · 0 of 6`.
 */
export function figureText(cell: Pick<Figure, 'value' | 'unit'>[]): string {
  if (!cell.length) return ''
  const units = new Set(cell.map((f) => f.unit))
  return units.size === 1 ? `${cell.map((f) => f.value).join(' · ')} ${cell[0]!.unit}` : cell.map((f) => `${f.value} ${f.unit}`).join(' · ')
}
