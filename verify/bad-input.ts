import { LabError } from '../lab/errors'

/**
 * Input the command cannot work with, explained in one line: what is wrong, then what to do
 * (the lab's own one-line error, told apart so that the command exits 2 before anything starts).
 */
export class BadInput extends LabError {
  override name = 'BadInput'
}
