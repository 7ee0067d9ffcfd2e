import type { Finding } from '../finding'
import type { LintRule } from '../lint-rule'
import { markText } from '../mark-text'
import { serviceName } from '../../rules/service-name'

const id = 'fwmark-without-mark'

/**
 * A firewall-mark service is found by the packet's mark alone: ip_vs_service_find
 * (net/netfilter/ipvs/ip_vs_ctl.c) looks up skb->mark in the fwmark table before any address.
 * The mark must be set before IPVS sees the packet, which the mangle table does in PREROUTING,
 * INPUT or OUTPUT (see parse-mangle.ts). Without such a rule the service receives nothing.
 */
export const fwmarkWithoutMark: LintRule = {
  id,
  title: 'a firewall-mark service that no MARK rule in the mangle table feeds',
  check({ table, mangle }) {
    return table.services
      .filter((svc) => svc.protocol === 'FWM')
      .flatMap((svc): Finding[] => {
        const name = serviceName(svc)
        const base = { rule: id, file: 'rules' as const, line: svc.line, service: name }
        if (!mangle)
          return [
            {
              ...base,
              severity: 'info',
              summary: `the MARK rules feeding ${name} were not checked`,
              wire: `${name} receives only packets that already carry mark ${markText(svc.fwmark!)} when IPVS sees them`,
              todo: "pass the director's `iptables-save -t mangle` output with --mangle",
            },
          ]
        const marks = mangle.marks.filter((m) => m.mark === svc.fwmark)
        const todo = `mark each port the service should take before IPVS, e.g. \`iptables -t mangle -A PREROUTING -d <VIP> -p tcp --dport 443 -j MARK --set-mark ${svc.fwmark}\``
        if (marks.length === 0)
          return [
            {
              ...base,
              severity: 'error',
              summary: `no MARK rule in the mangle table sets mark ${markText(svc.fwmark!)}`,
              wire: `no packet carries the mark, so ${name} receives nothing: connections to the VIP are looked up by address and port instead, and without a service there they reach the director's own stack, which refuses them`,
              todo,
            },
          ]
        if (!marks.some((m) => m.beforeIpvs))
          return [
            {
              ...base,
              severity: 'error',
              summary: `mark ${markText(svc.fwmark!)} is only set in ${[...new Set(marks.map((m) => m.chain))].join(', ')} (mangle line ${marks.map((m) => m.line).join(', ')}), after IPVS has looked`,
              wire: `IPVS takes a packet for the VIP at INPUT; FORWARD and POSTROUTING come after, if at all: ${name} receives nothing`,
              todo: 'set the mark in mangle PREROUTING (or a chain it jumps to)',
            },
          ]
        return []
      })
  },
}
