/**
 * keepalived's own account of what each VRRP instance heard and did: on SIGUSR2 (its
 * `--signum=STATS`) the VRRP process writes /tmp/keepalived.stats, an instance per section
 * (`VRRP Instance: VI_51`, then `Advertisements:` with `Received:` and `Sent:`, `Became master:`,
 * ..., and last `Priority Zero:` with its own `Received:` and `Sent:`).
 */
export const statsFile = '/tmp/keepalived.stats'

/**
 * awk over the stats file: exit 0 when each named instance has received at least one advert
 * and never became master (it heard a master from its start on), 1 when the file is complete
 * (every named instance's section read to its last line) and one has not, 2 while the file is
 * missing (awk's own exit) or not complete yet.
 */
export function heardAwk(instances: string[]): string {
  return `awk -v names="${instances.join(' ')}" '
/^VRRP Instance: / { cur = $3; adv = 0; pz = 0 }
/^  Advertisements:/ { adv = 1; next }
adv && /^    Received: / { received[cur] = $2; adv = 0 }
/^  Became master: / { became[cur] = $3 }
/^  Priority Zero:/ { pz = 1; next }
pz && /^    Sent: / { complete[cur] = 1 }
END {
  n = split(names, list, " ")
  for (i = 1; i <= n; i++) if (!complete[list[i]]) exit 2
  for (i = 1; i <= n; i++) if (received[list[i]] < 1 || became[list[i]] != 0) exit 1
}'`
}

/**
 * Waits, in the director, until keepalived says each named instance is BACKUP (the last state
 * of its log, `inBackup`) and has heard the master: its stats, asked for with `askStats`, count
 * a received advert and no turn as master. That proves what a failure test starts from, the
 * backup listening to the master, as soon as the master's first advert has come, instead of
 * after a master-down interval of not taking over. At most `limitSeconds`, then it fails with
 * the log and the stats.
 */
export function waitHeard(instances: string[], o: { inBackup: string; askStats: string; logFile: string; limitSeconds?: number }): string {
  const limit = o.limitSeconds ?? 30
  return `start=\${EPOCHREALTIME/[.,]/}
while :; do
  now=\${EPOCHREALTIME/[.,]/}
  if ${o.inBackup}; then
    rm -f ${statsFile}; ${o.askStats}
    for i in $(seq 40); do heard=0; ${heardAwk(instances)} ${statsFile} 2>/dev/null || heard=$?; [ $heard != 2 ] && break; sleep 0.05; done
    if [ $heard = 0 ] && ${o.inBackup}; then rm -f ${statsFile}; break; fi
  fi
  alive || { echo "keepalived ended:" >&2; cat ${o.logFile} >&2; exit 1; }
  [ $(( now - start )) -ge ${limit * 1_000_000} ] && { echo "keepalived did not hear the master as BACKUP within ${limit} s (${instances.join(', ')}):" >&2; cat ${o.logFile} ${statsFile} >&2 2>/dev/null; exit 1; }
  sleep 0.2
done`
}
