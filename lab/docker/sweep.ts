import type Docker from 'dockerode'
import { labLabel } from './labels'
import { removeContainersInTurn } from './remove-containers'
import { removeLabNetwork } from './remove-network'

/** Removes every lab container and network left on an engine, from this run or an earlier one. */
export async function sweepLab(docker: Docker): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [labLabel] })
  const containers = await docker.listContainers({ all: true, filters })
  await removeContainersInTurn(
    docker,
    containers.map((c) => c.Id),
  )
  const networks = await docker.listNetworks({ filters })
  // A network that stays would take its subnet from the next topology: that is a lab error, said here.
  for (const n of networks) await removeLabNetwork(docker.getNetwork(n.Id), n.Name)
  return { containers: containers.length, networks: networks.length }
}
