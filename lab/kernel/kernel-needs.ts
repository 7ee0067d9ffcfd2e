/**
 * What the suites need of a guest kernel, each as the config option that builds it and the
 * module it is built as (Debian's cloud kernels build all of these as modules; a custom kernel
 * may build them in). lab/vm/guest-init.sh loads the same modules at boot.
 */
export interface KernelNeed {
  /** What the suites use it for, in one phrase. */
  what: string
  config: string
  module: string
}

/** Without any of these no suite can run: the kernel is refused before it boots. */
export const coreNeeds: KernelNeed[] = [
  { what: 'IPVS (NAT and DR forwarding)', config: 'CONFIG_IP_VS', module: 'ip_vs' },
  { what: 'TUN forwarding (IP-in-IP)', config: 'CONFIG_NET_IPIP', module: 'ipip' },
  { what: "the nodes' links", config: 'CONFIG_VETH', module: 'veth' },
  { what: "the lab's networks", config: 'CONFIG_BRIDGE', module: 'bridge' },
  { what: "dockerd's storage", config: 'CONFIG_OVERLAY_FS', module: 'overlay' },
  { what: "the guest's network card", config: 'CONFIG_VIRTIO_NET', module: 'virtio_net' },
  { what: "the guest's docker disk", config: 'CONFIG_VIRTIO_BLK', module: 'virtio_blk' },
  { what: "the guest's devices", config: 'CONFIG_VIRTIO_PCI', module: 'virtio_pci' },
]

/** Every scheduler the suites check; one that is missing makes only its own checks skip. */
export const schedulers = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const

export type Scheduler = (typeof schedulers)[number]

export const schedulerNeed = (s: Scheduler): KernelNeed => ({ what: `the ${s} scheduler`, config: `CONFIG_IP_VS_${s.toUpperCase()}`, module: `ip_vs_${s}` })
