import type { LintRule } from '../lint-rule'
import { serviceName, serviceOption } from '../../rules/service-name'

const id = 'no-usable-real-server'

/**
 * With no real server, or all at weight 0, every scheduler returns no destination (each skips
 * weight <= 0, e.g. ip_vs_rr_schedule, ip_vs_wlc_schedule in net/netfilter/ipvs/), and
 * ip_vs_leave (ip_vs_core.c) answers the client with ICMP port unreachable.
 */
export const noUsableRealServer: LintRule = {
  id,
  title: 'a service with no real server, or all of them at weight 0',
  check({ table }) {
    return table.services
      .filter((svc) => svc.realServers.every((rs) => rs.weight === 0))
      .map((svc) => {
        const none = svc.realServers.length === 0
        return {
          rule: id,
          severity: 'error' as const,
          file: 'rules' as const,
          line: svc.line,
          service: serviceName(svc),
          summary: none ? `${serviceName(svc)} has no real server` : `every real server of ${serviceName(svc)} is at weight 0`,
          wire: `no new connection can be scheduled: each client gets ICMP port unreachable (its connect fails at once)${none ? '' : '; connections already open, and persistent clients whose template still names a server, keep going'}`,
          todo: none
            ? `add real servers (\`ipvsadm -a ${serviceOption(svc)} -r <address> -w 1\`), or delete the service (-D)`
            : `give at least one server a weight above 0 (\`ipvsadm -e ${serviceOption(svc)} -r <address> -w 1\`)`,
        }
      })
  },
}
