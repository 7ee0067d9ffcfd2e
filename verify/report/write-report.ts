import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { reportsDir } from '../../lab/reports-dir'
import type { VerifyReport } from './verify-report'

/** Writes the report as JSON under reports/verify/, named after the file; returns its path. */
export function writeReport(report: VerifyReport, dir = path.join(reportsDir(), 'verify')): string {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${path.basename(report.file)}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}
