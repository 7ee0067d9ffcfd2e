import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { reportsDir } from '../../lab/reports-dir'
import { renderVerifyPage } from './render-verify-page'
import type { VerifyReport } from './verify-report'

/** Writes the report under reports/verify/, named after the file: as JSON, and as a page; returns their paths. */
export function writeReport(report: VerifyReport, dir = path.join(reportsDir(), 'verify')): { data: string; page: string } {
  mkdirSync(dir, { recursive: true })
  const base = path.join(dir, path.basename(report.file))
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(`${base}.html`, renderVerifyPage(report, new Date()))
  return { data: `${base}.json`, page: `${base}.html` }
}
