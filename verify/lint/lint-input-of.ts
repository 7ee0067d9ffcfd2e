import { parseMangle } from '../mangle/parse-mangle'
import { readRulesTable } from '../rules/rules-table'
import { parseSysctl } from '../sysctl/parse-sysctl'
import type { LintInput } from './lint-input'

/** Builds the lint's input from the texts of the files, as the command reads them. */
export function lintInputOf(texts: { rules: string; mangle?: string; sysctl?: string }): LintInput {
  return {
    table: readRulesTable(texts.rules),
    mangle: texts.mangle === undefined ? undefined : parseMangle(texts.mangle, 'mangle'),
    sysctl: texts.sysctl === undefined ? undefined : parseSysctl(texts.sysctl, 'sysctl'),
  }
}
