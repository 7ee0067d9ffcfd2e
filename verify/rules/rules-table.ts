import { IpvsParseError } from '../../lab/ipvs/parse-error'
import { parseSaveRules, serviceId } from '../../lab/ipvs/parse-save-rules'
import type { IpvsTimeouts, RealServer, VirtualService } from '../../lab/ipvs/types'
import { serviceName } from './service-name'

export interface LocatedServer extends RealServer {
  /** Line of the file that added it. */
  line: number
  /** The port the line gave, when ipvsadm replaced it with the service's (DR and TUN, see readRulesTable). */
  writtenPort?: number
}

export interface LocatedService extends VirtualService {
  line: number
  realServers: LocatedServer[]
}

/** A line the kernel refuses with EEXIST: ipvsadm -R prints the error and goes on with the next line. */
export interface RefusedRule {
  line: number
  text: string
  what: 'service' | 'real server'
  /** The line that added it first. */
  firstLine: number
  /** As ipvsadm -Ln names it. */
  service: string
}

export interface Timeouts extends IpvsTimeouts {
  /** The `--set` line they come from; absent when they are the kernel's defaults. */
  line?: number
  /** What that line sets them with, when not `--set`: a keepalived.conf's `lvs_timeouts`. */
  setting?: string
}

/** What the director holds after `ipvsadm -R` of the file, each part with the line it came from. */
export interface RulesTable {
  services: LocatedService[]
  refused: RefusedRule[]
  timeouts: Timeouts
}

/** The kernel's own timeouts (tcp_timeouts ESTABLISHED and FIN_WAIT in ip_vs_proto_tcp.c, udp_timeouts NORMAL in ip_vs_proto_udp.c). */
export const KERNEL_TIMEOUTS: IpvsTimeouts = { tcp: 900, tcpFin: 120, udp: 300 }

/**
 * Replays the file's rules the way `ipvsadm -R` and the kernel would take them: a service or a
 * real server added a second time is refused (ip_vs_ctl.c returns EEXIST) and recorded; a real
 * server of a service never added is bad input (ESRCH, "No such service"). A DR or TUN server
 * takes the service's port whatever its line says (process_options in ipvsadm.c, except on
 * firewall-mark services), as `ipvsadm -S` would show it afterwards. `--set` changes the
 * timeouts that are not 0 (ip_vs_set_timeout), the last line winning.
 */
export function readRulesTable(text: string): RulesTable {
  const services: LocatedService[] = []
  const byId = new Map<string, LocatedService>()
  const refused: RefusedRule[] = []
  let timeouts: Timeouts = { ...KERNEL_TIMEOUTS }
  for (const rule of parseSaveRules(text)) {
    const { line } = rule
    if (rule.kind === 'timeouts') {
      const t = rule.timeouts
      timeouts = { tcp: t.tcp || timeouts.tcp, tcpFin: t.tcpFin || timeouts.tcpFin, udp: t.udp || timeouts.udp, line: line.no }
    } else if (rule.kind === 'service') {
      const id = serviceId(rule.service)
      const first = byId.get(id)
      if (first) refused.push({ line: line.no, text: line.text, what: 'service', firstLine: first.line, service: serviceName(first) })
      else {
        const svc: LocatedService = { ...rule.service, line: line.no, realServers: [] }
        byId.set(id, svc)
        services.push(svc)
      }
    } else {
      const svc = byId.get(serviceId(rule.key))
      if (!svc) throw new IpvsParseError('real server for a virtual service that was not added before (ipvsadm -R: "No such service")', line.no, line.text)
      const server: LocatedServer = { ...rule.server, line: line.no }
      if (svc.protocol !== 'FWM' && (server.forward === 'Route' || server.forward === 'Tunnel') && server.port !== svc.port) {
        server.writtenPort = server.port
        server.port = svc.port!
      }
      const first = svc.realServers.find((rs) => rs.address === server.address && rs.port === server.port)
      if (first) refused.push({ line: line.no, text: line.text, what: 'real server', firstLine: first.line, service: serviceName(svc) })
      else svc.realServers.push(server)
    }
  }
  return { services, refused, timeouts }
}
