import type { KnownDifference } from './registry'

/** The twos check and its negative control, by name: the control skips wherever its check cannot run. */
const twosBlock = 'schedulers: the rule of each one, on a NAT service with three real servers > twos: the less loaded of two random picks'
export const twosCheck = `${twosBlock} > twos: a server holding 4 open connections gets a new one only when both picks land on it`
export const twosControl = `${twosBlock} > negative control: rr in the same scenario: the avoid-the-loaded check fails`

/** The run_estimation checks and their controls, by name: they skip where the kernel has no such knob. */
const estimationBlock = 'the documented IPVS sysctls (Documentation/networking/ipvs-sysctl.rst) > run_estimation: the rate estimator on and off'
const estimationControls = `${estimationBlock} > negative controls: each value is the other one’s control`
export const runEstimationChecks = [
  `${estimationBlock} > run_estimation=1 (the default): --rate rises while traffic flows`,
  `${estimationBlock} > run_estimation=0: --rate stays 0 while traffic flows`,
  `${estimationControls} > at 0 the rate-rises check fails`,
  `${estimationControls} > at 1 the rate-stays-0 check fails`,
]

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
  {
    check: runEstimationChecks,
    kernels: ['bullseye'],
    outcome: 'skipped',
    // From the kernel's history, not yet seen on the 5.10 lab: commit 2232642ec3fb, merged for 5.16.
    reason: 'no net.ipv4.vs.run_estimation: the knob that turns the rate estimator off came with Linux 5.16 (commit 2232642ec3fb)',
  },
]
