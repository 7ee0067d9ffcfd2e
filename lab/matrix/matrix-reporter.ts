/**
 * A vitest reporter for what the JSON reporter leaves out: why a test was skipped
 * (`ctx.skip(note)`), written to skips.json beside vitest.json, and what a test measured
 * (`fixtures/figures.ts`), written to figures.json. With LVS_PROGRESS=1 it also
 * prints one marker line per test file and per test, which `npm run conformance` turns into
 * its progress lines.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Reporter, TestCase, TestModule } from 'vitest/node'
import { reportsDir } from '../reports-dir'
import type { Figure } from './model'
import { progressMarker, type ProgressEvent } from './progress-events'

export interface SkipNote {
  file: string
  titles: string[]
  note: string
}

export interface FigureNote {
  file: string
  titles: string[]
  figures: Figure[]
}

function titlesOf(test: TestCase): string[] {
  const titles = [test.name]
  for (let p = test.parent; p.type === 'suite'; p = p.parent) titles.unshift(p.name)
  return titles
}

export default class MatrixReporter implements Reporter {
  private readonly notes: SkipNote[] = []
  private readonly figures: FigureNote[] = []
  private readonly progress = process.env.LVS_PROGRESS === '1'

  private emit(event: ProgressEvent): void {
    if (this.progress) process.stdout.write(`${progressMarker}${JSON.stringify(event)}\n`)
  }

  onTestModuleStart(module: TestModule): void {
    this.emit({ event: 'file', file: module.relativeModuleId })
  }

  onTestModuleEnd(module: TestModule): void {
    const [error] = module.errors()
    if (error) this.emit({ event: 'file-error', file: module.relativeModuleId, detail: (error.message ?? String(error)).split('\n')[0]! })
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result()
    const file = test.module.relativeModuleId
    const titles = titlesOf(test)
    if (result.state === 'skipped' && result.note) this.notes.push({ file, titles, note: result.note })
    const figures = test.meta().figures
    if (figures?.length) this.figures.push({ file, titles, figures })
    const state = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped'
    const detail = result.state === 'failed' ? result.errors?.[0]?.message?.split('\n')[0] : result.state === 'skipped' ? result.note : undefined
    this.emit({ event: 'test', file, titles, state, detail })
  }

  onTestRunEnd(): void {
    const dir = reportsDir()
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'skips.json'), `${JSON.stringify(this.notes, null, 2)}\n`)
    writeFileSync(path.join(dir, 'figures.json'), `${JSON.stringify(this.figures, null, 2)}\n`)
  }
}
