import type { IpvsStatsTable } from './types'
import { parseCounterListing } from './counter-listing'

/**
 * Parses `ipvsadm -Ln --stats` (with or without --exact). Without --exact,
 * counters of 100 million and more carry a K/M/G/T suffix and the row is
 * marked `exact: false`; the value is then the printed figure times the unit.
 */
export function parseIpvsStats(text: string): IpvsStatsTable {
  return parseCounterListing(text, '--stats', ['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'], ([conns, inPkts, outPkts, inBytes, outBytes]) => ({
    conns: conns!.value,
    inPkts: inPkts!.value,
    outPkts: outPkts!.value,
    inBytes: inBytes!.value,
    outBytes: outBytes!.value,
    exact: [conns, inPkts, outPkts, inBytes, outBytes].every((c) => c!.exact),
  }))
}
