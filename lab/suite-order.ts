import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The order the lab suites run in. Files that share a topology come one after the other, so
 * that it is brought up once for them (fixtures/topology-pool.ts): nat and semantics (nat), the
 * DR semantics and dr (dr), ipvsadm and schedulers (nat-three-servers), fwm and persistence
 * (dr-shop), ha's files in one fixed order, the NAT pair last (ha-nat) (the order CI runs them in is the one tried here). A
 * file takes the rank of the longest entry it is under; a suite not listed runs after these.
 */
export const suiteOrder = [
  'suites/nat/',
  'suites/semantics/',
  'suites/semantics/dr-',
  'suites/dr/',
  'suites/ipvsadm/',
  'suites/schedulers/',
  'suites/fwm/',
  'suites/persistence/',
  'suites/verify/',
  'suites/ha/ha.',
  'suites/ha/health',
  'suites/ha/backup',
  'suites/ha/connection',
  'suites/ha/persistence',
  'suites/ha/nat-',
]

export function suiteRank(file: string): number {
  let rank = suiteOrder.length
  for (const [i, dir] of suiteOrder.entries()) {
    if ((file.includes(`/${dir}`) || file.startsWith(dir)) && (rank === suiteOrder.length || dir.length > suiteOrder[rank]!.length)) rank = i
  }
  return rank
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
