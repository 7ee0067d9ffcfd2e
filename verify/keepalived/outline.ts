/** A block of a keepalived.conf: its keyword, what follows it, its line and the blocks around it. */
export interface KeepalivedBlock {
  keyword: string
  args: string
  line: number
  /** The enclosing blocks, outermost first, as `keyword args`. */
  within: string[]
}

/** A virtual_server block: where a service of the table was written, and its real servers. */
export interface VirtualServerBlock {
  /** What follows the keyword: `172.16.100.201 8443`, `fwmark 10`, `group web`. */
  args: string
  line: number
  /** From its `protocol` line; keepalived's default when absent. */
  protocol?: string
  realServers: Array<{ args: string; line: number }>
}

export interface KeepalivedOutline {
  /** VRRP and the addresses it manages: not replayed (the lab's director holds the VIPs itself). */
  vrrp: KeepalivedBlock[]
  /** Health checkers of real servers: kept, they run against the lab's real servers. */
  checkers: KeepalivedBlock[]
  /** `include` lines: their files are read by keepalived, not named in this outline. */
  includes: number[]
  virtualServers: VirtualServerBlock[]
  /** The global_defs line that sets IPVS's timeouts (`lvs_timeouts`), if any. */
  timeoutsLine?: number
}

const VRRP = /^(vrrp_\w+|static_ipaddress|static_routes|static_rules|garp_group|linkbeat_interfaces)$/
const CHECKER = /^(\w+_CHECK|HTTP_GET|SSL_GET)$/

/**
 * Names the blocks of a keepalived.conf for the report. This is no reading of the configuration
 * (keepalived reads it, see config-test.ts): it only finds block openings by their braces, so that
 * the report can say which VRRP blocks are not replayed and which health checkers are kept.
 */
export function outlineKeepalived(text: string): KeepalivedOutline {
  const outline: KeepalivedOutline = { vrrp: [], checkers: [], includes: [], virtualServers: [] }
  const stack: string[] = []
  /** The virtual_server block being read, while the stack is inside it. */
  let vs: { block: VirtualServerBlock; depth: number } | undefined
  let pending: { keyword: string; args: string; line: number } | undefined
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)[#!].*$/, '').trim()
    if (line === '') return
    if (/^include\s/.test(line)) outline.includes.push(i + 1)
    if (/^lvs_timeouts\s/.test(line)) outline.timeoutsLine = i + 1
    const protocol = /^protocol\s+(\S+)/.exec(line)
    if (protocol && vs && stack.length === vs.depth) vs.block.protocol = protocol[1]!.toUpperCase()
    for (const part of line.split(/(?=[{}])|(?<=[{}])/)) {
      const word = part.trim()
      if (word === '{') {
        const block = pending ?? { keyword: '', args: '', line: i + 1 }
        const found = { ...block, within: [...stack] }
        if (stack.length === 0 && VRRP.test(block.keyword)) outline.vrrp.push(found)
        if (CHECKER.test(block.keyword)) outline.checkers.push(found)
        if (stack.length === 0 && block.keyword === 'virtual_server') {
          vs = { block: { args: block.args, line: block.line, realServers: [] }, depth: 1 }
          outline.virtualServers.push(vs.block)
        }
        if (vs && stack.length === vs.depth && block.keyword === 'real_server') vs.block.realServers.push({ args: block.args, line: block.line })
        stack.push(`${block.keyword} ${block.args}`.trim())
        pending = undefined
      } else if (word === '}') {
        stack.pop()
        if (vs && stack.length < vs.depth) vs = undefined
        pending = undefined
      } else if (word !== '') {
        const [keyword, ...args] = word.split(/\s+/)
        pending = { keyword: keyword!, args: args.join(' '), line: i + 1 }
      }
    }
  })
  return outline
}
