import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint/lint-input-of'
import { runLint } from '../lint/run-lint'
import { buildReport } from './verify-report'
import { summaryOf } from './summary'

describe('summaryOf', () => {
  it('lists the table as the director holds it, then each finding with its line, wire meaning and what to do', () => {
    const input = lintInputOf({ rules: '-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:443 -s sh\n-a -t 10.0.0.1:443 -r 10.0.1.1:443 -m -w 0\n' })
    const reading = { kind: 'ipvsadm rules' as const, readBy: 'the parser', table: input.table }
    const report = buildReport({ file: 'f.rules', lintOnly: true, json: false }, reading, input, runLint(input), 0.01)
    expect(report.counts).toEqual({ error: 3, warning: 0, info: 0 })
    const text = summaryOf(report, 'reports/verify/f.rules.json')
    expect(text).toContain('  line 2    TCP 10.0.0.1:443 sh: 10.0.1.1:443 Masq 0')
    expect(text).toContain('ERROR   rules line 1, TCP 10.0.0.1:80 [no-usable-real-server]\n  TCP 10.0.0.1:80 has no real server\n  on the wire: ')
    expect(text).toMatch(/3 errors, 0 warnings, 0 infos from 12 lint rules in 0\.01 s\ndata: reports\/verify\/f\.rules\.json$/)
  })
})
