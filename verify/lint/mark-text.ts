/** A mark as both tools spell it: ipvsadm in decimal (`-f 10`), iptables-save in hex (`0xa`). */
export function markText(mark: number): string {
  return `${mark} (0x${mark.toString(16)})`
}
