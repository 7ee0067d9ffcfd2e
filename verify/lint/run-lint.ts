import { SEVERITIES, type Finding } from './finding'
import type { LintInput } from './lint-input'
import { LINT_RULES } from './rules'

/** Every rule's findings, errors first, then by file and line. */
export function runLint(input: LintInput): Finding[] {
  const file = { rules: 0, mangle: 1, sysctl: 2 }
  return LINT_RULES.flatMap((rule) => rule.check(input)).sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || file[a.file] - file[b.file] || (a.line ?? 0) - (b.line ?? 0),
  )
}
