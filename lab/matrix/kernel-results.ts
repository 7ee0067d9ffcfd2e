import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { LabInfo } from '../lab-info'
import type { FigureNote, SkipNote } from './matrix-reporter'
import type { CheckResult, KernelIdentity, Outcome } from './model'

/** The parts of vitest's JSON reporter output the matrix reads. */
export interface VitestJson {
  testResults: {
    name: string
    assertionResults: { ancestorTitles: string[]; title: string; fullName: string; status: string; failureMessages?: string[] }[]
  }[]
}

/** The parts of an Allure result file that identify the test it belongs to. */
export interface AllureResult {
  uuid: string
  fullName?: string
}

const outcomeOf = (status: string): Outcome => (status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'skipped')

export const checkId = (file: string, titles: string[]) => [file, ...titles].join(' > ')

/** allure-vitest's fullName is `<package>:<file>#<vitest fullName>`; the report routes a result by md5(uuid). */
function allureLinks(results: AllureResult[]): Map<string, string> {
  const byName = new Map<string, string>()
  for (const r of results) {
    if (!r.fullName) continue
    const name = r.fullName.includes('#') ? r.fullName.slice(r.fullName.indexOf(':') + 1) : r.fullName
    byName.set(name, createHash('md5').update(r.uuid).digest('hex'))
  }
  return byName
}

function firstLine(message: string | undefined): string | undefined {
  return message
    ?.split('\n')
    .find((l) => l.trim())
    ?.trim()
}

/**
 * One kernel's checks from its vitest JSON, with the skip notes and, where its Allure
 * report has the test, a link straight to it (`report` is relative to the reports folder).
 */
export function checkResults(opts: { json: VitestJson; root: string; notes?: SkipNote[]; figures?: FigureNote[]; allure?: AllureResult[]; report?: string }): CheckResult[] {
  const links = allureLinks(opts.allure ?? [])
  const notes = new Map((opts.notes ?? []).map((n) => [checkId(n.file, n.titles), n.note]))
  const figures = new Map((opts.figures ?? []).map((n) => [checkId(n.file, n.titles), n.figures]))
  return opts.json.testResults.flatMap((file) => {
    const rel = path.relative(opts.root, file.name)
    return file.assertionResults.map((a) => {
      const titles = [...a.ancestorTitles, a.title]
      const id = checkId(rel, titles)
      const allureId = links.get(`${rel}#${a.fullName}`)
      const outcome = outcomeOf(a.status)
      return {
        id,
        file: rel,
        titles,
        outcome,
        note: notes.get(id),
        failure: outcome === 'failed' ? firstLine(a.failureMessages?.[0]) : undefined,
        evidence: opts.report ? (allureId ? `${opts.report}#/${allureId}` : opts.report) : undefined,
        ...(figures.has(id) && { figures: figures.get(id) }),
      }
    })
  })
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

async function readAllure(dir: string): Promise<AllureResult[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[])
  const results = await Promise.all(names.filter((n) => n.endsWith('-result.json')).map((n) => readJson<AllureResult>(path.join(dir, n))))
  return results.filter((r): r is AllureResult => Boolean(r))
}

/** One run's checks from its folder (undefined if vitest wrote none), linked into `report` (relative to the reports folder). */
export async function readRunResults(dir: string, root: string, report?: string): Promise<CheckResult[] | undefined> {
  const json = await readJson<VitestJson>(path.join(dir, 'vitest.json'))
  if (!json) return undefined
  const [notes, figures, allure] = await Promise.all([
    readJson<SkipNote[]>(path.join(dir, 'skips.json')),
    readJson<FigureNote[]>(path.join(dir, 'figures.json')),
    readAllure(path.join(dir, 'allure-results')),
  ])
  return checkResults({ json, root, notes, figures, allure, report })
}

/** The kernel a lab ran, from the lab's own record (`lab/lab.json` of a reports folder). */
export async function readKernelIdentity(dir: string): Promise<KernelIdentity | undefined> {
  const lab = await readJson<LabInfo>(path.join(dir, 'lab', 'lab.json'))
  if (!lab) return undefined
  const own = lab.kernelImageSha256 ? { files: lab.kernelFiles, imageSha256: lab.kernelImageSha256 } : {}
  return { package: lab.kernelPackage, packageVersion: lab.kernelPackageVersion, release: lab.kernelRelease, ...own, labMode: lab.mode, accel: lab.accel }
}

/** What a kernel's reports folder holds: results (undefined if vitest wrote none) and the lab's record. */
export async function readKernelRun(dir: string, reportsRoot: string, root: string): Promise<{ results?: CheckResult[]; kernel?: KernelIdentity }> {
  const html = path.join(dir, 'html', 'index.html')
  const report = (await fs.access(html).then(
    () => true,
    () => false,
  ))
    ? path.relative(reportsRoot, html)
    : undefined
  return { results: await readRunResults(dir, root, report), kernel: await readKernelIdentity(dir) }
}
