import { accessSync, constants, existsSync, readFileSync } from 'node:fs'

/**
 * KVM only where it can run a stock Debian kernel: /dev/kvm writable, a CPU with VMX/SVM,
 * and not the paravirtual PVM flavour (a stock kernel hangs at boot under it). Otherwise
 * TCG with one host thread per vCPU.
 */
export function chooseAccel(env = process.env): 'kvm' | 'tcg' {
  if (env.LVS_ACCEL === 'kvm' || env.LVS_ACCEL === 'tcg') return env.LVS_ACCEL
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK)
  } catch {
    return 'tcg'
  }
  if (existsSync('/sys/module/kvm_pvm')) return 'tcg'
  const flags = readFileSync('/proc/cpuinfo', 'utf8')
  return /\b(vmx|svm)\b/.test(flags) ? 'kvm' : 'tcg'
}
