import type { Rule } from '../src/engine/types.js';
import { appTierFromWebOnly } from './app-tier-from-web-only.js';
import { defaultSgHasRules } from './default-sg-has-rules.js';
import { defaultSgInUse } from './default-sg-in-use.js';
import { launchWizardSg } from './launch-wizard-sg.js';
import { publicAddressIngress } from './public-address-ingress.js';
import { rdsPublicWorldOpen } from './rds-public-world-open.js';
import { rdsStorageEncrypted } from './rds-storage-encrypted.js';
import { restrictedCommonPorts } from './restricted-common-ports.js';
import { sgCountPerRegion } from './sg-count-per-region.js';
import { sgRuleCount } from './sg-rule-count.js';
import { unusedSg } from './unused-sg.js';
import { widePublicCidrIngress } from './wide-public-cidr-ingress.js';
import { worldOpenAdminPorts } from './world-open-admin-ports.js';
import { worldOpenAllTraffic } from './world-open-all-traffic.js';
import { worldOpenDatabasePorts } from './world-open-database-ports.js';
import { worldOpenEgress } from './world-open-egress.js';
import { worldOpenHighRiskPorts } from './world-open-high-risk-ports.js';
import { worldOpenIcmp } from './world-open-icmp.js';
import { worldOpenUnauthorizedPorts } from './world-open-unauthorized-ports.js';

/** Least-privilege pack (issue #4), in report order: exposure first, then RDS, app tier, hygiene. */
export const leastPrivilegeRules: Rule[] = [
  rdsPublicWorldOpen,
  worldOpenAllTraffic,
  worldOpenAdminPorts,
  worldOpenDatabasePorts,
  worldOpenHighRiskPorts,
  restrictedCommonPorts,
  worldOpenUnauthorizedPorts,
  widePublicCidrIngress,
  publicAddressIngress,
  worldOpenIcmp,
  worldOpenEgress,
  appTierFromWebOnly,
  rdsStorageEncrypted,
  defaultSgHasRules,
  defaultSgInUse,
  unusedSg,
  launchWizardSg,
  sgRuleCount,
  sgCountPerRegion,
];
