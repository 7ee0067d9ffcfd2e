/**
 * Packet and byte counters of firewall rules, from `iptables-save -c`: each rule line starts
 * with `[packets:bytes]`. Rules are found by their comment (`-m comment --comment NAME`), which
 * iptables-save prints back as written.
 */
export interface RuleCounter {
  packets: number
  bytes: number
  /** The rule as iptables-save prints it, without its counters. */
  rule: string
}

export function parseRuleCounters(save: string): Map<string, RuleCounter> {
  const out = new Map<string, RuleCounter>()
  for (const line of save.split('\n')) {
    const m = /^\[(\d+):(\d+)\] (-A .*)$/.exec(line.trim())
    if (!m) continue
    const comment = /--comment "?([^"\s]+)"?/.exec(m[3]!)
    if (comment) out.set(comment[1]!, { packets: Number(m[1]), bytes: Number(m[2]), rule: m[3]! })
  }
  return out
}
