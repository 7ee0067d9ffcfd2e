import { formatEndpoint } from '../../../lab/ipvs/endpoint'
import type { LintRule } from '../lint-rule'
import { serviceName } from '../../rules/service-name'

const id = 'thresholds-not-saved'

/**
 * `ipvsadm -S` prints a real server as `-a ... -r ... -w N`, never its -x/-y (print_service_entry
 * in ipvsadm.c); suites/ipvsadm proves a save and restore brings the thresholds back as 0. The
 * kernel enforces them meanwhile (IP_VS_DEST_F_OVERLOAD in ip_vs_conn.c, ip_vs_bind_dest).
 */
export const thresholdsNotSaved: LintRule = {
  id,
  title: 'connection thresholds (-x/-y) that ipvsadm -S will not save',
  check({ table }) {
    return table.services.flatMap((svc) =>
      svc.realServers
        // 0 is no threshold at all, and a save loses nothing
        .filter((rs) => (rs.upperThreshold ?? 0) > 0 || (rs.lowerThreshold ?? 0) > 0)
        .map((rs) => ({
          rule: id,
          severity: 'warning' as const,
          file: 'rules' as const,
          line: rs.line,
          service: serviceName(svc),
          summary: `${formatEndpoint(rs.address, rs.port)} has ${[rs.upperThreshold !== undefined && `-x ${rs.upperThreshold}`, rs.lowerThreshold !== undefined && `-y ${rs.lowerThreshold}`].filter(Boolean).join(' ')}, which \`ipvsadm -S\` does not write`,
          wire: `the limit holds until the table is saved and restored (a reboot with ipvsadm-save/restore): then the server takes connections without limit`,
          todo: `keep the thresholds in the file you restore from (this one), not in a save of the running table, or set them from keepalived (uthreshold, lthreshold)`,
        })),
    )
  },
}
