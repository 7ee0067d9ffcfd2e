import { timed, type Timings } from '../../fixtures/timings'
import { dockerClient } from '../../lab/docker/client'
import { parseIpvsThresholds } from '../../lab/ipvs/parse-thresholds'
import { parseIpvsTimeout } from '../../lab/ipvs/parse-timeout'
import type { LabInfo } from '../../lab/lab-info'
import { LabContainer } from '../../lab/node/lab-container'
import { parseParts } from '../replay/script-parts'
import { judgeConfigTest, type ConfigTestVerdict } from './judge-config-test'
import { KEEPALIVED_CONF, startKeepalivedScript } from './keepalived-script'
import type { ProgrammedTable } from './table-in-conf'

/** A keepalived.conf as the lab's keepalived read it: its --config-test, and the table its checker programmed. */
export interface LabReading {
  /** As `keepalived --version` states it: `v2.2.7`. */
  version: string
  /** Where it ran, for the report: `the lab's director (kernel 6.1.0-57-cloud-amd64)`. */
  where: string
  configTest: ConfigTestVerdict & { command: string }
  /** Whether the checker programmed the table, ended first, or did neither within 20 s. */
  checker: 'programmed' | 'ended' | 'timed out'
  programmed: ProgrammedTable
  /** keepalived's log up to its dump, the evidence of the reading. */
  log: string
  /** The node's start and keepalived's reading. */
  timings: Timings
}

const CHECKER_RESULT = ['programmed', 'ended', 'timed out'] as const

/**
 * Reads the file with the keepalived of the lab's node image, in a director of its own: one
 * container, without a network (the reading needs only IPVS, which each container has in its
 * own namespace), removed afterwards. The checker programs that namespace's IPVS and the table
 * is read back at once (keepalived-script.ts), before a checker can have failed against the
 * real servers that are not there.
 */
export async function readKeepalivedInLab(lab: LabInfo, conf: string): Promise<LabReading> {
  // testcontainers reads these when it first talks to Docker (as bringUp sets them); the lab has no Ryuk image
  process.env.DOCKER_HOST = lab.dockerHost
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true'
  const docker = dockerClient(lab.dockerHost)
  const timings: Timings = []
  const node = new LabContainer(lab.nodeImage, 'keepalived-reader', docker).withName(`lvs-verify-keepalived-${process.pid}`).withNetworkMode('none')
  const { container, agent } = await timed(timings, "the reading director's container", () => node.startNode())
  try {
    const result = await timed(timings, 'keepalived: --config-test, its checker, the table read back', () => agent.run(startKeepalivedScript(conf, { isolated: true }), 60_000))
    const parts = parseParts(result.stdout)
    const text = (name: string) => parts.get(name)?.output ?? ''
    const test = parts.get('keepalived --config-test')
    return {
      version: /Keepalived (v\S+)/.exec(text('keepalived --version'))?.[1] ?? 'of unknown version',
      where: `the lab's director (kernel ${lab.kernelRelease})`,
      configTest: { command: `keepalived --config-test --all-config --use-file=${KEEPALIVED_CONF}`, ...judgeConfigTest(test?.exitCode ?? -1, test?.output ?? '') },
      checker: CHECKER_RESULT[parts.get('keepalived --check')?.exitCode ?? 2] ?? 'timed out',
      programmed: {
        saved: text('ipvsadm -S -n'),
        timeouts: parseIpvsTimeout(text('ipvsadm -L --timeout')),
        thresholds: parseIpvsThresholds(text('ipvsadm -Ln --thresholds')),
      },
      log: text('keepalived log'),
      timings,
    }
  } finally {
    agent.close()
    await docker
      .getContainer(container.getId())
      .remove({ force: true, v: true })
      .catch(() => undefined)
  }
}
