import { rmSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const reports = process.env.LVS_REPORTS_DIR || 'reports'
// A report describes one run: results of an earlier run must not leak into it.
rmSync(`${reports}/allure-results`, { recursive: true, force: true })

export default defineConfig({
  test: {
    reporters: [
      'verbose',
      ['json', { outputFile: `${reports}/vitest.json` }],
      ['junit', { outputFile: `${reports}/junit.xml` }],
      ['allure-vitest/reporter', { resultsDir: `${reports}/allure-results` }],
      // Skip notes (and, for `npm run conformance`, progress lines): the JSON reporter drops them.
      './lab/matrix/matrix-reporter.ts',
    ],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lab/**/*.test.ts', 'fixtures/**/*.test.ts', 'topologies/**/*.test.ts', 'suites/**/*.unit.test.ts', 'verify/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'suites',
          include: ['suites/**/*.test.ts'],
          exclude: ['suites/**/*.unit.test.ts'],
          globalSetup: ['lab/global-setup.ts'],
          // One lab, one topology at a time: the topologies reuse the article's subnets.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
