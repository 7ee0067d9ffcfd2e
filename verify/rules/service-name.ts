import { formatEndpoint } from '../../lab/ipvs/endpoint'
import type { ServiceKey } from '../../lab/ipvs/types'

/** A service as `ipvsadm -Ln` heads it: `TCP  172.16.100.200:80`, `FWM  10`, with one space. */
export function serviceName(k: ServiceKey): string {
  return k.protocol === 'FWM' ? `FWM ${k.fwmark}${k.ipv6 ? ' IPv6' : ''}` : `${k.protocol} ${formatEndpoint(k.address!, k.port!)}`
}

/** The option that names it in a rule: `-t 172.16.100.200:80`, `-f 10`. */
export function serviceOption(k: ServiceKey): string {
  const option = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service', FWM: '-f' }[k.protocol]
  return k.protocol === 'FWM' ? `-f ${k.fwmark}${k.ipv6 ? ' -6' : ''}` : `${option} ${formatEndpoint(k.address!, k.port!)}`
}
