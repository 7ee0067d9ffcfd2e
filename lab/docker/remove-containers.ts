import type Docker from 'dockerode'

type Removable = Pick<Docker, 'getContainer'>

/**
 * Removes containers (killed and removed in one call each) one after the other, never two at
 * once. The guest's dockerd, Debian bookworm's 20.10.24, can deadlock when a container's endpoint
 * leaves a network (sbLeave, which takes the network's lock, then the controller's) while its
 * watch loop processes the delete of another endpoint of that network (which takes them the other
 * way round): moby/libnetwork#2649, fixed only in 20.10.27. Every later network call then hangs,
 * and the run with it: most likely what hung a CI run's teardown, after which every test timed
 * out (that run left no dump to tell). Removed in turn, each leave starts a whole API round trip after the last delete was handed
 * to the watch loop, whose part under the two locks takes microseconds.
 */
export async function removeContainersInTurn(docker: Removable, ids: string[]): Promise<void> {
  for (const id of ids)
    await docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch(() => undefined)
}
