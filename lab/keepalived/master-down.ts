import type { VrrpSpec } from '../../topologies/topology'

/**
 * A backup's master-down interval: 3 x advert_int + skew, skew = (256 - priority) / 256 x
 * advert_int (RFC 5798 6.1; keepalived's vrrp/vrrp.c). Silent that long, the master is taken
 * for dead.
 */
export function masterDownSeconds(vrrp: Pick<VrrpSpec, 'advertInt'>, priority: number): number {
  return 3 * vrrp.advertInt + ((256 - priority) / 256) * vrrp.advertInt
}
