import { parseCurlTransfers, type HttpExchange } from './curl-transfers'

/**
 * Output of one curl process that runs a `--next` group per (source address, URL) pair, each
 * group's transfers marked with its key (keyedWriteOut): the exchanges of each key, in
 * order, numbered from 0 within it.
 */
export function parseSourcedTransfers(stdout: string): Map<string, HttpExchange[]> {
  const byKey = new Map<string, HttpExchange[]>()
  for (const x of parseCurlTransfers(stdout)) {
    if (x.key === undefined) continue
    const group = byKey.get(x.key) ?? []
    group.push({ ...x, index: group.length })
    byKey.set(x.key, group)
  }
  return byKey
}
