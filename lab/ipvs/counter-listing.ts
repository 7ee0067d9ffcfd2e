import type { CounterService, CounterTable, Endpoint } from './types'
import { toLines, tokens, type Line } from './lines'
import { IpvsParseError } from './parse-error'
import { takeBanner } from './banner'
import { parseServiceKey } from './service-key'
import { parseEndpoint } from './endpoint'
import { parseLargeNum } from './numbers'

export type Column = { value: number; exact: boolean }

/**
 * The --stats and --rate listings share one layout (print_title with
 * FMT_STATS / FMT_RATE): a banner, `Prot LocalAddress:Port <5 columns>`,
 * `  -> RemoteAddress:Port`, then per service and per real server an
 * endpoint followed by five numbers. Only the column names differ.
 */
export function parseCounterListing<C>(text: string, option: string, columns: readonly string[], build: (values: Column[]) => C): CounterTable<C> {
  const lines = toLines(text)
  const table: CounterTable<C> = { services: [] }
  const i = takeBanner(lines, table)
  const title = ['Prot', 'LocalAddress:Port', ...columns].join(' ')
  const head = lines[i]
  if (!head) throw new IpvsParseError(`no "${title}" title line: not an ipvsadm -Ln ${option} listing`)
  if (tokens(head).join(' ') !== title) throw new IpvsParseError(`expected title "${title}" (is this -Ln ${option} output?)`, head.no, head.text)
  const sub = lines[i + 1]
  if (!sub || tokens(sub).join(' ') !== '-> RemoteAddress:Port') {
    throw new IpvsParseError('expected real-server title "  -> RemoteAddress:Port"', sub?.no ?? head.no, sub?.text ?? head.text)
  }

  let current: CounterService<C> | undefined
  for (const line of lines.slice(i + 2)) {
    const toks = tokens(line)
    if (toks[0] === '->') {
      if (!current) throw new IpvsParseError('real server before any virtual service', line.no, line.text)
      const endpoint: Endpoint = parseEndpoint(toks[1], 'real server', line)
      current.realServers.push({ ...endpoint, counters: build(readColumns(toks.slice(2), columns, line)) })
    } else {
      const { key, used } = parseServiceKey(toks, line)
      current = { ...key, counters: build(readColumns(toks.slice(used), columns, line)), realServers: [] }
      table.services.push(current)
    }
  }
  return table
}

function readColumns(toks: string[], columns: readonly string[], line: Line): Column[] {
  if (toks.length !== columns.length) throw new IpvsParseError(`expected ${columns.length} counters (${columns.join(' ')}), got ${toks.length}`, line.no, line.text)
  return toks.map((t, k) => parseLargeNum(t, columns[k]!, line))
}
