import type Docker from 'dockerode'
import { labLabel } from './labels'
import { removeLabNetwork } from './remove-network'

/** Removes every lab container and network left on an engine, from this run or an earlier one. */
export async function sweepLab(docker: Docker): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [labLabel] })
  const containers = await docker.listContainers({ all: true, filters })
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  )
  const networks = await docker.listNetworks({ filters })
  // A network that stays would take its subnet from the next topology: that is a lab error, said here.
  await Promise.all(networks.map((n) => removeLabNetwork(docker.getNetwork(n.Id), n.Name)))
  return { containers: containers.length, networks: networks.length }
}
