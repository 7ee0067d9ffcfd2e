/**
 * `npm run verify -- <file> [--mangle iptables-save.txt] [--sysctl director-sysctl.txt] [--lint-only] [--json]`:
 * reads an `ipvsadm -S -n` file, hand-written rules or a keepalived.conf, lints it and prints what
 * the director will do with it; then, unless --lint-only, replays it on a real kernel (the lab the
 * suites use, started and stopped for the run) and prints each service's checks. The report goes
 * to reports/verify/<file>.json and .html (the JSON on stdout with --json). Exits 0 with no error
 * finding and no failed check, 1 otherwise, 2 on bad input (one line saying what to do, nothing started).
 */
import { LabError } from '../lab/errors'
import { parseVerifyArgs } from './args'
import { LabSession } from './lab-session'
import { keepalivedReaders } from './read-configuration'
import { replayOnLab } from './replay/replay-on-lab'
import { replaySummaryOf } from './report/replay-summary'
import { summaryOf } from './report/summary'
import { writeReport } from './report/write-report'
import { verifyFiles } from './verify'

// one lab for the run: a keepalived.conf's reading starts it, the replay goes on on it
const session = new LabSession()
try {
  const args = parseVerifyArgs(process.argv.slice(2))
  const say = (line: string) => (args.json ? console.error(line) : console.log(line))
  const verification = await verifyFiles(args, say, keepalivedReaders(session)).finally(() => (args.lintOnly ? session.stop() : undefined))
  const { report } = verification
  if (!args.json) console.log(summaryOf(report))
  if (!args.lintOnly) {
    // the lab prints its progress on stdout (lab/progress.ts): with --json stdout holds the JSON alone
    const stdout = process.stdout.write.bind(process.stdout)
    if (args.json) process.stdout.write = process.stderr.write.bind(process.stderr)
    try {
      report.replay = await replayOnLab(verification, say, session)
    } finally {
      process.stdout.write = stdout
    }
    if (!args.json) console.log(`\n${replaySummaryOf(report.replay)}`)
  }
  const written = writeReport(report)
  console.log(args.json ? JSON.stringify(report, null, 2) : `data: ${written.data}\npage: ${written.page}`)
  process.exit(report.counts.error > 0 || (report.replay?.failed ?? 0) > 0 ? 1 : 0)
} catch (err) {
  await session.stop().catch(() => undefined)
  // BadInput, and the lab's own one-line errors (no engine, no cache, a host tool missing)
  if (err instanceof LabError) {
    console.error(`verify: ${err.message}`)
    process.exit(2)
  }
  throw err
}
