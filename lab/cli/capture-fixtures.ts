/**
 * `npm run lab:capture`: brings up the NAT topology on the lab, drives some traffic and saves
 * what ipvsadm prints (-Ln, --stats, --rate, -Lnc, -S, --timeout) into lab/ipvs/__fixtures__,
 * then the three-server topology's client asking from several source addresses in one curl
 * process (sh, rr, sh with a server at weight 0) into lab/http/__fixtures__, named after the
 * kernel, so the parsers' and checks' unit tests run on real output from every kernel.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bringUp } from '../../fixtures/bring-up'
import { natTopology } from '../../topologies/nat'
import { clientSources, natThreeServersTopology } from '../../topologies/nat-three-servers'
import { addressOf, freshService } from '../../fixtures/three-servers'
import type { LabInfo } from '../lab-info'
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { labRunDir } from '../reports-dir'
import { startLab } from '../start-lab'

const fixtures = fileURLToPath(new URL('../ipvs/__fixtures__/', import.meta.url))
const httpFixtures = fileURLToPath(new URL('../http/__fixtures__/', import.meta.url))

const releaseOf = (lab: LabInfo) => lab.kernelRelease.split('-')[0]!.split('.').slice(0, 2).join('.')

/** Client.getFrom's output (three sources, two requests each) under sh, rr, and sh with the first source's server at weight 0. */
async function captureSourcedTransfers(lab: LabInfo): Promise<void> {
  const net = await bringUp(natThreeServersTopology, lab)
  try {
    const { director, client } = net
    const sources = clientSources.slice(0, 3)
    const save = async (name: string, text: string) => {
      const file = path.join(httpFixtures, `curl-sourced-${name}-${releaseOf(lab)}.txt`)
      await writeFile(file, text)
      console.log(`wrote ${path.relative(process.cwd(), file)}`)
    }
    for (const scheduler of ['rr', 'sh']) {
      const { target } = await freshService(director, { scheduler })
      const { raw, bySource } = await client.getFrom(`http://${target}/`, sources, { times: 2 })
      await save(scheduler, raw)
      if (scheduler !== 'sh') continue
      const zeroed = bySource.get(sources[0]!)![0]!.server!
      await director.ipvsadm(`-e -t ${target} -r ${addressOf(zeroed)}:80 -m -w 0`)
      await save('sh-weight0', (await client.getFrom(`http://${target}/`, sources, { times: 2 })).raw)
    }
  } finally {
    await net.down()
  }
}

async function main(): Promise<void> {
  const lab = await startLab(readLabConfig(), labRunDir())
  try {
    await captureIpvsadmOutputs(lab.info)
    await captureSourcedTransfers(lab.info)
  } finally {
    await lab.stop()
  }
}

/** Every ipvsadm output format, from the NAT topology with two services and some traffic. */
async function captureIpvsadmOutputs(lab: LabInfo): Promise<void> {
  const net = await bringUp(natTopology, lab)
  try {
    const { director, client } = net
    const vip = natTopology.vip
    await director.ipvsadm(
      '-C',
      '--set 900 120 300',
      `-A -t ${vip}:80 -s rr`,
      `-a -t ${vip}:80 -r 172.16.100.12 -m`,
      `-a -t ${vip}:80 -r 172.16.100.11 -m -w 2`,
      `-A -t ${vip}:443 -s wlc -p 60`,
      `-a -t ${vip}:443 -r 172.16.100.11 -m`,
    )
    await client.get(`http://${vip}/`, { times: 6 })
    const release = releaseOf(lab)
    const outputs: Record<string, string> = {
      list: 'ipvsadm -L -n',
      stats: 'sleep 3; ipvsadm -L -n --stats --exact',
      rate: 'ipvsadm -L -n --rate',
      conn: 'ipvsadm -L -n -c',
      save: 'ipvsadm -S -n',
      timeout: 'ipvsadm -L --timeout',
    }
    for (const [kind, cmd] of Object.entries(outputs)) {
      const file = path.join(fixtures, `${kind}-lab-capture-${release}.txt`)
      await writeFile(file, await director.sh(cmd))
      console.log(`wrote ${path.relative(process.cwd(), file)}`)
    }
  } finally {
    await net.down()
  }
}

main().catch((err: Error) => {
  console.error(`lvs-conformance: ${err instanceof LabError ? err.message : err.stack}`)
  process.exit(err instanceof LabError ? 2 : 1)
})
