/**
 * backup_only (Documentation/networking/ipvs-sysctl.rst) on the two-director topology: the
 * backup director, its sync daemon in backup mode, and requests for the VIP that reach it,
 * at 0 (the default) and 1, the one the other's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { oncePerKey } from '../../fixtures/once-per-key'
import { changedState } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { arpSilence } from '../../topologies/dr'
import { haDrTopology } from '../../topologies/ha-dr'
import { backupDoesNotForward, backupForwards, describeBackupOnlyRun, type BackupOnlyRun } from './backup-only'
import { haTest, type HaFixtures } from './ha-fixtures'

const vip = haDrTopology.vip
const realServerAddresses = haDrTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
const backupName = [...haDrTopology.vrrp!.members].sort((a, b) => a.priority - b.priority)[0]!.node
const sysctls = (values: Record<string, string>) =>
  `sysctl -qw ${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`

const backupOf = (directors: Director[]) => directors.find((d) => d.name === backupName)!
const test = haTest.extend<{ vipOnBackupLo: Director; backupOnly: Director; pinnedToBackup: void }>({
  // the VIP on the backup's lo, silent in ARP, as a director that is also a real server has it:
  // where the loop ipvs-sysctl.rst warns of comes from
  vipOnBackupLo: changedState(async ({ net }) => {
    const backup = backupOf(net.directors)
    await backup.sh(`${sysctls(arpSilence)}\nip addr add ${vip}/32 dev lo`)
    return backup
  }),
  backupOnly: changedState(async ({ net }) => {
    const backup = backupOf(net.directors)
    await backup.setSysctl('net.ipv4.vs.backup_only', '1')
    return backup
  }),
  // the client's neighbour entry for the VIP pinned to the backup's MAC, and dropped after the test
  pinnedToBackup: async ({ net, client }, use) => {
    await client.sh(`ip neigh replace ${vip} lladdr ${backupOf(net.directors).mac()} dev ${client.device()} nud permanent`)
    try {
      await use()
    } finally {
      await client.sh(`ip neigh del ${vip} dev ${client.device()} 2>/dev/null || true`)
    }
  },
})

describe('backup_only: the backup director and the VIP traffic that reaches it', () => {
  async function backupOnlyRun({ pair, client, net }: HaFixtures, value: number): Promise<BackupOnlyRun> {
    const port = net.freshPort()
    const url = `http://${vip}:${port}/`
    await pair.start({ services: [{ port, scheduler: 'rr', realServers: realServerAddresses, delayLoop: 2 }], syncDaemon: true })
    const { exchanges } = await client.get(url, { times: 2 })
    const match = `$4 ~ /^${client.address().replace(/\./g, '\\.')}:/ && $5 == "${vip}:${port}"`
    const out = await pair.backup.sh(
      `echo "@@knob $(cat /proc/sys/net/ipv4/vs/backup_only)"\nipvsadm -L --daemon\necho @@entries\nipvsadm -L -n -c | awk '${match}' | wc -l\nipvsadm -L -n -c`,
      undefined,
      { readOnly: true },
    )
    const [head = '', rest = ''] = out.split('@@entries\n')
    const run: BackupOnlyRun = {
      knob: value,
      backup: pair.backup.name,
      answers: exchanges.map((x) => (x.status === 200 ? x.server : undefined)),
      backupEntries: Number(rest.split('\n')[0]?.trim() ?? 0),
      daemon: head.replace(/^@@knob .*\n/m, ''),
    }
    await evidence(`${pair.backup.name}: backup_only, ipvsadm -L --daemon, then -Lnc after the requests`, out)
    await evidence('what the run saw', describeBackupOnlyRun(run))
    return run
  }
  const runOf = oncePerKey(backupOnlyRun, describeBackupOnlyRun)

  test('backup_only=0 (the default): the backup schedules and forwards the requests that reach it', async ({
    vipOnBackupLo: _,
    pinnedToBackup: __,
    pair,
    client,
    realServers,
    net,
  }) => {
    await expectPass(backupForwards(await runOf({ pair, client, realServers, net }, 0)))
  })

  test('backup_only=1: while its sync daemon is in backup mode the backup forwards nothing', async ({
    vipOnBackupLo: _,
    backupOnly: __,
    pinnedToBackup: ___,
    pair,
    client,
    realServers,
    net,
  }) => {
    await expectPass(backupDoesNotForward(await runOf({ pair, client, realServers, net }, 1)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 1 the forwards check fails', async ({ vipOnBackupLo: _, backupOnly: __, pinnedToBackup: ___, pair, client, realServers, net }) => {
      await expectFail(backupForwards(await runOf({ pair, client, realServers, net }, 1)))
    })
    test('at 0 the forwards-nothing check fails', async ({ vipOnBackupLo: _, pinnedToBackup: __, pair, client, realServers, net }) => {
      await expectFail(backupDoesNotForward(await runOf({ pair, client, realServers, net }, 0)))
    })
  })
})
