import { BadInput } from '../bad-input'

export interface SysctlValue {
  value: string
  line: number
}

/** The director's kernel settings, by name (`net.ipv4.vs.expire_quiescent_template`). */
export type Sysctls = Map<string, SysctlValue>

/**
 * Reads `sysctl -a` output (`name = value`, also `name=value` as in sysctl.conf). Comments and
 * sysctl's own complaints (`sysctl: permission denied on key ...`) are skipped; any other line,
 * or a file with no setting at all, is a BadInput.
 */
export function parseSysctl(text: string, file: string): Sysctls {
  const values: Sysctls = new Map()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('sysctl: ')) return
    const m = /^([\w.\-/:@*]+)\s*=\s*(.*)$/.exec(line)
    if (!m) throw new BadInput(`${file} line ${i + 1} is not "name = value": ${JSON.stringify(line)}`, 'pass the output of `sysctl -a` taken on the director')
    values.set(m[1]!, { value: m[2]!.trim(), line: i + 1 })
  })
  if (values.size === 0) throw new BadInput(`${file} holds no setting`, 'pass the output of `sysctl -a` taken on the director')
  return values
}
