/**
 * wide-public-cidr-ingress — inbound rules from large public address ranges (IPv4 /1-/23, IPv6 /1-/47),
 * including prefix lists whose entries are wide.
 */
import { z } from 'zod';
import { checkPublicSources, defineRule, publicSourceOptions, SG_RULES_DOC } from './lib/index.js';

const options = z.strictObject(publicSourceOptions);

export const widePublicCidrIngress = defineRule({
  meta: {
    id: 'wide-public-cidr-ingress',
    title: 'No inbound rules from wide public address ranges',
    severity: 'medium',
    category: 'least-privilege',
    rationale:
      'A public range as large as an IPv4 /8-/23 or an IPv6 prefix shorter than /48 (more than one site ' +
      'allocation) admits many unrelated networks and is usually a typo or a lazy "temporary" rule; 0.0.0.0/0 and ' +
      '::/0 themselves are reported by the world-open rules. Private ranges (RFC 1918, RFC 6598, ULA) are never ' +
      'public. Prefix lists count through their resolved entries (a list holding 0.0.0.0/0 or ::/0 is the world, ' +
      'reported by the world-open rules like the literal ranges). AWS-managed prefix lists (com.amazonaws.*) are ' +
      'trusted and the ports of internet-facing load balancers are exempt (options). A group with no wide range ' +
      'but a prefix list whose entries were not collected gets an error finding: the verdict is unknown, not a pass.',
    remediation: 'Replace the wide range with the specific addresses that need access, or a security group reference.',
    references: [SG_RULES_DOC, { title: 'Prowler ec2_securitygroup_allow_wide_open_public_ipv4' }],
    messages: {
      wide: 'Security group {{group}} ({{groupName}}) admits traffic from wide public ranges: {{sources}}.',
      narrow:
        'Security group {{group}} ({{groupName}}) admits no traffic from wide public ranges (IPv4 shorter than ' +
        '/{{ipv4MinPrefix}}, IPv6 shorter than /{{ipv6MinPrefix}}).',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits traffic from wide public ranges is unknown.',
    },
    needs: ['securityGroups', 'prefixLists', 'loadBalancers'],
  },
  options,
  check(ctx) {
    const o = ctx.options;
    checkPublicSources(ctx, {
      hits: 'wide',
      fail: 'wide',
      pass: 'narrow',
      data: (g) => ({ group: g.id, groupName: g.name, ipv4MinPrefix: o.ipv4MinPrefix, ipv6MinPrefix: o.ipv6MinPrefix }),
      revoke: 'all',
    });
  },
});
