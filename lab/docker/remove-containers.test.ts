import { describe, expect, it } from 'vitest'
import { removeContainersInTurn } from './remove-containers'

describe('removeContainersInTurn', () => {
  it('removes every container, forced, one after the other: never two removals in flight', async () => {
    const events: string[] = []
    let inFlight = 0
    let most = 0
    const docker = {
      getContainer: (id: string) => ({
        async remove(opts: { force: boolean; v: boolean }) {
          most = Math.max(most, ++inFlight)
          events.push(`${id} ${opts.force && opts.v ? 'forced' : 'plain'}`)
          await new Promise((r) => setTimeout(r, 5))
          inFlight--
          if (id === 'b') throw new Error('no such container')
        },
      }),
    }
    await removeContainersInTurn(docker as never, ['a', 'b', 'c'])
    expect(events).toEqual(['a forced', 'b forced', 'c forced'])
    expect(most).toBe(1)
  })
})
