import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The order the lab suites run in. Files that share a topology come one after the other, so
 * that it is brought up once for them (fixtures/topology-pool.ts): nat and semantics (nat),
 * ipvsadm and schedulers (nat-three-servers), fwm and persistence (dr-shop). A suite not listed runs after these.
 */
export const suiteOrder = ['suites/nat/', 'suites/semantics/', 'suites/dr/', 'suites/ipvsadm/', 'suites/schedulers/', 'suites/fwm/', 'suites/persistence/', 'suites/verify/']

export function suiteRank(file: string): number {
  const i = suiteOrder.findIndex((dir) => file.includes(`/${dir}`) || file.startsWith(dir))
  return i < 0 ? suiteOrder.length : i
}

/** vitest's own order (slow and failed first) within each rank; the suites in suiteOrder's. */
export class SuiteSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => suiteRank(a.spec.moduleId) - suiteRank(b.spec.moduleId) || a.i - b.i)
      .map(({ spec }) => spec)
  }
}
