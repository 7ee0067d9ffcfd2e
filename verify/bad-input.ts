/**
 * Input the command cannot work with, explained in one line: what is wrong, then what to do.
 * The command prints `message` alone and exits 2 before anything is started.
 */
export class BadInput extends Error {
  constructor(
    readonly what: string,
    readonly todo: string,
  ) {
    super(`${what}: ${todo}`)
    this.name = 'BadInput'
  }
}
