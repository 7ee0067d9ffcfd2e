import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one backup_only run saw: the backup director (its sync daemon in backup mode, the VIP
 * on its lo as a real server would have it) sent the client's requests directly (the client's
 * neighbour entry for the VIP pinned to the backup's MAC).
 */
export interface BackupOnlyRun {
  knob: number
  backup: string
  /** Who answered each request (undefined: not answered by a real server). */
  answers: (string | undefined)[]
  /** The backup's entries for the client on VIP:port after the requests. */
  backupEntries: number
  /** The backup's sync daemon state as ipvsadm --list --daemon printed it. */
  daemon: string
}

/**
 * 6, at 0 (the default). A backup director is a director too: the requests that reach it are
 * scheduled by its IPVS and forwarded (DR) to a real server, which answers.
 */
export function backupForwards(run: BackupOnlyRun): Verdict {
  return verdict(`backup_only=${run.knob}: the backup director forwards the VIP traffic that reaches it`, [
    !/backup/i.test(run.daemon) && `the backup's sync daemon is not in backup mode (${run.daemon.trim() || 'none'})`,
    run.answers.length === 0 && 'no request was sent',
    run.answers.some((a) => a === undefined) && `${run.answers.filter((a) => a === undefined).length} of ${run.answers.length} requests were not answered by a real server`,
    run.backupEntries === 0 && 'the backup made no entry for them',
  ])
}

/**
 * 6, at 1. ipvs-sysctl.rst: "disable the director function while the server is in backup
 * mode to avoid packet loops for DR/TUN methods". ip_vs_in_hook (ip_vs_core.c) accepts the
 * packet untouched when sysctl_backup_only (the knob and IP_VS_STATE_BACKUP): the request goes
 * up the backup's own stack, where no socket has the port, and no real server sees it.
 */
export function backupDoesNotForward(run: BackupOnlyRun): Verdict {
  return verdict(`backup_only=${run.knob}: the backup director, its sync daemon in backup mode, forwards nothing`, [
    !/backup/i.test(run.daemon) && `the backup's sync daemon is not in backup mode (${run.daemon.trim() || 'none'})`,
    run.answers.length === 0 && 'no request was sent',
    run.answers.some((a) => a !== undefined) &&
      `${run.answers.filter((a) => a !== undefined).length} requests were answered by a real server (${[...new Set(run.answers.filter(Boolean))].join(', ')})`,
    run.backupEntries > 0 && `the backup made ${run.backupEntries} entries`,
  ])
}

export function describeBackupOnlyRun(run: BackupOnlyRun): string {
  return [
    `backup_only=${run.knob} on ${run.backup}; its sync daemon: ${run.daemon.trim() || '(none)'}`,
    `requests sent to the backup's MAC: ${run.answers.map((a) => a ?? '-').join(' ')}`,
    `the backup's entries for them: ${run.backupEntries}`,
  ].join('\n')
}
