/** iputils `arping` prints one line per reply: `Unicast reply from IP [MAC]  0.530ms`. */
export interface ArpingReply {
  address: string
  mac: string
}

export function parseArping(stdout: string): ArpingReply[] {
  return [...stdout.matchAll(/^(?:Unicast|Broadcast) reply from (\S+) \[([0-9A-Fa-f:]{17})\]/gm)].map((m) => ({ address: m[1], mac: m[2].toLowerCase() }))
}
