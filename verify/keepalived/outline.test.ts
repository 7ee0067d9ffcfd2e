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

/** Two services on one address and port, told apart by their protocol lines; the timeouts in global_defs. */
const twoProtocols = `global_defs {
  lvs_timeouts tcp 900 tcpfin 60 udp 300
}
virtual_server 10.0.0.1 53 {
  protocol UDP
  real_server 10.0.1.1 53 {
    DNS_CHECK { type SOA }
  }
  real_server 10.0.1.2 53 {
  }
}
virtual_server 10.0.0.1 53 {
  protocol tcp
  real_server 10.0.1.1 53 {
  }
}
`

describe('outlineKeepalived', () => {
  it('names the VRRP blocks and the health checkers with their lines and where they sit', () => {
    expect(outlineKeepalived(conf)).toEqual({
      vrrp: [{ keyword: 'vrrp_instance', args: 'VI_1', line: 5, within: [] }],
      checkers: [{ keyword: 'TCP_CHECK', args: '', line: 15, within: ['virtual_server fwmark 10', 'real_server 172.16.100.101 0'] }],
      includes: [18],
      virtualServers: [{ args: 'fwmark 10', line: 11, realServers: [{ args: '172.16.100.101 0', line: 13 }] }],
    })
  })

  it('names each virtual_server block with its protocol and real servers, and the line of lvs_timeouts', () => {
    const o = outlineKeepalived(twoProtocols)
    expect(o.timeoutsLine).toBe(2)
    expect(o.virtualServers).toEqual([
      {
        args: '10.0.0.1 53',
        line: 4,
        protocol: 'UDP',
        realServers: [
          { args: '10.0.1.1 53', line: 6 },
          { args: '10.0.1.2 53', line: 9 },
        ],
      },
      { args: '10.0.0.1 53', line: 12, protocol: 'TCP', realServers: [{ args: '10.0.1.1 53', line: 14 }] },
    ])
  })

  it('finds nothing in a file with neither', () => {
    expect(outlineKeepalived('virtual_server 10.0.0.1 80 {\n  lb_algo rr\n}\n')).toEqual({
      vrrp: [],
      checkers: [],
      includes: [],
      virtualServers: [{ args: '10.0.0.1 80', line: 1, realServers: [] }],
    })
  })
})
