/**
 * The specification of this suite: the knobs of /proc/sys/net/ipv4/vs/ as the kernel documents
 * them, in Documentation/networking/ipvs-sysctl.rst (torvalds/linux, the file as of commit
 * 254a142007114cad7b0a901215c1558e4315d46f). Each entry is one heading of that file, in its
 * order; `onlyWith` quotes the file's own condition, `since` is where the file describes a knob
 * newer kernels have and older ones do not.
 */
export interface DocumentedKnob {
  name: string
  /** The file says: "Only available when IPVS is compiled with <option> enabled." */
  onlyWith?: string
  /** The first kernel line that has it (older kernels lack it by design, not by fault). */
  since?: { line: string; why: string }
  /**
   * Not in the revision cited but added to the file by a later series, together with the code
   * (the patch adds both): documented where the kernel has it, a finding where it does not.
   * The kernel line it came with is not pinned until the matrix has seen it.
   */
  addedLater?: string
}

/** A knob the kernel registers that the file does not describe, with where the code registers it. */
export interface UndocumentedKnob {
  name: string
  registeredBy: string
}

export const ipvsSysctlDocument = 'Documentation/networking/ipvs-sysctl.rst (torvalds/linux 254a142007114cad7b0a901215c1558e4315d46f)'

const resizableTables = 'the resizable hash tables (conn_lfactor, svc_lfactor, conn_max), added to the file after the revision cited'

const estimatorKthreads = { line: '6.2', why: 'the estimation kthreads these knobs steer came with Linux 6.2 (ip_vs_est.c); older kernels estimate from one timer' }

export const documentedKnobs: DocumentedKnob[] = [
  { name: 'am_droprate' },
  { name: 'amemthresh' },
  { name: 'backup_only' },
  { name: 'conn_reuse_mode' },
  { name: 'conntrack', onlyWith: 'CONFIG_IP_VS_NFCT' },
  { name: 'cache_bypass' },
  { name: 'debug_level', onlyWith: 'CONFIG_IP_VS_DEBUG' },
  { name: 'drop_entry' },
  { name: 'drop_packet' },
  { name: 'est_cpulist', since: estimatorKthreads },
  { name: 'est_nice', since: estimatorKthreads },
  { name: 'expire_nodest_conn' },
  { name: 'expire_quiescent_template' },
  { name: 'ignore_tunneled' },
  { name: 'nat_icmp_send' },
  { name: 'pmtu_disc' },
  { name: 'secure_tcp' },
  { name: 'sync_threshold' },
  { name: 'sync_refresh_period' },
  { name: 'sync_retries' },
  { name: 'sync_qlen_max' },
  { name: 'sync_sock_size' },
  { name: 'sync_ports' },
  { name: 'snat_reroute' },
  { name: 'sync_persist_mode' },
  { name: 'sync_version' },
  { name: 'run_estimation', since: { line: '5.16', why: 'added by commit 2232642ec3fb (ipvs: add sysctl_run_estimation to support disable estimation), merged for Linux 5.16' } },
  // Added to the file with the resizable connection and service hash tables (Julian
  // Anastasov's series on lvs-devel: "conn_lfactor - INTEGER", "svc_lfactor - INTEGER",
  // "conn_max - INTEGER" in Documentation/networking/ipvs-sysctl.rst, next to ip_vs_ctl.c's vs_vars).
  { name: 'conn_lfactor', addedLater: resizableTables },
  { name: 'svc_lfactor', addedLater: resizableTables },
  { name: 'conn_max', addedLater: resizableTables },
]

/**
 * Knobs the kernels of the lab were seen to have that the file does not describe: a gap in the
 * document, not a fault of the kernel. A knob neither documented nor listed here fails the check.
 */
export const undocumentedKnobs: UndocumentedKnob[] = [
  { name: 'schedule_icmp', registeredBy: 'net/netfilter/ipvs/ip_vs_ctl.c (vs_vars): schedule an ICMP error that matches no entry (ip_vs_in_icmp)' },
  { name: 'sloppy_tcp', registeredBy: 'net/netfilter/ipvs/ip_vs_ctl.c (vs_vars): create entries from any TCP segment, not only a SYN (ip_vs_proto_tcp.c)' },
  { name: 'sloppy_sctp', registeredBy: 'net/netfilter/ipvs/ip_vs_ctl.c (vs_vars): the same for SCTP (ip_vs_proto_sctp.c)' },
  { name: 'lblc_expiration', registeredBy: 'net/netfilter/ipvs/ip_vs_lblc.c, once the lblc scheduler module is loaded' },
  { name: 'lblcr_expiration', registeredBy: 'net/netfilter/ipvs/ip_vs_lblcr.c, once the lblcr scheduler module is loaded' },
]
