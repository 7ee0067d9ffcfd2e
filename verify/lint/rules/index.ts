import type { LintRule } from '../lint-rule'
import { directPortRemap } from './direct-port-remap'
import { duplicateService } from './duplicate-service'
import { fwmarkWithoutMark } from './fwmark-without-mark'
import { markWithoutService } from './mark-without-service'
import { mixedForwarding } from './mixed-forwarding'
import { noUsableRealServer } from './no-usable-real-server'
import { persistenceHorizon } from './persistence-horizon'
import { persistentPortZero } from './persistent-port-zero'
import { portsSplitPersistence } from './ports-split-persistence'
import { shMhWeightZero } from './sh-mh-weight-zero'
import { thresholdsNotSaved } from './thresholds-not-saved'
import { wideNetmask } from './wide-netmask'

/** Every lint rule, in the order the README lists them. */
export const LINT_RULES: readonly LintRule[] = [
  fwmarkWithoutMark,
  markWithoutService,
  directPortRemap,
  shMhWeightZero,
  thresholdsNotSaved,
  portsSplitPersistence,
  persistentPortZero,
  persistenceHorizon,
  noUsableRealServer,
  duplicateService,
  mixedForwarding,
  wideNetmask,
]
