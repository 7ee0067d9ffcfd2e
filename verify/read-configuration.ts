import { IpvsParseError } from '../lab/ipvs/parse-error'
import { BadInput } from './bad-input'
import { inputKindOf, type InputKind } from './input-kind'
import { runConfigTest, type ConfigTest } from './keepalived/config-test'
import { findKeepalived, type Keepalived } from './keepalived/find-keepalived'
import { keepalivedTable } from './keepalived/keepalived-table'
import { outlineKeepalived, type KeepalivedOutline } from './keepalived/outline'
import { readRulesTable, type RulesTable } from './rules/rules-table'

export interface Reading {
  kind: InputKind
  /** Who read the file and how long it took, in one line. */
  readBy: string
  table: RulesTable
  keepalived?: { test: ConfigTest; outline: KeepalivedOutline }
}

/** Where a keepalived.conf is read; tests replace them. */
export interface KeepalivedReaders {
  find: () => Keepalived | undefined
  test: (k: Keepalived, file: string) => ConfigTest
  table: (test: ConfigTest, file: string) => Promise<RulesTable>
}

const hostReaders: KeepalivedReaders = { find: findKeepalived, test: runConfigTest, table: keepalivedTable }

/**
 * Reads the file into the table the director would hold. Rules files with the project's parser;
 * a keepalived.conf with keepalived: its --config-test first (its own messages reject the file),
 * then its table. `say` gets what the user should see even when the reading stops short.
 */
export async function readConfiguration(file: string, text: string, say: (line: string) => void, readers: KeepalivedReaders = hostReaders): Promise<Reading> {
  const kind = inputKindOf(text, file)
  if (kind === 'ipvsadm rules') {
    const start = process.hrtime.bigint()
    const table = rulesOrBadInput(text, file)
    return { kind, table, readBy: `the project's rules parser (lab/ipvs/parse-save-rules.ts) in ${ms(start)} ms` }
  }
  const keepalived = readers.find()
  if (!keepalived) {
    throw new BadInput(
      `${file} is a keepalived.conf, which only keepalived can read, and this host has no keepalived`,
      "install it (`apt-get install keepalived`, or `npm run lab:host-packages`); reading it with the lab's keepalived is not built yet",
    )
  }
  const test = readers.test(keepalived, file)
  const by = `keepalived ${keepalived.version} (${keepalived.path}, on this host)`
  if (!test.accepted) {
    const [first, ...more] = test.messages.filter((m) => !test.aboutHost.includes(m))
    throw new BadInput(
      `${by} rejects ${file}: ${first ?? 'it exited with an error and no message'}${more.length ? ` (and ${more.length} more)` : ''}`,
      `correct what keepalived says; \`${test.command}\` shows every message`,
    )
  }
  const readBy = `${by}, --config-test in ${test.seconds.toFixed(2)} s: ${test.messages.length ? `only about this host: ${test.aboutHost.join('; ')}` : 'no complaint'}`
  say(`verify: ${file} read by ${readBy}`)
  const outline = outlineKeepalived(text)
  for (const note of keepalivedNotes(outline)) say(`verify: ${note}`)
  return { kind, readBy, table: await readers.table(test, file), keepalived: { test, outline } }
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
