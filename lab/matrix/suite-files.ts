import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * The lab suites' test files as the vitest `suites` project includes them (vitest.config.ts:
 * suites/**\/*.test.ts without *.unit.test.ts), relative to the repository root, sorted.
 * Read from the tree, not from vitest: loading vitest.config.ts here would clear the default
 * reports folder's allure-results.
 */
export async function suiteFiles(root: string): Promise<string[]> {
  const names = await fs.readdir(path.join(root, 'suites'), { recursive: true, encoding: 'utf8' }).catch(() => [] as string[])
  return names
    .filter((n) => n.endsWith('.test.ts') && !n.endsWith('.unit.test.ts'))
    .map((n) => path.join('suites', n).split(path.sep).join('/'))
    .sort()
}

/**
 * Whether a file filter given on the command line selects this suite file, by vitest's own rule
 * (`filterFiles` in vitest 4): the file's path from the root contains the filter, or the filter
 * resolved from the working directory, case aside; an absolute filter also selects the files
 * below it. A `:line` suffix names a line, not a file.
 */
export function filterSelects(filter: string, file: string, root: string, cwd: string): boolean {
  const colon = filter.lastIndexOf(':')
  const name = colon !== -1 && /^\d+$/.test(filter.slice(colon + 1)) ? filter.slice(0, colon) : filter
  const absolute = path.join(root, file)
  if (path.isAbsolute(name) && absolute.startsWith(name)) return true
  const fromRoot = path.relative(root, path.resolve(cwd, name))
  const relative = name.endsWith('/') ? path.join(fromRoot, '/') : fromRoot
  const lower = file.toLowerCase()
  return lower.includes(name.toLowerCase()) || lower.includes(relative.toLowerCase())
}

/** The filters that select no suite file: vitest would quietly run the others, or none. */
export function unmatchedFilters(filters: string[], files: string[], root: string, cwd: string): string[] {
  return filters.filter((f) => !files.some((file) => filterSelects(f, file, root, cwd)))
}
