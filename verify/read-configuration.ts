import { IpvsParseError } from '../lab/ipvs/parse-error'
import { BadInput } from './bad-input'
import { inputKindOf, type InputKind } from './input-kind'
import { runConfigTest, type ConfigTest } from './keepalived/config-test'
import { findKeepalived, type Keepalived } from './keepalived/find-keepalived'
import type { ConfigTestVerdict } from './keepalived/judge-config-test'
import { KEEPALIVED_CONF } from './keepalived/keepalived-script'
import { labKeepalived } from './keepalived/keepalived-table'
import { outlineKeepalived, type KeepalivedOutline } from './keepalived/outline'
import type { LabReading } from './keepalived/read-in-lab'
import { tableInConf } from './keepalived/table-in-conf'
import type { LabSession } from './lab-session'
import { readRulesTable, type RulesTable } from './rules/rules-table'

export interface Reading {
  kind: InputKind
  /** Who read the file and how long it took, in one line. */
  readBy: string
  table: RulesTable
  keepalived?: {
    /** The host's --config-test, when the host has a keepalived. */
    test?: ConfigTest
    /** The lab's keepalived: its --config-test and the table its checker programmed. */
    lab: LabReading
    outline: KeepalivedOutline
    /** What of the table no block of the file names (its line is 0). */
    unplaced: string[]
  }
}

/** Where a keepalived.conf is read; tests replace them. */
export interface KeepalivedReaders {
  find: () => Keepalived | undefined
  test: (k: Keepalived, file: string) => ConfigTest
  /** keepalived in a lab node: its --config-test, and the table its checker programs (keepalived-table.ts). */
  lab: (conf: string) => Promise<LabReading>
}

/** The host's keepalived first, the lab's (on the run's lab) for the table. */
export function keepalivedReaders(session: LabSession): KeepalivedReaders {
  return { find: findKeepalived, test: runConfigTest, lab: labKeepalived(session) }
}

/**
 * Reads the file into the table the director would hold. Rules files with the project's parser;
 * a keepalived.conf with keepalived: the host's --config-test first when it has one (its own
 * messages reject the file before a lab is started), then the lab's keepalived, whose checker
 * programs a lab director's IPVS: that table, read back, with the file's lines (table-in-conf.ts).
 * Without a keepalived on the host the lab's --config-test judges the file. `say` gets what the
 * user should see even when the reading stops short.
 */
export async function readConfiguration(file: string, text: string, say: (line: string) => void, readers?: KeepalivedReaders): Promise<Reading> {
  const kind = inputKindOf(text, file)
  if (kind === 'ipvsadm rules') {
    const start = process.hrtime.bigint()
    const table = rulesOrBadInput(text, file)
    return { kind, table, readBy: `the project's rules parser (lab/ipvs/parse-save-rules.ts) in ${ms(start)} ms` }
  }
  if (!readers) throw new Error(`${file} is a keepalived.conf: reading it needs keepalived readers (keepalivedReaders)`)
  const host = readers.find()
  let checked = ''
  let test: ConfigTest | undefined
  if (host) {
    test = readers.test(host, file)
    rejectUnlessAccepted(test, `keepalived ${host.version} (${host.path}, on this host)`, file, test.command)
    checked = `keepalived ${host.version} (${host.path}, on this host), --config-test in ${test.seconds.toFixed(2)} s: ${complaints(test)}`
    say(`verify: ${file} checked by ${checked}; its table is read by the lab's keepalived`)
  } else say(`verify: this host has no keepalived: ${file} is read by the lab's (\`npm run lab:host-packages\` installs one here, for a check without the lab)`)
  const start = process.hrtime.bigint()
  const lab = inFile(await readers.lab(text), file)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const by = `keepalived ${lab.version} in ${lab.where}`
  if (!host) rejectUnlessAccepted(lab.configTest, by, file, lab.configTest.command)
  if (lab.checker !== 'programmed') {
    const last = lab.log.trim().split('\n').slice(-1)[0] ?? ''
    throw new BadInput(
      `${by} accepted ${file}, but its checker ${lab.checker === 'ended' ? 'ended' : 'did not finish'} before programming IPVS${last ? ` (its last line: ${last})` : ''}`,
      'run `keepalived --check --dont-fork --log-console --use-file <file>` on a director to see why',
    )
  }
  const outline = outlineKeepalived(text)
  const { table, unplaced } = tableInConf(lab.programmed, outline)
  const spent = lab.timings.map((t) => `${t.phase} ${t.seconds.toFixed(1)} s`).join(', ')
  const readBy = [
    checked,
    `${by}${host ? '' : ` (this host has none), --config-test: ${complaints(lab.configTest, 'that node')}`}: its checker programmed IPVS there, read back with ipvsadm -S -n, in ${seconds.toFixed(1)} s (${spent})`,
  ]
    .filter(Boolean)
    .join('; ')
  say(`verify: ${file} read by ${readBy}`)
  for (const note of keepalivedNotes(outline)) say(`verify: ${note}`)
  if (unplaced.length) say(`verify: no block of ${file} names ${unplaced.join(', ')} (a virtual_server_group or an include?): reported at line 0`)
  return { kind, readBy, table, keepalived: { ...(test && { test }), lab, outline, unplaced } }
}

/** The lab's keepalived read a copy of the file (keepalived-script.ts): its messages name the user's file instead. */
function inFile(lab: LabReading, file: string): LabReading {
  const named = (m: string) => m.split(KEEPALIVED_CONF).join(file)
  const t = lab.configTest
  return { ...lab, configTest: { ...t, messages: t.messages.map(named), aboutHost: t.aboutHost.map(named) } }
}

function complaints(t: ConfigTestVerdict, where = 'this host'): string {
  return t.messages.length ? `only about ${where}: ${t.aboutHost.join('; ')}` : 'no complaint'
}

function rejectUnlessAccepted(t: ConfigTestVerdict, by: string, file: string, command: string): void {
  if (t.accepted) return
  const [first, ...more] = t.messages.filter((m) => !t.aboutHost.includes(m))
  throw new BadInput(
    `${by} rejects ${file}: ${first ?? 'it exited with an error and no message'}${more.length ? ` (and ${more.length} more)` : ''}`,
    `correct what keepalived says; \`${command}\` shows every message`,
  )
}

/** What the report says about the blocks a replay leaves out and the checkers it keeps. */
export function keepalivedNotes(outline: KeepalivedOutline): string[] {
  const where = (b: { keyword: string; args: string; line: number; within: string[] }) =>
    `${b.keyword}${b.args ? ` ${b.args}` : ''} (line ${b.line}${b.within.length ? `, in ${b.within.join(' > ')}` : ''})`
  return [
    outline.vrrp.length ? `VRRP, not replayed: ${outline.vrrp.map(where).join('; ')}` : '',
    outline.checkers.length ? `health checkers, kept (they run against the real servers): ${outline.checkers.map(where).join('; ')}` : '',
    outline.includes.length ? `include at line ${outline.includes.join(', ')}: keepalived reads the included files; the notes above name only this file's blocks` : '',
  ].filter(Boolean)
}

function rulesOrBadInput(text: string, file: string): RulesTable {
  try {
    return readRulesTable(text)
  } catch (err) {
    if (!(err instanceof IpvsParseError)) throw err
    const where = err.lineNumber === undefined ? '' : ` line ${err.lineNumber}: ${JSON.stringify(err.line ?? '')}:`
    throw new BadInput(`${file}${where} ${err.reason}`, 'correct the line, or pass the output of `ipvsadm -S -n`')
  }
}

function ms(start: bigint): string {
  return (Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)
}
