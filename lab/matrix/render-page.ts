import { figureRows, figureText } from './figure-rows'
import type { Cell, KernelColumn, Matrix, Row } from './model'
import { describeCounts } from './matrix-counts'
import { plural } from './plural'
import type { KnownDifference } from './registry'

/**
 * The matrix as one HTML file: no script, no external style or font, every link relative,
 * so it reads the same from a CI artefact opened offline as from the reports folder.
 */

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`

const cellText: Record<Cell['state'], string> = {
  passed: '✓ pass',
  failed: '✗ fail',
  skipped: '– skipped',
  flaky: '↯ flaky',
  known: '≈ known difference',
  unexpected: '✗ not as registered',
  missing: '? not run',
  'no-kernel': '✗ kernel did not run',
}

function link(href: string | undefined, text: string): string {
  return href ? `<a href="${escape(href)}">${text}</a>` : text
}

/** Whether the column's kernel is one the user pinned or whatever the series' newest was that day. */
function requested(c: KernelColumn): string {
  if (c.kernel?.imageSha256) return `<div class="meta" title="sha256 ${escape(c.kernel.imageSha256)}">your kernel; image sha256 ${escape(c.kernel.imageSha256.slice(0, 16))}…</div>`
  if (c.pinned) return `<div class="meta">pinned: --kernel ${escape(c.pinned)}</div>`
  return c.kernel?.package ? `<div class="meta">newest of ${escape(c.series)}</div>` : ''
}

function columnHeader(c: KernelColumn): string {
  const k = c.kernel
  const version = k?.files ? escape(k.files.join(', ')) : k?.package ? `${escape(k.package)}<br><b>${escape(k.packageVersion ?? '')}</b>` : k ? escape(k.release) : ''
  const state = c.state === 'ran' ? '' : `<div class="bad">${c.state === 'fetch-failed' ? 'could not be fetched' : 'could not be booted'}: ${escape(c.problem ?? '')}</div>`
  const links = [link(c.report, 'report'), link(c.log, 'log')].filter((l) => l.startsWith('<a')).join(' · ')
  const runs = c.runs && c.runs > 1 ? ` · ${plural(c.runs, 'run')}` : ''
  return `<th><div class="series">${escape(c.series)} <span class="line">${escape(c.line)}</span></div><div class="pkg">${version}</div>${requested(c)}${k ? `<div class="meta">uname ${escape(k.release)}; ${escape(k.labMode)}${k.accel ? ` (${escape(k.accel)})` : ''}</div>` : ''}${state}<div class="meta">${minutes(c.seconds)}${runs}${links ? ` · ${links}` : ''}</div></th>`
}

function cell(c: Cell): string {
  const cls = c.differs ? `${c.state} differs` : c.state
  // After several runs, how many of them passed: 5/5, 0/5, 3/5.
  const passed = c.tally && c.runs && c.runs > 1 ? ` <span class="runs">${c.tally.passed}/${c.runs}</span>` : ''
  const text = `${cellText[c.state]}${passed}${c.differs ? ' ≠' : ''}`
  // A kernel that did not run says why once, in its column's header.
  const reason = c.reason && c.state !== 'no-kernel' ? `<div class="reason">${escape(c.reason)}</div>` : ''
  return `<td class="${cls}">${link(c.href, text)}${reason}</td>`
}

function row(r: Row): string {
  const name = r.titles.map(escape).join(' <span class="sep">›</span> ')
  return `<tr class="row-${r.verdict}"><td class="check">${name}</td>${r.cells.map(cell).join('')}</tr>`
}

function rowsByFile(m: Matrix): string {
  const out: string[] = []
  let file = ''
  for (const r of m.rows) {
    if (r.file !== file) {
      file = r.file
      out.push(`<tr class="file"><td colspan="${m.columns.length + 1}">${escape(file)}</td></tr>`)
    }
    out.push(row(r))
  }
  return out.join('\n')
}

function timings(m: Matrix): string {
  const phases = [...new Set(m.columns.flatMap((c) => c.timings.map((t) => t.phase)))]
  const head = `<tr><th>phase</th>${m.columns.map((c) => `<th>${escape(c.series)}</th>`).join('')}</tr>`
  const body = phases.map(
    (p) =>
      `<tr><td>${escape(p)}</td>${m.columns
        .map((c) => {
          const t = c.timings.find((x) => x.phase === p)
          return `<td class="num">${t ? `${t.seconds.toFixed(1)} s` : ''}</td>`
        })
        .join('')}</tr>`,
  )
  return `<table class="timings">${head}${body.join('')}</table>`
}

/** What the checks measured, per kernel (`fixtures/figures.ts`); nothing when none did. */
function figures(m: Matrix): string {
  const rows = figureRows(m.columns)
  if (!rows.length) return ''
  const head = `<tr><th>figure</th>${m.columns.map((c) => `<th>${escape(c.series)}</th>`).join('')}</tr>`
  const body = rows.map(
    (r) =>
      `<tr><td>${escape(r.name)}<div class="meta">measured by: ${escape(r.check)}</div></td>${r.cells.map((c) => `<td class="num">${escape(figureText(c))}</td>`).join('')}</tr>`,
  )
  return `<h2>Figures per kernel</h2>
<p class="meta">What the checks measured on each kernel, every run's value in run order; each check holds its figure to its bound.</p>
<table class="figures">${head}${body.join('')}</table>`
}

function registry(entries: KnownDifference[]): string {
  const items = entries.map(
    (d) =>
      `<li>${[d.check]
        .flat()
        .map((c) => `<code>${escape(String(c))}</code>`)
        .join(', ')} on ${d.kernels.map(escape).join(', ')}: ${escape(d.outcome)}. ${escape(d.reason)}</li>`,
  )
  return `<ul>${items.join('')}</ul>`
}

const style = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em} h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f4f4f4;text-align:left;font-weight:normal;min-width:12em}
.series{font-weight:bold;font-size:1.1em} .line,.meta,.reason,.pkg{color:#555;font-size:.85em}
td.check{max-width:36em} .sep{color:#999} tr.file td{background:#eef;font-family:monospace}
td.passed{background:#e6f4e6} td.failed,td.unexpected,td.no-kernel,td.missing{background:#fbe3e3}
td.skipped{background:#f3f3f3} td.known{background:#fff4d6} td.flaky{background:#f6e0f6} .runs{font-weight:normal} td.differs{outline:2px solid #c00;outline-offset:-2px}
td a{color:inherit;font-weight:bold;text-decoration:none} td a:hover{text-decoration:underline}
.verdict{font-size:1.2em;font-weight:bold;padding:.3em .6em;display:inline-block}
.verdict.ok{background:#e6f4e6} .verdict.bad,.bad{background:#fbe3e3} .num{text-align:right}
`

export function renderMatrixPage(m: Matrix, known: KnownDifference[], generatedAt: Date): string {
  const verdict = m.failed ? '<span class="verdict bad">the matrix fails</span>' : '<span class="verdict ok">the matrix passes</span>'
  const problems = m.problems.length ? `<ul>${m.problems.map((p) => `<li>${escape(p)}</li>`).join('')}</ul>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LVS conformance matrix</title><style>${style}</style></head>
<body>
<h1>LVS conformance across kernels</h1>
<p>${verdict} ${escape(describeCounts(m))}. Generated ${escape(generatedAt.toISOString())}.</p>
${problems}
<p class="meta">Each cell links to its evidence in that kernel's report. ≈ a registered known difference; ≠ differs from the other kernels and is not registered (fails the matrix); ↯ flaky: the kernel's runs disagreed (fails the matrix). After several runs, n/N: passed in n of the N runs. A check counts as passed if it passed on every kernel that ran it, registered differences aside; a cell counts by its outcome, a registered skip as a skip.</p>
<table>
<tr><th>check</th>${m.columns.map(columnHeader).join('')}</tr>
${rowsByFile(m)}
</table>
${figures(m)}
<h2>Known differences (lab/matrix/known-differences.ts)</h2>
${registry(known)}
<h2>Timings per kernel</h2>
${timings(m)}
</body></html>
`
}
