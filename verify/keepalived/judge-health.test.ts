import { describe, expect, it } from 'vitest'
import { parseIpvsList } from '../../lab/ipvs/parse-list'
import type { PlannedService } from '../replay/replay-plan'
import type { CheckerState } from './checker-states'
import { healthChecked } from './judge-health'

const service = {
  name: 'TCP 172.16.100.201:8443',
  servers: [
    { address: '172.16.100.111', weight: 1, forward: 'Route' },
    { address: '172.16.100.112', weight: 1, forward: 'Route' },
  ],
} as PlannedService
const listing = (servers: string) =>
  parseIpvsList(
    `IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  172.16.100.201:8443 rr\n${servers}`,
  )
const row = (address: string, weight = 1) => `  -> ${address}:8443           Route   ${weight}      0          0\n`
const state = (address: string, over: Partial<CheckerState> = {}): CheckerState => ({
  service: 'TCP 172.16.100.201:8443',
  address,
  port: 8443,
  method: 'TCP_CHECK',
  hasRun: true,
  up: true,
  ...over,
})

describe('healthChecked', () => {
  it('holds when every checker ran, found its server up, and the table keeps it at its weight', () => {
    expect(healthChecked(service, [state('172.16.100.111'), state('172.16.100.112')], listing(row('172.16.100.111') + row('172.16.100.112'))).failures).toEqual([])
  })

  it('fails for a checker that found its server down (removed, or inhibited to weight 0), had no result, or is not there', () => {
    const down = healthChecked(service, [state('172.16.100.111'), state('172.16.100.112', { up: false })], listing(row('172.16.100.111')))
    expect(down.failures).toEqual(['TCP_CHECK of 172.16.100.112:8443 failed: keepalived took the server down', '172.16.100.112:8443 is no longer in the table'])
    const inhibited = healthChecked(service, [state('172.16.100.112', { up: false })], listing(row('172.16.100.112', 0)))
    expect(inhibited.failures).toContain('172.16.100.112:8443 is at weight 0 in the table, the file gives it 1')
    expect(healthChecked(service, [state('172.16.100.111', { hasRun: false })], listing(row('172.16.100.111'))).failures).toEqual([
      'TCP_CHECK of 172.16.100.111:8443 had no result yet',
    ])
    expect(healthChecked(service, [], listing('')).failures).toEqual(['keepalived reported no health checker for TCP 172.16.100.201:8443'])
  })
})
