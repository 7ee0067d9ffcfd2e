/**
 * `npm run lab:up`: starts the lab and keeps it running until Ctrl-C. Point suites at it with
 * the printed DOCKER_HOST and LVS_LAB=docker to iterate without booting a guest each run.
 */
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { labGoneLine } from '../lab-gone'
import { labRunDir } from '../reports-dir'
import { startLab } from '../start-lab'

try {
  const lab = await startLab(readLabConfig(), labRunDir())
  console.log(`\nthe lab is up; in another shell:\n  export DOCKER_HOST=${lab.info.dockerHost} LVS_LAB=docker\nCtrl-C stops it.`)
  // Kept up until Ctrl-C; a guest that goes away on its own (gone) ends this with its line.
  setInterval(() => undefined, 1 << 30)
  if (lab.gone) {
    console.error(labGoneLine(await lab.gone))
    process.exit(1)
  }
} catch (err) {
  console.error(`lvs-conformance: ${err instanceof LabError ? err.message : (err as Error).stack}`)
  process.exit(err instanceof LabError ? 2 : 1)
}
