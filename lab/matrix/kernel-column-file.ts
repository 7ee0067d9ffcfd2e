import fs from 'node:fs/promises'
import path from 'node:path'
import { LabError } from '../errors'
import type { KernelColumn } from './model'

/**
 * `column.json` in a kernel's reports folder: everything the matrix needs about that kernel, so
 * that `--merge` can build the matrix from folders made by other jobs or machines. Links are
 * stored relative to the folder itself and re-rooted when read, wherever the folder was moved.
 */
export const columnFile = 'column.json'
const format = 'lvs-conformance kernel column 1'

interface ColumnRecord {
  format: typeof format
  column: KernelColumn
}

/** A link relative to `from` made relative to `to`; the fragment (`#/<test>`) kept as it is. */
function reroot(link: string | undefined, from: string, to: string): string | undefined {
  if (link === undefined) return undefined
  const hash = link.indexOf('#')
  const [file, fragment] = hash < 0 ? [link, ''] : [link.slice(0, hash), link.slice(hash)]
  return `${path.relative(to, path.resolve(from, file)).split(path.sep).join('/')}${fragment}`
}

function rerootColumn(c: KernelColumn, from: string, to: string): KernelColumn {
  return {
    ...c,
    report: reroot(c.report, from, to),
    log: reroot(c.log, from, to),
    results: c.results.map((r) => ({ ...r, evidence: reroot(r.evidence, from, to) })),
  }
}

/** Writes the column (its links relative to `reportsRoot`) into `dir`, its links made relative to `dir`. */
export async function writeKernelColumn(dir: string, column: KernelColumn, reportsRoot: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  const record: ColumnRecord = { format, column: rerootColumn(column, reportsRoot, dir) }
  const file = path.join(dir, columnFile)
  // Written whole or not at all: a job killed mid-write must not leave half a column.
  await fs.writeFile(`${file}.tmp-${process.pid}`, `${JSON.stringify(record, null, 2)}\n`)
  await fs.rename(`${file}.tmp-${process.pid}`, file)
}

const notResults = (dir: string, why: string) =>
  new LabError(`${dir} is not a kernel's results (${why})`, 'give --merge the reports/kernels/<series>/ folders that npm run conformance left')

/** The column a kernel's folder holds, its links made relative to `reportsRoot`; a folder without one is refused. */
export async function readKernelColumn(dir: string, reportsRoot: string): Promise<KernelColumn> {
  let text: string
  try {
    text = await fs.readFile(path.join(dir, columnFile), 'utf8')
  } catch {
    throw notResults(dir, (await fs.stat(dir).catch(() => undefined))?.isDirectory() ? `no ${columnFile}` : 'no such folder')
  }
  let record: Partial<ColumnRecord>
  try {
    record = JSON.parse(text) as Partial<ColumnRecord>
  } catch {
    throw notResults(dir, `${columnFile} is not JSON`)
  }
  const c = record.column
  if (record.format !== format || !c || typeof c.series !== 'string' || !Array.isArray(c.results) || !Array.isArray(c.timings)) {
    throw notResults(dir, `${columnFile} is not a kernel column of this version of the suite`)
  }
  return rerootColumn(c, path.resolve(dir), reportsRoot)
}
