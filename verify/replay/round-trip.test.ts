import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readRulesTable } from '../rules/rules-table'
import { compareRoundTrip } from './round-trip'

/** The file, and its save the way `ipvsadm -S -n` prints one: every weight, -p with its timeout, a tunnel with its type. */
const file = [
  '--set 900 60 300',
  '-A -t 172.16.100.200:80 -s rr',
  '-a -t 172.16.100.200:80 -r 172.16.100.101:8080 -g -w 1',
  '-a -t 172.16.100.200:80 -r 172.16.100.102:80 -g -w 2 -x 100 -y 50',
  '-A -f 10 -s wlc -p',
  '-a -f 10 -r 172.16.100.101:0 -i',
].join('\n')
const saved = [
  '-A -t 172.16.100.200:80 -s rr',
  '-a -t 172.16.100.200:80 -r 172.16.100.101:80 -g -w 1',
  '-a -t 172.16.100.200:80 -r 172.16.100.102:80 -g -w 2',
  '-A -f 10 -s wlc -p 360',
  '-a -f 10 -r 172.16.100.101:0 -i -w 1 --tun-type ipip',
].join('\n')

describe('compareRoundTrip', () => {
  it('names what a save loses or changes: the timeouts, the thresholds, a DR port rewritten', () => {
    expect(compareRoundTrip(readRulesTable(file), readRulesTable(saved))).toEqual([
      { line: 1, what: "--set 900 60 300 is not in the save (ipvsadm -S writes no timeouts): a restore leaves the kernel's timeouts as they were" },
      {
        line: 3,
        service: 'TCP 172.16.100.200:80',
        what: "172.16.100.101:8080 is saved as 172.16.100.101:80: DR and TUN cannot remap a port, and ipvsadm wrote the service's in",
      },
      {
        line: 4,
        service: 'TCP 172.16.100.200:80',
        what: "172.16.100.102:80's thresholds (-x 100 -y 50) are not in the save: after a save and restore the server has no connection limit",
      },
    ])
  })

  it('finds nothing when the save says what the file says, defaults written out included', () => {
    const clean = '-A -f 10 -s wlc -p\n-a -f 10 -r 172.16.100.101:0 -i\n'
    expect(compareRoundTrip(readRulesTable(clean), readRulesTable('-A -f 10 -s wlc -p 360\n-a -f 10 -r 172.16.100.101:0 -i -w 1 --tun-type ipip\n'))).toEqual([])
  })

  it('reports a service or a server the kernel did not keep, and a weight or scheduler that changed', () => {
    const d = compareRoundTrip(
      readRulesTable('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n-a -t 10.0.0.1:80 -r 10.0.1.2 -m\n-A -u 10.0.0.1:53\n'),
      readRulesTable('-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 3\n'),
    )
    expect(d.map((x) => `${x.line} ${x.what}`)).toEqual([
      '1 scheduler rr in the file, wrr in the save',
      '2 10.0.1.1:80 has weight 1 in the file, 3 in the save',
      '3 10.0.1.2:80 is not in the save: the kernel did not keep it',
      '4 the service is not in the save: the kernel did not keep it',
    ])
  })
})

describe('compareRoundTrip on what the lab saved', () => {
  it("finds only the web farm's --set: `ipvsadm -S -n` on the 6.1 director after `ipvsadm -R` of examples/web-farm.rules", () => {
    const rules = readFileSync(new URL('../../examples/web-farm.rules', import.meta.url), 'utf8')
    const saved = readFileSync(new URL('./__fixtures__/save-web-farm-6.1.txt', import.meta.url), 'utf8')
    expect(compareRoundTrip(readRulesTable(rules), readRulesTable(saved)).map((d) => d.line)).toEqual([1])
  })
})
