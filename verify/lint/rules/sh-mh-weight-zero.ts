import { formatEndpoint } from '../../../lab/ipvs/endpoint'
import type { LintRule } from '../lint-rule'
import { serviceName, serviceOption } from '../../rules/service-name'

const id = 'sh-mh-weight-zero'

/**
 * sh and mh map each client to one server by a hash of its address, and keep servers at weight 0
 * in the map; when the hash lands on one, ip_vs_sh_schedule / ip_vs_mh_schedule find it
 * unavailable (weight <= 0) and return no destination: the client is refused. Only with the
 * sh-fallback / mh-fallback flag do they look for the next server (ip_vs_sh_get_fallback,
 * ip_vs_mh_get_fallback in net/netfilter/ipvs/ip_vs_sh.c and ip_vs_mh.c). suites/schedulers
 * measured both behaviours.
 */
export const shMhWeightZero: LintRule = {
  id,
  title: 'an sh or mh real server at weight 0 without the fallback flag',
  check({ table }) {
    return table.services.flatMap((svc) => {
      if (svc.scheduler !== 'sh' && svc.scheduler !== 'mh') return []
      const fallback = `${svc.scheduler}-fallback`
      if (svc.flags.includes(fallback)) return []
      const flags = [...svc.flags, fallback].join(',')
      return svc.realServers
        .filter((rs) => rs.weight === 0)
        .map((rs) => ({
          rule: id,
          severity: 'error' as const,
          file: 'rules' as const,
          line: rs.line,
          service: serviceName(svc),
          summary: `${formatEndpoint(rs.address, rs.port)} is at weight 0 under ${svc.scheduler} without -b ${fallback}`,
          wire: `the clients whose address hashes to ${rs.address} are not moved to another server: their connections are refused for as long as the weight stays 0`,
          todo: `add the flag (\`ipvsadm -E ${serviceOption(svc)} -s ${svc.scheduler} -b ${flags}\`) so they move, or delete the server (-d) instead of draining it`,
        }))
    })
  },
}
