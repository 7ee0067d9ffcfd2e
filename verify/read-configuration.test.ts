import { describe, expect, it } from 'vitest'
import { BadInput } from './bad-input'
import { LabError } from '../lab/errors'
import type { ConfigTest } from './keepalived/config-test'
import type { LabReading } from './keepalived/read-in-lab'
import { judgeConfigTest } from './keepalived/judge-config-test'
import { readConfiguration, type KeepalivedReaders } from './read-configuration'

const keepalived = { path: '/usr/sbin/keepalived', version: 'v2.2.7' }
const conf = 'vrrp_instance VI_1 {\n  interface eth9\n}\nvirtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    TCP_CHECK {\n    }\n  }\n}\n'
const tested = (exitCode: number, stderr: string): ConfigTest => ({ keepalived, command: 'keepalived --config-test', seconds: 0.1, ...judgeConfigTest(exitCode, stderr) })
/** What the lab's keepalived says of the file: its --config-test, and the table its checker programmed. */
const labReading = (exitCode = 0, stderr = ''): LabReading => ({
  version: 'v2.2.7',
  where: "the lab's director (kernel 6.1.0-57-cloud-amd64)",
  configTest: { command: 'keepalived --config-test', ...judgeConfigTest(exitCode, stderr) },
  checker: 'programmed',
  programmed: { saved: '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1\n', timeouts: { tcp: 900, tcpFin: 120, udp: 300 } },
  log: '',
  timings: [
    { phase: 'lab start', seconds: 21.4 },
    { phase: "the reading director's container", seconds: 9.1 },
  ],
})
const readers = (over: Partial<KeepalivedReaders>): KeepalivedReaders => ({
  find: () => keepalived,
  test: () => tested(0, ''),
  lab: async () => labReading(),
  ...over,
})

describe('readConfiguration', () => {
  it('reads a rules file with the project parser, and refuses a line ipvsadm would, quoting it', async () => {
    const r = await readConfiguration('farm.rules', '-A -t 10.0.0.1:80 -s rr\n', () => {})
    expect(r).toMatchObject({ kind: 'ipvsadm rules', readBy: expect.stringMatching(/^the project's rules parser/) })
    await expect(readConfiguration('farm.rules', '-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:0 -s rr\n', () => {})).rejects.toThrow(
      'farm.rules line 2: "-A -t 10.0.0.1:0 -s rr": ipvsadm refuses this: port 0 is only allowed for a persistent service (-p)',
    )
  })

  it('hands a keepalived.conf to keepalived: its verdict, who read it and how long, VRRP and checkers named', async () => {
    const said: string[] = []
    const r = await readConfiguration(
      'k.conf',
      conf,
      (l) => said.push(l),
      readers({ test: () => tested(5, "(k.conf: Line 2) WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist\n") }),
    )
    expect(r.table.services).toMatchObject([{ line: 4, realServers: [{ address: '10.0.1.1', line: 5 }] }])
    expect(said).toEqual([
      "verify: k.conf checked by keepalived v2.2.7 (/usr/sbin/keepalived, on this host), --config-test in 0.10 s: only about this host: (k.conf: Line 2) WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist; its table is read by the lab's keepalived",
      "verify: k.conf read by keepalived v2.2.7 (/usr/sbin/keepalived, on this host), --config-test in 0.10 s: only about this host: (k.conf: Line 2) WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist; keepalived v2.2.7 in the lab's director (kernel 6.1.0-57-cloud-amd64): its checker programmed IPVS there, read back with ipvsadm -S -n, in 0.0 s (lab start 21.4 s, the reading director's container 9.1 s)",
      'verify: VRRP, not replayed: vrrp_instance VI_1 (line 1)',
      'verify: health checkers, kept (they run against the real servers): TCP_CHECK (line 6, in virtual_server 10.0.0.1 80 > real_server 10.0.1.1 80)',
    ])
  })

  it('stops in one line when keepalived rejects the file (its own message), or there is none', async () => {
    const rejected = readConfiguration('k.conf', conf, () => {}, readers({ test: () => tested(5, "(k.conf: Line 3) Unknown keyword 'bogus'\nanother\n") }))
    await expect(rejected).rejects.toThrow(BadInput)
    await expect(rejected).rejects.toThrow("keepalived v2.2.7 (/usr/sbin/keepalived, on this host) rejects k.conf: (k.conf: Line 3) Unknown keyword 'bogus' (and 1 more)")
    // without one on the host, the lab's keepalived judges it, and a lab that cannot start says so in its own line
    const said: string[] = []
    const byLab = readConfiguration(
      'k.conf',
      conf,
      (l) => said.push(l),
      readers({ find: () => undefined, lab: async () => labReading(5, "(k.conf: Line 3) Unknown keyword 'bogus'\n") }),
    )
    await expect(byLab).rejects.toThrow("keepalived v2.2.7 in the lab's director (kernel 6.1.0-57-cloud-amd64) rejects k.conf: (k.conf: Line 3) Unknown keyword 'bogus'")
    expect(said).toEqual([expect.stringMatching(/^verify: this host has no keepalived: k.conf is read by the lab's/)])
    const noLab = readConfiguration(
      'k.conf',
      conf,
      () => {},
      readers({ find: () => undefined, lab: () => Promise.reject(new LabError('no Docker engine and no cache', 'run as root')) }),
    )
    await expect(noLab).rejects.toThrow(LabError)
  })

  it("reads the table from the lab's keepalived when the host has none, saying so and how long it took", async () => {
    const said: string[] = []
    const r = await readConfiguration('k.conf', conf, (l) => said.push(l), readers({ find: () => undefined }))
    expect(r.readBy).toMatch(
      /^keepalived v2\.2\.7 in the lab's director \(kernel 6\.1\.0-57-cloud-amd64\) \(this host has none\), --config-test: no complaint: its checker programmed IPVS there, read back with ipvsadm -S -n, in [\d.]+ s \(lab start 21\.4 s/,
    )
    expect(r.keepalived?.test).toBeUndefined()
    expect(r.keepalived?.unplaced).toEqual([])
  })
})
