import path from 'node:path'
import { LabError } from '../errors'
import { readKernelColumn } from './kernel-column-file'
import type { KnownDifference } from './registry'
import { writeMatrix, type MatrixRun } from './write-matrix'

/**
 * `--merge DIR...`: the matrix from kernels' result folders made anywhere (other CI jobs, other
 * machines). Every folder is read and checked before anything is written: one that is not a
 * kernel's results, or a second folder for a kernel already given, stops the merge.
 */
export async function mergeMatrix(dirs: string[], reportsRoot: string, registry?: KnownDifference[]): Promise<MatrixRun> {
  const columns = await Promise.all(dirs.map((d) => readKernelColumn(d, reportsRoot)))
  const first = new Map<string, string>()
  columns.forEach((c, i) => {
    const earlier = first.get(c.series)
    if (earlier !== undefined) throw new LabError(`${dirs[i]} and ${earlier} are both results of ${c.series}`, `give --merge one folder per kernel`)
    first.set(c.series, dirs[i])
  })
  return writeMatrix(columns, path.resolve(reportsRoot), registry)
}
