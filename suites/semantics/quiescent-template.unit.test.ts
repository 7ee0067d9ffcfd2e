import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { natTopology } from '../../topologies/nat'
import { clientTemplate, describeQuiescentRun, movedOffQuiesced, stillOnQuiesced, type QuiescentRun } from './quiescent-template'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

const vip = natTopology.vip
const client = '192.168.100.1'
const servers = natTopology.nodes.filter((n) => n.role === 'real-server').map((n) => ({ name: n.name, address: n.interfaces[0]!.address }))

/**
 * One run as quiescentRun reads it: the -Lnc before `@@quiesced` (the weight change and the -Ln after it follow),
 * the -Lnc after the two requests; the client's answers as the run saw them (quiescent-*-run-6.1.txt).
 */
function quiescentAt(knob: number, port: number, afterServers: string[]): QuiescentRun {
  const where = { vip, port, client }
  const [beforeText = ''] = lab(`quiescent-${knob}-before-6.1.txt`).split('@@quiesced\n')
  return {
    knob,
    firstServer: 'lvs-node-1',
    afterServers,
    templateBefore: clientTemplate(beforeText, where),
    templateAfter: clientTemplate(lab(`quiescent-${knob}-after-6.1.txt`), where),
    servers,
  }
}

describe('expire_quiescent_template (the director’s -Lnc readings of the 6.1 lab around the weight change)', () => {
  const run0 = quiescentAt(0, 8009, ['lvs-node-1', 'lvs-node-1'])
  const run1 = quiescentAt(1, 8010, ['lvs-node-2', 'lvs-node-2'])

  it('reads the client’s template on its service, not the other run’s on 8009 nor its connections', () => {
    expect(run0.templateBefore).toMatchObject({ state: 'ASSURED', expiresInSeconds: 119, virtual: { port: 8009 }, destination: { address: '172.16.100.11', port: 80 } })
    expect(run0.templateAfter?.destination.address).toBe('172.16.100.11')
    expect(run1.templateBefore).toMatchObject({ virtual: { port: 8010 }, destination: { address: '172.16.100.11', port: 80 } })
    expect(run1.templateAfter).toMatchObject({ virtual: { port: 8010 }, destination: { address: '172.16.100.12', port: 80 } })
    expect(clientTemplate(lab('quiescent-1-after-6.1.txt'), { vip, port: 8006, client })).toBeUndefined()
    expect(clientTemplate(lab('quiescent-1-after-6.1.txt'), { vip, port: 8010, client: '192.168.100.2' })).toBeUndefined()
  })

  it('at 1 the expired template is left listed as ip_vs_check_template rehashed it: virtual and destination port 65535', () => {
    expect(clientTemplate(lab('quiescent-1-after-6.1.txt'), { vip, port: 65535, client })?.destination).toEqual({ address: '172.16.100.11', port: 65535 })
    expect(clientTemplate(lab('quiescent-0-after-6.1.txt'), { vip, port: 65535, client })).toBeUndefined()
  })

  it('the runs rebuilt from the fixtures read as the lab’s runs did (what the run saw)', () => {
    expect(describeQuiescentRun(run0)).toBe(lab('quiescent-0-run-6.1.txt'))
    expect(describeQuiescentRun(run1)).toBe(lab('quiescent-1-run-6.1.txt'))
  })

  it('at 0 the client keeps the quiesced lvs-node-1, and the goes-to-a-live-server check fails', () => {
    expect(passed(stillOnQuiesced(run0))).toBe(true)
    expect(movedOffQuiesced(run0).failures).toEqual([
      'request 2 went to the quiesced lvs-node-1 again',
      'request 3 went to the quiesced lvs-node-1 again',
      'the template still names the quiesced lvs-node-1',
    ])
  })

  it('at 1 the client goes to lvs-node-2 under a new template, and the keeps-its-server check fails', () => {
    expect(passed(movedOffQuiesced(run1))).toBe(true)
    expect(stillOnQuiesced(run1).failures).toEqual([
      'request 2 was answered by lvs-node-2, not the quiesced lvs-node-1',
      'request 3 was answered by lvs-node-2, not the quiesced lvs-node-1',
      'the template now names lvs-node-2',
    ])
  })

  it('no template before the weight change, or a request left unanswered, fails both checks', () => {
    for (const run of [run0, run1]) {
      expect(passed(stillOnQuiesced({ ...run, templateBefore: undefined }))).toBe(false)
      expect(passed(movedOffQuiesced({ ...run, templateBefore: undefined }))).toBe(false)
    }
    expect(stillOnQuiesced({ ...run0, afterServers: ['lvs-node-1', undefined] }).failures).toEqual(['request 3 was answered by nobody, not the quiesced lvs-node-1'])
    expect(movedOffQuiesced({ ...run1, afterServers: ['lvs-node-2', undefined] }).failures).toEqual(['request 3 was not answered'])
    expect(passed(movedOffQuiesced({ ...run1, afterServers: [] }))).toBe(false)
  })
})
