import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { describeDropRun, dropped, dropsOneInRate, noneDropped, type DropRun } from './drop-packet'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

/** A run as describeDropRun printed it in the lab: the knobs on its first line, each query's answer on the last (`-`: none). */
function dropRunOf(summary: string): DropRun {
  const knobs = /^drop_packet=(\d+), am_droprate=(\d+):/.exec(summary)
  const answers = /^answers: (.*)$/m.exec(summary)?.[1]
  if (!knobs || answers === undefined) throw new Error(`not a drop_packet run: ${summary}`)
  return { dropPacket: Number(knobs[1]), amDroprate: Number(knobs[2]), answers: answers.split(' ').map((a) => (a === '-' ? undefined : a)) }
}

/** n queries, the ones at `drops` (0-based) unanswered. */
const queries = (n: number, drops: number[], amDroprate = 8): DropRun => ({
  dropPacket: 3,
  amDroprate,
  answers: Array.from({ length: n }, (_, i) => (drops.includes(i) ? undefined : i % 2 ? 'lvs-node-2' : 'lvs-node-1')),
})

describe('drop_packet with am_droprate (32 UDP queries, each a new connection, on the 6.1 lab)', () => {
  const run0 = dropRunOf(lab('drop-0-6.1.txt'))
  const run3 = dropRunOf(lab('drop-3-6.1.txt'))

  it('reads the runs: at 3 (am_droprate 8) queries 1, 9, 17 and 25 unanswered; at 0 (am_droprate 10, the default) none', () => {
    expect(run3).toMatchObject({ dropPacket: 3, amDroprate: 8 })
    expect(run3.answers).toHaveLength(32)
    expect(dropped(run3)).toEqual([0, 8, 16, 24])
    expect(run0).toMatchObject({ dropPacket: 0, amDroprate: 10 })
    expect(dropped(run0)).toEqual([])
    expect(describeDropRun(run3)).toBe(lab('drop-3-6.1.txt'))
    expect(describeDropRun(run0)).toBe(lab('drop-0-6.1.txt'))
  })

  it('at 3 one new connection in 8 is dropped, 8 apart, and the none-dropped check fails', () => {
    expect(passed(dropsOneInRate(run3))).toBe(true)
    expect(noneDropped(run3).failures).toEqual(['4 of 32 queries went unanswered (at 1, 9, 17, 25)'])
  })

  it('at 0 every query is answered, and the one-in-rate check fails', () => {
    expect(passed(noneDropped(run0))).toBe(true)
    expect(dropsOneInRate(run0).failures).toEqual(['0 of 32 queries dropped, expected 3.2 ± 1'])
  })

  it('one answer more lost in the lab’s run at 3 breaks the period: the drops are no longer 8 apart', () => {
    const lostAt5 = { ...run3, answers: run3.answers.map((a, i) => (i === 4 ? undefined : a)) }
    expect(dropsOneInRate(lostAt5).failures).toEqual(['the drops are not 8 queries apart (at 1, 5, 9, 17, 25)'])
    expect(dropsOneInRate(queries(32, [0, 9, 17, 25])).failures).toEqual(['the drops are not 8 queries apart (at 1, 10, 18, 26)'])
    expect(dropsOneInRate(queries(32, [0, 7, 14, 21])).failures).toEqual(['the drops are not 8 queries apart (at 1, 8, 15, 22)'])
  })

  it('a count off by more than 1 from n/rate fails; off by 1 (where the counter stood) holds', () => {
    expect(dropsOneInRate(queries(32, [0, 8])).failures).toEqual(['2 of 32 queries dropped, expected 4.0 ± 1'])
    expect(dropsOneInRate(queries(32, [])).failures).toEqual(['0 of 32 queries dropped, expected 4.0 ± 1'])
    expect(passed(dropsOneInRate(queries(32, [7, 15, 23])))).toBe(true)
    expect(passed(dropsOneInRate(queries(33, [0, 8, 16, 24, 32])))).toBe(true)
  })

  it('fewer than two periods of queries are too few to see the rate', () => {
    expect(dropsOneInRate(queries(15, [0, 8])).failures).toEqual(['only 15 queries: too few to see the rate'])
    expect(passed(dropsOneInRate(queries(16, [0, 8])))).toBe(true)
    expect(passed(dropsOneInRate({ ...run3, answers: run3.answers.slice(0, 12) }))).toBe(false)
  })

  it('no query sent proves nothing: the none-dropped check fails', () => {
    expect(noneDropped({ ...run0, answers: [] }).failures).toEqual(['no query was sent'])
  })
})
