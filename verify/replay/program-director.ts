import type { Sysctls } from '../sysctl/parse-sysctl'
import { startKeepalivedScript } from '../keepalived/keepalived-script'
import { heredoc, parseParts, part, type ScriptPart } from './script-parts'

/** What the director is given: the file's rules, its mangle table, the sysctls the replay applies. */
export interface DirectorInput {
  /** The rules as ipvsadm -R reads them, comment lines left out. */
  rules: string
  /** The *mangle section of the mangle file, with its COMMIT. */
  mangle?: string
  sysctls: Array<{ key: string; value: string; line: number }>
  /** Settings of the sysctl file the replay leaves alone. */
  sysctlsLeftOut: number
  /** A keepalived.conf: its checker programs IPVS instead of `ipvsadm -R` of the rules (the save it was read as). */
  keepalived?: string
}

/**
 * IPVS's own settings and forwarding are the director's behaviour the file describes; the rest of
 * a `sysctl -a` (interfaces, memory, the kernel's own) belongs to the machine it was taken on.
 */
const APPLIED = (key: string) => key.startsWith('net.ipv4.vs.') || key === 'net.ipv4.ip_forward'

/** The director's input from the files' texts (pure). */
export function directorInputOf(rules: string, mangle: string | undefined, sysctl: Sysctls | undefined, keepalived?: string): DirectorInput {
  const kept = rules.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  const sysctls = [...(sysctl ?? [])].filter(([k]) => APPLIED(k)).map(([key, v]) => ({ key, value: v.value, line: v.line }))
  return {
    rules: `${kept.join('\n')}\n`,
    mangle: mangle === undefined ? undefined : mangleSection(mangle),
    sysctls,
    sysctlsLeftOut: (sysctl?.size ?? 0) - sysctls.length,
    ...(keepalived !== undefined && { keepalived }),
  }
}

/** Only the mangle table is restored: a *filter or *nat of the file would fence the lab's own traffic. */
function mangleSection(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  const start = lines.indexOf('*mangle')
  if (start < 0) return undefined
  const end = lines.indexOf('COMMIT', start)
  return `${lines.slice(start, end + 1).join('\n')}\n`
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/**
 * One round trip: the mangle table restored, the sysctls written, the rules restored with
 * `ipvsadm -R` (or a keepalived.conf's checker started and waited for: keepalived-script.ts),
 * then what the kernel holds read back (`-S -n`, `-Ln --nosort`, `--timeout`,
 * `iptables-save -t mangle`). Each step prints its output and exit code and the next still runs.
 */
export function programmingScript(d: DirectorInput): string {
  const settings = [
    ...(d.mangle ? [heredoc('/tmp/replay.mangle', d.mangle), part('iptables-restore'), 'iptables-restore < /tmp/replay.mangle 2>&1; echo "@@rc $?"'] : []),
    part('sysctl'),
    ...d.sysctls.map((s) => `sysctl -w ${quote(`${s.key}=${s.value}`)} 2>&1 || true`),
  ]
  if (d.keepalived !== undefined) return [...settings, startKeepalivedScript(d.keepalived), part('iptables-save -t mangle'), 'iptables-save -t mangle'].join('\n')
  return [
    heredoc('/tmp/replay.rules', d.rules),
    ...settings,
    part('ipvsadm -R'),
    'ipvsadm -R < /tmp/replay.rules 2>&1; echo "@@rc $?"',
    part('ipvsadm -S -n'),
    'ipvsadm -S -n',
    part('ipvsadm -Ln --nosort'),
    'ipvsadm -L -n --nosort',
    part('ipvsadm -L --timeout'),
    'ipvsadm -L --timeout',
    part('iptables-save -t mangle'),
    'iptables-save -t mangle',
  ].join('\n')
}

export type ProgrammingStep = ScriptPart

/** What each step printed, by its name (pure). */
export const parseProgramming = parseParts
