import { describe, expect, it } from 'vitest'
import { BadInput } from './bad-input'
import type { ConfigTest } from './keepalived/config-test'
import { judgeConfigTest } from './keepalived/judge-config-test'
import { readConfiguration, type KeepalivedReaders } from './read-configuration'
import { readRulesTable } from './rules/rules-table'

const keepalived = { path: '/usr/sbin/keepalived', version: 'v2.2.7' }
const conf = 'vrrp_instance VI_1 {\n  interface eth9\n}\nvirtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    TCP_CHECK {\n    }\n  }\n}\n'
const tested = (exitCode: number, stderr: string): ConfigTest => ({ keepalived, command: 'keepalived --config-test', seconds: 0.1, ...judgeConfigTest(exitCode, stderr) })
const readers = (over: Partial<KeepalivedReaders>): KeepalivedReaders => ({
  find: () => keepalived,
  test: () => tested(0, ''),
  table: async () => readRulesTable('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m\n'),
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
    expect(r.table.services).toHaveLength(1)
    expect(said).toEqual([
      "verify: k.conf read by keepalived v2.2.7 (/usr/sbin/keepalived, on this host), --config-test in 0.10 s: only about this host: (k.conf: Line 2) WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist",
      'verify: VRRP, not replayed: vrrp_instance VI_1 (line 1)',
      'verify: health checkers, kept (they run against the real servers): TCP_CHECK (line 6, in virtual_server 10.0.0.1 80 > real_server 10.0.1.1 80)',
    ])
  })

  it('stops in one line when keepalived rejects the file (its own message), or there is none', async () => {
    const rejected = readConfiguration('k.conf', conf, () => {}, readers({ test: () => tested(5, "(k.conf: Line 3) Unknown keyword 'bogus'\nanother\n") }))
    await expect(rejected).rejects.toThrow(BadInput)
    await expect(rejected).rejects.toThrow("keepalived v2.2.7 (/usr/sbin/keepalived, on this host) rejects k.conf: (k.conf: Line 3) Unknown keyword 'bogus' (and 1 more)")
    await expect(readConfiguration('k.conf', conf, () => {}, readers({ find: () => undefined }))).rejects.toThrow(/this host has no keepalived/)
  })
})
