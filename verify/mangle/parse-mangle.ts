import { BadInput } from '../bad-input'
import { iptablesTokens } from './iptables-tokens'

/** A rule of the mangle table that marks packets (`-j MARK`), as iptables-save prints it. */
export interface MarkRule {
  line: number
  text: string
  chain: string
  /** The mark a packet carries after the rule, when it carried none before. */
  mark: number
  /** The rule runs before IPVS looks at the packet: PREROUTING, INPUT, OUTPUT or a chain they jump to. */
  beforeIpvs: boolean
  /** `-d`: an address with its prefix, as printed (`172.16.100.200/32`). */
  destination?: string
  /** `-p`: tcp, udp, sctp... */
  protocol?: string
  /** `--dport`/`--dports`, ranges as [from, to]. */
  ports?: Array<[number, number]>
  /** Anything else narrows which packets it marks (a source, an interface, a negation). */
  narrowed: boolean
}

export interface MangleTable {
  /** False when the file had no `*mangle` section: iptables-save leaves out a table never loaded. */
  present: boolean
  marks: MarkRule[]
}

/**
 * IPVS schedules a packet for the VIP at LOCAL_IN (NF_IP_PRI_NAT_SRC - 1) and the director's own
 * at LOCAL_OUT (NF_IP_PRI_NAT_DST + 2; ip_vs_ops4 in net/netfilter/ipvs/ip_vs_core.c). The
 * mangle table hooks at NF_IP_PRI_MANGLE, earlier, so a mark set in its PREROUTING, INPUT or
 * OUTPUT is the mark ip_vs_service_find sees.
 */
const HOOKS_BEFORE_IPVS = ['PREROUTING', 'INPUT', 'OUTPUT']
const MATCHES_UNDERSTOOD = new Set(['-d', '--destination', '-p', '--protocol', '-m', '--match', '--dport', '--destination-port', '--dports', '--destination-ports', '-j', '--jump'])

/**
 * Reads `iptables-save` (or `ip6tables-save`) output: `*table` sections of `:chain` lines and
 * `-A` rules, each ended by COMMIT. Only the mangle table's MARK rules are kept. Anything that is
 * not iptables-save output is a BadInput quoting the line.
 */
export function parseMangle(text: string, file: string): MangleTable {
  const notSave = (no: number, line: string, why: string) =>
    new BadInput(`${file} line ${no} is not iptables-save output (${why}): ${JSON.stringify(line)}`, 'pass the output of `iptables-save -t mangle` taken on the director')
  let table: string | undefined
  let sawTable = false
  const rules: Array<{ no: number; text: string; chain: string; words: string[] }> = []
  const jumps = new Map<string, Set<string>>()
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    const no = i + 1
    if (line === '' || line.startsWith('#')) return
    if (line.startsWith('*')) {
      if (table !== undefined) throw notSave(no, line, `*${table} has no COMMIT before it`)
      table = line.slice(1)
      sawTable = true
    } else if (line === 'COMMIT') {
      if (table === undefined) throw notSave(no, line, 'COMMIT outside a table')
      table = undefined
    } else if (table === undefined) throw notSave(no, line, 'a line outside any *table section')
    else if (line.startsWith(':')) {
      if (!/^:\S+ \S+( \[\d+:\d+\])?$/.test(line)) throw notSave(no, line, 'a chain line is ":name policy [packets:bytes]"')
    } else if (line.startsWith('-A ')) {
      const words = iptablesTokens(line)
      const chain = words[1]!
      if (table === 'mangle') {
        rules.push({ no, text: line, chain, words })
        const target = valueOf(words, ['-j', '--jump', '-g', '--goto'])
        if (target) jumps.set(chain, (jumps.get(chain) ?? new Set()).add(target))
      }
    } else throw notSave(no, line, 'rules are "-A chain ..."')
  })
  if (table !== undefined) throw new BadInput(`${file} ends inside *${table} (no COMMIT)`, 'pass the whole output of `iptables-save -t mangle`')
  if (!sawTable) throw new BadInput(`${file} has no *table section, so it is not iptables-save output`, 'pass the output of `iptables-save -t mangle` taken on the director')
  const before = reachableFrom(HOOKS_BEFORE_IPVS, jumps)
  const marks = rules.flatMap(({ no, text: t, chain, words }) => {
    if (valueOf(words, ['-j', '--jump']) !== 'MARK') return []
    const mark = markSet(words)
    if (mark === undefined) return []
    return [{ line: no, text: t, chain, mark, beforeIpvs: before.has(chain), ...matches(words) }]
  })
  return { present: lines.some((l) => l.trim() === '*mangle'), marks }
}

function valueOf(words: string[], names: string[]): string | undefined {
  const i = words.findIndex((w) => names.includes(w))
  return i >= 0 ? words[i + 1] : undefined
}

/** The chains a packet can walk from the given ones, following -j and -g. */
function reachableFrom(start: string[], jumps: Map<string, Set<string>>): Set<string> {
  const seen = new Set(start)
  const todo = [...start]
  for (let c = todo.pop(); c !== undefined; c = todo.pop())
    for (const next of jumps.get(c) ?? []) {
      if (!seen.has(next)) todo.push(next)
      seen.add(next)
    }
  return seen
}

/** xt_MARK: --set-xmark v/m gives (mark & ~m) ^ v, --set-mark v/m (mark & ~m) | v, --or-mark and --xor-mark v; from mark 0 each is v. */
function markSet(words: string[]): number | undefined {
  const value = valueOf(words, ['--set-xmark', '--set-mark', '--or-mark', '--xor-mark'])
  if (value === undefined) return undefined
  const n = Number(value.split('/')[0])
  return Number.isInteger(n) ? n : undefined
}

function matches(words: string[]): Pick<MarkRule, 'destination' | 'protocol' | 'ports' | 'narrowed'> {
  const out: Pick<MarkRule, 'destination' | 'protocol' | 'ports' | 'narrowed'> = { narrowed: false }
  const jump = words.findIndex((w) => w === '-j' || w === '--jump')
  for (let i = 2; i < jump; i++) {
    const w = words[i]!
    const next = words[i + 1]
    if (w === '!' || (w.startsWith('-') && !MATCHES_UNDERSTOOD.has(w))) out.narrowed = true
    // a negated match says which packets are left out: it is narrowing, not a destination
    if (words[i - 1] === '!') continue
    if (w === '-d' || w === '--destination') out.destination = next
    else if (w === '-p' || w === '--protocol') out.protocol = next
    else if (w === '--dport' || w === '--destination-port' || w === '--dports' || w === '--destination-ports') out.ports = next!.split(',').map(portRange)
    else if ((w === '-m' || w === '--match') && !['tcp', 'udp', 'sctp', 'multiport'].includes(next ?? '')) out.narrowed = true
  }
  return out
}

function portRange(text: string): [number, number] {
  const [from, to] = text.split(':').map(Number)
  return [from!, to ?? from!]
}
