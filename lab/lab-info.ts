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
  /** A user's own kernel (`--kernel-file`, `--kernel-image`): the files it was given as. */
  kernelFiles?: string[]
  /** ... and the sha256 of its image. */
  kernelImageSha256?: string
  /**
   * Schedulers the pre-boot check found missing (lab/kernel/check-kernel.ts), with why: their
   * checks skip. Absent when the kernel was not checked (an existing engine's).
   */
  missingSchedulers?: { scheduler: string; why: string }[]
  accel?: string
  memoryMiB?: number
  cpus?: number
  /** Where this run's logs and evidence go. */
  runDir: string
}
