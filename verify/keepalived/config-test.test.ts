import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runConfigTest } from './config-test'
import { findKeepalived } from './find-keepalived'

const keepalived = findKeepalived()
const dir = mkdtempSync(path.join(tmpdir(), 'verify-keepalived-'))
const file = (name: string, text: string) => {
  const f = path.join(dir, name)
  writeFileSync(f, text)
  return f
}
const service = (body: string) => `virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n${body}  real_server 10.0.1.1 80 {\n    weight 1\n  }\n}\n`

describe("runConfigTest (the host's keepalived)", () => {
  it('accepts a clean file and rejects one with an unknown keyword, with its own message and line', ({ skip }) => {
    if (!keepalived) skip('no keepalived on this host (`npm run lab:host-packages` installs it)')
    const clean = runConfigTest(keepalived!, file('clean.conf', service('')))
    expect(clean).toMatchObject({ accepted: true, messages: [] })
    expect(clean.command).toMatch(/--config-test --all-config --use-file=/)
    const bad = runConfigTest(keepalived!, file('bad.conf', service('  lb_bogus 3\n')))
    expect(bad.accepted).toBe(false)
    expect(bad.messages).toEqual([`(${dir}/bad.conf: Line 5) Unknown keyword 'lb_bogus'`])
  })

  it('rejects a missing include (--all-config), which keepalived would otherwise skip', ({ skip }) => {
    if (!keepalived) skip('no keepalived on this host (`npm run lab:host-packages` installs it)')
    const r = runConfigTest(keepalived!, file('include.conf', `include ${dir}/no-such.conf\n${service('')}`))
    expect(r.accepted).toBe(false)
    expect(r.messages.join('\n')).toMatch(/no-such\.conf/)
  })
})
