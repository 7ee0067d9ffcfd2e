import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint/lint-input-of'
import { planReplay } from '../replay/plan-replay'
import { outlineKeepalived } from './outline'
import { tableInConf } from './table-in-conf'
import { withHealthChecks } from './with-health-checks'

const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8')

describe('withHealthChecks', () => {
  it('adds health-checks to the services whose virtual_server block holds a checker, and to no other', () => {
    const conf = `${read('../../examples/web-farm.keepalived.conf')}\nvirtual_server 172.16.100.203 80 {\n  lb_algo rr\n  lb_kind DR\n  real_server 172.16.100.131 80 {\n  }\n}\n`
    const saved = `${read('./__fixtures__/save-web-farm-keepalived-2.2.7-6.1.txt')}-A -t 172.16.100.203:80 -s rr\n-a -t 172.16.100.203:80 -r 172.16.100.131:80 -g -w 1\n`
    const outline = outlineKeepalived(conf)
    const { table } = tableInConf({ saved, timeouts: { tcp: 900, tcpFin: 60, udp: 300 } }, outline)
    const plan = withHealthChecks(planReplay({ ...lintInputOf({ rules: '', mangle: read('../../examples/web-farm.mangle') }), table }), outline)
    expect(plan.services.map((s) => [s.name, s.checks.includes('health-checks')])).toEqual([
      ['FWM 10', true],
      ['TCP 172.16.100.201:8443', true],
      ['UDP 172.16.100.202:53', true],
      ['TCP 172.16.100.203:80', false],
    ])
  })
})
