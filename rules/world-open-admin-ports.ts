/**
 * world-open-admin-ports — SSH (22) and RDP (3389) reachable from 0.0.0.0/0 or ::/0.
 */
import {
  ADMIN_PORTS,
  checkWorldOpenPorts,
  cisAws,
  configRule,
  defineRule,
  securityHubEc2,
  worldPortOptions,
} from './lib/index.js';

/** options.ports: the TCP administration ports. */
const options = worldPortOptions(ADMIN_PORTS);

export const worldOpenAdminPorts = defineRule({
  meta: {
    id: 'world-open-admin-ports',
    title: 'Administration ports (SSH 22, RDP 3389) are not open to the internet',
    severity: 'high',
    category: 'least-privilege',
    rationale:
      'SSH and RDP reachable from 0.0.0.0/0 or ::/0 are scanned and brute-forced within minutes of exposure. ' +
      'A port counts as open when an inbound rule from the world covers it by tcp range or by protocol -1 (all ' +
      'traffic); a udp rule on 22 does not open SSH. IPv4 and IPv6 are checked alike; a prefix list holding ' +
      '0.0.0.0/0 ' +
      'or ::/0 is the world, one whose entries were not collected leaves the verdict unknown (an error finding), and ' +
      'security group references are never "the world". One finding per security group lists every open port and ' +
      'source.',
    remediation:
      'Revoke the world-open rule and reach instances through AWS Systems Manager Session Manager, or admit the ' +
      'port only from a bastion security group or a narrow trusted CIDR.',
    references: [
      cisAws('5.2', 'no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
      cisAws('5.3', 'no security groups allow ingress from ::/0 to remote server administration ports'),
      securityHubEc2(13, 'security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'),
      securityHubEc2(14, 'security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'),
      configRule('restricted-ssh', 'security groups do not allow unrestricted incoming SSH traffic'),
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits administration port(s) tcp {{ports}} from {{sources}}.',
      closed:
        'Security group {{group}} ({{groupName}}) admits none of the administration ports (tcp {{checked}}) from ' +
        'the internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits the administration ports (tcp {{checked}}) from the internet is unknown.',
    },
    needs: ['securityGroups', 'loadBalancers', 'prefixLists'],
  },
  options,
  check: checkWorldOpenPorts,
});
