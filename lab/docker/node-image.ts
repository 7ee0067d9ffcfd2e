import { createReadStream } from 'node:fs'
import type Docker from 'dockerode'

export async function hasImage(docker: Docker, name: string): Promise<boolean> {
  return docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      () => false,
    )
}

/** `docker import` of a root filesystem tarball: the lab never pulls from a registry. */
export async function importNodeImage(docker: Docker, tarball: string, name: string): Promise<void> {
  const [repo, tag] = name.split(':')
  const stream = await docker.importImage(createReadStream(tarball), { repo, tag })
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()))
  })
}
