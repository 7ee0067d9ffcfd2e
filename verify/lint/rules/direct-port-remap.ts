import { formatEndpoint } from '../../../lab/ipvs/endpoint'
import type { Finding } from '../finding'
import type { LintRule } from '../lint-rule'
import { serviceName } from '../../rules/service-name'

const id = 'direct-port-remap'

const METHOD = { Route: 'DR (-g)', Tunnel: 'TUN (-i)' } as const

/**
 * DR and TUN hand the client's packet on unchanged but for the MAC or an outer IP header
 * (ip_vs_dr_xmit, ip_vs_tunnel_xmit in net/netfilter/ipvs/ip_vs_xmit.c): the destination port
 * stays the one the client used. ipvsadm knows and silently gives such a server the service's
 * port (process_options in ipvsadm.c; suites/dr shows RIP:8080 -g receiving VIP:80). On a
 * firewall-mark service ipvsadm keeps the port, and the kernel never uses it either.
 */
export const directPortRemap: LintRule = {
  id,
  title: 'a DR or TUN real server given a port other than the one the client asks for',
  check({ table }) {
    return table.services.flatMap((svc) =>
      svc.realServers.flatMap((rs): Finding[] => {
        if (rs.forward !== 'Route' && rs.forward !== 'Tunnel') return []
        const method = METHOD[rs.forward]
        const base = { rule: id, file: 'rules' as const, line: rs.line, service: serviceName(svc) }
        if (rs.writtenPort !== undefined) {
          // on a port-0 service (PCC) the client's own port is kept, whichever it is
          const asked = svc.port === 0 ? 'the port the client asked for' : `port ${svc.port}`
          return [
            {
              ...base,
              severity: 'error',
              summary: `${formatEndpoint(rs.address, rs.writtenPort)} is ${method}, which cannot send ${asked} to ${rs.writtenPort}: ipvsadm silently makes it ${formatEndpoint(rs.address, rs.port)}`,
              wire: `the real server receives the client's packets at ${asked}, never at ${rs.writtenPort}; where nothing listens on it there, its share of the clients is refused`,
              todo: `serve ${asked} on ${rs.address} and write the server as ${formatEndpoint(rs.address, svc.port!)}, or use NAT (-m), which rewrites the port`,
            },
          ]
        }
        if (svc.protocol === 'FWM' && rs.port !== 0)
          return [
            {
              ...base,
              severity: 'warning',
              summary: `${formatEndpoint(rs.address, rs.port)} is ${method} on a firewall-mark service: the port ${rs.port} is never used`,
              wire: `each marked packet reaches ${rs.address} at the port the client asked for, whatever the rule says`,
              todo: `write the server as ${formatEndpoint(rs.address, 0)} (as ipvsadm -S does for marks), or use NAT (-m) if the port must change`,
            },
          ]
        return []
      }),
    )
  },
}
