/** Every container and network the lab makes carries these, so a sweep can find them all. */
export const labLabel = 'io.lvs-conformance.lab'

export function labLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { [labLabel]: 'true', ...extra }
}
