import type { Line } from './lines'
import { IpvsParseError } from './parse-error'

/** A decimal whole number as C's %u/%d prints it; anything else is a parse error. */
export function parseUint(token: string | undefined, what: string, line: Line, max = Number.MAX_SAFE_INTEGER): number {
  if (token === undefined || !/^\d+$/.test(token)) throw new IpvsParseError(`expected ${what}, got ${JSON.stringify(token ?? '')}`, line.no, line.text)
  const n = Number(token)
  if (n > max) throw new IpvsParseError(`${what} ${token} is out of range`, line.no, line.text)
  return n
}

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 }

/**
 * Reads a print_largenum() column. Without --exact ipvsadm prints values of
 * 100 million and more as value/1000 with a K (M, G, T) suffix, so such a
 * value is only a lower bound. Values past 2^53 lose precision in a JS number
 * and are also reported as not exact.
 */
export function parseLargeNum(token: string | undefined, what: string, line: Line): { value: number; exact: boolean } {
  const m = token === undefined ? null : /^(\d+)([KMGT]?)$/.exec(token)
  if (!m) throw new IpvsParseError(`expected ${what}, got ${JSON.stringify(token ?? '')}`, line.no, line.text)
  const digits = Number(m[1])
  const scale = m[2] ? SUFFIX[m[2]]! : 1
  const value = digits * scale
  return { value, exact: scale === 1 && Number.isSafeInteger(value) }
}
