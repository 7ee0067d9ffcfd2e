import { LabError } from '../errors'
import type { ConformanceArgs } from './conformance-args'
import { listTests, type TestListing } from './list-tests'
import { plural } from './plural'
import { filterSelects, suiteFiles, unmatchedFilters } from './suite-files'

export interface SelectionContext {
  root: string
  cwd: string
  /** Lists the tests vitest would select (list-tests.ts); replaced in unit tests. */
  list?: (root: string, vitestArgs: string[]) => Promise<TestListing>
}

const quoted = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ')

const howTMatches = "vitest matches -t as a regular expression against a test's describe titles and test title joined by spaces"

/**
 * Bad input costs nothing: a file filter that selects no lab suite, or a -t pattern that selects
 * no test in the chosen suites, is refused with one line listing the suites, before a kernel is
 * fetched or a guest boots. Returns a line to print: what -t selected, or why it could not be
 * checked (then the run itself says what went wrong).
 */
export async function checkSelection(args: Pick<ConformanceArgs, 'files' | 'testNamePatterns'>, ctx: SelectionContext): Promise<string | undefined> {
  if (args.files.length === 0 && args.testNamePatterns.length === 0) return undefined
  const files = await suiteFiles(ctx.root)
  const suites = files.join(', ')
  const unmatched = unmatchedFilters(args.files, files, ctx.root, ctx.cwd)
  if (unmatched.length > 0) throw new LabError(`no lab suite matches ${quoted(unmatched)}`, `give the path of one of the suites, or a part of it: ${suites}`)
  if (args.testNamePatterns.length === 0) return undefined

  for (const p of args.testNamePatterns) {
    try {
      new RegExp(p)
    } catch (err) {
      throw new LabError(`-t "${p}" is not a regular expression (${(err as Error).message})`, `${howTMatches}, for example -t 'rr: 8 requests'`)
    }
  }
  const t0 = Date.now()
  const listing = await (ctx.list ?? listTests)(ctx.root, [...args.files, ...args.testNamePatterns.flatMap((p) => ['-t', p])])
  if ('problem' in listing) return `could not list the suites' tests, so -t is checked by the run itself: ${listing.problem}`
  const chosen = args.files.length ? files.filter((f) => args.files.some((filter) => filterSelects(filter, f, ctx.root, ctx.cwd))) : files
  const where = args.files.length ? chosen.join(', ') : 'any lab suite'
  const t = `-t ${quoted(args.testNamePatterns)}`
  if (listing.tests.length === 0) throw new LabError(`${t} matches no test in ${where}`, `${howTMatches}; the suites: ${suites}`)
  const inFiles = new Set(listing.tests.map((x) => x.file)).size
  return `${t} selects ${plural(listing.tests.length, 'test')} in ${plural(inFiles, 'suite file')} (listed without a lab in ${((Date.now() - t0) / 1000).toFixed(1)} s)`
}
