/**
 * What IPVS does as its documented sysctls say, with Documentation/networking/ipvs-sysctl.rst
 * as the specification (suites/semantics/ipvs-sysctl-doc.ts cites it): the knobs themselves,
 * and each knob proved at its default and changed, the one the other's control. NAT: lvs-node-0
 * masquerades for lvs-node-1 and lvs-node-2 (topologies/nat.ts has the drawing). Every knob a
 * test changes is a changedState fixture: the spec guard reads net.ipv4.vs.* on the director
 * and restores it after the test.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { parseIpvsRate, type ServiceKey } from '../../lab/ipvs'
import { parseRuleCounters } from '../../lab/netfilter/rule-counters'
import {
  carriesOnWhenReAdded,
  describeNodestRun,
  describeUdpNodestRun,
  droppedSilently,
  expiredAtNextPacket,
  knobsAsDocumented,
  notTracked,
  rateRises,
  rateStaysZero,
  readNodestListings,
  readUdpDeleted,
  trackedByConntrack,
  udpDroppedUntilExpiry,
  udpRescheduledAtOnce,
  type ConntrackCounts,
  type NodestRun,
  type UdpNodestRun,
} from './checks'
import { documentedKnobs, ipvsSysctlDocument } from './ipvs-sysctl-doc'
import { freshService, knobsOf, knobTest, oncePerValue, realNetwork, missingKnobWhy, setKnob, skipWithoutKnob, vip, type KnobFixtures } from './knob-test'

const heldPort = 9000

const test = knobTest.extend<{ endpoints: void; nodestExpiring: Director; estimationOff: Director; conntrackOn: Director }>({
  endpoints: [
    async ({ realServers }, use) => {
      await Promise.all(realServers.map((rs) => rs.serveHeldConnections(heldPort)))
      await use()
    },
    { scope: 'file', auto: true },
  ],
  nodestExpiring: setKnob('expire_nodest_conn', '1'),
  estimationOff: setKnob('run_estimation', '0'),
  conntrackOn: setKnob('conntrack', '1'),
})
type Fixtures = KnobFixtures

describe('the documented IPVS sysctls (Documentation/networking/ipvs-sysctl.rst)', () => {
  describe('the knobs of /proc/sys/net/ipv4/vs/ against the document', () => {
    test('every documented knob is there and every knob there is documented; explained differences are reported', async ({ director, lab }) => {
      const { text, knobs } = await knobsOf(director)
      const v = knobsAsDocumented(knobs, lab.kernelRelease)
      await evidence(`ls /proc/sys/net/ipv4/vs/ on ${lab.kernelRelease}`, text)
      await evidence('differences from the document, explained (findings)', v.findings.join('\n') || '(none)')
      await expectPass(v)
    })

    test('negative control: the document with one knob removed, or one added, makes the check fail', async ({ director, lab }) => {
      const { knobs } = await knobsOf(director)
      await expectFail(
        knobsAsDocumented(
          knobs,
          lab.kernelRelease,
          documentedKnobs.filter((d) => d.name !== 'expire_nodest_conn'),
        ),
      )
      await expectFail(knobsAsDocumented(knobs, lab.kernelRelease, [...documentedKnobs, { name: 'conn_frobnicate' }]))
      await evidence('document used', `${ipvsSysctlDocument}, once without expire_nodest_conn and once with a made-up conn_frobnicate`)
    })
  })

  describe('expire_nodest_conn: a real server deleted (-d) while a client holds a connection to it', () => {
    /**
     * The client holds one connection to the hold endpoint (the server writes a tick a second;
     * the client acknowledges each, and with keepalive probes after 1 s of silence it keeps
     * sending even when nothing arrives). Its server is deleted, and 3 s later the entry, the
     * client's end and the server's unacknowledged bytes are read; then the server is re-added.
     */
    async function nodestRun({ director, client, realServers, net }: Fixtures, value: number): Promise<NodestRun> {
      const port = net.freshPort()
      const startingState = await freshService(director, port, heldPort, 'expire_nodest_conn')
      const [held] = await client.hold(`${vip}:${port}`, 1, { keepaliveSeconds: 1 })
      const server = realServers.find((rs) => rs.name === held?.server)
      if (!held || !server) throw new Error(`the held connection to ${vip}:${port} was not answered by a real server (${held?.server ?? 'no answer'})`)
      const deleted = await director.sh(`
echo "@@at $(date +%s%N)"
ipvsadm -L -n -c
echo @@deleted
ipvsadm -d -t ${vip}:${port} -r ${server.address()}:${heldPort}
ipvsadm -L -n -c`)
      const clientAtDelete = (await client.held()).find((h) => h.id === held.id)
      const later = await director.sh(`sleep 3\necho "@@at $(date +%s%N)"\nipvsadm -L -n -c`, undefined, { readOnly: true })
      const listings = readNodestListings(deleted, later, { port, client: client.address() })
      const before = listings.before
      const peer = before && `${before.source.address}:${before.source.port}`
      const [clientAfter, unackedAfter] = await Promise.all([(async () => (await client.held()).find((h) => h.id === held.id))(), peer ? server.unacknowledged(peer) : undefined])
      await director.ipvsadm(`-a -t ${vip}:${port} -r ${server.address()}:${heldPort} -m`)
      // The server's retransmissions back off (0.2, 0.4, 0.8 s...): the first one to get through
      // after the re-add can take seconds. A client already closed cannot carry on, however long.
      const drainLimit = clientAfter?.open ? 15 : 2
      const reAdded = peer ? await server.unacknowledged(peer, { waitSeconds: drainLimit }) : { bytes: undefined, seconds: 0 }
      const reAddedClient = (await client.held()).find((h) => h.id === held.id)
      await client.release([held.id])
      const run: NodestRun = {
        knob: value,
        ...listings,
        clientAtDelete,
        clientAfter,
        unackedAfter: unackedAfter?.bytes,
        reAdded: { unacked: reAdded.bytes, seconds: reAdded.seconds, client: reAddedClient },
      }
      await evidence('starting state', startingState)
      await evidence(`ipvsadm -Lnc before and right after -d ${server.address()}:${heldPort}`, deleted)
      await evidence(`ipvsadm -Lnc ${run.waitedSeconds.toFixed(1)} s after the -d`, later)
      await evidence('what the run saw', describeNodestRun(run))
      return run
    }
    const runAt = oncePerValue(nodestRun, describeNodestRun)

    test('expire_nodest_conn=0 (the default): the client is not told, its packets are dropped silently, the entry stays', async ({ director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await expectPass(droppedSilently(await runAt(f, 0)))
    })

    test('expire_nodest_conn=0: re-adding the server lets the connection carry on (the documented reason for 0)', async ({ director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await expectPass(carriesOnWhenReAdded(await runAt(f, 0)))
    })

    test('expire_nodest_conn=1: the entry is expired and the client learns the connection is gone (a reset)', async ({ nodestExpiring: _, director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await expectPass(expiredAtNextPacket(await runAt(f, 1)))
    })

    describe('negative controls: each value is the other one’s control', () => {
      test('at 1 the silent-drop and carry-on checks fail', async ({ nodestExpiring: _, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        const run = await runAt(f, 1)
        await expectFail(droppedSilently(run))
        await expectFail(carriesOnWhenReAdded(run))
      })

      test('at 0 the expiry check fails', async ({ director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await expectFail(expiredAtNextPacket(await runAt(f, 0)))
      })
    })
  })

  describe('expire_nodest_conn, UDP: a real server deleted while a client keeps sending from one port', () => {
    const udpPort = 5353
    const udpTimeout = 5
    /**
     * One datagram from a fixed client port (one entry, its udp timeout 5 s by `--set`), its
     * server deleted, then datagrams from the same port until one is answered.
     */
    async function udpRun({ director, client, realServers, net }: Fixtures, value: number): Promise<UdpNodestRun> {
      const port = net.freshPort()
      const sourcePort = 40000 + port
      await Promise.all(realServers.map((rs) => rs.serveUdp(udpPort)))
      await director.ipvsadm(`--set 900 120 ${udpTimeout}`)
      const startingState = await freshService(director, port, udpPort, 'expire_nodest_conn', { protocol: '-u' })
      const target = `${vip}:${port}`
      const [first] = await client.askUdpUntilAnswered(target, sourcePort, 0)
      const server = realServers.find((rs) => rs.name === first?.server)
      if (!first || !server) throw new Error(`the first datagram to ${target} was not answered by a real server`)
      const deleted = await director.sh(`ipvsadm -d -u ${target} -r ${server.address()}:${udpPort}\necho "@@at \${EPOCHREALTIME/[.,]/}"\nipvsadm -L -n -c`)
      const attempts = await client.askUdpUntilAnswered(target, sourcePort, udpTimeout + 6)
      const { deletedAt, entryAfterDelete } = readUdpDeleted(deleted, { port, client: client.address(), sourcePort })
      const run: UdpNodestRun = { knob: value, udpTimeout, deletedServer: server.name, first, deletedAt, entryAfterDelete, attempts }
      await evidence('starting state', `${startingState}; ipvsadm --set 900 120 ${udpTimeout}`)
      await evidence(`ipvsadm -Lnc right after -d ${server.address()}:${udpPort}`, deleted)
      await evidence('what the run saw', describeUdpNodestRun(run))
      return run
    }
    const runAt = oncePerValue(udpRun, describeUdpNodestRun)

    test('expire_nodest_conn=0: the entry’s datagrams are dropped, not sent to the deleted server, until the udp timeout; then a live server answers', async ({
      director,
      client,
      realServers,
      net,
    }) => {
      const f = { director, client, realServers, net }
      await expectPass(udpDroppedUntilExpiry(await runAt(f, 0)))
    })

    test('expire_nodest_conn=1: the next datagram from the same port is answered by a live server at once', async ({ nodestExpiring: _, director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await expectPass(udpRescheduledAtOnce(await runAt(f, 1)))
    })

    describe('negative controls: each value is the other one’s control', () => {
      test('at 1 the dropped-until-expiry check fails', async ({ nodestExpiring: _, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await expectFail(udpDroppedUntilExpiry(await runAt(f, 1)))
      })
      test('at 0 the rescheduled-at-once check fails', async ({ director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await expectFail(udpRescheduledAtOnce(await runAt(f, 0)))
      })
    })
  })

  describe('run_estimation: the rate estimator on and off', () => {
    /**
     * Requests for 6 s, five per curl process (Client.requestFor); `--rate` read 5 s in, when the estimator (every 2 s)
     * has had at least two passes over the traffic.
     */
    async function rateRun({ director, client, net }: Fixtures, value: number) {
      const port = net.freshPort()
      const key: ServiceKey = { protocol: 'TCP', address: vip, port }
      const startingState = await freshService(director, port, 80, 'run_estimation')
      const tag = await client.requestFor(`http://${vip}:${port}/`, 6)
      const out = await director.sh(`sleep 5\nipvsadm -L -n --rate -t ${vip}:${port}\necho @@stats\nipvsadm -L -n --stats --exact -t ${vip}:${port}`, undefined, { readOnly: true })
      const traffic = await client.answeredRequests(tag)
      const [rateText = '', statsText = ''] = out.split('@@stats\n')
      await evidence('starting state', startingState)
      await evidence(`requests over 6 s (run_estimation=${value})`, `${traffic.answered} of ${traffic.sent} answered`)
      await evidence('ipvsadm -Ln --rate, 5 s into the traffic', rateText)
      await evidence('ipvsadm -Ln --stats --exact, at the same moment (the estimator sums what --stats shows too)', statsText)
      return { key, rate: parseIpvsRate(rateText), traffic }
    }
    const runAt = oncePerValue(rateRun)
    const skipWithout = (director: Director, skip: (note?: string) => never) => skipWithoutKnob(director, 'run_estimation', missingKnobWhy.run_estimation!, skip)

    test('run_estimation=1 (the default): --rate rises while traffic flows', async ({ skip, director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await skipWithout(f.director, skip)
      const r = await runAt(f, 1)
      await expectPass(rateRises(r.rate, r.key, r.traffic))
    })

    test('run_estimation=0: --rate stays 0 while traffic flows', async ({ skip, estimationOff: _, director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await skipWithout(f.director, skip)
      const r = await runAt(f, 0)
      await expectPass(rateStaysZero(r.rate, r.key, r.traffic))
    })

    describe('negative controls: each value is the other one’s control', () => {
      test('at 0 the rate-rises check fails', async ({ skip, estimationOff: _, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await skipWithout(f.director, skip)
        const r = await runAt(f, 0)
        await expectFail(rateRises(r.rate, r.key, r.traffic))
      })
      test('at 1 the rate-stays-0 check fails', async ({ skip, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await skipWithout(f.director, skip)
        const r = await runAt(f, 1)
        await expectFail(rateStaysZero(r.rate, r.key, r.traffic))
      })
    })
  })

  describe('conntrack: IPVS connections in netfilter connection tracking', () => {
    const requests = 3
    /**
     * Two counting rules in the director's mangle PREROUTING (the mode's set-up table, reset
     * after every test), then requests: `--ctstate` counts what connection tracking knew of
     * them (the node image has no conntrack tool).
     */
    async function conntrackRun({ director, client, net }: Fixtures, value: number): Promise<ConntrackCounts> {
      const port = net.freshPort()
      await director.sh(
        [
          `iptables -t mangle -A PREROUTING -d ${vip}/32 -p tcp --dport ${port} -m conntrack --ctstate ESTABLISHED -m comment --comment lab-ct-client`,
          `iptables -t mangle -A PREROUTING -s ${realNetwork} -p tcp --sport 80 -m conntrack --ctstate ESTABLISHED --ctorigdst ${vip} --ctorigdstport ${port} -m comment --comment lab-ct-reply`,
        ].join('\n'),
      )
      const startingState = await freshService(director, port, 80, 'conntrack')
      const { exchanges } = await client.get(`http://${vip}:${port}/`, { times: requests })
      const save = await director.sh(`iptables-save -c -t mangle\necho @@conntrack\ncat /proc/net/nf_conntrack 2>/dev/null | grep -F "dport=${port} " || true`, undefined, {
        readOnly: true,
      })
      const [saveText = '', tracked = ''] = save.split('@@conntrack\n')
      const counters = parseRuleCounters(saveText)
      await evidence('starting state', `${startingState}; the counting rules added before it`)
      await evidence(`iptables-save -c -t mangle after ${requests} requests (conntrack=${value})`, saveText)
      await evidence('/proc/net/nf_conntrack lines for the port (where the kernel has the file)', tracked || '(none)')
      return { client: counters.get('lab-ct-client'), reply: counters.get('lab-ct-reply'), requests, answered: exchanges.filter((x) => x.status === 200).length }
    }
    const runAt = oncePerValue(conntrackRun)
    const skipWithout = (director: Director, skip: (note?: string) => never) => skipWithoutKnob(director, 'conntrack', missingKnobWhy.conntrack!, skip)

    test('conntrack=0 (the default): IPVS connections stay out of connection tracking', async ({ skip, director, client, realServers, net }) => {
      const f = { director, client, realServers, net }
      await skipWithout(f.director, skip)
      await expectPass(notTracked(await runAt(f, 0)))
    })

    test('conntrack=1: IPVS connections appear in connection tracking, replies matched to the client’s connection', async ({
      skip,
      conntrackOn: _,
      director,
      client,
      realServers,
      net,
    }) => {
      const f = { director, client, realServers, net }
      await skipWithout(f.director, skip)
      await expectPass(trackedByConntrack(await runAt(f, 1)))
    })

    describe('negative controls: each value is the other one’s control', () => {
      test('at 1 the stays-out check fails', async ({ skip, conntrackOn: _, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await skipWithout(f.director, skip)
        await expectFail(notTracked(await runAt(f, 1)))
      })
      test('at 0 the appears check fails', async ({ skip, director, client, realServers, net }) => {
        const f = { director, client, realServers, net }
        await skipWithout(f.director, skip)
        await expectFail(trackedByConntrack(await runAt(f, 0)))
      })
    })
  })
})
