import type { VerifyArgs } from './args'
import type { LintInput } from './lint/lint-input'
import { parseMangle } from './mangle/parse-mangle'
import { readInputFile } from './read-input-file'
import { parseSysctl } from './sysctl/parse-sysctl'

/** The mangle and sysctl files named on the command line, read and parsed. */
export function lintInputFromFiles(args: VerifyArgs): Omit<LintInput, 'table'> {
  return {
    mangle: args.mangle === undefined ? undefined : parseMangle(readInputFile(args.mangle, 'mangle file'), args.mangle),
    sysctl: args.sysctl === undefined ? undefined : parseSysctl(readInputFile(args.sysctl, 'sysctl file'), args.sysctl),
  }
}
