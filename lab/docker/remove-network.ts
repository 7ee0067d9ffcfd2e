import type Docker from 'dockerode'
import { LabError } from '../errors'

type RemovableNetwork = Pick<Docker.Network, 'id' | 'remove' | 'inspect' | 'disconnect'>

/**
 * Removes a lab network, or says in one line why it cannot. dockerd 20.10 can keep an endpoint
 * of a container it has just force-removed, and then refuses the network ("has active
 * endpoints"): a soak's next run then found the old subnet taken ("Pool overlaps") and every
 * test of it failed for the lab's reason. The endpoints left are disconnected by force and the
 * removal asked again; a network that still stays is an error, never silently left behind.
 */
export async function removeLabNetwork(network: RemovableNetwork, name = network.id, attempts = 3): Promise<void> {
  let last: unknown
  for (let i = 0; i < attempts; i++) {
    try {
      await network.remove()
      return
    } catch (err) {
      if (gone(err)) return
      last = err
    }
    const info = (await network.inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined
    if (!info) return
    // in turn, as containers are removed (remove-containers.ts): a disconnect is an endpoint leave too
    for (const id of Object.keys(info.Containers ?? {})) await network.disconnect({ Container: id, Force: true }).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 500 * (i + 1)))
  }
  throw new LabError(`the lab network ${name} could not be removed (${message(last)})`, "the lab's Docker engine keeps it: stop the lab (or restart that engine) and run again")
}

const message = (err: unknown) => ((err as { json?: { message?: string } })?.json?.message ?? (err as Error)?.message ?? String(err)).trim()

/** Already gone: nothing to do. */
const gone = (err: unknown) => (err as { statusCode?: number })?.statusCode === 404
