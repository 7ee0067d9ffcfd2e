import { ipv4MaskBits, ipv4PrefixOf } from '../../../lab/ipvs/ipv4-mask'
import type { LintRule } from '../lint-rule'
import { serviceName, serviceOption } from '../../rules/service-name'

const id = 'wide-netmask'

/** Widest IPv4 mask that still keeps clients apart at a site's own scale. */
const WIDEST_V4 = 24
const WIDEST_V6 = 64

/**
 * -M groups clients: the template is keyed by the client address ANDed with the mask
 * (ip_vs_sched_persist in ip_vs_core.c), so every address that agrees on the mask's bits shares
 * one template and one real server (suites/persistence: -M). A wide mask pins whole networks,
 * behind a carrier's NAT all its customers, to one server. ipvsadm reads an IPv4 -M with
 * inet_aton, so `-M 24` is the mask 0.0.0.24, not /24.
 */
export const wideNetmask: LintRule = {
  id,
  title: 'a persistence netmask (-M) wider than /24, or one that is no prefix',
  check({ table }) {
    return table.services.flatMap((svc) => {
      if (svc.netmask === undefined) return []
      const v6 = !svc.netmask.includes('.')
      const base = { rule: id, severity: 'warning' as const, file: 'rules' as const, line: svc.line, service: serviceName(svc) }
      if (v6) {
        const prefix = Number(svc.netmask)
        if (prefix >= WIDEST_V6) return []
        return [
          {
            ...base,
            summary: `-M ${prefix} makes 2^${128 - prefix} client addresses share one template`,
            wire: `every client in one /${prefix} reaches the same real server for the persistence time`,
            todo: `use -M ${WIDEST_V6} or longer, unless whole networks must stick together`,
          },
        ]
      }
      const prefix = ipv4PrefixOf(svc.netmask)
      const shared = 2 ** (32 - bitCount(ipv4MaskBits(svc.netmask)))
      if (prefix === undefined)
        return [
          {
            ...base,
            summary: `-M ${svc.netmask} is not a prefix mask (ipvsadm reads -M 24 as 0.0.0.24): groups of ${shared} scattered addresses share one template`,
            wire: `clients are grouped by the mask's odd bits, not by network: unrelated clients stick together, neighbours do not`,
            todo: `write the mask dotted, e.g. \`ipvsadm -E ${serviceOption(svc)} -s ${svc.scheduler} -p ${svc.persistent} -M 255.255.255.0\``,
          },
        ]
      if (prefix >= WIDEST_V4) return []
      return [
        {
          ...base,
          summary: `-M ${svc.netmask} (/${prefix}) makes ${shared} client addresses share one template`,
          wire: `every client in one /${prefix} reaches the same real server for the persistence time: the load follows networks, not clients`,
          todo: `use -M 255.255.255.0 or narrower, unless whole networks must stick together`,
        },
      ]
    })
  },
}

function bitCount(n: number): number {
  let count = 0
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2
  return count
}
