import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runConfigTest } from './keepalived/config-test'
import { findKeepalived } from './keepalived/find-keepalived'
import { judgeConfigTest } from './keepalived/judge-config-test'
import type { LabReading } from './keepalived/read-in-lab'
import { lintInputOf } from './lint/lint-input-of'
import { LINT_RULES } from './lint/rules'
import { runLint } from './lint/run-lint'
import { readConfiguration } from './read-configuration'

/** An example with the mangle and sysctl files beside it that share its name. */
function lintExample(name: string) {
  const read = (file: string) => (existsSync(example(file)) ? readFileSync(example(file), 'utf8') : undefined)
  const base = name.replace(/\.(save|rules)$/, '')
  return runLint(lintInputOf({ rules: read(name)!, mangle: read(`${base}.mangle`), sysctl: read(`${base}.sysctl`) }))
}
const example = (file: string) => new URL(`../examples/${file}`, import.meta.url).pathname
const found = (name: string) => lintExample(name).map((f) => `${f.severity} ${f.rule}`)

describe('examples/', () => {
  it.each([
    ['nat.save', []],
    ['dr.save', []],
    ['fwm-persistence.save', ['info persistence-horizon']],
    ['pcc.save', ['warning persistent-port-zero', 'info persistence-horizon']],
    ['web-farm.rules', ['info persistence-horizon']],
  ])('%s: no error, and exactly the findings the article leads to expect', (name, expected) => {
    expect(found(name)).toEqual(expected)
  })

  it('broken.rules trips every lint rule, with errors', () => {
    const findings = lintExample('broken.rules')
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(LINT_RULES.map((r) => r.id)))
    expect(findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(0)
  })

  it('web-farm.keepalived.conf is the same farm, accepted by keepalived; its table needs the lab', async () => {
    // the lab's part as it came from the 6.1 lab (keepalived 2.2.7's checker, then ipvsadm -S -n); the host's keepalived checks first when there is one
    const lab = async (): Promise<LabReading> => ({
      version: 'v2.2.7',
      where: "the lab's director (kernel 6.1.0-57-cloud-amd64)",
      configTest: {
        command: 'keepalived --config-test',
        ...judgeConfigTest(
          5,
          "(/etc/keepalived/verify.conf: Line 12) WARNING - interface eth0 for vrrp_instance VI_SHOP doesn't exist\nNon-existent interface specified in configuration\n",
        ),
      },
      checker: 'programmed',
      programmed: {
        saved: readFileSync(new URL('./keepalived/__fixtures__/save-web-farm-keepalived-2.2.7-6.1.txt', import.meta.url), 'utf8'),
        timeouts: { tcp: 900, tcpFin: 60, udp: 300 },
      },
      log: '',
      timings: [],
    })
    const file = example('web-farm.keepalived.conf')
    const said: string[] = []
    const reading = await readConfiguration(file, readFileSync(file, 'utf8'), (l) => said.push(l), { find: findKeepalived, test: runConfigTest, lab })
    expect(said.join('\n')).toMatch(/read by .*keepalived v2\.2\.7 in the lab's director .*its checker programmed IPVS there, read back with ipvsadm -S -n/)
    expect(said.join('\n')).toMatch(/VRRP, not replayed: vrrp_instance VI_SHOP \(line 10\)/)
    expect(said.join('\n').match(/(HTTP_GET|TCP_CHECK|DNS_CHECK) \(line/g)).toHaveLength(8)
    // the same farm as web-farm.rules, found at the lines of its blocks
    const findings = runLint({ table: reading.table, mangle: lintInputOf({ rules: '', mangle: readFileSync(example('web-farm.mangle'), 'utf8') }).mangle })
    expect(findings.map((f) => `${f.severity} ${f.rule} line ${f.line}`)).toEqual(['info persistence-horizon line 24'])
  })
})
