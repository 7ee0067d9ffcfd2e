import { LabError } from './errors'

/**
 * The work's result, or a LabError once `seconds` pass. For calls into the lab's Docker engine,
 * which can stop answering one kind of request while still answering others: a call that
 * never returns would stall the run past every test timeout.
 */
export function within<T>(seconds: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LabError(
            `${what} did not finish within ${seconds} s`,
            "the lab's Docker engine stopped answering; run `npm run lab:sweep` if its containers are left, and run again",
          ),
        ),
      seconds * 1000,
    )
  })
  return Promise.race([work(), limit]).finally(() => clearTimeout(timer))
}
