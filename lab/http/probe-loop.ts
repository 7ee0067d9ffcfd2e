/** When a probe run may end before its time: the move it watches has been seen through. */
export interface ProbesUntil {
  /** The address whose neighbour entry the client reads before each probe (the VIP). */
  ip: string
  /** The MAC that entry should come to name (the new holder's). */
  mac: string
  /** How many answered probes in a row, each sent with the entry on `mac`, end the run. */
  answered: number
}

/**
 * The bash program of a probe run (Client.probeRun), written to run under `bash -c '...'`:
 * a GET every `intervalSeconds` for `seconds`, a new connection each, one line per probe to
 * `tag` (sent and ended in µs of the lab's clock, the answering server or -), then `end`.
 *
 * With `until`, the run ends early once the entry for `until.ip`, having named another MAC (or
 * none) before a probe, has named `until.mac` before each of `until.answered` answered probes in
 * a row. An entry on `until.mac` from the first probe on proves no move and ends nothing early.
 */
export function probeLoop(tag: string, url: string, seconds: number, o: { intervalSeconds?: number; until?: ProbesUntil } = {}): string {
  const u = o.until
  const before = u ? `  on=0; ip neigh show ${u.ip} | grep -q "lladdr ${u.mac.toLowerCase()}" && on=1; [ $on = 0 ] && moved=1\n` : ''
  const after = u ? `  if [ $moved = 1 ] && [ $on = 1 ] && [ $name != - ]; then n=$((n + 1)); else n=0; fi; [ $n -ge ${u.answered} ] && break\n` : ''
  return `end=$(( \${EPOCHREALTIME/[.,]/} + ${Math.round(seconds * 1_000_000)} )); n=0; moved=0
while [ \${EPOCHREALTIME/[.,]/} -lt $end ]; do
${before}  t=\${EPOCHREALTIME/[.,]/}
  body=$(curl -s --connect-timeout 0.5 --max-time 1 ${url} 2>/dev/null)
  re="Welcome to nginx in ([A-Za-z0-9.-]+)"; name=-; [[ $body =~ $re ]] && name=\${BASH_REMATCH[1]}
  echo "$t \${EPOCHREALTIME/[.,]/} $name" >> ${tag}
${after}  sleep ${o.intervalSeconds ?? 0.2}
done
echo end >> ${tag}`
}
