import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'

/** One test a `vitest run` with the same filters and -t would run. */
export interface ListedTest {
  /** Relative to the repository root. */
  file: string
  /** vitest's full name: describe titles and test title joined by ` > `. */
  name: string
}

export type TestListing = { tests: ListedTest[] } | { problem: string }

const vitestBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
const listConfig = path.join(import.meta.dirname, 'suites-list.config.ts')

/**
 * The tests the suites project would run with these file filters and `-t` patterns, as vitest
 * itself selects them (`vitest list`), without a lab: `vitest list` runs the project's
 * globalSetup, which boots one, so suites-list.config.ts is the suites project without it. The
 * listing imports the test files and runs their describe blocks, nothing more.
 */
export async function listTests(root: string, vitestArgs: string[]): Promise<TestListing> {
  // vitest.config.ts clears <reports>/allure-results when loaded: give it a folder of its own.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'lvs-list-'))
  const out = path.join(scratch, 'list.json')
  const env = {
    ...process.env,
    LVS_REPORTS_DIR: scratch,
    // Not a lab mode: should a globalSetup ever run here, it stops at once instead of booting a guest.
    LVS_LAB: 'none-while-listing',
    VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  }
  try {
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile(
        process.execPath,
        [vitestBin, 'list', '--config', listConfig, '--project', 'suites', `--json=${out}`, ...vitestArgs],
        { cwd: root, env, maxBuffer: 16 << 20 },
        (err, _stdout, stderr) => {
          resolve(err ? (stderr.split('\n').find((l) => /error/i.test(l) && !/⎯/.test(l)) ?? stderr.split('\n').find((l) => l.trim()) ?? err.message).trim() : undefined)
        },
      )
    })
    if (failure) return { problem: failure }
    // No file when collecting failed (a file that does not load): vitest printed the errors instead.
    const listed = await fs.readFile(out, 'utf8').then(
      (t) => JSON.parse(t) as { name: string; file: string }[],
      () => undefined,
    )
    if (!listed) return { problem: 'vitest list wrote no list (a suite file could not be loaded)' }
    return { tests: listed.map((t) => ({ file: path.relative(root, t.file), name: t.name })) }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true })
  }
}
