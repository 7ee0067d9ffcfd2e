import net from 'node:net'
import { LabError } from '../errors'

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const got = (server.address() as net.AddressInfo).port
      server.close(() => resolve(got))
    })
  })
}

/** The loopback port the guest's Docker API is forwarded to: the one asked for, or a free one. */
export async function loopbackPort(wanted: number): Promise<number> {
  try {
    return await listenOn(wanted)
  } catch {
    throw new LabError(`127.0.0.1:${wanted} is already in use`, 'set LVS_LAB_PORT to a free port, or unset it to let the lab pick one')
  }
}
