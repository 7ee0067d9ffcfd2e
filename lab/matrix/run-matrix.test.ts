import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { KernelRunSpec } from './run-kernel'

// The kernels' runs and reports stand in: what is tested is what each run leaves in its folder.
const runKernel = vi.hoisted(() => vi.fn())
vi.mock('./run-kernel', async (original) => ({ ...(await original<typeof import('./run-kernel')>()), runKernel }))
vi.mock('../report/generate', () => ({ generateReport: vi.fn() }))
const { runMatrix } = await import('./run-matrix')
const { mergeMatrix } = await import('./merge-matrix')
const { readKernelColumn } = await import('./kernel-column-file')
const { parseConformanceArgs } = await import('./conformance-args')

const file = 'suites/nat/nat.test.ts'

describe('runMatrix', () => {
  it("leaves each kernel's column in its folder, from which a merge elsewhere gives the same matrix", async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'run-matrix-'))
    const reports = path.join(tmp, 'reports')
    const seenWhileRunning: unknown[] = []
    runKernel.mockImplementation(async (spec: KernelRunSpec) => {
      seenWhileRunning.push((await readKernelColumn(spec.dir, reports)).problem)
      const assertionResults = ['rr alternates', 'replies go back'].map((title) => ({ ancestorTitles: ['NAT'], title, fullName: `NAT ${title}`, status: 'passed' }))
      await fs.writeFile(path.join(spec.dir, 'vitest.json'), JSON.stringify({ testResults: [{ name: path.join(process.cwd(), file), assertionResults }] }))
      await fs.writeFile(path.join(spec.dir, 'run.log'), 'vitest output\n')
      return { exitCode: 0, phases: [], seconds: 1, log: path.join(spec.dir, 'run.log') }
    })
    const args = parseConformanceArgs(['--kernel', '6.1.192-3,sid'], {})
    const bookworm = { series: 'bookworm', package: 'linux-image-6.1.0-57-cloud-amd64', packageVersion: '6.1.192-3', release: '6.1.0-57-cloud-amd64', vmlinuz: '', modulesCpio: '' }
    const toRun = [
      { request: args.kernels[0], kernel: bookworm, seconds: 2 },
      { request: args.kernels[1], problem: 'cannot read the Debian archive for sid', seconds: 3 },
    ]
    const run = await runMatrix(args, toRun, reports, Date.now())

    // While it ran, its folder already said so: a job killed then still leaves a column.
    expect(seenWhileRunning).toEqual(['its run did not finish (the job was stopped or timed out); see run.log in its folder'])
    expect(run.matrix.columns.map((c) => [c.series, c.state, c.pinned, c.results.length])).toEqual([
      ['bookworm', 'ran', '6.1.192-3', 2],
      ['sid', 'fetch-failed', undefined, 0],
    ])
    const merged = await mergeMatrix(
      ['bookworm', 'sid'].map((s) => path.join(reports, 'kernels', s)),
      path.join(tmp, 'elsewhere'),
    )
    const fromHere = (href: string | undefined) => href && path.relative(reports, path.resolve(tmp, 'elsewhere', href))
    expect(merged.matrix.rows.map((r) => r.cells.map((c) => [c.state, fromHere(c.href)]))).toEqual(run.matrix.rows.map((r) => r.cells.map((c) => [c.state, c.href])))
    expect([merged.matrix.failed, merged.matrix.problems]).toEqual([run.matrix.failed, run.matrix.problems])
    expect(JSON.parse(await fs.readFile(path.join(reports, 'matrix.json'), 'utf8'))).toMatchObject({ failed: true, problems: ['sid: cannot read the Debian archive for sid'] })
    await fs.rm(tmp, { recursive: true, force: true })
  })

  it('a guest that went away during the run: the kernel is a lab failure with the reason, and none of its results counts', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'run-matrix-'))
    const reports = path.join(tmp, 'reports')
    runKernel.mockImplementation(async (spec: KernelRunSpec) => {
      // What the suites say once the lab is gone: failures that are about the lab, not the kernel.
      const assertionResults = [
        { ancestorTitles: ['NAT'], title: 'rr alternates', fullName: 'NAT rr alternates', status: 'passed' },
        { ancestorTitles: ['NAT'], title: 'replies go back', fullName: 'NAT replies go back', status: 'failed', failureMessages: ['connect ECONNREFUSED 127.0.0.1:40123'] },
      ]
      await fs.writeFile(path.join(spec.dir, 'vitest.json'), JSON.stringify({ testResults: [{ name: path.join(process.cwd(), file), assertionResults }] }))
      await fs.writeFile(path.join(spec.dir, 'run.log'), 'vitest output\n')
      const labError = 'the lab went away during the run: the guest kernel locked up (soft lockup: CPU#0 in runc:321 for 48 s); see guest-console.log'
      return { exitCode: 1, phases: [], labError, seconds: 1, log: path.join(spec.dir, 'run.log') }
    })
    const args = parseConformanceArgs(['--kernel', 'bookworm'], {})
    const bookworm = { series: 'bookworm', package: 'linux-image-6.1.0-57-cloud-amd64', packageVersion: '6.1.192-3', release: '6.1.0-57-cloud-amd64', vmlinuz: '', modulesCpio: '' }
    const run = await runMatrix(args, [{ request: args.kernels[0], kernel: bookworm, seconds: 2 }], reports, Date.now())
    expect(run.matrix.columns.map((c) => [c.state, c.problem, c.results.length])).toEqual([
      ['lab-failed', 'the lab went away during the run: the guest kernel locked up (soft lockup: CPU#0 in runc:321 for 48 s); see guest-console.log', 0],
    ])
    expect(run.matrix.failed).toBe(true)
    await fs.rm(tmp, { recursive: true, force: true })
  })
})
