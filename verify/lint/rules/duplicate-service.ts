import { isIP } from 'node:net'
import type { Finding } from '../finding'
import type { LintRule } from '../lint-rule'
import { markText } from '../mark-text'
import { serviceName } from '../../rules/service-name'
import type { MarkRule } from '../../mangle/parse-mangle'
import type { LocatedService } from '../../rules/rules-table'

const id = 'duplicate-service'

/**
 * Two definitions for the same packets. The same service (or real server) added twice: the
 * kernel refuses the second with EEXIST (ip_vs_add_service, ip_vs_add_dest in ip_vs_ctl.c) and
 * ipvsadm -R goes on, so that line's options are lost. And a port service whose packets a MARK
 * rule hands to a firewall-mark service: ip_vs_service_find looks up the mark first, so the port
 * service never sees them.
 */
export const duplicateService: LintRule = {
  id,
  title: 'a service defined twice, or a port service whose packets a firewall-mark service takes',
  check({ table, mangle }) {
    const refused = table.refused.map((r): Finding => ({
      rule: id,
      severity: 'error',
      file: 'rules',
      line: r.line,
      service: r.service,
      summary: `this ${r.what} was already added at line ${r.firstLine}: the kernel refuses it ("${r.what === 'service' ? 'Service' : 'Destination'} already exists")`,
      wire: `only line ${r.firstLine} is in force; what this line sets (${r.what === 'service' ? 'scheduler, persistence, flags' : 'forwarding method, weight'}) never reaches the kernel`,
      todo: `merge the two into one line, or change this one with ${r.what === 'service' ? '-E' : '-e'} instead of adding it again`,
    }))
    const fwmarks = new Set(table.services.filter((s) => s.protocol === 'FWM').map((s) => s.fwmark))
    const shadowed = table.services.flatMap((svc): Finding[] => {
      if (svc.protocol === 'FWM' || !mangle) return []
      const marks = mangle.marks.filter((m) => m.beforeIpvs && fwmarks.has(m.mark) && covers(m, svc))
      if (marks.length === 0) return []
      const m = marks[0]!
      return [
        {
          rule: id,
          severity: m.narrowed ? 'warning' : 'error',
          file: 'rules',
          line: svc.line,
          service: serviceName(svc),
          summary: `mangle line ${m.line} marks ${serviceName(svc)}'s packets ${markText(m.mark)}, so FWM ${m.mark} takes them`,
          wire: `${serviceName(svc)} receives ${m.narrowed ? 'none of the packets that rule matches' : 'nothing'}: the mark is looked up first, and the packets are scheduled by FWM ${m.mark}'s scheduler and real servers`,
          todo: `drop ${serviceName(svc)} if FWM ${m.mark} is meant to serve the port, or take the port out of the MARK rule`,
        },
      ]
    })
    return [...refused, ...shadowed]
  },
}

/** Whether the MARK rule takes packets to the service's VIP, protocol and port. */
function covers(m: MarkRule, svc: LocatedService): boolean {
  if (m.protocol && m.protocol !== svc.protocol.toLowerCase()) return false
  if (m.destination && !inPrefix(svc.address!, m.destination)) return false
  if (m.ports && !m.ports.some(([from, to]) => svc.port! >= from && svc.port! <= to)) return false
  return svc.port !== 0
}

function inPrefix(address: string, destination: string): boolean {
  const [net, bits] = destination.split('/')
  if (isIP(address) !== 4 || isIP(net!) !== 4) return address === net
  const toNumber = (a: string) => a.split('.').reduce((acc, b) => acc * 256 + Number(b), 0)
  const size = 2 ** (32 - Number(bits ?? 32))
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(net!) / size)
}
