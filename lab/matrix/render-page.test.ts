import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildMatrix } from './build-matrix'
import { checkResults, type AllureResult, type VitestJson } from './kernel-results'
import type { KernelColumn } from './model'
import { renderMatrixPage } from './render-page'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'))
const results = checkResults({
  json: fixture('bullseye-nat.vitest.json') as VitestJson,
  allure: fixture('bullseye-nat.allure-results.json') as AllureResult[],
  root: '/work/wt-matrix',
  report: 'kernels/bullseye/html/index.html',
})
const bullseye: KernelColumn = {
  series: 'bullseye', line: '5.10', state: 'ran', results, seconds: 141,
  kernel: { package: 'linux-image-5.10.0-46-cloud-amd64', packageVersion: '5.10.262-1', release: '5.10.0-46-cloud-amd64', labMode: 'vm', accel: 'tcg' },
  report: 'kernels/bullseye/html/index.html', log: 'kernels/bullseye/run.log',
  timings: [{ phase: 'boot', seconds: 27.5 }, { phase: 'total', seconds: 141 }],
}
const sid: KernelColumn = { series: 'sid', line: '7', state: 'fetch-failed', problem: 'cannot read the Debian archive for sid <mirror>', results: [], seconds: 3, timings: [], log: 'kernels/sid/run.log' }
const page = renderMatrixPage(buildMatrix([bullseye, sid], []), [{ check: /\btwos\b/i, kernels: ['bullseye'], outcome: 'skipped', reason: 'no ip_vs_twos' }], new Date('2026-01-01T00:00:00Z'))

describe('renderMatrixPage', () => {
  it('is one self-contained file: no script, no stylesheet or image to fetch, no absolute link', () => {
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<script|<link|<img|src=|@import|url\(/i)
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1])
    expect(hrefs.length).toBeGreaterThan(9)
    for (const h of hrefs) expect(h).toMatch(/^kernels\/(bullseye|sid)\//)
  })

  it('links every cell to its evidence in the kernel\'s report', () => {
    for (const r of results) expect(page).toContain(`href="${r.evidence}"`)
    expect(results[0].evidence).toMatch(/^kernels\/bullseye\/html\/index\.html#\/[0-9a-f]{32}$/)
  })

  it('heads each column with the exact kernel package and version, and says why a kernel did not run', () => {
    expect(page).toContain('linux-image-5.10.0-46-cloud-amd64<br><b>5.10.262-1</b>')
    expect(page).toContain('could not be fetched: cannot read the Debian archive for sid &lt;mirror&gt;')
    expect(page).toContain('the matrix fails')
    expect(page).toContain('no ip_vs_twos')
  })
})
