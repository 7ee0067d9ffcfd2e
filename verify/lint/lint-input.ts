import type { MangleTable } from '../mangle/parse-mangle'
import type { RulesTable } from '../rules/rules-table'
import type { Sysctls } from '../sysctl/parse-sysctl'

/** Everything a lint rule may look at: the director's table, and the files that came with it. */
export interface LintInput {
  table: RulesTable
  /** Absent without --mangle: rules about marks then say they could not look. */
  mangle?: MangleTable
  /** Absent without --sysctl: the kernel's defaults are assumed. */
  sysctl?: Sysctls
}
