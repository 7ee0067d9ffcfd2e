import type { KnownDifference } from './registry'

/**
 * Where a check is expected to come out differently on some kernels, and why. A cell that
 * differs from its row and is not listed here fails the matrix; one listed here is shown
 * with its reason. `check` is a check's full name (`file > describe > test`), its name
 * without the file, or a pattern; `kernels` are series or kernel lines.
 */
export const knownDifferences: KnownDifference[] = [
  {
    // A test whose own name says twos: not the rr negative control beside it, which runs everywhere.
    check: /\btwos\b[^>]*$/i,
    kernels: ['bullseye', 'bookworm'],
    outcome: 'skipped',
    // Seen in the packages themselves: only the 6.12 and newer kernels ship ip_vs_twos.ko.
    reason: 'no ip_vs_twos module: the random twos choice scheduler is newer than Linux 6.1 (Debian 5.10 and 6.1 kernels do not ship it)',
  },
]
