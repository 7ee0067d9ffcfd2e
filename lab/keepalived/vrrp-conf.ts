import type { Topology, VrrpMember } from '../../topologies/topology'

/** A virtual service keepalived programs on each director (its checker), DR to the real servers. */
export interface KeepalivedService {
  port: number
  scheduler: string
  realServers: string[]
  /** Seconds between health checks. */
  delayLoop: number
  /** `-p` in seconds, if persistent. */
  persistenceTimeout?: number
  /** Real servers given no checker: keepalived keeps them in the table whatever they do. */
  unchecked?: string[]
  /** A failed server stays in the table at weight 0 instead of being removed. */
  inhibitOnFailure?: boolean
}

/** A TCP_CHECK's timing: each check waits `connectTimeout` s; a failed one is retried `retry` times, `delayBeforeRetry` s apart, before the server is taken out. */
export const tcpCheck = { connectTimeout: 1, retry: 1, delayBeforeRetry: 1 }

export interface VrrpConfOptions {
  services: KeepalivedService[]
  /** keepalived's lvs_sync_daemon on the VRRP interface: the kernel's sync daemon, master on the master, backup on the backup. */
  syncDaemon?: boolean
}

/**
 * One director's keepalived.conf for the topology's VRRP group: one vrrp_instance (the
 * intended master starts in MASTER, the other in BACKUP, each with its priority; preemption
 * on, keepalived's default), the VIP as its virtual_ipaddress on the group's interface, and
 * the DR virtual servers. Gratuitous ARPs go out at once (vrrp_garp_master_delay 0 would be
 * "never again"; 1 s is the smallest repeat), so the client's neighbour entry moves with the VIP.
 */
export function vrrpConf(topology: Topology, member: VrrpMember, device: string, { services, syncDaemon = false }: VrrpConfOptions): string {
  const vrrp = topology.vrrp
  if (!vrrp) throw new Error(`topology ${topology.name} has no VRRP group`)
  const master = [...vrrp.members].sort((a, b) => b.priority - a.priority)[0]!
  const instance = `VI_${vrrp.virtualRouterId}`
  const lines = [
    'global_defs {',
    `  router_id ${member.node}`,
    '  vrrp_garp_master_delay 1',
    '  vrrp_garp_master_repeat 3',
    ...(syncDaemon ? [`  lvs_sync_daemon ${device} ${instance}`] : []),
    '}',
    `vrrp_instance ${instance} {`,
    `  state ${member.node === master.node ? 'MASTER' : 'BACKUP'}`,
    `  interface ${device}`,
    `  virtual_router_id ${vrrp.virtualRouterId}`,
    `  priority ${member.priority}`,
    `  advert_int ${vrrp.advertInt}`,
    '  virtual_ipaddress {',
    `    ${topology.vip}/32 dev ${device}`,
    ...(vrrp.floating ?? []).map((f) => `    ${f.address} dev ${device}`),
    '  }',
    '}',
    ...services.flatMap((s) => [
      `virtual_server ${topology.vip} ${s.port} {`,
      `  delay_loop ${s.delayLoop}`,
      `  lb_algo ${s.scheduler}`,
      '  lb_kind DR',
      '  protocol TCP',
      ...(s.persistenceTimeout !== undefined ? [`  persistence_timeout ${s.persistenceTimeout}`] : []),
      ...s.realServers.flatMap((rip) => [
        `  real_server ${rip} ${s.port} {`,
        '    weight 1',
        ...(s.inhibitOnFailure ? ['    inhibit_on_failure'] : []),
        ...(s.unchecked?.includes(rip)
          ? []
          : [
              '    TCP_CHECK {',
              `      connect_timeout ${tcpCheck.connectTimeout}`,
              `      retry ${tcpCheck.retry}`,
              `      delay_before_retry ${tcpCheck.delayBeforeRetry}`,
              '    }',
            ]),
        '  }',
      ]),
      '}',
    ]),
  ]
  return `${lines.join('\n')}\n`
}
