/**
 * restricted-common-ports — the AWS Config managed rule of that name: blocked TCP ports (default 20, 21,
 * 3389, 3306, 4333) reachable from 0.0.0.0/0 or ::/0.
 */
import { checkWorldOpenPorts, configRule, defineRule, worldPortOptions } from './lib/index.js';

/** options.ports: the blocked TCP ports (Config's blockedPort1..5 / blockedPorts). */
const options = worldPortOptions([20, 21, 3389, 3306, 4333]);

export const restrictedCommonPorts = defineRule({
  meta: {
    id: 'restricted-common-ports',
    title: 'Blocked common ports (AWS Config restricted-common-ports) are not open to the internet',
    severity: 'medium',
    category: 'least-privilege',
    rationale:
      'Mirrors the AWS Config managed rule restricted-common-ports (identifier RESTRICTED_INCOMING_TRAFFIC): ' +
      'no inbound TCP traffic from 0.0.0.0/0 or ::/0 to the blocked ports (FTP 20/21, RDP 3389, MySQL 3306, ' +
      '4333 by default; set options.ports to your own list). A port is open when a world rule covers it by ' +
      'tcp range or protocol -1. One finding per security group.',
    remediation:
      'Revoke the world-open rule and admit the port only from the security groups or narrow CIDRs that need it.',
    references: [
      configRule(
        'restricted-common-ports',
        'security groups do not allow unrestricted incoming TCP traffic to the specified ports',
      ),
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits blocked port(s) tcp {{ports}} from {{sources}}.',
      closed:
        'Security group {{group}} ({{groupName}}) admits none of the blocked ports (tcp {{checked}}) from the ' +
        'internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits the blocked ports (tcp {{checked}}) from the internet is unknown.',
    },
    needs: ['securityGroups', 'loadBalancers', 'prefixLists'],
  },
  options,
  check: checkWorldOpenPorts,
});
