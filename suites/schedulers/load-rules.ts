import type { ServerLoad } from '../../fixtures/three-servers'
/**
 * The rules of the schedulers that look at how loaded each real server is, as the kernel
 * states them (net/netfilter/ipvs/ip_vs_<name>.c). Servers are given in the kernel's list
 * order: a real server is added at the head of that list, so the one added last comes
 * first, and every "first" in a tie below means first in that order. ipvsadm -Ln does not
 * show this order: it sorts the real servers by address.
 */
export type LoadRule = 'lc' | 'wlc' | 'sed' | 'nq' | 'ovf' | 'fo'

/** ip_vs_dest_conn_overhead(): an active connection costs 256 inactive ones. */
export const overhead = (s: ServerLoad) => s.activeConns * 256 + s.inactiveConns

/** The server the rule sends the next new connection to; undefined when none may take it. */
export function nextServer(rule: LoadRule, servers: ServerLoad[]): string | undefined {
  const available = servers.filter((s) => s.weight > 0)
  switch (rule) {
    // the least (active*256 + inactive), weights ignored; the first of equals
    case 'lc':
      return firstMin(available, (a, b) => overhead(a) < overhead(b))
    // the least overhead per weight: a replaces the best only when strictly better
    case 'wlc':
      return firstMin(available, (a, b) => overhead(a) * b.weight < overhead(b) * a.weight)
    // shortest expected delay: (active + 1) / weight, inactive ones do not count
    case 'sed':
      return firstMin(available, (a, b) => (a.activeConns + 1) * b.weight < (b.activeConns + 1) * a.weight)
    // never queue: the first idle server (no active connection), else as sed
    case 'nq':
      return available.find((s) => s.activeConns === 0)?.name ?? nextServer('sed', available)
    // overflow: the highest weight among servers with no more active connections than their weight
    case 'ovf':
      return firstMin(
        available.filter((s) => s.activeConns <= s.weight),
        (a, b) => a.weight > b.weight,
      )
    // failover: the highest weight, load ignored
    case 'fo':
      return firstMin(available, (a, b) => a.weight > b.weight)
  }
}

function firstMin(servers: ServerLoad[], better: (a: ServerLoad, b: ServerLoad) => boolean): string | undefined {
  let best: ServerLoad | undefined
  for (const s of servers) if (!best || better(s, best)) best = s
  return best?.name
}

/** What the rule predicts for each of `count` new connections that all stay open. */
export function predictHeld(rule: LoadRule, initial: ServerLoad[], count: number): (string | undefined)[] {
  const state = initial.map((s) => ({ ...s }))
  return Array.from({ length: count }, () => {
    const next = nextServer(rule, state)
    const chosen = state.find((s) => s.name === next)
    if (chosen) chosen.activeConns++
    return next
  })
}
