import type { VerifyArgs } from './args'
import { lintInputFromFiles } from './lint-input-from-files'
import { runLint } from './lint/run-lint'
import { readConfiguration, type KeepalivedReaders } from './read-configuration'
import { readInputFile } from './read-input-file'
import type { ReplayInput } from './replay/replay-on-lab'
import { buildReport, type VerifyReport } from './report/verify-report'

/** A file read and linted: what the replay starts from, and the report so far. */
export interface Verification extends ReplayInput {
  report: VerifyReport
}

/**
 * Reads and lints the file with its companions, the way `npm run verify` does, up to the report;
 * every problem with the input is a BadInput. `say` gets the lines the user must see even when
 * the reading stops short (which keepalived read the file).
 */
export async function verifyFiles(args: VerifyArgs, say: (line: string) => void, readers?: KeepalivedReaders): Promise<Verification> {
  const start = process.hrtime.bigint()
  const text = readInputFile(args.file, 'file to verify')
  // the companions first: a bad mangle or sysctl file stops the run before keepalived is started
  const companions = lintInputFromFiles(args)
  const reading = await readConfiguration(args.file, text, say, readers)
  const input = { ...companions, table: reading.table }
  const findings = runLint(input)
  const texts = { rules: text, mangle: args.mangle === undefined ? undefined : readInputFile(args.mangle, 'mangle file') }
  return { reading, input, findings, texts, report: buildReport(args, reading, input, findings, Number(process.hrtime.bigint() - start) / 1e9) }
}
