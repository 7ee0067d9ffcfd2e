import { describe, expect, it } from 'vitest'
import { outlineKeepalived } from './outline'

const conf = `! Configuration File for keepalived
global_defs {
   router_id LVS_DIRECTOR   # the director
}
vrrp_instance VI_1 {
    state MASTER
    virtual_ipaddress {
        172.16.100.200/32
    }
}
virtual_server fwmark 10 {
    lb_algo rr
    real_server 172.16.100.101 0
    {
        TCP_CHECK { connect_port 80 }
    }
}
include /etc/keepalived/more.conf
`

describe('outlineKeepalived', () => {
  it('names the VRRP blocks and the health checkers with their lines and where they sit', () => {
    expect(outlineKeepalived(conf)).toEqual({
      vrrp: [{ keyword: 'vrrp_instance', args: 'VI_1', line: 5, within: [] }],
      checkers: [{ keyword: 'TCP_CHECK', args: '', line: 15, within: ['virtual_server fwmark 10', 'real_server 172.16.100.101 0'] }],
      includes: [18],
    })
  })

  it('finds nothing in a file with neither', () => {
    expect(outlineKeepalived('virtual_server 10.0.0.1 80 {\n  lb_algo rr\n}\n')).toEqual({ vrrp: [], checkers: [], includes: [] })
  })
})
