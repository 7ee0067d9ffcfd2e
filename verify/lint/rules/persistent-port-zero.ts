import type { LintRule } from '../lint-rule'
import { serviceName } from '../../rules/service-name'

const id = 'persistent-port-zero'

/**
 * A service on port 0 is the VIP's catch-all: ip_vs_service_find (ip_vs_ctl.c) falls back to it
 * for any port without a service of its own, and ipvsadm only allows it persistent. Its template
 * is <client, VIP, 0> for every port (ip_vs_sched_persist), so all of a client's ports go to one
 * server: the article's PCC, which takes ssh to the VIP along (suites/persistence: PCC).
 */
export const persistentPortZero: LintRule = {
  id,
  title: 'a persistent VIP:0 service, which takes every port of the VIP',
  check({ table }) {
    return table.services
      .filter((svc) => svc.protocol !== 'FWM' && svc.port === 0)
      .map((svc) => {
        const others = table.services.filter((o) => o !== svc && o.protocol === svc.protocol && o.address === svc.address).map((o) => o.port)
        return {
          rule: id,
          severity: 'warning' as const,
          file: 'rules' as const,
          line: svc.line,
          service: serviceName(svc),
          summary: `${serviceName(svc)} takes every ${svc.protocol} port of ${svc.address}${others.length ? ` that has no service of its own (not ${others.join(', ')})` : ''}`,
          wire: `connections to any port, ssh or a database port as much as http, are forwarded to the real servers, each client's to one of them for ${svc.persistent} s and more; a port the real servers do not serve is refused there, not on the director`,
          todo: `if only some ports belong together, mark those (\`iptables -t mangle -A PREROUTING -d ${svc.address} -p ${svc.protocol.toLowerCase()} -m multiport --dports 80,443 -j MARK --set-mark N\`) and use \`ipvsadm -A -f N -p ${svc.persistent}\` instead`,
        }
      })
  },
}
