/**
 * How a lab that went away during a run says so, on its `lvs-conformance: ` line: what the
 * suites reported after that is about the lab, not the kernel, so the matrix counts no result
 * of that run (lab/matrix/run-matrix.ts, run-repeated.ts).
 */
export const labGonePrefix = 'the lab went away during the run: '

export const labGoneLine = (why: string) => `lvs-conformance: ${labGonePrefix}${why}`

/** The reason with the prefix once, whether the lab's own line carried it or not. */
export const asLabGone = (why: string) => (why.startsWith(labGonePrefix) ? why : `${labGonePrefix}${why}`)
