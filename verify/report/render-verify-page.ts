import { formatEndpoint } from '../../lab/ipvs/endpoint'
import { plural } from '../../lab/matrix/plural'
import type { Finding } from '../lint/finding'
import type { Evidence, ServiceReplay } from '../replay/replay-result'
import type { ReportedService, VerifyReport } from './verify-report'

/**
 * The verification of one file as one HTML page: every service with its findings, its checks and
 * their verdicts and the evidence behind them. No script, no external file (the matrix page's
 * habit, lab/matrix/render-page.ts): it reads offline from the file alone.
 */

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const style = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:80em}
h1{font-size:1.4em;margin:0 0 .3em} h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc} h3{font-size:1em;margin:1em 0 .3em}
table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left} th{background:#f4f4f4;font-weight:normal}
.meta{color:#555;font-size:.9em} pre{background:#f7f7f7;padding:.5em;overflow-x:auto;font-size:.85em;margin:.2em 0}
.verdict{font-size:1.2em;font-weight:bold;padding:.3em .6em;display:inline-block} .ok{background:#e6f4e6} .bad{background:#fbe3e3} .warn{background:#fff4d6} .info{background:#eef}
ul.failures{margin:.2em 0 .2em 1.2em;padding:0} details{margin:.2em 0} summary{cursor:pointer;color:#335}
.service{border:1px solid #ddd;padding:.2em .8em .6em;margin:1em 0}
`

const severityClass = { error: 'bad', warning: 'warn', info: 'info' } as const

function findingRows(findings: Finding[]): string {
  if (!findings.length) return '<p class="meta">No finding.</p>'
  return `<table>${findings
    .map(
      (f) =>
        `<tr><td class="${severityClass[f.severity]}">${f.severity}</td><td>${escape(f.line === undefined ? f.file : `${f.file} line ${f.line}`)}<br><span class="meta">${escape(f.rule)}</span></td><td>${escape(f.summary)}<div class="meta">on the wire: ${escape(f.wire)}</div><div class="meta">to do: ${escape(f.todo)}</div></td></tr>`,
    )
    .join('')}</table>`
}

function evidenceBlocks(evidence: Evidence[]): string {
  return evidence.map((e) => `<details><summary>${escape(e.name)}</summary><pre>${escape(e.text)}</pre></details>`).join('')
}

function serviceHead(s: ReportedService): string {
  const options = [s.scheduler, s.flags.length ? `-b ${s.flags.join(',')}` : '', s.persistent !== undefined ? `-p ${s.persistent}` : '', s.netmask ? `-M ${s.netmask}` : '']
    .filter(Boolean)
    .join(' ')
  const servers = s.realServers.map((rs) => `${formatEndpoint(rs.address, rs.port)} ${rs.forward} weight ${rs.weight} (line ${rs.line})`)
  return `<h3>${escape(s.name)} <span class="meta">line ${s.line}, ${escape(options)}</span></h3><div class="meta">${escape(servers.join('; ') || 'no real server')}</div>`
}

function replayBlock(replayed: ServiceReplay | undefined, lintOnly: boolean): string {
  if (!replayed) return `<p class="meta">${lintOnly ? 'Not replayed (--lint-only).' : 'Not replayed.'}</p>`
  const rows = replayed.verdicts.map(
    (v) =>
      `<tr><td class="${v.failures.length ? 'bad' : 'ok'}">${v.failures.length ? '✗ fails' : '✓ holds'}</td><td><span class="meta">${escape(v.kind)}</span><br>${escape(v.check)}${
        v.failures.length ? `<ul class="failures">${v.failures.map((f) => `<li>${escape(f)}</li>`).join('')}</ul>` : ''
      }</td></tr>`,
  )
  const not = replayed.notChecked.map((n) => `<tr><td>– not checked</td><td>${escape(n)}</td></tr>`)
  return `<table>${[...rows, ...not].join('') || '<tr><td>no check applies</td></tr>'}</table>${evidenceBlocks(replayed.evidence)}`
}

export function renderVerifyPage(r: VerifyReport, generatedAt: Date): string {
  const failed = r.replay?.failed ?? 0
  const passes = r.counts.error === 0 && failed === 0
  const counts = `${plural(r.counts.error, 'error')}, ${plural(r.counts.warning, 'warning')}, ${plural(r.counts.info, 'info')}`
  const replayLine = r.replay
    ? `replayed on the ${escape(r.replay.lab.mode)} lab, kernel ${escape(r.replay.lab.kernelRelease)}: ${plural(failed, 'failed check')} of ${r.replay.services.reduce((n, s) => n + s.verdicts.length, 0)}`
    : 'not replayed (--lint-only)'
  const named = new Set(r.services.map((s) => s.name))
  const services = r.services.map(
    (s) =>
      `<div class="service">${serviceHead(s)}<h3>Findings</h3>${findingRows(r.findings.filter((f) => f.service === s.name))}<h3>Replayed checks</h3>${replayBlock(
        r.replay?.services.find((x) => x.name === s.name && x.line === s.line),
        !r.replay,
      )}</div>`,
  )
  const rest = r.findings.filter((f) => !f.service || !named.has(f.service))
  const roundTrip = r.replay
    ? `<h2>Save and restore</h2><p>${
        r.replay.roundTrip.differences.length ? `What <code>ipvsadm -S -n</code> of the replayed table says differently from the file:` : 'The save says what the file says.'
      }</p><ul>${r.replay.roundTrip.differences.map((d) => `<li>${escape(`${d.line === undefined ? '' : `line ${d.line}: `}${d.service ? `${d.service}: ` : ''}${d.what}`)}</li>`).join('')}</ul>${evidenceBlocks([{ name: 'ipvsadm -S -n', text: r.replay.roundTrip.saved }])}`
    : ''
  const programming = r.replay ? `<h2>The director, as programmed</h2>${evidenceBlocks(r.replay.programming)}` : ''
  const timings = r.replay
    ? `<h2>Phase timings</h2><table>${r.replay.timings.map((t) => `<tr><td>${escape(t.phase)}</td><td>${t.seconds.toFixed(1)} s</td></tr>`).join('')}</table>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>verify ${escape(r.file)}</title><style>${style}</style></head>
<body>
<h1>verify ${escape(r.file)}</h1>
<p><span class="verdict ${passes ? 'ok' : 'bad'}">${passes ? 'no error, every replayed check holds' : 'errors or failed checks'}</span></p>
<p>${escape(r.kind)}, read by ${escape(r.readBy)}. Lint: ${counts}. ${replayLine}. Generated ${escape(generatedAt.toISOString())}.</p>
${r.notes.map((n) => `<p class="meta">${escape(n)}</p>`).join('')}
${r.replay?.notes.length ? `<ul>${r.replay.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>` : ''}
<h2>Services</h2>
${services.join('\n')}
${rest.length ? `<h2>Other findings</h2>${findingRows(rest)}` : ''}
${roundTrip}
${programming}
${timings}
</body></html>
`
}
