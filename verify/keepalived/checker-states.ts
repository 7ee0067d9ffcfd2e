/** One health checker as keepalived's checker process reports it (SIGUSR1, check_print_data). */
export interface CheckerState {
  /** As ipvsadm -Ln names the service: `TCP 172.16.100.201:8443`, `FWM 10`. */
  service: string
  address: string
  port: number
  /** `HTTP_GET`, `TCP_CHECK`, `DNS_CHECK`, ... */
  method: string
  /** Whether it has had a first result. */
  hasRun: boolean
  /** Its last result: a checker that is down has its server out of the table (or at weight 0 with inhibit_on_failure). */
  up: boolean
}

const HEAD = /^\s*(FWM \d+|\[([^\]]+)\]:(\w+):(\d+)) -> \[([^\]]+)\]:\w+:(\d+)\s*$/

/**
 * Reads the "Health checkers" section of keepalived_check.data (keepalived 2.2.7's dump_checker:
 * ` VS -> [RIP]:proto:port`, then `Up = yes`, `Has run = no`, `Keepalive method = TCP_CHECK`);
 * timestamps of a console copy are ignored (pure).
 */
export function parseCheckerStates(text: string): CheckerState[] {
  const states: CheckerState[] = []
  let current: CheckerState | undefined
  let inCheckers = false
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\w{3} \w{3} +\d+ [\d:]+ \d{4}: /, '')
    if (/------< Health checkers >------/.test(line)) inCheckers = true
    else if (/^\s*------< /.test(line) && !/^\s{2,}/.test(line)) inCheckers = false
    if (!inCheckers) continue
    const head = HEAD.exec(line)
    if (head) {
      const service = head[1]!.startsWith('FWM') ? head[1]! : `${head[3]!.toUpperCase()} ${head[2]}:${head[4]}`
      current = { service, address: head[5]!, port: Number(head[6]), method: '', hasRun: false, up: false }
      states.push(current)
      continue
    }
    if (!current) continue
    const field = /^\s*(Up|Has run|Keepalive method) = ([^,]+)/.exec(line)
    if (field?.[1] === 'Up') current.up = field[2]!.trim() === 'yes'
    else if (field?.[1] === 'Has run') current.hasRun = field[2]!.trim() === 'yes'
    else if (field?.[1] === 'Keepalive method') current.method = field[2]!.trim().split(/\s/)[0]!
  }
  return states
}
