import type { IpvsTable, VirtualService } from './types'
import { IpvsParseError } from './parse-error'
import { parseSaveRules, serviceId } from './parse-save-rules'

/**
 * Parses `ipvsadm -S -n` (the rules ipvsadm-restore reads) into the same shape
 * as parseIpvsList, so saved and listed tables can be compared. Saved rules
 * carry no counters and no banner: activeConns/inactiveConns are 0.
 * Also accepts hand-written rules using the long option names; options
 * that are left out take ipvsadm's defaults. `--set` lines set timeouts, not
 * the table, and are skipped here (parseSaveRules has them). Empty input is
 * an empty table.
 */
export function parseIpvsSave(text: string): IpvsTable {
  const services: VirtualService[] = []
  const byKey = new Map<string, VirtualService>()
  for (const rule of parseSaveRules(text)) {
    const { line } = rule
    if (rule.kind === 'service') {
      const id = serviceId(rule.service)
      if (byKey.has(id)) throw new IpvsParseError('virtual service added twice', line.no, line.text)
      byKey.set(id, rule.service)
      services.push(rule.service)
    } else if (rule.kind === 'server') {
      const svc = byKey.get(serviceId(rule.key))
      if (!svc) throw new IpvsParseError('real server for a virtual service that was not added before', line.no, line.text)
      svc.realServers.push(rule.server)
    }
  }
  return { services }
}
