import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { loopbackPort } from './ports'

describe('loopbackPort', () => {
  it('picks a free loopback port when none is asked for', async () => {
    expect(await loopbackPort(0)).toBeGreaterThan(0)
  })

  it('refuses a port that is taken, with what to do', async () => {
    const server = net.createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const taken = (server.address() as net.AddressInfo).port
    await expect(loopbackPort(taken)).rejects.toThrow(`127.0.0.1:${taken} is already in use: set LVS_LAB_PORT to a free port`)
    server.close()
  })
})
