/**
 * Consistent hashing when a real server leaves, mh against sh, on the NAT topology: four equal
 * destinations (nginx on two addresses of each real server), 256 client addresses, one
 * destination deleted. Each scheduler's check is the other one's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { oncePerKey } from '../../fixtures/once-per-key'
import { skipWithoutSchedulers } from '../../fixtures/kernel-schedulers'
import { changedState } from '../../fixtures/lab-test'
import type { LabNode } from '../../fixtures/nodes/lab-node'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { freshService, knobTest, vip, type KnobFixtures } from './knob-test'
import { describeHashingRun, destinationsByClient, hashingTable, mostClientsMove, onlyRemovedServersClientsMove, type HashingRun } from './consistent-hashing'

/** A second address on each real server: four nginx destinations from two nodes. */
const secondAddresses = ['172.16.100.13', '172.16.100.14']
/** 256 client addresses in a block of their own (10.200.0.0/16, routed to the client by the director). */
const clientBlock = '10.200.0.0/16'
const clientAddresses = Array.from({ length: 256 }, (_, i) => `10.200.${1 + (i >> 7)}.${1 + (i & 127)}`)

const test = knobTest.extend<{ manyClients: LabNode[] }>({
  manyClients: changedState(async ({ client, director, realServers }) => {
    const dev = client.device()
    // one ip process for all of them: each process costs tens of milliseconds under emulation
    await Promise.all([
      client.sh(`ip -batch - <<'ADDRS'\n${clientAddresses.map((a) => `addr add ${a}/16 dev ${dev}`).join('\n')}\nADDRS`),
      director.sh(`ip route add ${clientBlock} via ${client.address()}`),
      ...realServers.map((rs, i) => rs.sh(`ip addr add ${secondAddresses[i]}/24 dev ${rs.device()}`)),
    ])
    return [client, director, ...realServers]
  }),
})

/**
 * Connects once from each address with a fixed source port (the round's), closes at once, and
 * says which connected. nginx closes too, so each entry waits in TIME_WAIT (2 min) to be read,
 * not in CLOSE (10 s, a reset's), which a round under emulation can outlast.
 */
const connectScript = (port: number, sourcePort: number) => `perl -MIO::Socket::INET -e '
my $ok = 0;
for my $a (@ARGV) {
  my $s = IO::Socket::INET->new(PeerAddr => "${vip}", PeerPort => ${port}, LocalAddr => $a, LocalPort => ${sourcePort}, ReuseAddr => 1, Proto => "tcp", Timeout => 2);
  if ($s) { $ok++; close $s } else { print "\\@\\@failed $a $!\\n" }
}
print "\\@\\@connected $ok\\n"' ${clientAddresses.join(' ')}`

describe('consistent hashing: one of four equal real servers leaves, 256 clients', () => {
  let round = 0
  async function hashingRun({ director, client, realServers, net }: KnobFixtures, scheduler: string): Promise<HashingRun> {
    const port = net.freshPort()
    const servers = realServers.flatMap((rs, i) => [`${rs.address()}:80`, `${secondAddresses[i]}:80`])
    const removed = servers[servers.length - 1]!
    const startingState = await freshService(director, port, 80, undefined, { scheduler, servers })
    const [first, second] = [31000 + 2 * round, 31001 + 2 * round]
    round++
    const connectedBefore = await client.sh(connectScript(port, first), 120_000, { readOnly: true })
    const listingBefore = await director.sh(`ipvsadm -L -n -c\nipvsadm -d -t ${vip}:${port} -r ${removed}`)
    const connectedAfter = await client.sh(connectScript(port, second), 120_000, { readOnly: true })
    const listingAfter = await director.sh(`ipvsadm -L -n -t ${vip}:${port}\nipvsadm -L -n -c`, undefined, { readOnly: true })
    const listed = listingAfter.slice(listingAfter.indexOf('IPVS connection entries'))
    const run: HashingRun = {
      scheduler,
      servers,
      removed,
      before: destinationsByClient(listingBefore, { vip, port, sourcePort: first }),
      after: destinationsByClient(listed, { vip, port, sourcePort: second }),
    }
    await evidence('starting state', `${startingState}; -s ${scheduler} over ${servers.join(', ')}; ${clientAddresses.length} client addresses in ${clientBlock}`)
    await evidence('connections from every client address, before and after the removal', `${connectedBefore}\n${connectedAfter}`)
    await evidence(`ipvsadm -Ln of the service after -d ${removed}`, listingAfter.slice(0, listingAfter.indexOf('IPVS connection entries')))
    await evidence(`ipvsadm -Lnc before the removal (client port ${first})`, listingBefore)
    await evidence(`ipvsadm -Lnc after it (client port ${second})`, listed)
    await evidence('each client: its server before -> after', hashingTable(run))
    await evidence('what the run saw', describeHashingRun(run))
    return run
  }
  const runOf = oncePerKey(hashingRun, describeHashingRun)

  test('mh: only the removed server’s clients move (at least 70% keep their server)', async ({ lab, skip, manyClients: _, director, client, realServers, net }) => {
    skipWithoutSchedulers({ lab, skip }, 'mh')
    await expectPass(onlyRemovedServersClientsMove(await runOf({ director, client, realServers, net }, 'mh')))
  })

  test('sh: its table is dealt again, and most clients move', async ({ lab, skip, manyClients: _, director, client, realServers, net }) => {
    skipWithoutSchedulers({ lab, skip }, 'sh')
    await expectPass(mostClientsMove(await runOf({ director, client, realServers, net }, 'sh')))
  })

  describe('negative controls: each scheduler is the other one’s control', () => {
    test('sh in mh’s place: the only-its-clients-move check fails', async ({ lab, skip, manyClients: _, director, client, realServers, net }) => {
      skipWithoutSchedulers({ lab, skip }, 'sh')
      await expectFail(onlyRemovedServersClientsMove(await runOf({ director, client, realServers, net }, 'sh')))
    })
    test('mh in sh’s place: the most-move check fails', async ({ lab, skip, manyClients: _, director, client, realServers, net }) => {
      skipWithoutSchedulers({ lab, skip }, 'mh')
      await expectFail(mostClientsMove(await runOf({ director, client, realServers, net }, 'mh')))
    })
  })
})
