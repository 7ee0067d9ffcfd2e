/**
 * conn_reuse_mode (Documentation/networking/ipvs-sysctl.rst), NAT: a client reuses its source
 * port while the director still holds the old connection's entry in TIME_WAIT, the old
 * server at weight 0; at 0 and at 1 (the default), the one the other's control.
 */
import { describe } from 'vitest'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { describeReuseRun, followsOldEntry, rescheduledOnReuse } from './conn-reuse'
import { knobTest, oncePerValue, realServerAddresses, setKnob, vip } from './knob-test'
import { reuseRun, type ReuseSetUp } from './reuse-run'

const test = knobTest.extend<{ reuseOff: Director }>({
  reuseOff: setKnob('conn_reuse_mode', '0'),
})

describe('conn_reuse_mode: a client reuses its source port while the old entry is in TIME_WAIT (NAT)', () => {
  const nat: ReuseSetUp = { mode: 'nat', vip, method: '-m', servers: realServerAddresses, serverPort: () => 80 }
  const runAt = oncePerValue((f, value) => reuseRun(f, value, nat), describeReuseRun)

  test('conn_reuse_mode=1 (the default): the reusing connection is scheduled afresh, away from the weight-0 server, with no 1 s stall', async ({
    director,
    client,
    realServers,
    net,
  }) => {
    await expectPass(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 1)))
  })

  test('conn_reuse_mode=0: the reusing connection follows the old entry to its server, at weight 0', async ({ reuseOff: _, director, client, realServers, net }) => {
    await expectPass(followsOldEntry(await runAt({ director, client, realServers, net }, 0)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 0 the scheduled-afresh check fails', async ({ reuseOff: _, director, client, realServers, net }) => {
      await expectFail(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 0)))
    })
    test('at 1 the follows-the-old-entry check fails', async ({ director, client, realServers, net }) => {
      await expectFail(followsOldEntry(await runAt({ director, client, realServers, net }, 1)))
    })
  })
})
