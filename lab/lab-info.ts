/** What the suites learn about the lab they run on; also recorded in the report. */
export interface LabInfo {
  mode: 'docker' | 'vm'
  /** Why this mode was chosen, in words. */
  reason: string
  dockerHost: string
  nodeImage: string
  kernelRelease: string
  kernelPackage?: string
  kernelPackageVersion?: string
  kernelSeries?: string
  accel?: string
  memoryMiB?: number
  cpus?: number
  /** Where this run's logs and evidence go. */
  runDir: string
}
