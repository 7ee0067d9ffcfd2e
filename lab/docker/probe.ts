import type Docker from 'dockerode'
import { demuxBuffer } from './demux'
import { labLabels } from './labels'

export interface ProbeResult {
  ipvs: boolean
  kernelRelease: string
  detail: string
}

/**
 * Whether an engine's kernel can do IPVS: a privileged node container runs `ipvsadm -Ln`.
 * (A host without ip_vs answers "Can't initialize ipvs: Protocol not available".)
 */
export async function probeIpvs(docker: Docker, image: string): Promise<ProbeResult> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', 'uname -r; ipvsadm -Ln 2>&1'],
    Labels: labLabels({ 'io.lvs-conformance.role': 'probe' }),
    HostConfig: { Privileged: true, NetworkMode: 'none' },
  })
  try {
    await container.start()
    const { StatusCode } = (await container.wait()) as { StatusCode: number }
    const { stdout: logs } = demuxBuffer(await container.logs({ stdout: true, stderr: true }))
    const lines = logs.trim().split('\n')
    return { ipvs: StatusCode === 0 && /IP Virtual Server/.test(logs), kernelRelease: lines[0] ?? '', detail: lines.slice(1).join(' ').trim() }
  } finally {
    await container.remove({ force: true }).catch(() => undefined)
  }
}
