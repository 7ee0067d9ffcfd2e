import { describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { kernelJobs } from './kernel-jobs'

describe('kernelJobs', () => {
  it('expands all to the four series, one job each', () => {
    expect(kernelJobs('all').map((j) => j.series)).toEqual(['bullseye', 'bookworm', 'trixie', 'sid'])
  })

  it('keeps a pinned version as asked, with the series folder it fills, and one job per series', () => {
    expect(kernelJobs('6.1.192-3, sid,bullseye,5.10')).toEqual([
      { wanted: '6.1.192-3', series: 'bookworm' },
      { wanted: 'sid', series: 'sid' },
      { wanted: 'bullseye', series: 'bullseye' },
    ])
  })

  it('refuses an unknown kernel in one line, as the command would', () => {
    expect(() => kernelJobs('trixie,6.3')).toThrow(LabError)
  })
})
