import type { HttpExchange } from '../lab/http/curl-transfers'
import { verdict, type Verdict } from './verdict'

/** What answered an exchange, or why nothing did. */
export const answered = (x: HttpExchange) => x.server ?? `(no answer: curl exit ${x.curlExit}, HTTP ${x.status})`
export const tally = (names: (string | undefined)[]) => {
  const counts = new Map<string, number>()
  for (const n of names) counts.set(n ?? '-', (counts.get(n ?? '-') ?? 0) + 1)
  return counts
}
export const show = (counts: Map<string, number>) => [...counts].map(([n, c]) => `${n} ${c}`).join(', ')

/** rr: request i goes to server i mod n, in the kernel's order (the server added last first). */
export function strictCycle(exchanges: HttpExchange[], kernelOrder: string[]): Verdict {
  const seen = exchanges.map(answered)
  const expected = exchanges.map((_, i) => kernelOrder[i % kernelOrder.length])
  return verdict('rr: a strict cycle', [
    exchanges.length === 0 && 'no responses',
    seen.join(',') !== expected.join(',') && `sequence ${seen.join(', ')}; expected ${expected.join(', ')}`,
  ])
}

/** wrr: every full cycle of sum(weights) requests gives each server exactly its weight. */
export function weightedCycles(exchanges: HttpExchange[], weights: Map<string, number>): Verdict {
  const cycle = [...weights.values()].reduce((a, b) => a + b, 0)
  const seen = exchanges.map(answered)
  const failures: string[] = []
  if (seen.length < cycle || seen.length % cycle !== 0) failures.push(`${seen.length} responses: not a whole number of ${cycle}-request cycles`)
  for (let start = 0; start + cycle <= seen.length; start += cycle) {
    const counts = tally(seen.slice(start, start + cycle))
    for (const [server, w] of weights) {
      if ((counts.get(server) ?? 0) !== w) failures.push(`cycle ${start / cycle + 1} (${show(counts)}): ${server} got ${counts.get(server) ?? 0}, its weight is ${w}`)
    }
  }
  return verdict('wrr: per-cycle counts equal the weights', failures)
}

/** Every connection answered, none by the quiesced (or failed-over-from) server. */
export function noneTo(served: (string | undefined)[], server: string, rule: string): Verdict {
  return verdict(rule, [
    served.length === 0 && 'no connections',
    ...served.map((s, i) => s === undefined && `connection ${i + 1} was not answered`),
    ...served.map((s, i) => s === server && `connection ${i + 1} went to ${server}`),
  ])
}
