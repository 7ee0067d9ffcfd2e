import { describe, expect, it } from 'vitest'
import { haDrTopology } from '../../topologies/ha-dr'
import { drTopology } from '../../topologies/dr'
import { vrrpConf } from './vrrp-conf'

const master = haDrTopology.vrrp!.members[0]!
const backup = haDrTopology.vrrp!.members[1]!
const services = [{ port: 8001, scheduler: 'rr', realServers: ['172.16.100.101', '172.16.100.102'], delayLoop: 2 }]

describe('vrrpConf', () => {
  it('starts the higher priority in MASTER and the other in BACKUP, both with the VIP and the group', () => {
    const a = vrrpConf(haDrTopology, master, 'eth0', { services })
    const b = vrrpConf(haDrTopology, backup, 'eth0', { services })
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
    const c = vrrpConf(haDrTopology, master, 'eth0', { services: [{ ...services[0]!, persistenceTimeout: 60 }], syncDaemon: true })
    expect(c).toContain('virtual_server 172.16.100.200 8001 {\n  delay_loop 2\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  persistence_timeout 60\n')
    expect(c.match(/TCP_CHECK/g)).toHaveLength(2)
    expect(c).toContain('  real_server 172.16.100.102 8001 {')
    expect(c).toContain('  lvs_sync_daemon eth0 VI_51\n}')
  })

  it('leaves a real server unchecked when told, and inhibits rather than removes a failed one', () => {
    const c = vrrpConf(haDrTopology, master, 'eth0', { services: [{ ...services[0]!, unchecked: ['172.16.100.101'], inhibitOnFailure: true }] })
    expect(c.match(/TCP_CHECK/g)).toHaveLength(1)
    expect(c).toContain('  real_server 172.16.100.101 8001 {\n    weight 1\n    inhibit_on_failure\n  }')
    expect(c).toContain('      retry 1\n      delay_before_retry 1\n')
  })

  it('refuses a topology without a VRRP group', () => {
    expect(() => vrrpConf(drTopology, master, 'eth0', { services })).toThrow('topology dr has no VRRP group')
  })
})
