/**
 * `npm run conformance`: the lab suites on a real kernel, then the HTML report. Exits with
 * the suites' status, so a failed check fails the command even though the report is written.
 */
import { spawnSync } from 'node:child_process'
import { generateReport } from '../report/generate'

const args = ['vitest', 'run', '--project', 'suites', ...process.argv.slice(2)]
const run = spawnSync('npx', args, { stdio: 'inherit' })
try {
  console.log(`report: ${await generateReport()}`)
} catch (err) {
  console.error(`lvs-conformance: ${(err as Error).message}`)
}
process.exit(run.status ?? 1)
