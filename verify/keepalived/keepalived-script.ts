import { exitCode, heredoc, part } from '../replay/script-parts'

export const KEEPALIVED_CONF = '/etc/keepalived/verify.conf'
const LOG = '/run/keepalived-verify.log'
/** Where keepalived's checker writes its state on SIGUSR1 (check_print_data, /tmp/keepalived_check.data in 2.2.7). */
const CHECK_DATA = '/tmp/keepalived_check.data'

/**
 * The checker process alone (--check: no VRRP, the lab's director holds the VIPs itself), in
 * the foreground of its own session so that it outlives the script, logging to a file.
 * --dump-conf prints the configuration as keepalived understood it right after init_services()
 * has programmed IPVS (start_check in check/check_daemon.c): its first line is the moment the
 * table is complete, before any checker has had its first result.
 */
const CHECKER = `keepalived --check --dont-fork --log-console --log-detail --dump-conf --use-file=${KEEPALIVED_CONF}`
const PROGRAMMED = '------< LVS Topology >------'

export interface StartOptions {
  /**
   * For a reading without real servers: a default route into a dummy device, so that a
   * checker's probe gets no answer and waits out its connect_timeout (seconds) rather than
   * failing at once on ENETUNREACH and removing its server before the table is read.
   */
  isolated?: boolean
}

/**
 * The file given to keepalived in a lab node, in one round trip: its version and --config-test
 * (its own messages), then the checker started and waited for until the table is programmed
 * (at most 20 s), and what IPVS then holds read back. Parts: `keepalived --version`,
 * `keepalived --config-test`, `keepalived --check` (exit 0 programmed, 1 keepalived ended, 2
 * timed out), `ipvsadm -S -n`, `ipvsadm -L --timeout`, `ipvsadm -Ln --thresholds`,
 * `ipvsadm -Ln --nosort`, `keepalived log`.
 */
export function startKeepalivedScript(conf: string, { isolated = false }: StartOptions = {}): string {
  return [
    'mkdir -p /etc/keepalived',
    heredoc(KEEPALIVED_CONF, conf),
    part('keepalived --version'),
    'keepalived --version 2>&1 | head -1',
    part('keepalived --config-test'),
    `keepalived --config-test --all-config --use-file=${KEEPALIVED_CONF} 2>&1; ${exitCode}`,
    ...(isolated ? ['ip link add lab-nowhere type dummy 2>/dev/null; ip link set lab-nowhere up; ip route replace default dev lab-nowhere'] : []),
    part('keepalived --check'),
    `setsid ${CHECKER} </dev/null >${LOG} 2>&1 &`,
    'pid=$!',
    `rc=2; for t in $(seq 400); do grep -qF -- '${PROGRAMMED}' ${LOG} && { rc=0; break; }; kill -0 $pid 2>/dev/null || { rc=1; break; }; sleep 0.05; done`,
    `echo "${CHECKER}"; echo "@@rc $rc"`,
    part('ipvsadm -S -n'),
    'ipvsadm -S -n',
    part('ipvsadm -L --timeout'),
    'ipvsadm -L --timeout',
    part('ipvsadm -Ln --thresholds'),
    'ipvsadm -L -n --thresholds',
    part('ipvsadm -Ln --nosort'),
    'ipvsadm -L -n --nosort',
    part('keepalived log'),
    `cat ${LOG}`,
  ].join('\n')
}

/**
 * Asks the checker for its state (SIGUSR1) once a second until every checker has had a result
 * or `limitSeconds` pass, then prints it with the table and the log's lines since the dump.
 * Parts: `checker state` (exit 0 every checker has run, 2 some had not), `ipvsadm -Ln --nosort`,
 * `keepalived log`.
 */
export function checkerStateScript(limitSeconds: number): string {
  return [
    part('checker state'),
    'rc=2',
    `for t in $(seq ${limitSeconds}); do`,
    `  rm -f ${CHECK_DATA}; kill -USR1 $(pgrep -x keepalived) 2>/dev/null`,
    `  for w in $(seq 40); do [ -s ${CHECK_DATA} ] && break; sleep 0.05; done`,
    `  grep -q 'Has run = no' ${CHECK_DATA} 2>/dev/null || { [ -s ${CHECK_DATA} ] && { rc=0; break; }; }`,
    '  sleep 1',
    'done',
    `cat ${CHECK_DATA} 2>/dev/null; echo "@@rc $rc"`,
    part('ipvsadm -Ln --nosort'),
    'ipvsadm -L -n --nosort',
    part('keepalived log'),
    // the dump is in the programming's evidence: from here on, what the checkers did
    `sed -n '/Activating healthchecker/,$p' ${LOG}`,
  ].join('\n')
}
