import type { IpvsTable, RealServer, VirtualService } from './types'

export type ComparableServer = Omit<RealServer, 'activeConns' | 'inactiveConns' | 'upperThreshold' | 'lowerThreshold'>
export type ComparableService = Omit<VirtualService, 'realServers'> & { realServers: ComparableServer[] }

/**
 * Reduces a listed or saved table to the configuration both can express, in
 * a stable order, so `expect(comparable(list)).toEqual(comparable(save))`
 * works. Drops the banner, connection counters and thresholds; treats Local
 * as Route (ipvsadm -S writes -g for both); drops pe and mask on
 * non-persistent services (the listing only shows them with persistence).
 * Pass `{ tunnel: false }` when one side is a listing without --tun-info.
 */
export function comparable(table: IpvsTable, options: { tunnel?: boolean } = {}): ComparableService[] {
  const keepTunnel = options.tunnel ?? true
  return table.services
    .map((svc): ComparableService => {
      const { realServers, pe, netmask, ...rest } = svc
      const out: ComparableService = { ...rest, realServers: realServers.map((rs) => server(rs, keepTunnel)).sort(by((rs) => `${rs.address} ${rs.port}`)) }
      if (svc.persistent !== undefined && pe !== undefined) out.pe = pe
      if (svc.persistent !== undefined && netmask !== undefined) out.netmask = netmask
      if (out.ops === false) delete out.ops
      return out
    })
    .sort(by((s) => `${s.protocol} ${s.fwmark ?? ''} ${s.ipv6 ?? ''} ${s.address ?? ''} ${s.port ?? ''}`))
}

function server(rs: RealServer, keepTunnel: boolean): ComparableServer {
  const { activeConns: _a, inactiveConns: _i, upperThreshold: _u, lowerThreshold: _l, tunnel, ...rest } = rs
  const out: ComparableServer = { ...rest, forward: rs.forward === 'Local' ? 'Route' : rs.forward }
  if (keepTunnel && tunnel) out.tunnel = tunnel
  return out
}

/** Orders by an identity string, so list and save (built with different key orders) sort alike. */
function by<T>(id: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0)
}
