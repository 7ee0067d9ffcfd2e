import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bringUp, type RunningTopology } from '../../fixtures/bring-up'
import { timed, type Timings } from '../../fixtures/timings'
import type { Topology } from '../../topologies/topology'
import { onInterrupt } from '../../lab/host/interrupts'
import { phase } from '../../lab/progress'
import { withHealthChecks } from '../keepalived/with-health-checks'
import { LabSession } from '../lab-session'
import type { Finding } from '../lint/finding'
import type { LintInput } from '../lint/lint-input'
import type { Reading } from '../read-configuration'
import { planReplay } from './plan-replay'
import { directorInputOf } from './program-director'
import type { ReplayResult } from './replay-result'
import { runReplay } from './run-replay'

/** What the replay starts from: the file as read and linted, and the texts the director is given. */
export interface ReplayInput {
  reading: Reading
  input: LintInput
  findings: Finding[]
  texts: { rules: string; mangle?: string }
}

const sweepCli = fileURLToPath(new URL('../../lab/cli/sweep.ts', import.meta.url))

/**
 * Removing a dozen containers takes tens of seconds under emulation, longer than an interrupted
 * process may take (a second Ctrl-C, or tsx passing the first one on, ends it at once): the
 * sweep runs in a process of its own, detached, after the requests in flight have landed.
 */
function sweepInBackground(dockerHost: string): void {
  const child = spawn('sh', ['-c', `sleep 2; exec "${process.execPath}" --import tsx "${sweepCli}"`], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, DOCKER_HOST: dockerHost },
  })
  child.unref()
  process.stdout.write(`[lab] removing the replay's containers and networks from ${dockerHost} in the background (pid ${child.pid})\n`)
}

/**
 * The file replayed on a real kernel, as `npm run verify` runs it (issue 13, section 3): the plan
 * first (what the lab cannot hold is a BadInput before anything starts), then the lab the suites
 * use (an engine DOCKER_HOST names, or the kernel lab VM booted for the run), the replay, and the
 * lab stopped again, also on Ctrl-C: the VM's qemu is killed by its own clean-up, an engine's
 * lab containers are swept by a detached child process (clean-ups must be synchronous).
 */
export async function replayOnLab(replay: ReplayInput, say: (line: string) => void, session: LabSession = new LabSession()): Promise<ReplayResult> {
  const { keepalived } = replay.reading
  const planned = planReplay(replay.input)
  const plan = keepalived ? withHealthChecks(planned, keepalived.outline) : planned
  // a keepalived.conf is programmed by keepalived; the save it was read as stands for its rules in the evidence
  const director = keepalived
    ? directorInputOf(keepalived.lab.programmed.saved, replay.texts.mangle, replay.input.sysctl, replay.texts.rules)
    : directorInputOf(replay.texts.rules, replay.texts.mangle, replay.input.sysctl)
  // the lab's start counts here unless the reading of a keepalived.conf started it
  const labTimings: Timings = session.isStarted ? [] : session.timings
  const lab = await session.lab()
  const forget = lab.info.mode === 'docker' ? onInterrupt(() => sweepInBackground(lab.info.dockerHost)) : () => true
  let net: RunningTopology | undefined
  const up = async (topology: Topology) => (net = await bringUp(topology, lab.info))
  let stopped = false
  try {
    const result = await runReplay({ plan, director, table: replay.input.table, lab: lab.info, up, say })
    await net!.down()
    net = undefined
    await timed(result.timings, 'lab stop', () => phase('lab stop', () => session.stop()))
    stopped = true
    result.timings.unshift(...labTimings)
    return result
  } finally {
    // a replay that failed half-way still leaves nothing running
    if (net) await net.down().catch(() => undefined)
    if (!stopped) await session.stop().catch(() => undefined)
    forget()
  }
}
