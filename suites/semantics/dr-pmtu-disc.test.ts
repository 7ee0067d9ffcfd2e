/**
 * pmtu_disc (Documentation/networking/ipvs-sysctl.rst), TUN on the DR topology: a DF datagram
 * that fits the client's link but not the tunnel, at 1 (the default) and 0, the one the other's
 * control.
 */
import { describe } from 'vitest'
import { PacketCapture } from '../../fixtures/capture'
import { evidence } from '../../fixtures/evidence'
import { changedState } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { tunnelScript } from '../../fixtures/tunnel-mode'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { drKnobTest, drRealServers, drVip } from './dr-knob-test'
import { freshService, oncePerValue, setKnob, type KnobFixtures } from './knob-test'
import { describePmtuRun, fragmentedAndDelivered, refusedWithFragNeeded, type PmtuRun } from './pmtu-disc'

const test = drKnobTest.extend<{ tunnels: RealServer[]; pmtuOff: Director }>({
  tunnels: changedState(async ({ realServers }) => (await Promise.all(realServers.map((rs) => rs.sh(tunnelScript(drVip)))), realServers)),
  pmtuOff: setKnob('pmtu_disc', '0'),
})

describe('pmtu_disc: a DF datagram too large for the IP-in-IP tunnel (TUN)', () => {
  /** IP-in-IP adds one 20-byte header: the tunnel's MTU is the route's less 20. */
  const outerHeader = 20
  async function pmtuRun({ director, client, realServers, net }: KnobFixtures, value: number): Promise<PmtuRun> {
    const port = net.freshPort()
    // TUN keeps the virtual port: the responders listen on it
    await Promise.all(realServers.map((rs) => rs.serveUdp(port, drVip)))
    const startingState = await freshService(director, port, port, 'pmtu_disc', { protocol: '-u', vip: drVip, method: '-i', servers: drRealServers })
    const mtu = Number((await director.sh(`cat /sys/class/net/${director.device()}/mtu`, undefined, { readOnly: true })).trim())
    const tunnelMtu = mtu - outerHeader
    // fits the client's link (its MTU is the director's), not the tunnel: 10 bytes over it
    const ipLength = tunnelMtu + 10
    const payload = ipLength - 28
    const [atClient, ...atServers] = await Promise.all([
      // a path MTU learnt from an earlier run would make the client fragment it itself
      PacketCapture.start(client, `icmp or (udp and host ${drVip})`, { before: 'ip route flush cache' }),
      ...realServers.map((rs) => PacketCapture.start(rs, 'ip proto 4')),
    ])
    const out = await client.sh(
      `line=$({ head -c ${payload - 1} /dev/zero | tr '\\0' x; echo; } | socat -t3 -T3 - UDP:${drVip}:${port},readbytes=32 2>/dev/null || true); name=\${line%% *}; echo "@@udp \${name:--}"`,
      undefined,
      { readOnly: true },
    )
    const [clientSide, ...serverSides] = await Promise.all([atClient.stop(), ...atServers.map((c) => c.stop())])
    const answered = /^@@udp (\S+)$/m.exec(out)?.[1]
    const run: PmtuRun = { knob: value, ipLength, tunnelMtu, answeredBy: answered === '-' ? undefined : answered, atClient: clientSide, atServers: serverSides }
    await evidence('starting state', `${startingState}; -u -i over ${drRealServers.join(', ')}; the director's link MTU ${mtu}`)
    await evidence(clientSide.description, clientSide.text || '(no frames)')
    for (const c of serverSides) await evidence(c.description, c.text || '(no frames)')
    await evidence('what the run saw', describePmtuRun(run))
    return run
  }
  const runAt = oncePerValue(pmtuRun, describePmtuRun)

  test('pmtu_disc=1 (the default): the director refuses it with FRAG_NEEDED naming the tunnel’s MTU', async ({ tunnels: _, director, client, realServers, net }) => {
    await expectPass(refusedWithFragNeeded(await runAt({ director, client, realServers, net }, 1)))
  })

  test('pmtu_disc=0: the director fragments the IP-in-IP packet and the datagram is delivered', async ({ tunnels: _, pmtuOff: __, director, client, realServers, net }) => {
    await expectPass(fragmentedAndDelivered(await runAt({ director, client, realServers, net }, 0)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 0 the FRAG_NEEDED check fails', async ({ tunnels: _, pmtuOff: __, director, client, realServers, net }) => {
      await expectFail(refusedWithFragNeeded(await runAt({ director, client, realServers, net }, 0)))
    })
    test('at 1 the fragmented-and-delivered check fails', async ({ tunnels: _, director, client, realServers, net }) => {
      await expectFail(fragmentedAndDelivered(await runAt({ director, client, realServers, net }, 1)))
    })
  })
})
