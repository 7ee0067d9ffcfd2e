/**
 * nat_icmp_send (Documentation/networking/ipvs-sysctl.rst), on the NAT topology: a real server
 * sends from its service port a datagram that belongs to no connection, at the default and
 * changed, the one the other's control.
 */
import { describe } from 'vitest'
import { PacketCapture } from '../../fixtures/capture'
import { evidence } from '../../fixtures/evidence'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { freshService, knobTest, oncePerValue, setKnob, type KnobFixtures } from './knob-test'
import { describeStrayRun, forwardedUntouched, icmpToRealServer, type StrayRun } from './nat-icmp-send'

const test = knobTest.extend<{ icmpSending: Director }>({
  icmpSending: setKnob('nat_icmp_send', '1'),
})

describe('nat_icmp_send: a real server sends a packet that belongs to no connection', () => {
  /** The real servers' port in the UDP service: nothing listens there, the service only names it. */
  const servicePort = 7777
  /** Where the client takes the datagram in (a listener, so that it answers nothing back). */
  const clientPort = 9999
  /**
   * A fresh UDP service over both real servers' port 7777, no traffic through it; then one
   * datagram from lvs-node-1's 7777 to the client, captured on both ends.
   */
  async function strayRun({ director, client, realServers: [rs], net }: KnobFixtures, value: number): Promise<StrayRun> {
    if (!rs) throw new Error('the topology has no real server')
    const port = net.freshPort()
    const startingState = await freshService(director, port, servicePort, 'nat_icmp_send', { protocol: '-u' })
    const [atServer, atClient] = await Promise.all([
      PacketCapture.start(rs, 'icmp'),
      PacketCapture.start(client, `udp and src host ${rs.address()}`, { before: `setsid timeout 20 socat -u UDP4-RECV:${clientPort} /dev/null </dev/null >/dev/null 2>&1 &` }),
    ])
    await rs.sh(`printf 'stray\\n' | socat -u - UDP4-SENDTO:${client.address()}:${clientPort},sourceport=${servicePort}\nsleep 1`, undefined, { readOnly: true })
    const [server, clientSide] = await Promise.all([atServer.stop(), atClient.stop()])
    const run: StrayRun = {
      knob: value,
      realServer: { name: rs.name, address: rs.address() },
      sourcePort: servicePort,
      client: client.address(),
      directorAddresses: director.spec.interfaces.map((i) => i.address),
      atServer: server,
      atClient: clientSide,
    }
    await evidence('starting state', `${startingState}; -u, real servers at :${servicePort}`)
    await evidence(server.description, server.text || '(no frames)')
    await evidence(clientSide.description, clientSide.text || '(no frames)')
    await evidence('what the run saw', describeStrayRun(run))
    return run
  }
  const runAt = oncePerValue(strayRun, describeStrayRun)

  test('nat_icmp_send=0 (the default): the stray packet is forwarded untranslated and no ICMP is sent', async ({ director, client, realServers, net }) => {
    await expectPass(forwardedUntouched(await runAt({ director, client, realServers, net }, 0)))
  })

  test('nat_icmp_send=1: the director answers the real server with ICMP port unreachable and drops the packet', async ({ icmpSending: _, director, client, realServers, net }) => {
    await expectPass(icmpToRealServer(await runAt({ director, client, realServers, net }, 1)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 1 the forwarded-untouched check fails', async ({ icmpSending: _, director, client, realServers, net }) => {
      await expectFail(forwardedUntouched(await runAt({ director, client, realServers, net }, 1)))
    })
    test('at 0 the ICMP check fails', async ({ director, client, realServers, net }) => {
      await expectFail(icmpToRealServer(await runAt({ director, client, realServers, net }, 0)))
    })
  })
})
