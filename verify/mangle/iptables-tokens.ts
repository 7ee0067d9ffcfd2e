/** Splits an iptables-save rule into words, keeping a double-quoted argument (a --comment) whole. */
export function iptablesTokens(text: string): string[] {
  const words: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!)
  return words
}
