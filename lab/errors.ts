/**
 * A fault the lab can explain in one line: what failed, then what to do about it.
 * Everything the lab throws on purpose is a LabError; the runner prints `message` alone.
 */
export class LabError extends Error {
  constructor(
    readonly what: string,
    readonly todo: string,
  ) {
    super(`${what}: ${todo}`)
    this.name = 'LabError'
  }
}
