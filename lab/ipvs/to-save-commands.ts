import type { IpvsTable, RealServer, TunnelChecksum, VirtualService } from './types'
import { formatEndpoint } from './endpoint'

const SERVICE_OPTION = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' } as const
const CSUM_OPTION: Record<TunnelChecksum, string> = { nocsum: '--tun-nocsum', csum: '--tun-csum', remcsum: '--tun-remcsum' }

/**
 * Renders a table as the lines `ipvsadm -S -n` prints (print_service_entry
 * with FMT_RULE), ready for `ipvsadm -R`. Local servers become -g, as in
 * ipvsadm. Thresholds, which ipvsadm -S never prints, are kept as -x/-y so
 * nothing set by the caller is lost.
 */
export function toSaveCommands(table: IpvsTable): string[] {
  return table.services.flatMap((svc) => {
    const name = serviceName(svc)
    let head = `-A ${name} -s ${svc.scheduler}`
    if (svc.persistent !== undefined) {
      head += ` -p ${svc.persistent}`
      if (svc.netmask !== undefined) head += ` -M ${svc.netmask}`
    }
    if (svc.pe) head += ` --pe ${svc.pe}`
    if (svc.ops) head += ' -o'
    if (svc.flags.length > 0) head += ` -b ${svc.flags.join(',')}`
    return [head, ...svc.realServers.map((rs) => serverLine(name, rs))]
  })
}

function serviceName(svc: VirtualService): string {
  if (svc.protocol === 'FWM') return `-f ${svc.fwmark}${svc.ipv6 ? ' -6' : ''}`
  return `${SERVICE_OPTION[svc.protocol]} ${formatEndpoint(svc.address!, svc.port!)}`
}

function serverLine(name: string, rs: RealServer): string {
  const fwd = { Masq: '-m', Tunnel: '-i', Route: '-g', Local: '-g', Bypass: undefined }[rs.forward]
  if (!fwd) throw new RangeError(`forwarding method ${rs.forward} cannot be written as an ipvsadm rule`)
  let line = `-a ${name} -r ${formatEndpoint(rs.address, rs.port)} ${fwd} -w ${rs.weight}`
  if (rs.upperThreshold !== undefined) line += ` -x ${rs.upperThreshold}`
  if (rs.lowerThreshold !== undefined) line += ` -y ${rs.lowerThreshold}`
  if (rs.forward === 'Tunnel') {
    // print_tunnel_rule(): a tunnel server always states its type, ipip by default
    const t = rs.tunnel ?? { type: 'ipip' }
    line += ` --tun-type ${t.type}`
    if (t.type === 'gue') line += ` --tun-port ${t.port}`
    if (t.type !== 'ipip') line += ` ${CSUM_OPTION[t.checksum ?? 'nocsum']}`
  }
  return line
}
