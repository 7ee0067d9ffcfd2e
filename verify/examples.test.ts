import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BadInput } from './bad-input'
import { findKeepalived } from './keepalived/find-keepalived'
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

  it('web-farm.keepalived.conf is the same farm, accepted by keepalived; its table needs the lab', async ({ skip }) => {
    const keepalived = findKeepalived()
    if (!keepalived) skip('no keepalived on this host (`npm run lab:host-packages` installs it)')
    const file = example('web-farm.keepalived.conf')
    const said: string[] = []
    await expect(readConfiguration(file, readFileSync(file, 'utf8'), (l) => said.push(l))).rejects.toThrow(BadInput)
    expect(said[0]).toMatch(/read by keepalived v\S+ .*--config-test in [\d.]+ s/)
    expect(said.join('\n')).toMatch(/VRRP, not replayed: vrrp_instance VI_SHOP \(line 10\)/)
    expect(said.join('\n').match(/(HTTP_GET|TCP_CHECK|DNS_CHECK) \(line/g)).toHaveLength(8)
  })
})
