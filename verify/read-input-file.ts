import { readFileSync } from 'node:fs'
import { BadInput } from './bad-input'

/** The text of one input file, or a BadInput naming the file and why it could not be read. */
export function readInputFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message
    throw new BadInput(`cannot read ${what} ${file} (${why})`, `pass a readable ${what}`)
  }
}
