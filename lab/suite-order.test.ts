import { describe, expect, it } from 'vitest'
import { suiteRank } from './suite-order'

describe('suiteRank', () => {
  it('puts the files that share a topology next to each other, and unknown suites last', () => {
    const files = [
      '/w/suites/persistence/persistence.test.ts',
      '/w/suites/ha/ha.test.ts',
      '/w/suites/ipvsadm/ipvsadm.test.ts',
      '/w/suites/fwm/fwm.test.ts',
      '/w/suites/schedulers/schedulers.test.ts',
      '/w/suites/nat/nat.test.ts',
      '/w/suites/semantics/semantics.test.ts',
      '/w/suites/dr/dr.test.ts',
      '/w/suites/semantics/dr-pmtu-disc.test.ts',
    ]
    const ordered = [...files].sort((a, b) => suiteRank(a) - suiteRank(b)).map((f) => f.split('/').pop())
    expect(ordered).toEqual([
      'nat.test.ts',
      'semantics.test.ts',
      'dr-pmtu-disc.test.ts',
      'dr.test.ts',
      'ipvsadm.test.ts',
      'schedulers.test.ts',
      'fwm.test.ts',
      'persistence.test.ts',
      'ha.test.ts',
    ])
  })
})
