import type { TestProject } from 'vitest/node'
import { readLabConfig } from './config'
import { LabError } from './errors'
import { labGoneLine } from './lab-gone'
import { labRunDir } from './reports-dir'
import { phase, phaseTimings, say } from './progress'
import { startLab, type StartedLab } from './start-lab'

/**
 * vitest globalSetup: one lab for the whole run, handed to the suites with provide('lab'),
 * stopped at teardown. A LabError ends the run with its one line and nothing left running.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let lab: StartedLab
  try {
    const config = readLabConfig()
    lab = await phase('lab ready', () => startLab(config, labRunDir()))
  } catch (err) {
    if (err instanceof LabError) {
      process.stderr.write(`\nlvs-conformance: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  project.provide('lab', lab.info)
  // The tests still running fail at once against a guest that is gone; this line says why.
  void lab.gone?.then((why) => process.stderr.write(`\n${labGoneLine(why)}\n`))
  return async () => {
    await phase('lab stop', () => lab.stop())
    say(
      `lab phase timings: ${phaseTimings()
        .map((t) => `${t.phase} ${t.seconds.toFixed(1)} s`)
        .join('; ')}`,
    )
  }
}
