/** P(X >= k) for X ~ Binomial(n, p): the chance a statistical bound is crossed by luck alone. */
export function binomialTailAtLeast(n: number, p: number, k: number): number {
  let total = 0
  for (let i = Math.max(0, k); i <= n; i++) total += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p))
  return Math.min(1, total)
}

function logChoose(n: number, k: number): number {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
  return s
}
