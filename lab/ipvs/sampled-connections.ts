import { parseIpvsConnections } from './parse-connections'
import type { IpvsConnection } from './types'

export const sampleMarker = '@@sample'

export interface ConnectionSample {
  /** When the sample was read, in seconds of the lab's clock ($EPOCHREALTIME). */
  at: number
  entries: IpvsConnection[]
  /** The `-Lnc` lines of the sample, as printed. */
  text: string
}

/**
 * `-Lnc` entry lines read again and again, each read opened by `@@sample <$EPOCHREALTIME>`
 * (lines only: the banner and the column titles are left out to keep the output small).
 */
export function parseSampledConnections(out: string): ConnectionSample[] {
  const header = 'IPVS connection entries\npro expire state       source             virtual            destination\n'
  return out
    .split(new RegExp(`^${sampleMarker} `, 'm'))
    .slice(1)
    .map((chunk) => {
      const nl = chunk.indexOf('\n')
      const text = nl < 0 ? '' : chunk.slice(nl + 1).trim()
      return { at: Number((nl < 0 ? chunk : chunk.slice(0, nl)).trim().replace(',', '.')), entries: parseIpvsConnections(header + text), text }
    })
}
