import { describe, expect, it } from 'vitest'
import { parseIpvsThresholds } from './parse-thresholds'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsThresholds', () => {
  it('reads the thresholds and connection counts of each real server (captured on the 6.1 lab)', () => {
    const [svc] = parseIpvsThresholds(fixture('thresholds-lab-nat3-6.1.txt')).services
    expect(svc).toMatchObject({ protocol: 'UDP', address: '192.168.100.6', port: 5353 })
    expect(svc!.realServers[0]).toEqual({ address: '172.16.100.11', port: 5353, counters: { upperThreshold: 0, lowerThreshold: 0, activeConns: 0, inactiveConns: 2 } })
  })

  it('rejects other listings', () => {
    expect(() => parseIpvsThresholds(fixture('stats-nat.txt'))).toThrow(IpvsParseError)
  })
})
