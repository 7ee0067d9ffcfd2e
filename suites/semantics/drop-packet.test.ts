/**
 * drop_packet with am_droprate (Documentation/networking/ipvs-sysctl.rst), on the NAT
 * topology: new UDP connections at drop_packet 0 (the default) and 3 (always on), the one the
 * other's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { changedState } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { freshService, knob, knobTest, oncePerValue, vip, type KnobFixtures } from './knob-test'
import { describeDropRun, dropsOneInRate, noneDropped, type DropRun } from './drop-packet'

const amDroprate = 8
const test = knobTest.extend<{ dropping: Director }>({
  // am_droprate first: drop_packet=3 reads it when it is written (proc_do_defense_mode)
  dropping: changedState(async ({ director }) => (await director.sh(`sysctl -qw ${knob('am_droprate')}=${amDroprate} ${knob('drop_packet')}=3`), director)),
})

describe('drop_packet=3 with am_droprate: new connections dropped before forwarding', () => {
  const udpPort = 5353
  const queries = 4 * amDroprate
  async function dropRun({ director, client, realServers, net }: KnobFixtures, value: number): Promise<DropRun> {
    const port = net.freshPort()
    await Promise.all(realServers.map((rs) => rs.serveUdp(udpPort)))
    const startingState = await freshService(director, port, udpPort, 'drop_packet', { protocol: '-u' })
    const rate = Number((await director.sh(`cat /proc/sys/net/ipv4/vs/am_droprate`, undefined, { readOnly: true })).trim())
    const answers = await client.askUdp(`${vip}:${port}`, queries)
    const run: DropRun = { dropPacket: value, amDroprate: rate, answers }
    await evidence('starting state', `${startingState}; ${knob('am_droprate')} = ${rate}`)
    await evidence('what the run saw', describeDropRun(run))
    return run
  }
  const runAt = oncePerValue(dropRun, describeDropRun)

  test('drop_packet=0 (the default): every new connection is forwarded', async ({ director, client, realServers, net }) => {
    await expectPass(noneDropped(await runAt({ director, client, realServers, net }, 0)))
  })

  test(`drop_packet=3, am_droprate=${amDroprate}: one new connection in ${amDroprate} is dropped, at that period`, async ({ dropping: _, director, client, realServers, net }) => {
    await expectPass(dropsOneInRate(await runAt({ director, client, realServers, net }, 3)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 3 the none-dropped check fails', async ({ dropping: _, director, client, realServers, net }) => {
      await expectFail(noneDropped(await runAt({ director, client, realServers, net }, 3)))
    })
    test('at 0 the one-in-rate check fails', async ({ director, client, realServers, net }) => {
      await expectFail(dropsOneInRate(await runAt({ director, client, realServers, net }, 0)))
    })
  })
})
