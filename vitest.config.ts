import { rmSync } from 'node:fs'
import { defineConfig } from 'vitest/config'
import { SuiteSequencer } from './lab/suite-order'

const reports = process.env.LVS_REPORTS_DIR || 'reports'
// A report describes one run: results of an earlier run must not leak into it.
rmSync(`${reports}/allure-results`, { recursive: true, force: true })

export default defineConfig({
  test: {
    // files that share a topology run one after the other (lab/suite-order.ts)
    sequence: { sequencer: SuiteSequencer },
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
          // one worker and one module graph for every file: a topology stays up for the next file that
          // uses it, and is down before a file brings up another (fixtures/topology-pool.ts)
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
