import { describe, expect, it } from 'vitest'
import { removeLabNetwork } from './remove-network'

/** dockerd's answers, in order: what remove() and inspect() say each time. */
function network(removals: (number | undefined)[], endpoints: string[]) {
  const disconnected: string[] = []
  let i = 0
  const net = {
    id: 'n1',
    async remove() {
      const status = removals[i++]
      if (status === undefined) return
      throw Object.assign(new Error(`(HTTP code ${status})`), {
        statusCode: status,
        json: { message: 'error while removing network: network lvs-nat-outside id n1 has active endpoints' },
      })
    },
    async inspect() {
      return { Containers: Object.fromEntries(endpoints.map((e) => [e, {}])) }
    },
    async disconnect({ Container }: { Container: string }) {
      disconnected.push(Container)
    },
  }
  return { net: net as never, disconnected, removals: () => i }
}

describe('removeLabNetwork', () => {
  it('disconnects the endpoints dockerd kept of removed containers, then removes the network', async () => {
    const n = network([403, undefined], ['stale-endpoint'])
    await removeLabNetwork(n.net, 'lvs-nat-outside')
    expect(n.disconnected).toEqual(['stale-endpoint'])
    expect(n.removals()).toBe(2)
  })

  it('a network already gone is fine', async () => {
    const n = network([404], [])
    await removeLabNetwork(n.net, 'lvs-nat-outside')
    expect(n.removals()).toBe(1)
  })

  it('a network that stays is a lab error naming it and what dockerd said, not a silence', async () => {
    const n = network([403, 403, 403], ['stale-endpoint'])
    await expect(removeLabNetwork(n.net, 'lvs-nat-outside', 3)).rejects.toThrow(
      'the lab network lvs-nat-outside could not be removed (error while removing network: network lvs-nat-outside id n1 has active endpoints)',
    )
  })
})
