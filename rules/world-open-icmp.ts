/**
 * world-open-icmp — ICMP / ICMPv6 admitted from 0.0.0.0/0 or ::/0, beyond the messages path MTU discovery needs.
 */
import { z } from 'zod';
import {
  defineRule,
  type ExposurePath,
  narrowExposure,
  reportWorldEntries,
  type RuleEntry,
  SG_RULES_DOC,
} from './lib/index.js';

const IcmpType = z.number().int().min(0).max(255);

const options = z.strictObject({
  allowedIcmpTypes: z
    .array(IcmpType)
    .default([3])
    .describe('ICMP types that may come from anywhere: 3 (destination unreachable, incl. fragmentation needed).'),
  allowedIcmpv6Types: z
    .array(IcmpType)
    .default([2])
    .describe('ICMPv6 types that may come from anywhere: 2 (packet too big).'),
});

export const worldOpenIcmp = defineRule({
  meta: {
    id: 'world-open-icmp',
    title: 'ICMP is not open to the internet beyond path MTU discovery',
    severity: 'low',
    category: 'least-privilege',
    rationale:
      'ICMP from 0.0.0.0/0 or ::/0 (echo in particular) lets anyone discover and fingerprint hosts and is a ' +
      'common amplification vector. Path MTU discovery needs ICMP "destination unreachable" (type 3) and ICMPv6 ' +
      '"packet too big" (type 2) from anywhere, so those types are allowed by default (options.allowedIcmpTypes, ' +
      'options.allowedIcmpv6Types). An all-types ICMP rule (type -1) and protocol -1 (which includes ICMP) fail. ' +
      'Low severity: ICMP exposure is reconnaissance, not access. One finding per security group.',
    remediation:
      'Revoke the world-open ICMP rule; if path MTU discovery is needed, admit only ICMP type 3 / ICMPv6 type 2.',
    references: [
      SG_RULES_DOC,
      {
        title: 'Amazon VPC User Guide: security group rules for path MTU discovery',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules-reference.html',
      },
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits {{ports}} from {{sources}}.',
      closed: 'Security group {{group}} ({{groupName}}) admits no ICMP from the internet beyond path MTU discovery.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits ICMP from the internet beyond path MTU discovery is unknown.',
    },
    needs: ['securityGroups', 'prefixLists'],
  },
  options,
  check(ctx) {
    const o = ctx.options;
    const offending = (e: RuleEntry): boolean => {
      if (e.protocol === 'all') return true;
      if (e.protocol === 'icmp') return e.fromPort === -1 || !o.allowedIcmpTypes.includes(e.fromPort);
      if (e.protocol === 'icmpv6') return e.fromPort === -1 || !o.allowedIcmpv6Types.includes(e.fromPort);
      return false;
    };
    // Only ICMP paths beyond the allowed types count (an all-traffic entry also reaches tcp and udp ports).
    const icmpPath = (p: ExposurePath): ExposurePath | undefined => {
      const allowed =
        p.protocol === 'icmp' ? o.allowedIcmpTypes : p.protocol === 'icmpv6' ? o.allowedIcmpv6Types : undefined;
      if (!allowed) return undefined;
      return p.ports.every(([a, b]) => a !== -1 && a === b && allowed.includes(a)) ? undefined : p;
    };
    reportWorldEntries(ctx, offending, (x, g) =>
      narrowExposure(x, icmpPath, `the internet reaches ${g.id} only with other protocols than ICMP`),
    );
  },
});
