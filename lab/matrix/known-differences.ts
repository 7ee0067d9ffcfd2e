import type { KnownDifference } from './registry'

/** The twos check and its negative control, by name: the control skips wherever its check cannot run. */
const twosBlock = 'schedulers: the rule of each one, on a NAT service with three real servers > twos: the less loaded of two random picks'
export const twosCheck = `${twosBlock} > twos: a server holding 4 open connections gets a new one only when both picks land on it`
export const twosControl = `${twosBlock} > negative control: rr in the same scenario: the avoid-the-loaded check fails`

/**
 * Where a check is expected to come out differently on some kernels, and why. A cell that
 * differs from its row and is not listed here fails the matrix; one listed here is shown
 * with its reason. `check` is a check's full name (`file > describe > test`), its name
 * without the file, or a pattern, or a list of them; `kernels` are series or kernel lines.
 */
export const knownDifferences: KnownDifference[] = [
  {
    // By exact name, not a pattern: a rename makes the rows unregistered and fails the matrix, never silently widens.
    check: [twosCheck, twosControl],
    kernels: ['bullseye', 'bookworm'],
    outcome: 'skipped',
    // Seen in the packages themselves: only the 6.12 and newer kernels ship ip_vs_twos.ko.
    reason: 'no ip_vs_twos module: the random twos choice scheduler is newer than Linux 6.1 (Debian 5.10 and 6.1 kernels do not ship it)',
  },
]
