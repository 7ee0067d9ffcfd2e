/** Writes the single-file HTML report from the Allure results of the last run. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { LabInfo } from '../lab-info'
import { sh } from '../host/shell'
import { reportsDir } from '../reports-dir'
import { environmentProperties } from './environment'

/** `reports` is the run's reports folder; `name` titles the report (the matrix names the kernel). */
export async function generateReport(reports = reportsDir(), name = 'LVS conformance'): Promise<string> {
  const results = path.join(reports, 'allure-results')
  await fs.access(results).catch(() => {
    throw new Error(`no test results in ${results}: run \`npm test\` or \`npm run conformance\` first`)
  })
  const labJson = await fs.readFile(path.join(reports, 'lab', 'lab.json'), 'utf8').catch(() => undefined)
  if (labJson) {
    const info = JSON.parse(labJson) as LabInfo
    const ipvsadm = await fs.readFile(path.join(reports, 'lab', 'ipvsadm-version.txt'), 'utf8').catch(() => undefined)
    await fs.writeFile(path.join(results, 'environment.properties'), `${environmentProperties(info, ipvsadm?.trim())}\n`)
  }
  await sh`npx allure generate ${results} -o ${path.join(reports, 'html')} --report-name ${name}`
  const html = path.join(reports, 'html', 'index.html')
  await fs.access(html)
  return html
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateReport().then(
    (html) => console.log(`report: ${html}`),
    (err: Error) => {
      console.error(`lvs-conformance: ${err.message}`)
      process.exit(1)
    },
  )
}
