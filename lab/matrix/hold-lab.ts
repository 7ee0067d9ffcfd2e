/**
 * One kernel's lab, held up while `npm run conformance -- --repeat N` runs the suites against it
 * N times (started by held-lab.ts). It is the lab vitest's globalSetup would start, started
 * once: each run then reaches its Docker API as an existing engine (LVS_LAB=docker) instead of
 * booting a guest of its own. Prints the lab's facts on one marker line; stops the lab when its
 * stdin closes, which is also what happens when the matrix dies.
 */
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { phase } from '../progress'
import { labRunDir } from '../reports-dir'
import { startLab } from '../start-lab'
import { labGoneLine } from '../lab-gone'
import { heldLabMarker } from './held-lab'

try {
  const lab = await phase('lab ready', () => startLab(readLabConfig(), labRunDir()))
  process.stdout.write(`${heldLabMarker}${JSON.stringify(lab.info)}\n`)
  // A guest that goes away ends the hold: the matrix sees it (held.gone()) and counts no run it spoiled.
  void lab.gone?.then((why) => {
    process.stderr.write(`${labGoneLine(why)}\n`)
    process.exit(2)
  })
  await new Promise<void>((resolve) => {
    process.stdin
      .once('end', resolve)
      .once('close', resolve)
      .once('error', () => resolve())
    process.stdin.resume()
  })
  await phase('lab stop', () => lab.stop())
  process.exit(0)
} catch (err) {
  process.stderr.write(`lvs-conformance: ${err instanceof LabError ? err.message : (err as Error).stack}\n`)
  process.exit(err instanceof LabError ? 2 : 1)
}
