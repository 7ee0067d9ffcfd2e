import type { IpvsRateTable } from './types'
import { parseCounterListing } from './counter-listing'

/**
 * Parses `ipvsadm -Ln --rate`. Rates are the kernel's estimator values
 * (per second, smoothed over a few seconds), so tests should expect ranges.
 * Large BPS figures may carry K/M/G/T suffixes, as in --stats.
 */
export function parseIpvsRate(text: string): IpvsRateTable {
  return parseCounterListing(text, '--rate', ['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'], ([cps, inPps, outPps, inBps, outBps]) => ({
    cps: cps!.value,
    inPps: inPps!.value,
    outPps: outPps!.value,
    inBps: inBps!.value,
    outBps: outBps!.value,
    exact: [cps, inPps, outPps, inBps, outBps].every((c) => c!.exact),
  }))
}
