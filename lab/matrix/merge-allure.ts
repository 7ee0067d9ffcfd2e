import fs from 'node:fs/promises'
import path from 'node:path'

interface AllureParameter {
  name: string
  value: string
  excluded?: boolean
}

/**
 * Every run's Allure results in one folder, so that the kernel's one report holds all of its
 * runs: Allure shows each test once, as its latest run, with the earlier runs as its retries.
 * Each result names its run in a parameter that Allure excludes from the test's identity, so the
 * runs stay retries of one test instead of becoming one test each. Result and attachment names
 * are uuids, unique across runs. The environment is left out: the report writes the lab's own.
 */
export async function mergeAllureResults(runDirs: string[], into: string): Promise<void> {
  await fs.mkdir(into, { recursive: true })
  for (const [i, dir] of runDirs.entries()) {
    const from = path.join(dir, 'allure-results')
    for (const name of await fs.readdir(from).catch(() => [] as string[])) {
      if (name === 'environment.properties') continue
      if (!name.endsWith('-result.json')) {
        await fs.copyFile(path.join(from, name), path.join(into, name))
        continue
      }
      const result = JSON.parse(await fs.readFile(path.join(from, name), 'utf8')) as { parameters?: AllureParameter[] }
      result.parameters = [...(result.parameters ?? []), { name: 'run', value: `${i + 1} of ${runDirs.length}`, excluded: true }]
      await fs.writeFile(path.join(into, name), JSON.stringify(result))
    }
  }
}
