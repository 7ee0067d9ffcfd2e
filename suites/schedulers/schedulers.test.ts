/**
 * Every IPVS scheduler, stated as a user would state it and proven on the kernel: NAT with
 * three real servers (topologies/nat-three-servers.ts has the drawing). Short requests are
 * nginx pages that name their server (one connection each); held connections are kept open
 * against a hold endpoint so that they count as active while the next ones are scheduled.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { lacksScheduler, skipWithoutSchedulers } from '../../fixtures/kernel-schedulers'
import { topologyTest } from '../../fixtures/lab-test'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { natThreeServersTopology } from '../../topologies/nat-three-servers'
import { allTo, heldContinue, listedScheduler, serverOf, spreads, stickyPerKey, thresholdHysteresis, twoChoicesAvoidLoaded, weightZeroOutcome } from './checks'
import { noneTo, strictCycle, weightedCycles } from '../../checks/cycles'
import {
  clientSources,
  destinationRun,
  failoverRun,
  hashRun,
  heldConnections,
  lcScenario,
  loadRuleVerdict,
  loadRun,
  portRun,
  quiesceRun,
  schedulerMissing,
  served,
  shortRequests,
  thresholdRun,
  twos,
  twosRun,
  weightZeroRun,
} from './runs'
import { heldPort, kernelOrder, node1, node2, node3 } from '../../fixtures/three-servers'

const test = topologyTest(natThreeServersTopology).extend<{ endpoints: void }>({
  endpoints: [
    async ({ realServers }, use) => {
      await Promise.all(realServers.map((rs) => rs.serveHeldConnections(heldPort)))
      await use()
    },
    { scope: 'file', auto: true },
  ],
})

describe('schedulers: the rule of each one, on a NAT service with three real servers', () => {
  describe('rr and wrr: turns', () => {
    test('rr: 9 requests cycle strictly through the servers, starting at the one added last', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'rr')
      const { exchanges } = await shortRequests({ director, client }, { scheduler: 'rr' }, 9)
      await expectPass(strictCycle(exchanges, kernelOrder))
    })

    test('wrr: weights 3:2:1 give exactly 3, 2 and 1 requests in every cycle of 6', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'wrr')
      const { exchanges } = await shortRequests({ director, client }, { scheduler: 'wrr', weights: [3, 2, 1] }, 12)
      await expectPass(
        weightedCycles(
          exchanges,
          new Map([
            [node1, 3],
            [node2, 2],
            [node3, 1],
          ]),
        ),
      )
    })

    test('weight 0 quiesces a server: no new connections, its open ones carry on', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'rr')
      const run = await quiesceRun({ director, client }, 0)
      await expectPass(noneTo(run.fresh, node2, 'weight 0: no new connections'))
      await expectPass(
        heldContinue(
          run.before.filter((h) => h.server === node2),
          run.after,
          'weight 0: open connections carry on',
        ),
      )
    })

    describe('negative controls', () => {
      test('wrr 3:2:1 instead of rr: the strict-cycle check fails', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'rr', 'wrr')
        const { exchanges } = await shortRequests({ director, client }, { scheduler: 'wrr', weights: [3, 2, 1] }, 9)
        await expectFail(strictCycle(exchanges, kernelOrder))
      })

      test('rr with the same 3:2:1 weights: the per-cycle count check fails', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'wrr', 'rr')
        const { exchanges } = await shortRequests({ director, client }, { scheduler: 'rr', weights: [3, 2, 1] }, 12)
        await expectFail(
          weightedCycles(
            exchanges,
            new Map([
              [node1, 3],
              [node2, 2],
              [node3, 1],
            ]),
          ),
        )
      })

      test('the weight left at 1: the no-new-connections check fails', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'rr')
        const run = await quiesceRun({ director, client }, 1)
        await expectFail(noneTo(run.fresh, node2, 'weight 0: no new connections'))
      })
    })
  })

  describe('lc, wlc, sed, nq, ovf: load, counted with connections held open', () => {
    test('lc: new connections go to the server with the fewest, whatever the weights', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'lc')
      await expectPass(await loadRuleVerdict('lc', await loadRun('lc', () => lcScenario({ director, client }, 'lc'))))
    })

    test('wlc is the default: -A without -s lists wlc, and new connections go to the fewest per weight (3:1:1)', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'wlc')
      const run = await loadRun('wlc', () => heldConnections({ director, client }, { weights: [3, 1, 1] }, 8))
      await expectPass(await loadRuleVerdict('wlc', run))
      await expectPass(listedScheduler(run.list.data, 'wlc', 'the default scheduler is wlc'))
    })

    test('sed: the shortest expected delay, (active + 1) / weight (1:3:1)', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'sed')
      await expectPass(await loadRuleVerdict('sed', await loadRun('sed', () => heldConnections({ director, client }, { scheduler: 'sed', weights: [1, 3, 1] }, 6))))
    })

    test('nq: an idle server first, even a slow one; then as sed (1:3:1)', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'nq')
      await expectPass(await loadRuleVerdict('nq', await loadRun('nq', () => heldConnections({ director, client }, { scheduler: 'nq', weights: [1, 3, 1] }, 6))))
    })

    test('ovf: the highest weight takes weight + 1 active connections, then the next (3:2:1), then none', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'ovf')
      const run = await loadRun('ovf', () => heldConnections({ director, client }, { scheduler: 'ovf', weights: [3, 2, 1] }, 10))
      await expectPass(await loadRuleVerdict('ovf', run))
    })

    describe('negative controls: the lookalike scheduler in the same scenario', () => {
      test('rr where lc is expected: the lc check fails', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'lc', 'rr')
        await expectFail(await loadRuleVerdict('lc', await lcScenario({ director, client }, 'rr')))
      })
      test('-s lc where wlc is expected: the wlc check and the default-scheduler check fail', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'wlc', 'lc')
        const run = await heldConnections({ director, client }, { scheduler: 'lc', weights: [3, 1, 1] }, 8)
        await expectFail(await loadRuleVerdict('wlc', run))
        await expectFail(listedScheduler(run.list.data, 'wlc', 'the default scheduler is wlc'))
      })
      test('nq where sed is expected, and sed where nq is: each check fails on the other', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'sed', 'nq')
        const sed = await loadRun('sed', () => heldConnections({ director, client }, { scheduler: 'sed', weights: [1, 3, 1] }, 6))
        const nq = await loadRun('nq', () => heldConnections({ director, client }, { scheduler: 'nq', weights: [1, 3, 1] }, 6))
        await expectFail(await loadRuleVerdict('sed', nq))
        await expectFail(await loadRuleVerdict('nq', sed))
      })
      test('fo where ovf is expected (no overflow): the ovf check fails', async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, 'ovf', 'fo')
        await expectFail(await loadRuleVerdict('ovf', await heldConnections({ director, client }, { scheduler: 'fo', weights: [3, 2, 1] }, 10)))
      })
    })
  })

  describe('fo: failover by weight', () => {
    test('all requests to the highest weight (1:3:2); with it at weight 0, all to the next', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'fo')
      const run = await failoverRun({ director, client }, 'fo')
      await expectPass(allTo(served(run.first), node2, 'fo: all to the highest weight'))
      await expectPass(allTo(served(run.afterZero), node3, 'fo: all to the next once it is at weight 0'))
    })
    test('negative control: rr with the same weights: the all-to-one check fails', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'fo', 'rr')
      const run = await failoverRun({ director, client }, 'rr')
      await expectFail(allTo(served(run.first), node2, 'fo: all to the highest weight'))
    })
  })

  for (const sched of ['sh', 'mh'] as const) {
    describe(`${sched}: hashing the client's source address`, () => {
      test(`${sched}: each of ${clientSources.length} client addresses always reaches the same server, and they spread`, async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, sched)
        const run = await hashRun({ director, client }, sched)
        await expectPass(stickyPerKey(run.bySource, `${sched}: one server per client address`))
        await expectPass(spreads([...serverOf(run.bySource).values()], 2, `${sched}: different clients spread`))
      })

      test(`${sched} -b ${sched}-port: one client address, different source ports, different servers`, async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, sched)
        const run = await portRun({ director, client }, sched, `${sched}-port`)
        await expectPass(spreads(served(run), 2, `${sched}-port: the source port counts`))
      })

      test(`${sched}: a server at weight 0 refuses its clients without ${sched}-fallback, others keep theirs`, async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, sched)
        const run = await weightZeroRun({ director, client }, sched, false)
        await expectPass(weightZeroOutcome(run.before, run.after, run.zeroed, false, `${sched} without fallback: refused`))
      })

      test(`${sched} -b ${sched}-fallback: a server at weight 0 has its clients moved, others keep theirs`, async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, sched)
        const run = await weightZeroRun({ director, client }, sched, true)
        await expectPass(weightZeroOutcome(run.before, run.after, run.zeroed, true, `${sched}-fallback: moved`))
      })

      describe('negative controls', () => {
        test('rr instead: the one-server-per-client check fails', async ({ lab, director, client, skip }) => {
          skipWithoutSchedulers({ lab, skip }, sched, 'rr')
          const run = await hashRun({ director, client }, 'rr')
          await expectFail(stickyPerKey(run.bySource, `${sched}: one server per client address`))
        })
        test(`without -b ${sched}-port: the source-port check fails`, async ({ lab, director, client, skip }) => {
          skipWithoutSchedulers({ lab, skip }, sched)
          await expectFail(spreads(served(await portRun({ director, client }, sched, undefined)), 2, `${sched}-port: the source port counts`))
        })
        test(`the fallback flag swapped: refused with ${sched}-fallback fails, moved without it fails`, async ({ lab, director, client, skip }) => {
          skipWithoutSchedulers({ lab, skip }, sched)
          const without = await weightZeroRun({ director, client }, sched, false)
          const withFallback = await weightZeroRun({ director, client }, sched, true)
          await expectFail(weightZeroOutcome(withFallback.before, withFallback.after, withFallback.zeroed, false, `${sched} without fallback: refused`))
          await expectFail(weightZeroOutcome(without.before, without.after, without.zeroed, true, `${sched}-fallback: moved`))
        })
      })
    })
  }

  describe('dh, lblc, lblcr: keyed on the destination address (a firewall-mark service over six addresses)', () => {
    for (const sched of ['dh', 'lblc', 'lblcr']) {
      test(`${sched}: each destination is served by one server whichever client asks, and destinations spread`, async ({ lab, director, client, skip }) => {
        skipWithoutSchedulers({ lab, skip }, sched)
        const run = await destinationRun({ director, client }, sched)
        await expectPass(stickyPerKey(run.byDestination, `${sched}: one server per destination`))
        await expectPass(spreads([...serverOf(run.byDestination).values()], 2, `${sched}: destinations spread`))
      })
    }
    test('negative control: rr on the same firewall-mark service: the one-server-per-destination check fails', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'rr')
      const run = await destinationRun({ director, client }, 'rr')
      await expectFail(stickyPerKey(run.byDestination, 'one server per destination'))
    })
  })

  describe('twos: the less loaded of two random picks', () => {
    test(`twos: a server holding 4 open connections gets a new one only when both picks land on it`, async ({ lab, director, client, skip }) => {
      // The pre-boot check read the kernel's package; an engine's kernel was not checked, and ipvsadm tells.
      const lacking = lacksScheduler(lab, 'twos')
      const missing = lacking ? `the pre-boot check: ${lacking}` : await schedulerMissing(director, 'twos').then((m) => m && `ipvsadm: ${m}`)
      if (missing) {
        await evidence('why skipped', lacking ? `lab.json missingSchedulers: twos (${lacking})` : `ipvsadm -A ... -s twos: ${missing}`)
        skip(`this kernel has no twos scheduler (${missing}); it arrived in Linux 6.2`)
      }
      const run = await twosRun({ director, client }, 'twos')
      await evidence('statistics', run.statistics)
      await expectPass(twoChoicesAvoidLoaded(run.served, node3, twos.bound, 'twos: the loaded server is avoided'))
    })
    test('negative control: rr in the same scenario: the avoid-the-loaded check fails', async ({ lab, director, client, skip }) => {
      // a control of a check that could not run here would prove nothing about it
      if (lacksScheduler(lab, 'twos') || (await schedulerMissing(director, 'twos'))) skip('this kernel has no twos scheduler, so its check did not run')
      skipWithoutSchedulers({ lab, skip }, 'rr')
      const run = await twosRun({ director, client }, 'rr')
      await expectFail(twoChoicesAvoidLoaded(run.served, node3, twos.bound, 'twos: the loaded server is avoided'))
    })
  })

  describe('thresholds -x/-y', () => {
    test('over -x 3 a server gets no new connections until it drops below -y 2', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'fo')
      const run = await thresholdRun({ director, client }, true)
      await expectPass(thresholdHysteresis(node1, 3, 2, run.steps))
    })
    test('negative control: no thresholds set: the hysteresis check fails', async ({ lab, director, client, skip }) => {
      skipWithoutSchedulers({ lab, skip }, 'fo')
      const run = await thresholdRun({ director, client }, false)
      await expectFail(thresholdHysteresis(node1, 3, 2, run.steps))
    })
  })
})
