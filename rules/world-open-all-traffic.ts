/**
 * world-open-all-traffic — all traffic (protocol -1) or every tcp/udp port admitted from 0.0.0.0/0 or ::/0.
 */
import { defineRule, reportWorldEntries, securityHubEc2, SG_RULES_DOC } from './lib/index.js';

export const worldOpenAllTraffic = defineRule({
  meta: {
    id: 'world-open-all-traffic',
    title: 'No security group admits all traffic from the internet',
    severity: 'high',
    category: 'least-privilege',
    rationale:
      'An inbound rule admitting every protocol (-1) or every tcp/udp port (0-65535 or 1-65535) from 0.0.0.0/0 or ' +
      '::/0 exposes every service on the attached resources, including ones nobody meant to publish. No ' +
      'legitimate workload needs it, internet-facing load balancers included. One finding per security group.',
    remediation: 'Revoke the rule and admit only the ports the workload serves, from the narrowest source that works.',
    references: [
      securityHubEc2(18, 'security groups should only allow unrestricted incoming traffic for authorized ports'),
      { title: 'Prowler ec2_securitygroup_allow_ingress_from_internet_to_all_ports' },
      SG_RULES_DOC,
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits {{ports}} from {{sources}}.',
      closed: 'Security group {{group}} ({{groupName}}) does not admit all traffic from the internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits all traffic from the internet is unknown.',
    },
    needs: ['securityGroups', 'prefixLists'],
  },
  check(ctx) {
    reportWorldEntries(ctx, (e) => e.allPorts);
  },
});
