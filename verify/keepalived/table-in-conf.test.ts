import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { outlineKeepalived } from './outline'
import { tableInConf } from './table-in-conf'

const example = readFileSync(new URL('../../examples/web-farm.keepalived.conf', import.meta.url), 'utf8')
/** `ipvsadm -S -n` in the 6.1 lab's director once keepalived 2.2.7's checker had programmed web-farm.keepalived.conf. */
const saved = readFileSync(new URL('./__fixtures__/save-web-farm-keepalived-2.2.7-6.1.txt', import.meta.url), 'utf8')
const keepalivedTimeouts = { tcp: 900, tcpFin: 60, udp: 300 }

describe('tableInConf', () => {
  it("gives each service the line of its virtual_server block and each real server that of its real_server, in the file's order", () => {
    const { table, unplaced } = tableInConf({ saved, timeouts: keepalivedTimeouts }, outlineKeepalived(example))
    expect(unplaced).toEqual([])
    expect(table.services.map((s) => [s.protocol, s.line, s.realServers.map((rs) => rs.line)])).toEqual([
      ['FWM', 24, [30, 41, 52]],
      ['TCP', 66, [72, 78, 84]],
      ['UDP', 93, [100, 107]],
    ])
    // lvs_timeouts is where the timeouts come from: a save does not write them
    expect(table.timeouts).toEqual({ ...keepalivedTimeouts, line: 7, setting: 'lvs_timeouts' })
  })

  it("keeps the kernel's timeouts without a line, takes the thresholds a save leaves out, and names what no block writes", () => {
    const conf = 'virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    uthreshold 100\n  }\n}\n'
    const thresholds = {
      services: [
        {
          protocol: 'TCP' as const,
          address: '10.0.0.1',
          port: 80,
          counters: { upperThreshold: 0, lowerThreshold: 0, activeConns: 0, inactiveConns: 0 },
          realServers: [{ address: '10.0.1.1', port: 80, counters: { upperThreshold: 100, lowerThreshold: 0, activeConns: 0, inactiveConns: 0 } }],
        },
      ],
    }
    const programmed = {
      saved: '-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1\n-A -t 10.0.0.9:443 -s rr\n',
      timeouts: { tcp: 900, tcpFin: 120, udp: 300 },
      thresholds,
    }
    const { table, unplaced } = tableInConf(programmed, outlineKeepalived(conf))
    expect(table.timeouts.line).toBeUndefined()
    expect(table.services[1]!.realServers[0]).toMatchObject({ line: 2, upperThreshold: 100 })
    expect(table.services[1]!.realServers[0]!.lowerThreshold).toBeUndefined()
    expect(table.services[0]).toMatchObject({ address: '10.0.0.9', line: 0 })
    expect(unplaced).toEqual(['TCP 10.0.0.9:443'])
  })
})
