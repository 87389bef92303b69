import type { Rule } from '../lib/index.js';
import { internetExposure } from '../internet-exposure.js';
import { publicAddressIngress } from '../public-address-ingress.js';
import { rdsPublicWorldOpen } from '../rds-public-world-open.js';
import { restrictedCommonPorts } from '../restricted-common-ports.js';
import { widePublicCidrIngress } from '../wide-public-cidr-ingress.js';
import { worldOpenAdminPorts } from '../world-open-admin-ports.js';
import { worldOpenAllTraffic } from '../world-open-all-traffic.js';
import { worldOpenDatabasePorts } from '../world-open-database-ports.js';
import { worldOpenEgress } from '../world-open-egress.js';
import { worldOpenHighRiskPorts } from '../world-open-high-risk-ports.js';
import { worldOpenIcmp } from '../world-open-icmp.js';
import { worldOpenUnauthorizedPorts } from '../world-open-unauthorized-ports.js';

/**
 * Least privilege: traffic admitted from the internet (world-open ports, wide or public sources, ICMP,
 * egress). rds-public-world-open is here, not in the rds pack: it is a world-open check (on a public DB),
 * and it reports before the other exposure rules. internet-exposure comes first: what the internet really
 * reaches (the network path), before the rules that read security group rules as text.
 */
export const leastPrivilegeRules: Rule[] = [
  internetExposure,
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
];
