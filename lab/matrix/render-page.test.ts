import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildMatrix } from './build-matrix'
import { mergeRuns } from './merge-runs'
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
  series: 'bullseye',
  line: '5.10',
  state: 'ran',
  results,
  seconds: 141,
  kernel: { package: 'linux-image-5.10.0-46-cloud-amd64', packageVersion: '5.10.262-1', release: '5.10.0-46-cloud-amd64', labMode: 'vm', accel: 'tcg' },
  report: 'kernels/bullseye/html/index.html',
  log: 'kernels/bullseye/run.log',
  timings: [
    { phase: 'boot', seconds: 27.5 },
    { phase: 'total', seconds: 141 },
  ],
}
const sid: KernelColumn = {
  series: 'sid',
  line: '7',
  state: 'fetch-failed',
  problem: 'cannot read the Debian archive for sid <mirror>',
  results: [],
  seconds: 3,
  timings: [],
  log: 'kernels/sid/run.log',
}
const page = renderMatrixPage(
  buildMatrix([bullseye, sid], []),
  [{ check: /\btwos\b/i, kernels: ['bullseye'], outcome: 'skipped', reason: 'no ip_vs_twos' }],
  new Date('2026-01-01T00:00:00Z'),
)

describe('renderMatrixPage', () => {
  it('is one self-contained file: no script, no stylesheet or image to fetch, no absolute link', () => {
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<script|<link|<img|src=|@import|url\(/i)
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1])
    expect(hrefs.length).toBeGreaterThan(9)
    for (const h of hrefs) expect(h).toMatch(/^kernels\/(bullseye|sid)\//)
  })

  it("links every cell to its evidence in the kernel's report", () => {
    for (const r of results) expect(page).toContain(`href="${r.evidence}"`)
    expect(results[0].evidence).toMatch(/^kernels\/bullseye\/html\/index\.html#\/[0-9a-f]{32}$/)
  })

  it('heads each column with the exact kernel package and version, and says why a kernel did not run', () => {
    expect(page).toContain('linux-image-5.10.0-46-cloud-amd64<br><b>5.10.262-1</b>')
    // Not pinned on the command line: the newest of its series that day.
    expect(page).toContain('<div class="meta">newest of bullseye</div>')
    expect(renderMatrixPage(buildMatrix([{ ...bullseye, pinned: '5.10.262-1' }], []), [], new Date())).toContain('<div class="meta">pinned: --kernel 5.10.262-1</div>')
    expect(page).toContain('could not be fetched: cannot read the Debian archive for sid &lt;mirror&gt;')
    expect(page).toContain('the matrix fails')
    expect(page).toContain('no ip_vs_twos')
  })

  it('has no figures table when no check measured anything', () => {
    expect(page).not.toContain('Figures per kernel')
  })

  it('shows what the checks measured per kernel, read from figures.json beside the results', () => {
    const [first] = results
    const measured = checkResults({
      json: fixture('bullseye-nat.vitest.json') as VitestJson,
      root: '/work/wt-matrix',
      figures: [{ file: first!.file, titles: first!.titles, figures: [{ name: 'failover, the master’s keepalived stopped', value: 0.71, unit: 's' }] }],
    })
    expect(measured[0]!.figures).toEqual([{ name: 'failover, the master’s keepalived stopped', value: 0.71, unit: 's' }])
    expect(measured.slice(1).every((r) => r.figures === undefined)).toBe(true)
    const withFigures = renderMatrixPage(buildMatrix([{ ...bullseye, results: measured }, sid], []), [], new Date())
    expect(withFigures).toContain('<h2>Figures per kernel</h2>')
    expect(withFigures).toContain(
      `<tr><td>failover, the master’s keepalived stopped<div class="meta">measured by: ${first!.titles.at(-1)}</div></td><td class="num">0.71 s</td><td class="num"></td></tr>`,
    )
  })

  it("heads a user's own kernel with its file name, uname -r and its image's sha256", () => {
    const sha = '1a7ac0c40b10b98353b6f85fa9a0d4f2703287979567e19629d35ad2d777d124'
    const own: KernelColumn = {
      ...bullseye,
      series: 'linux-image-5.10.0-46-cloud-amd64_5.10.262-1_amd64',
      line: 'own kernel',
      kernel: { ...bullseye.kernel!, files: ['linux-image-5.10.0-46-cloud-amd64_5.10.262-1_amd64.deb'], imageSha256: sha },
    }
    const head = renderMatrixPage(buildMatrix([own], []), [], new Date())
    expect(head).toContain('<div class="pkg">linux-image-5.10.0-46-cloud-amd64_5.10.262-1_amd64.deb</div>')
    expect(head).toContain(`<div class="meta" title="sha256 ${sha}">your kernel; image sha256 1a7ac0c40b10b983…</div>`)
    expect(head).toContain('uname 5.10.0-46-cloud-amd64')
    expect(head).not.toContain('newest of')
  })
})

describe('renderMatrixPage after several runs', () => {
  // Three runs of the bullseye NAT suite: the second check failed in the second run only.
  const runs = [1, 2, 3].map((i) => results.map((r, k) => (k === 1 && i === 2 ? { ...r, outcome: 'failed' as const, failure: 'AssertionError: Conns grew by 7' } : r)))
  const repeated: KernelColumn = { ...bullseye, results: mergeRuns(runs), runs: 3 }
  const page = renderMatrixPage(buildMatrix([repeated], []), [], new Date('2026-01-01T00:00:00Z'))

  it('says per cell how many runs passed, and marks the check whose runs disagree as flaky', () => {
    expect(page.match(/<span class="runs">3\/3<\/span>/g)).toHaveLength(8)
    expect(page).toContain('<td class="flaky"><a href="kernels/bullseye/html/index.html#/')
    expect(page).toContain('↯ flaky <span class="runs">2/3</span>')
    expect(page).toContain('runs disagree: passed 2, failed 1 of 3; run 2: AssertionError: Conns grew by 7')
    expect(page).toContain('the matrix fails')
  })

  it('counts checks and cells, each by name, with the noun agreeing with one kernel', () => {
    expect(page).toContain('9 checks on 1 kernel, 3 runs each: checks 8 passed, 0 failed, 0 skipped, 1 flaky; cells (check × kernel) 8 passed, 0 failed, 0 skipped, 1 flaky')
    expect(page).toContain('3 runs')
  })
})
