import type { LabInfo } from '../lab-info'

/** The lab's facts as Allure's environment.properties: shown on the report's front page. */
export function environmentProperties(info: LabInfo, ipvsadmVersion?: string): string {
  const rows: [string, string | number | undefined][] = [
    ['lab.mode', info.mode],
    ['lab.reason', info.reason],
    ['kernel.release', info.kernelRelease],
    ['kernel.package', info.kernelPackage],
    ['kernel.package.version', info.kernelPackageVersion],
    ['kernel.series', info.kernelSeries],
    ['kernel.files', info.kernelFiles?.join(' ')],
    ['kernel.image.sha256', info.kernelImageSha256],
    ['kernel.missing.schedulers', info.missingSchedulers?.map((s) => `${s.scheduler} (${s.why})`).join(', ')],
    ['guest.accel', info.accel],
    ['guest.memory.mib', info.memoryMiB],
    ['guest.cpus', info.cpus],
    ['node.image', info.nodeImage],
    ['ipvsadm.version', ipvsadmVersion],
  ]
  return rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v).replace(/\n/g, ' ')}`)
    .join('\n')
}
