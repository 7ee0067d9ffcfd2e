/** Test helper: reads sample outputs from __fixtures__ (`<kind>-<scenario>.txt`). */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__')

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURE_DIR, name), 'utf8')
}

/** Names of all fixtures of one kind, e.g. every `list-*.txt`, including ones captured from the lab later. */
export function fixturesOf(kind: string): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.txt'))
    .sort()
}

/** `list-nat.txt` -> `nat`. */
export function scenarioOf(name: string): string {
  return name.replace(/^[a-z]+-/, '').replace(/\.txt$/, '')
}

/** Optional expected result beside a fixture: `list-nat.txt` -> `list-nat.json`. */
export function expectedFor(name: string): unknown {
  const file = path.join(FIXTURE_DIR, name.replace(/\.txt$/, '.json'))
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}
