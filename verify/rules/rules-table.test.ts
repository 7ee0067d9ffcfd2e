import { describe, expect, it } from 'vitest'
import { IpvsParseError } from '../../lab/ipvs/parse-error'
import { readRulesTable } from './rules-table'

describe('readRulesTable', () => {
  it('keeps the line of every service and real server, and what the kernel would refuse', () => {
    const t = readRulesTable(['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m', '-A -t 10.0.0.1:80 -s wlc', '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 5'].join('\n'))
    expect(t.services).toHaveLength(1)
    expect(t.services[0]).toMatchObject({ line: 1, scheduler: 'rr', realServers: [{ line: 2, weight: 1 }] })
    expect(t.refused).toEqual([
      { line: 3, text: '-A -t 10.0.0.1:80 -s wlc', what: 'service', firstLine: 1, service: 'TCP 10.0.0.1:80' },
      { line: 4, text: '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 5', what: 'real server', firstLine: 2, service: 'TCP 10.0.0.1:80' },
    ])
  })

  it("gives a DR server the service's port, as ipvsadm does, and remembers the one written", () => {
    const t = readRulesTable('-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -g\n-A -f 7\n-a -f 7 -r 10.0.1.1:8080 -g\n')
    expect(t.services[0]!.realServers[0]).toMatchObject({ port: 80, writtenPort: 8080 })
    expect(t.services[1]!.realServers[0]).toMatchObject({ port: 8080 })
    expect(t.services[1]!.realServers[0]!.writtenPort).toBeUndefined()
  })

  it("takes --set over the kernel's defaults, 0 keeping a value", () => {
    expect(readRulesTable('-A -t 10.0.0.1:80\n').timeouts).toEqual({ tcp: 900, tcpFin: 120, udp: 300 })
    expect(readRulesTable('--set 0 30 0\n').timeouts).toEqual({ tcp: 900, tcpFin: 30, udp: 300, line: 1 })
  })

  it('refuses a real server of a service never added', () => {
    expect(() => readRulesTable('-a -t 10.0.0.1:80 -r 10.0.1.1\n')).toThrow(IpvsParseError)
  })
})
