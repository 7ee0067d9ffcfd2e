import type { Line } from './lines'

/** list_all() banner: `IP Virtual Server version 1.2.1 (size=4096)`; absent when one service is listed. */
export function parseBanner(line: Line | undefined): { version: string; connTableSize: number } | undefined {
  const m = line && /^IP Virtual Server version (\S+) \(size=(\d+)\)$/.exec(line.text.trim())
  return m ? { version: m[1]!, connTableSize: Number(m[2]) } : undefined
}

/** Copies the banner (if any) into the table; the index of the first line after it. */
export function takeBanner(lines: Line[], table: { version?: string; connTableSize?: number }): number {
  const banner = parseBanner(lines[0])
  if (!banner) return 0
  table.version = banner.version
  table.connTableSize = banner.connTableSize
  return 1
}
