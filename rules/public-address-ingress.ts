/**
 * public-address-ingress — inbound rules from specific public addresses (IPv4 /24-/32, IPv6 /48-/128):
 * usually legitimate (an office, a partner), but worth confirming. Low severity.
 */
import { z } from 'zod';
import { checkPublicSources, defineRule, publicSourceOptions, SG_RULES_DOC } from './lib/index.js';

const options = z.strictObject(publicSourceOptions);

export const publicAddressIngress = defineRule({
  meta: {
    id: 'public-address-ingress',
    title: 'Inbound rules from specific public addresses are reviewed',
    severity: 'low',
    category: 'least-privilege',
    rationale:
      'Rules admitting a specific public address or small public range (IPv4 /24-/32, IPv6 /48-/128 by default) ' +
      'are typical for offices, VPN egress points and partners, and just as typical as leftovers after the ' +
      'address changed hands; they deserve a periodic review, hence low severity. Wider public ranges are ' +
      'wide-public-cidr-ingress, 0.0.0.0/0 and ::/0 the world-open rules; private ranges and security group ' +
      'references never count. Prefix lists count through their resolved entries (one whose entries were not ' +
      'collected leaves the verdict unknown: an error finding), AWS-managed prefix lists (com.amazonaws.*) are ' +
      'trusted and the ports of internet-facing load balancers are exempt.',
    remediation:
      'Confirm each public address still belongs to who it was meant for; prefer a customer-managed prefix list ' +
      'for office and partner ranges, or a VPN/Session Manager path instead of public addresses.',
    references: [SG_RULES_DOC],
    messages: {
      addresses: 'Security group {{group}} ({{groupName}}) admits traffic from specific public addresses: {{sources}}.',
      none: 'Security group {{group}} ({{groupName}}) admits no traffic from specific public addresses.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits traffic from specific public addresses is unknown.',
    },
    needs: ['securityGroups', 'prefixLists', 'loadBalancers'],
  },
  options,
  check(ctx) {
    checkPublicSources(ctx, {
      hits: 'specific',
      fail: 'addresses',
      pass: 'none',
      data: (g) => ({ group: g.id, groupName: g.name }),
      // Prefix lists are reviewed, not revoked: the addresses live in the list.
      revoke: 'cidrOnly',
    });
  },
});
