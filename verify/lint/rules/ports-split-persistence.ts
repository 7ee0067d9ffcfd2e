import type { LintRule } from '../lint-rule'
import { serviceName } from '../../rules/service-name'
import type { LocatedService } from '../../rules/rules-table'

const id = 'ports-split-persistence'

/**
 * A persistence template is per service: <protocol, client, 0, VIP, port, server> for a port
 * service (ip_vs_sched_persist in net/netfilter/ipvs/ip_vs_core.c). Two persistent services on
 * one VIP keep two templates per client, each chosen on its own, so browsing on 80 and checkout
 * on 443 can land on different servers: the article's lost cart (suites/persistence: PPC).
 * One firewall-mark service over both ports keeps one template per client.
 */
export const portsSplitPersistence: LintRule = {
  id,
  title: 'per-port persistent services on one VIP sharing real servers (the lost cart)',
  check({ table }) {
    const byVip = new Map<string, LocatedService[]>()
    for (const svc of table.services)
      if (svc.protocol !== 'FWM' && svc.persistent !== undefined && svc.port !== 0) byVip.set(svc.address!, [...(byVip.get(svc.address!) ?? []), svc])
    return [...byVip].flatMap(([vip, services]) => {
      const shared = (a: LocatedService, b: LocatedService) => a.realServers.some((x) => b.realServers.some((y) => x.address === y.address))
      const group = services.filter((s) => services.some((o) => o !== s && shared(s, o)))
      if (group.length < 2) return []
      const ports = group.map((s) => s.port).join(' and ')
      const [first] = group as [LocatedService]
      return [
        {
          rule: id,
          severity: 'warning' as const,
          file: 'rules' as const,
          line: first.line,
          service: serviceName(first),
          summary: `${group.map(serviceName).join(' and ')} are persistent each on their own, on one VIP and the same real servers`,
          wire: `a client gets one template per port: its connections to ${ports} are scheduled apart and may reach different servers, so a session kept on one server (a shopping cart) is lost when it moves from one port to the other`,
          todo: `mark the ports (\`iptables -t mangle -A PREROUTING -d ${vip} -p tcp -m multiport --dports ${group.map((s) => s.port).join(',')} -j MARK --set-mark N\`) and serve them as one persistent service, \`ipvsadm -A -f N -s ${first.scheduler} -p ${first.persistent}\``,
        },
      ]
    })
  },
}
