import fs from 'node:fs/promises'
import path from 'node:path'
import { buildMatrix } from './build-matrix'
import { knownDifferences } from './known-differences'
import { countMatrix } from './matrix-counts'
import type { KernelColumn, Matrix } from './model'
import type { KnownDifference } from './registry'
import { renderMatrixPage } from './render-page'

export interface MatrixRun {
  matrix: Matrix
  page: string
}

/**
 * The one way the matrix is built and written, for a local run and for `--merge` alike: the
 * columns (links relative to `reportsRoot`) against the known-differences registry, then
 * matrix.html and matrix.json in `reportsRoot`.
 */
export async function writeMatrix(columns: KernelColumn[], reportsRoot: string, registry: KnownDifference[] = knownDifferences): Promise<MatrixRun> {
  const matrix = buildMatrix(columns, registry)
  const page = path.join(reportsRoot, 'matrix.html')
  await fs.mkdir(reportsRoot, { recursive: true })
  await fs.writeFile(page, renderMatrixPage(matrix, registry, new Date()))
  const record = {
    generatedAt: new Date().toISOString(),
    failed: matrix.failed,
    problems: matrix.problems,
    counts: countMatrix(matrix),
    columns: columns.map(({ results, ...c }) => ({ ...c, checks: results.length })),
    rows: matrix.rows,
  }
  await fs.writeFile(path.join(reportsRoot, 'matrix.json'), `${JSON.stringify(record, null, 2)}\n`)
  return { matrix, page }
}
