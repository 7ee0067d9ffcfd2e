import type { Finding } from './finding'
import type { LintInput } from './lint-input'

/** A lint rule: one kind of mistake, a pure function of the input. */
export interface LintRule {
  id: string
  /** One line for the README and the report: what the rule looks for. */
  title: string
  check(input: LintInput): Finding[]
}
