import { isIPv4 } from 'node:net'

/**
 * Reads an IPv4 `-M` the way ipvsadm does (parse_netmask: inet_aton), so `-M 24` is the mask
 * 0.0.0.24 and not a /24: inet_aton takes one to four parts, decimal, 0x hex or 0 octal, the
 * last part filling the remaining bytes. Returns the dotted quad, or undefined when inet_aton
 * would refuse it (ipvsadm would then try it as a host name; rules here are numeric only).
 */
export function ipv4MaskOf(text: string): string | undefined {
  const parts = text.split('.')
  if (parts.length > 4) return undefined
  const values = parts.map(partValue)
  if (values.some((v) => v === undefined)) return undefined
  const nums = values as number[]
  const last = nums[nums.length - 1]!
  const lead = nums.slice(0, -1)
  if (lead.some((v) => v > 255) || last >= 2 ** (8 * (5 - nums.length))) return undefined
  const value = lead.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last
  const dotted = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.')
  return isIPv4(dotted) ? dotted : undefined
}

function partValue(part: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(part)) return parseInt(part.slice(2), 16)
  if (/^0[0-7]*$/.test(part)) return parseInt(part, 8)
  if (/^[1-9]\d*$/.test(part)) return Number(part)
  return undefined
}

/** The mask's bits, as a 32-bit number. */
export function ipv4MaskBits(dotted: string): number {
  return dotted.split('.').reduce((acc, b) => acc * 256 + Number(b), 0)
}

/** Prefix length of a contiguous mask; undefined when the mask has holes (0.0.0.24). */
export function ipv4PrefixOf(dotted: string): number | undefined {
  const bits = ipv4MaskBits(dotted)
  for (let prefix = 0; prefix <= 32; prefix++) if (bits === 2 ** 32 - 2 ** (32 - prefix)) return prefix
  return undefined
}
