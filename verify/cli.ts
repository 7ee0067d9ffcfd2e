/**
 * `npm run verify -- <file> [--mangle iptables-save.txt] [--sysctl director-sysctl.txt] [--lint-only] [--json]`:
 * reads an `ipvsadm -S -n` file, hand-written rules or a keepalived.conf, lints it and prints what
 * the director will do with it; the report as data goes to reports/verify/<file>.json (on stdout
 * with --json). Without --lint-only the replay on a real kernel follows. Exits 0 with no error
 * finding, 1 with one, 2 on bad input (one line saying what to do, nothing started).
 */
import { parseVerifyArgs } from './args'
import { BadInput } from './bad-input'
import { replayOnLab } from './replay/replay-on-lab'
import { summaryOf } from './report/summary'
import { writeReport } from './report/write-report'
import { verifyFiles } from './verify'

try {
  const args = parseVerifyArgs(process.argv.slice(2))
  const say = (line: string) => (args.json ? console.error(line) : console.log(line))
  const verification = await verifyFiles(args, say)
  const { report } = verification
  const dataFile = writeReport(report)
  console.log(args.json ? JSON.stringify(report, null, 2) : summaryOf(report, dataFile))
  if (!args.lintOnly) await replayOnLab(verification)
  process.exit(report.counts.error > 0 ? 1 : 0)
} catch (err) {
  if (err instanceof BadInput) {
    console.error(`verify: ${err.message}`)
    process.exit(2)
  }
  throw err
}
