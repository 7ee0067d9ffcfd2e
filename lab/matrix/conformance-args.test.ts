import { describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { isPinned, parseConformanceArgs, versionMatches, kernelRequest } from './conformance-args'

const names = (argv: string[], env = {}) => parseConformanceArgs(argv, env).kernels.map((k) => k.series.name)
const known = 'give --kernel one of: bullseye (5.10), bookworm (6.1), trixie (6.12), sid (7), or all; opt-in: bookworm-backports (6.12), experimental (rc)'

describe('parseConformanceArgs', () => {
  it('without --kernel runs LVS_KERNEL, else the default kernel, and lets the lab choose', () => {
    expect(names([])).toEqual(['bookworm'])
    expect(names([], { LVS_KERNEL: 'trixie' })).toEqual(['trixie'])
    expect(parseConformanceArgs([], {}).explicit).toBe(false)
  })

  it('takes series, kernel lines and versions, comma-separated or repeated, and all', () => {
    expect(names(['--kernel', '6.12'])).toEqual(['trixie'])
    expect(names(['--kernel=5.10,sid', '--kernel', 'bookworm'])).toEqual(['bullseye', 'sid', 'bookworm'])
    expect(names(['--kernel', 'all'])).toEqual(['bullseye', 'bookworm', 'trixie', 'sid'])
    expect(names(['--kernel', 'trixie,6.12,all'])).toEqual(['trixie', 'bullseye', 'bookworm', 'sid'])
    expect(parseConformanceArgs(['--kernel', '6.12.118']).kernels[0]).toMatchObject({ wanted: '6.12.118', series: { name: 'trixie' } })
    expect(parseConformanceArgs(['--kernel', 'sid']).explicit).toBe(true)
  })

  it('runs the opt-in series only when asked for, and keeps a pinned version as typed', () => {
    expect(names(['--kernel', 'all,bookworm-backports,experimental'])).toEqual(['bullseye', 'bookworm', 'trixie', 'sid', 'bookworm-backports', 'experimental'])
    expect(parseConformanceArgs(['--kernel', '6.12.95-1~bpo12+1']).kernels[0]).toMatchObject({ wanted: '6.12.95-1~bpo12+1', series: { name: 'bookworm-backports' } })
    expect(names(['--kernel', '6.12,bookworm-backports'])).toEqual(['trixie', 'bookworm-backports'])
  })

  it('passes file filters and -t to vitest, keeping them apart to be checked, and reads --jobs and --repeat', () => {
    const a = parseConformanceArgs(['--kernel', 'all', '--jobs', '2', 'suites/nat', '-t', 'rr', '--repeat=5'])
    expect(a.jobs).toBe(2)
    expect(a.repeat).toBe(5)
    expect(a.vitestArgs).toEqual(['suites/nat', '-t', 'rr'])
    expect([a.files, a.testNamePatterns]).toEqual([['suites/nat'], ['rr']])
    expect(parseConformanceArgs([]).repeat).toBe(1)
    // After --, vitest's own: passed on, not checked.
    const raw = parseConformanceArgs(['--', '--bail', '1', 'suites/x'])
    expect([raw.vitestArgs, raw.files]).toEqual([['--bail', '1', 'suites/x'], []])
  })

  it('refuses an unknown kernel with one line listing the known series, before anything runs', () => {
    expect(() => parseConformanceArgs(['--kernel', 'trixie,6.3'])).toThrow(LabError)
    expect(() => parseConformanceArgs(['--kernel', 'trixie,6.3'])).toThrow(`unknown kernel "6.3": ${known}`)
    expect(() => parseConformanceArgs(['--kernel', 'buster'])).toThrow(`unknown kernel "buster": ${known}`)
    expect(() => parseConformanceArgs(['--kernel', ','])).toThrow(`--kernel names no kernel: ${known}`)
  })

  it('refuses a missing value, a bad --jobs and an unknown option, saying what to give', () => {
    expect(() => parseConformanceArgs(['--kernel'])).toThrow('--kernel needs a value: for example --kernel 6.12')
    expect(() => parseConformanceArgs(['--jobs', '0'])).toThrow('--jobs 0 is not a whole number of kernels')
    expect(() => parseConformanceArgs(['--repeat', '2.5'])).toThrow('--repeat 2.5 is not a whole number of runs: give --repeat 5')
    expect(() => parseConformanceArgs(['--repeat'])).toThrow('--repeat needs a value: for example --repeat 5')
    expect(() => parseConformanceArgs(['-t'])).toThrow("-t needs a value: for example -t 'rr:'")
    expect(() => parseConformanceArgs(['--kernels', 'all'])).toThrow('unknown option --kernels: use --kernel')
  })
})

describe('parseConformanceArgs --merge', () => {
  it('takes every other word as a result folder, before or after --merge, and runs no kernel', () => {
    const a = parseConformanceArgs(['reports/kernels/bullseye', '--merge', 'dl/sid', 'dl/trixie'], { LVS_KERNEL: 'trixie' })
    expect(a.merge).toEqual(['reports/kernels/bullseye', 'dl/sid', 'dl/trixie'])
    expect([a.kernels, a.vitestArgs, a.files]).toEqual([[], [], []])
    expect(parseConformanceArgs(['--kernel', 'sid']).merge).toBeUndefined()
  })

  it('refuses, in one line, what would run suites, and a merge of nothing', () => {
    const todo = 'run the kernels first (npm run conformance -- --kernel <k>), then --merge their reports/kernels/<series>/ folders'
    expect(() => parseConformanceArgs(['--merge', 'a', '--kernel', 'sid'])).toThrow(
      `--merge builds the matrix from results already made and runs nothing, so it takes no --kernel: ${todo}`,
    )
    expect(() => parseConformanceArgs(['--repeat', '3', '--merge', 'a', '-t', 'rr'])).toThrow('so it takes no --repeat, -t:')
    expect(() => parseConformanceArgs(['--merge', 'a', '--', 'suites/nat'])).toThrow('so it takes no --:')
    expect(() => parseConformanceArgs(['--merge', 'a', '--jobs', '2'])).toThrow('so it takes no --jobs:')
    expect(() => parseConformanceArgs(['--merge', 'reports/kernels/sid', 'suites/nat'])).toThrow('so it takes no suite filter (suites/nat):')
    expect(() => parseConformanceArgs(['--merge', 'a', 'dr.test.ts', 'suites'])).toThrow('so it takes no suite filters (dr.test.ts, suites):')
    expect(() => parseConformanceArgs(['--merge'])).toThrow('--merge names no result folder: for example --merge reports/kernels/bullseye reports/kernels/sid')
    expect(() => parseConformanceArgs(['--merge=a'])).toThrow(LabError)
  })
})

describe('versionMatches', () => {
  const trixie = { packageVersion: '6.12.118-1', release: '6.12.118+deb13-cloud-amd64' }
  it('a series or its line matches whatever the archive has; a longer version must match it', () => {
    expect(versionMatches(kernelRequest('trixie'), trixie)).toBe(true)
    expect(versionMatches(kernelRequest('6.12'), trixie)).toBe(true)
    expect(versionMatches(kernelRequest('6.12.118'), trixie)).toBe(true)
    expect(versionMatches(kernelRequest('6.12.5'), trixie)).toBe(false)
  })

  it('a pinned version is pinned; a series or its line means its newest kernel', () => {
    expect([isPinned(kernelRequest('6.1.192-3')), isPinned(kernelRequest('6.1')), isPinned(kernelRequest('bookworm')), isPinned(kernelRequest('experimental'))]).toEqual([
      true,
      false,
      false,
      false,
    ])
  })
})
