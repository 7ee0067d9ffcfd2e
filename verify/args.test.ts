import { describe, expect, it } from 'vitest'
import { parseVerifyArgs } from './args'
import { BadInput } from './bad-input'

describe('parseVerifyArgs', () => {
  it('reads the file and the options, in any order and with =', () => {
    expect(parseVerifyArgs(['--lint-only', 'farm.rules', '--mangle', 'm.txt', '--sysctl=s.txt'])).toEqual({
      file: 'farm.rules',
      mangle: 'm.txt',
      sysctl: 's.txt',
      lintOnly: true,
      json: false,
    })
    expect(parseVerifyArgs(['farm.rules', '--json'])).toMatchObject({ lintOnly: false, json: true })
  })

  it.each([
    ['no file', []],
    ['two files', ['a', 'b']],
    ['an unknown option', ['a', '--fast']],
    ['--mangle without its file', ['a', '--mangle']],
  ])('refuses %s with the usage', (_what, argv) => {
    expect(() => parseVerifyArgs(argv)).toThrow(BadInput)
    expect(() => parseVerifyArgs(argv)).toThrow(/usage: npm run verify --/)
  })
})
