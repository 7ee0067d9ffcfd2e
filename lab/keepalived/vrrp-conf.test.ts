import { describe, expect, it } from 'vitest'
import { haDrTopology } from '../../topologies/ha-dr'
import { drTopology } from '../../topologies/dr'
import { haNatTopology } from '../../topologies/ha-nat'
import { vrrpConf } from './vrrp-conf'

const master = haDrTopology.vrrp!.members[0]!
const backup = haDrTopology.vrrp!.members[1]!
const services = [{ port: 8001, scheduler: 'rr', realServers: ['172.16.100.101', '172.16.100.102'], delayLoop: 2 }]

describe('vrrpConf', () => {
  it('starts the higher priority in MASTER and the other in BACKUP, both with the VIP and the group', () => {
    const a = vrrpConf(haDrTopology, master, () => 'eth0', { services })
    const b = vrrpConf(haDrTopology, backup, () => 'eth0', { services })
    expect(a).toContain('  state MASTER\n')
    expect(a).toContain('  priority 150\n')
    expect(b).toContain('  state BACKUP\n')
    expect(b).toContain('  priority 100\n')
    for (const c of [a, b]) {
      expect(c).toContain('  virtual_router_id 51\n  priority')
      expect(c).toContain('    172.16.100.200/32 dev eth0\n')
      expect(c).toContain('  advert_int 1\n')
    }
  })

  it('writes each service as a DR virtual_server with a TCP_CHECK per real server, and the sync daemon when asked', () => {
    const c = vrrpConf(haDrTopology, master, () => 'eth0', { services: [{ ...services[0]!, persistenceTimeout: 60 }], syncDaemon: true })
    expect(c).toContain('virtual_server 172.16.100.200 8001 {\n  delay_loop 2\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  persistence_timeout 60\n')
    expect(c.match(/TCP_CHECK/g)).toHaveLength(2)
    expect(c).toContain('  real_server 172.16.100.102 8001 {')
    expect(c).toContain('  lvs_sync_daemon eth0 VI_51\n}')
  })

  it('leaves a real server unchecked when told, and inhibits rather than removes a failed one', () => {
    const c = vrrpConf(haDrTopology, master, () => 'eth0', { services: [{ ...services[0]!, unchecked: ['172.16.100.101'], inhibitOnFailure: true }] })
    expect(c.match(/TCP_CHECK/g)).toHaveLength(1)
    expect(c).toContain('  real_server 172.16.100.101 8001 {\n    weight 1\n    inhibit_on_failure\n  }')
    expect(c).toContain('      retry 1\n      delay_before_retry 1\n')
  })

  it('gives the scheduler its flags, in the virtual_server', () => {
    const c = vrrpConf(haDrTopology, master, () => 'eth0', { services: [{ ...services[0]!, scheduler: 'mh', schedulerFlags: ['mh-port'] }] })
    expect(c).toContain('  lb_algo mh\n  mh-port\n  lb_kind DR\n')
    expect(vrrpConf(haDrTopology, master, () => 'eth0', { services })).not.toContain('mh-port')
  })

  it('NAT: the VIP outside and the gateway inside, an instance each on its own interface, in one sync group; NAT servers on their own port', () => {
    const devices = (network: string) => (network === 'outside' ? 'eth0' : 'eth1')
    const nat = haNatTopology.vrrp!.members[0]!
    const c = vrrpConf(haNatTopology, nat, devices, { services: [{ ...services[0]!, realServers: ['172.16.100.11'], realPort: 80 }], syncDaemon: true })
    expect(c).toContain('vrrp_sync_group VG_51 {\n  group {\n    VI_51\n    VI_52\n  }\n}\n')
    expect(c).toContain('vrrp_instance VI_51 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n')
    expect(c).toContain('    192.168.100.6/32 dev eth0\n')
    expect(c).toContain('vrrp_instance VI_52 {\n  state MASTER\n  interface eth1\n  virtual_router_id 52\n')
    expect(c).toContain('    172.16.100.10/32 dev eth1\n')
    expect(c).toContain('  lvs_sync_daemon eth0 VI_51\n')
    expect(c).toContain('  lb_kind NAT\n')
    expect(c).toContain('  real_server 172.16.100.11 80 {')
    const apart = vrrpConf(haNatTopology, nat, devices, { services, syncGroup: false })
    expect(apart).not.toContain('vrrp_sync_group')
    expect(apart.match(/vrrp_instance/g)).toHaveLength(2)
    // one instance alone needs no group
    expect(vrrpConf(haDrTopology, master, () => 'eth0', { services })).not.toContain('vrrp_sync_group')
  })

  it('without preemption, every member starts in BACKUP with nopreempt (keepalived ignores nopreempt in a MASTER start)', () => {
    for (const m of [master, backup]) {
      const c = vrrpConf(haDrTopology, m, () => 'eth0', { services, preempt: false })
      expect(c).toContain('  state BACKUP\n  nopreempt\n  interface eth0\n')
    }
    expect(vrrpConf(haDrTopology, master, () => 'eth0', { services })).not.toContain('nopreempt')
  })

  it('refuses a topology without a VRRP group', () => {
    expect(() => vrrpConf(drTopology, master, () => 'eth0', { services })).toThrow('topology dr has no VRRP group')
  })
})
