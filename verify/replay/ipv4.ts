/** IPv4 arithmetic for laying out the lab's networks around a file's addresses. */

export function toNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
}

export function fromNumber(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

/** The network of `ip` with a prefix of `bits`: `172.16.100.0/24`. */
export function networkOf(ip: string, bits: number): string {
  const size = 2 ** (32 - bits)
  return `${fromNumber(Math.floor(toNumber(ip) / size) * size)}/${bits}`
}

export function inSubnet(ip: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/')
  return networkOf(ip, Number(bits)) === `${base}/${bits}`
}

/** Two subnets overlap when one holds the other's base. */
export function overlaps(a: string, b: string): boolean {
  return inSubnet(a.split('/')[0]!, b) || inSubnet(b.split('/')[0]!, a)
}

/** The network address a persistence netmask keeps of a client: `172.16.100.51` & 255.255.255.0. */
export function maskedAddress(ip: string, mask: string): string {
  const m = toNumber(mask)
  const a = toNumber(ip)
  // bitwise operators are signed 32-bit in JavaScript; >>> 0 brings the result back to unsigned
  return fromNumber((a & m) >>> 0)
}
