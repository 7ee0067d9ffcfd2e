import type { Verdict } from '../../checks/verdict'
import { BadInput } from '../bad-input'
import type { Finding } from '../lint/finding'
import type { LintInput } from '../lint/lint-input'
import type { Reading } from '../read-configuration'

/** What the replay starts from: the file as read and linted. */
export interface ReplayInput {
  reading: Reading
  input: LintInput
  findings: Finding[]
}

/** Each replayed check's verdict, with the suites' shape (checks/verdict.ts). */
export interface ReplayResult {
  verdicts: Verdict[]
}

/**
 * The file replayed on a real kernel in the lab the suites use (issue 13, section 3): a topology
 * built from the table, the director holding exactly these rules (ipvsadm -R, or keepalived
 * --check for a keepalived.conf), the mangle rules and sysctls applied, each service checked with
 * the suites' check functions, and the save/restore round trip compared with the input. The
 * command calls it unless --lint-only; it is not built yet.
 */
export async function replayOnLab(_replay: ReplayInput): Promise<ReplayResult> {
  throw new BadInput('the replay on a real kernel is not built yet', 'run with --lint-only for the lint alone')
}
