import type { Topology, VrrpMember, VrrpSpec } from '../../topologies/topology'

/** A virtual service keepalived programs on each director (its checker), DR to the real servers. */
export interface KeepalivedService {
  port: number
  scheduler: string
  /** The scheduler's flags, as keepalived names them (`mh-port`: mh hashes the client's port too). */
  schedulerFlags?: string[]
  realServers: string[]
  /** The real servers' port where it is not the service's (NAT remaps; DR cannot). */
  realPort?: number
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
  /** The VIP's instance and the floating addresses' in one vrrp_sync_group (the default); false leaves each instance on its own. */
  syncGroup?: boolean
  /**
   * false: `nopreempt`, a returning higher priority leaves the VIP where it is. keepalived
   * honours it only in an instance that starts in BACKUP, so every member starts there.
   */
  preempt?: boolean
}

/** A VRRP instance's name in the files vrrpConf writes (and in keepalived's log lines). */
export const vrrpInstanceName = (virtualRouterId: number) => `VI_${virtualRouterId}`

/** The group's instances by name: the VIP's first, then one per floating address. */
export function vrrpInstanceNames(vrrp: VrrpSpec): string[] {
  return [vrrp.virtualRouterId, ...(vrrp.floating ?? []).map((f) => f.virtualRouterId)].map(vrrpInstanceName)
}

/**
 * One director's keepalived.conf for the topology's VRRP group: one vrrp_instance for the VIP
 * and one per floating address, each on its network's interface (the intended master starts
 * in MASTER, the other in BACKUP, each with its priority; preemption on, keepalived's
 * default), all in one vrrp_sync_group so that they move together; then the virtual servers
 * (DR, or NAT with the real servers' port). Gratuitous ARPs go out at once
 * (vrrp_garp_master_delay 0 would be "never again"; 1 s is the smallest repeat), so the
 * neighbour entries move with the addresses.
 */
export function vrrpConf(
  topology: Topology,
  member: VrrpMember,
  deviceOf: (network: string) => string,
  { services, syncDaemon = false, syncGroup = true, preempt = true }: VrrpConfOptions,
): string {
  const vrrp = topology.vrrp
  if (!vrrp) throw new Error(`topology ${topology.name} has no VRRP group`)
  const master = [...vrrp.members].sort((a, b) => b.priority - a.priority)[0]!
  const instances = [{ network: vrrp.network, address: `${topology.vip}/32`, virtualRouterId: vrrp.virtualRouterId }, ...(vrrp.floating ?? [])].map((i) => ({
    ...i,
    name: vrrpInstanceName(i.virtualRouterId),
    device: deviceOf(i.network),
  }))
  const kind = topology.mode === 'nat' ? 'NAT' : 'DR'
  const lines = [
    'global_defs {',
    `  router_id ${member.node}`,
    '  vrrp_garp_master_delay 1',
    '  vrrp_garp_master_repeat 3',
    ...(syncDaemon ? [`  lvs_sync_daemon ${instances[0]!.device} ${instances[0]!.name}`] : []),
    '}',
    ...(syncGroup && instances.length > 1 ? [`vrrp_sync_group VG_${vrrp.virtualRouterId} {`, '  group {', ...instances.map((i) => `    ${i.name}`), '  }', '}'] : []),
    ...instances.flatMap((i) => [
      `vrrp_instance ${i.name} {`,
      `  state ${member.node === master.node && preempt ? 'MASTER' : 'BACKUP'}`,
      ...(preempt ? [] : ['  nopreempt']),
      `  interface ${i.device}`,
      `  virtual_router_id ${i.virtualRouterId}`,
      `  priority ${member.priority}`,
      `  advert_int ${vrrp.advertInt}`,
      '  virtual_ipaddress {',
      `    ${i.address} dev ${i.device}`,
      '  }',
      '}',
    ]),
    ...services.flatMap((s) => [
      `virtual_server ${topology.vip} ${s.port} {`,
      `  delay_loop ${s.delayLoop}`,
      `  lb_algo ${s.scheduler}`,
      ...(s.schedulerFlags ?? []).map((f) => `  ${f}`),
      `  lb_kind ${kind}`,
      '  protocol TCP',
      ...(s.persistenceTimeout !== undefined ? [`  persistence_timeout ${s.persistenceTimeout}`] : []),
      ...s.realServers.flatMap((rip) => [
        `  real_server ${rip} ${s.realPort ?? s.port} {`,
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
