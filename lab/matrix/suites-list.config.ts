/**
 * The vitest `suites` project for `vitest list` alone (lab/matrix/list-tests.ts): the same files,
 * without the globalSetup that boots the lab, and collected in parallel since nothing runs.
 * Loading vitest.config.ts clears <LVS_REPORTS_DIR>/allure-results: the lister sets a scratch one.
 */
import path from 'node:path'
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config'

type InlineProject = { test: { name?: string } }
const suites = (base.test?.projects as InlineProject[]).find((p) => p.test.name === 'suites')!.test

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: { projects: [{ test: { ...suites, globalSetup: [], fileParallelism: true, isolate: false, pool: 'threads' } }] },
})
