import type { LintRule } from '../lint-rule'
import { markText } from '../mark-text'

const id = 'mark-without-service'

/**
 * A mark no firewall-mark service has: ip_vs_service_find (ip_vs_ctl.c) finds no fwmark
 * service and goes on to look the packet up by protocol, address and port as if unmarked.
 */
export const markWithoutService: LintRule = {
  id,
  title: 'a MARK rule whose mark no firewall-mark service takes',
  check({ table, mangle }) {
    const marks = new Set(table.services.filter((s) => s.protocol === 'FWM').map((s) => s.fwmark))
    return (mangle?.marks ?? [])
      .filter((m) => m.beforeIpvs && !marks.has(m.mark))
      .map((m) => ({
        rule: id,
        severity: 'warning' as const,
        file: 'mangle' as const,
        line: m.line,
        summary: `mark ${markText(m.mark)} is set here but no service is \`-f ${m.mark}\``,
        wire: `the marked packets are balanced as if unmarked: by a service on their address and port if there is one, otherwise they reach the director's own stack, which refuses them`,
        todo: `add the service (\`ipvsadm -A -f ${m.mark} ...\`), correct the mark to the service's, or drop the rule if the mark serves something else (policy routing)`,
      }))
  },
}
