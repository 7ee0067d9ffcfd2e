import type { ForwardMethod } from '../../../lab/ipvs'
import type { LintRule } from '../lint-rule'
import { serviceName } from '../../rules/service-name'

const id = 'mixed-forwarding'

const NEEDS: Record<ForwardMethod, string> = {
  Masq: 'NAT: its replies must go back through the director (its gateway), from its own address',
  Route: 'DR: the VIP on lo with arp_ignore/arp_announce, and replies straight to the client from the VIP',
  Tunnel: 'TUN: the VIP on tunl0 with rp_filter relaxed, and replies straight to the client from the VIP',
  Local: 'the director itself',
  Bypass: 'bypass',
}

/**
 * One real server behind services with different forwarding methods must be set up for each at
 * once (the article's NAT and DR sections ask opposite things of its routing), and the replies of
 * one method then take the path of the other: ip_vs_nat_xmit rewrites the destination and
 * expects the reply through the director, ip_vs_dr_xmit only the MAC (ip_vs_xmit.c).
 */
export const mixedForwarding: LintRule = {
  id,
  title: 'one real server behind services with different forwarding methods',
  check({ table }) {
    const byAddress = new Map<string, Array<{ svc: string; forward: ForwardMethod; line: number }>>()
    for (const svc of table.services)
      for (const rs of svc.realServers) byAddress.set(rs.address, [...(byAddress.get(rs.address) ?? []), { svc: serviceName(svc), forward: rs.forward, line: rs.line }])
    return [...byAddress].flatMap(([address, uses]) => {
      const methods = [...new Set(uses.map((u) => u.forward))]
      if (methods.length < 2) return []
      const first = uses.find((u) => u.forward !== uses[0]!.forward)!
      return [
        {
          rule: id,
          severity: 'warning' as const,
          file: 'rules' as const,
          line: first.line,
          service: first.svc,
          summary: `${address} is ${uses.map((u) => `${u.forward} in ${u.svc} (line ${u.line})`).join(', ')}`,
          wire: `the server must be set up for each at once: ${methods.map((m) => NEEDS[m]).join('; ')}. Set up for one, the other's replies go the wrong way and its clients hang`,
          todo: 'use one forwarding method for the server in every service, or a separate address per method',
        },
      ]
    })
  },
}
