/**
 * `npm run lab:capture`: brings up the NAT topology on the lab, drives some traffic and saves
 * what ipvsadm prints (-Ln, --stats, --rate, -Lnc, -S, --timeout) into lab/ipvs/__fixtures__,
 * named after the kernel, so the parsers' unit tests run on real output from every kernel.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bringUp } from '../../fixtures/bring-up'
import { natTopology } from '../../topologies/nat'
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { labRunDir } from '../reports-dir'
import { startLab } from '../start-lab'

const fixtures = fileURLToPath(new URL('../ipvs/__fixtures__/', import.meta.url))

async function main(): Promise<void> {
  const lab = await startLab(readLabConfig(), labRunDir())
  const net = await bringUp(natTopology, lab.info)
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
    const release = lab.info.kernelRelease.split('-')[0].split('.').slice(0, 2).join('.')
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
    await lab.stop()
  }
}

main().catch((err: Error) => {
  console.error(`lvs-conformance: ${err instanceof LabError ? err.message : err.stack}`)
  process.exit(err instanceof LabError ? 2 : 1)
})
