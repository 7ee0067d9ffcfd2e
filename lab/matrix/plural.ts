/** `1 kernel`, `4 kernels`: a count with its noun agreeing. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
