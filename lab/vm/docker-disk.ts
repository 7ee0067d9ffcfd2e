import path from 'node:path'
import { buildAtomically } from '../cache'
import { dockerClient } from '../docker/client'
import { hasImage, importNodeImage } from '../docker/node-image'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import { say } from '../progress'
import { nodeImageName } from '../image/recipe'
import type { BuiltRoots } from '../image/build-roots'
import { bootGuest, type GuestSpec } from './guest'
import { loopbackPort } from './ports'

/**
 * The disk behind the guest's /var/lib/docker with the node image already imported. It is
 * made once per recipe by one boot that imports the image and powers off cleanly; every
 * later boot attaches it with snapshot=on, so it never changes again.
 */
export async function bakeDockerDisk(cacheDir: string, roots: BuiltRoots, boot: Omit<GuestSpec, 'disk' | 'snapshot' | 'port' | 'consoleLog'>): Promise<string> {
  const target = path.join(cacheDir, 'disks', `docker-${roots.hash}.img`)
  return buildAtomically(target, async (tmp) => {
    say('baking the docker disk: one boot that imports the node image')
    await sh`truncate -s 4G ${tmp}`
    await sh`mkfs.ext4 -q -F -L lvs-docker ${tmp}`
    const guest = bootGuest({
      ...boot,
      disk: tmp,
      snapshot: false,
      port: await loopbackPort(0),
      consoleLog: path.join(cacheDir, 'logs', 'bake-console.log'),
    })
    try {
      await guest.waitForDocker()
      const docker = dockerClient(guest.dockerHost)
      await importNodeImage(docker, roots.nodeImageTar, nodeImageName())
      if (!(await hasImage(docker, nodeImageName()))) throw new LabError('the node image is missing after import', 'remove the cache directory and run again')
      await guest.poweroff()
    } finally {
      await guest.stop()
    }
  })
}
