import type { IpvsThresholdsTable } from '../../lab/ipvs/parse-thresholds'
import type { IpvsTimeouts } from '../../lab/ipvs/types'
import { KERNEL_TIMEOUTS, readRulesTable, type LocatedService, type RulesTable } from '../rules/rules-table'
import { serviceName } from '../rules/service-name'
import type { KeepalivedOutline, VirtualServerBlock } from './outline'

/** What keepalived's checker left in the director's IPVS, as read back there. */
export interface ProgrammedTable {
  /** `ipvsadm -S -n`. */
  saved: string
  /** `ipvsadm -L --timeout`: keepalived's `lvs_timeouts`, which a save does not write. */
  timeouts: IpvsTimeouts
  /** `ipvsadm -Ln --thresholds`: `uthreshold`/`lthreshold`, which a save does not write either. */
  thresholds?: IpvsThresholdsTable
}

export interface TableInConf {
  table: RulesTable
  /** Services and real servers of the table no block of the file names (a virtual_server_group, an include): their line is 0. */
  unplaced: string[]
}

/**
 * The table keepalived programmed, with the keepalived.conf's lines in place of the save's, so
 * that every finding names the block that wrote it: a service the line of its `virtual_server`,
 * a real server that of its `real_server`. The timeouts and thresholds a save leaves out are
 * taken from their own listings (pure).
 */
export function tableInConf(programmed: ProgrammedTable, outline: KeepalivedOutline): TableInConf {
  const read = readRulesTable(programmed.saved)
  const unplaced: string[] = []
  const taken = new Set<VirtualServerBlock>()
  const services = read.services
    .map((svc): LocatedService => {
      const block = outline.virtualServers.find((b) => !taken.has(b) && names(b, svc))
      if (block) taken.add(block)
      else unplaced.push(serviceName(svc))
      const limits = programmed.thresholds?.services.find((s) => serviceName(s) === serviceName(svc))
      return {
        ...svc,
        line: block?.line ?? 0,
        realServers: svc.realServers.map((rs) => {
          const written = block?.realServers.filter((r) => r.args.split(/\s+/)[0] === rs.address) ?? []
          const line = (written.find((r) => Number(r.args.split(/\s+/)[1] ?? 0) === rs.port) ?? written[0])?.line
          if (line === undefined) unplaced.push(`${serviceName(svc)} -> ${rs.address}:${rs.port}`)
          const limit = limits?.realServers.find((r) => r.address === rs.address && r.port === rs.port)?.counters
          const { writtenPort: _, ...server } = rs
          return {
            ...server,
            line: line ?? 0,
            ...(limit?.upperThreshold && { upperThreshold: limit.upperThreshold }),
            ...(limit?.lowerThreshold && { lowerThreshold: limit.lowerThreshold }),
          }
        }),
      }
    })
    .sort((a, b) => a.line - b.line)
  const t = programmed.timeouts
  const changed = t.tcp !== KERNEL_TIMEOUTS.tcp || t.tcpFin !== KERNEL_TIMEOUTS.tcpFin || t.udp !== KERNEL_TIMEOUTS.udp
  const timeouts = { ...t, setting: 'lvs_timeouts', ...(changed && outline.timeoutsLine !== undefined && { line: outline.timeoutsLine }) }
  return { table: { services, refused: [], timeouts }, unplaced }
}

/** Whether a virtual_server block writes the service: `fwmark N`, or `address port` (and its protocol, when the block says one). */
function names(b: VirtualServerBlock, svc: LocatedService): boolean {
  const [first, second] = b.args.split(/\s+/)
  if (svc.protocol === 'FWM') return first === 'fwmark' && Number(second) === svc.fwmark
  return first === svc.address && Number(second) === svc.port && (b.protocol === undefined || b.protocol === svc.protocol)
}
