import type { CounterTable } from './types'
import { parseCounterListing } from './counter-listing'

/** One service or real server's row of `ipvsadm -Ln --thresholds`. */
export interface ThresholdColumns {
  upperThreshold: number
  lowerThreshold: number
  activeConns: number
  inactiveConns: number
}

export type IpvsThresholdsTable = CounterTable<ThresholdColumns>

/**
 * Parses `ipvsadm -Ln --thresholds` (print_title with FMT_THRESHOLDS): the counter layout
 * with the columns Uthreshold Lthreshold ActiveConn InActConn on the real servers. The
 * service lines carry the scheduler (and flags) instead of numbers; they are skipped, so a
 * service's own row is all zeros.
 */
export function parseIpvsThresholds(text: string): IpvsThresholdsTable {
  const serviceRows = /^(TCP|UDP|SCTP|FWM)\s+\S+(\s+IPv6)?\s+\S+.*$/gm
  // give the service lines four placeholder numbers so the shared layout reads them
  const normalized = text.replace(
    serviceRows,
    (line) =>
      `${line
        .split(/\s+/)
        .slice(0, line.includes(' IPv6') ? 3 : 2)
        .join(' ')} 0 0 0 0`,
  )
  return parseCounterListing(normalized, '--thresholds', ['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'], ([u, l, a, i]) => ({
    upperThreshold: u!.value,
    lowerThreshold: l!.value,
    activeConns: a!.value,
    inactiveConns: i!.value,
  }))
}
