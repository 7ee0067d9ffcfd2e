/**
 * conn_reuse_mode (Documentation/networking/ipvs-sysctl.rst), DR: the director sees only the
 * client's half of a connection, so its entry ends in FIN_WAIT, never TIME_WAIT; a client
 * reuses its source port while it is there, the old server at weight 0. At 1 (the default)
 * and at 2, the one the other's control.
 */
import { describe } from 'vitest'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { describeReuseRun, followsOldEntry, rescheduledOnReuse } from './conn-reuse'
import { oncePerValue, setKnob } from './knob-test'
import { reuseRun, type ReuseSetUp } from './reuse-run'
import { drKnobTest, drRealServers, drVip } from './dr-knob-test'

const test = drKnobTest.extend<{ reuseFinWait: Director }>({
  reuseFinWait: setKnob('conn_reuse_mode', '2'),
})

describe('conn_reuse_mode: a client reuses its source port while the old entry is in FIN_WAIT (DR)', () => {
  const dr: ReuseSetUp = { mode: 'dr', vip: drVip, method: '-g', servers: drRealServers, serverPort: (port) => port }
  const runAt = oncePerValue((f, value) => reuseRun(f, value, dr), describeReuseRun)

  test('conn_reuse_mode=1 (the default): a FIN_WAIT entry is not rescheduled, the reusing connection goes to the old server at weight 0', async ({
    director,
    client,
    realServers,
    net,
  }) => {
    await expectPass(followsOldEntry(await runAt({ director, client, realServers, net }, 1)))
  })

  test('conn_reuse_mode=2: the FIN_WAIT entry is rescheduled too, away from the weight-0 server', async ({ reuseFinWait: _, director, client, realServers, net }) => {
    await expectPass(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 2)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 2 the follows-the-old-entry check fails', async ({ reuseFinWait: _, director, client, realServers, net }) => {
      await expectFail(followsOldEntry(await runAt({ director, client, realServers, net }, 2)))
    })
    test('at 1 the scheduled-afresh check fails', async ({ director, client, realServers, net }) => {
      await expectFail(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 1)))
    })
  })
})
