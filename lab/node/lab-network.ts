import type Docker from 'dockerode'
import { labLabels } from '../docker/labels'

export interface LabNetworkSpec {
  name: string
  subnet: string
  gateway: string
}

/**
 * A bridge network with a fixed subnet, made through dockerode because testcontainers'
 * Network has no IPAM options. enable_ip_masquerade=false: Docker's per-subnet MASQUERADE
 * would rewrite the director's forwarded packets and break NAT mode (see the README).
 */
export async function createLabNetwork(docker: Docker, dockerName: string, spec: LabNetworkSpec): Promise<Docker.Network> {
  return docker.createNetwork({
    Name: dockerName,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: labLabels({ 'io.lvs-conformance.network': spec.name }),
    IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet, Gateway: spec.gateway }] },
    Options: {
      'com.docker.network.bridge.enable_ip_masquerade': 'false',
    },
  })
}
