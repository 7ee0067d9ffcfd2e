import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LabError } from '../errors'
import { checkSelection } from './check-selection'
import { listTests, type TestListing } from './list-tests'
import { filterSelects, suiteFiles, unmatchedFilters } from './suite-files'

const root = path.resolve(import.meta.dirname, '../..')
const files = ['suites/dr/dr.test.ts', 'suites/nat/nat.test.ts', 'suites/schedulers/schedulers.test.ts']
const selects = (filter: string, file: string, cwd = root) => filterSelects(filter, file, root, cwd)

describe('suite files and file filters, as vitest reads them', () => {
  it('lists the files of the suites project: every suites/**/*.test.ts but the unit tests', async () => {
    const found = await suiteFiles(root)
    expect(found).toContain('suites/nat/nat.test.ts')
    expect(found).toContain('suites/schedulers/schedulers.test.ts')
    expect(found.some((f) => f.endsWith('.unit.test.ts'))).toBe(false)
  })

  it('a filter selects a file whose path contains it, case aside', () => {
    expect(selects('suites/nat', 'suites/nat/nat.test.ts')).toBe(true)
    expect(selects('nat', 'suites/nat/nat.test.ts')).toBe(true)
    expect(selects('NAT.test', 'suites/nat/nat.test.ts')).toBe(true)
    expect(selects('suites/nat/', 'suites/nat/nat.test.ts')).toBe(true)
    expect(selects('suites/nonexistent', 'suites/nat/nat.test.ts')).toBe(false)
  })

  it('a filter is also read from the working directory, absolute or relative, and may name a line', () => {
    expect(selects(path.join(root, 'suites/dr'), 'suites/dr/dr.test.ts')).toBe(true)
    expect(selects('./suites/dr/dr.test.ts', 'suites/dr/dr.test.ts')).toBe(true)
    expect(selects('dr.test.ts', 'suites/dr/dr.test.ts', path.join(root, 'suites/dr'))).toBe(true)
    expect(selects('../nat', 'suites/nat/nat.test.ts', path.join(root, 'suites/dr'))).toBe(true)
    expect(selects('suites/dr/dr.test.ts:42', 'suites/dr/dr.test.ts')).toBe(true)
  })

  it('names the filters that select nothing', () => {
    expect(unmatchedFilters(['suites/nat', 'suites/nonexistent', 'checks.unit'], files, root, root)).toEqual(['suites/nonexistent', 'checks.unit'])
  })
})

describe('checkSelection', () => {
  const listed = (tests: TestListing) => vi.fn(async () => tests)
  const ctx = (list = listed({ tests: [{ file: 'suites/nat/nat.test.ts', name: 'NAT > rr' }] })) => ({ root, cwd: root, list })

  it('without filters or -t there is nothing to check and nothing is listed', async () => {
    const c = ctx()
    await expect(checkSelection({ files: [], testNamePatterns: [] }, c)).resolves.toBeUndefined()
    expect(c.list).not.toHaveBeenCalled()
  })

  it('refuses a suite path that matches nothing with one line listing the suites, without listing tests', async () => {
    const c = ctx()
    const refused = checkSelection({ files: ['suites/nonexistent'], testNamePatterns: [] }, c)
    await expect(refused).rejects.toThrow(LabError)
    await expect(refused).rejects.toThrow(
      /^no lab suite matches "suites\/nonexistent": give the path of one of the suites, or a part of it: suites\/dr\/dr\.test\.ts, .*suites\/nat\/nat\.test\.ts/,
    )
    expect(String(await refused.catch((e: Error) => e.message)).split('\n')).toHaveLength(1)
    expect(c.list).not.toHaveBeenCalled()
  })

  it('refuses a -t pattern that selects no test, naming the suites it looked in', async () => {
    const c = ctx(listed({ tests: [] }))
    await expect(checkSelection({ files: ['suites/nat'], testNamePatterns: ['rrr'] }, c)).rejects.toThrow(
      /^-t "rrr" matches no test in suites\/nat\/nat\.test\.ts: vitest matches -t as a regular expression .* joined by spaces; the suites: suites\/dr/,
    )
    expect(c.list).toHaveBeenCalledWith(root, ['suites/nat', '-t', 'rrr'])
  })

  it('refuses a -t that is not a regular expression before listing anything', async () => {
    const c = ctx()
    await expect(checkSelection({ files: [], testNamePatterns: ['('] }, c)).rejects.toThrow(/^-t "\(" is not a regular expression/)
    expect(c.list).not.toHaveBeenCalled()
  })

  it('says what -t selected; if the tests cannot be listed it says so and lets the run go on', async () => {
    await expect(checkSelection({ files: [], testNamePatterns: ['rr'] }, ctx())).resolves.toMatch(/^-t "rr" selects 1 test in 1 suite file \(listed without a lab in [\d.]+ s\)$/)
    await expect(checkSelection({ files: [], testNamePatterns: ['rr'] }, ctx(listed({ problem: 'SyntaxError in suites/x.test.ts' })))).resolves.toBe(
      "could not list the suites' tests, so -t is checked by the run itself: SyntaxError in suites/x.test.ts",
    )
  })
})

describe('listTests on the real suites (vitest list, no lab)', () => {
  it("selects tests by vitest's own rule: the pattern against the titles joined by spaces", async () => {
    const twos = await listTests(root, ['suites/schedulers', '-t', 'twos: the less loaded of two random picks negative control'])
    expect(twos).toEqual({
      tests: [
        { file: 'suites/schedulers/schedulers.test.ts', name: expect.stringMatching(/> twos: the less loaded of two random picks > negative control: rr in the same scenario/) },
      ],
    })
    expect(await listTests(root, ['suites/nat', '-t', 'no such test'])).toEqual({ tests: [] })
  }, 60_000)
})
