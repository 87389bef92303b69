/**
 * sg-rule-count — security groups with more inbound + outbound rules than a threshold (default 50).
 */
import { z } from 'zod';
import { defineRule, describeGroupCommand, type GroupNode, sgFailure, sgPassDetails } from './lib/index.js';

const options = z.strictObject({
  maxRules: z
    .number()
    .int()
    .min(1)
    .default(50)
    .describe('Most inbound + outbound rules (one per source, as AWS counts them) a group may have.'),
});

export const sgRuleCount = defineRule({
  meta: {
    id: 'sg-rule-count',
    title: 'Security groups have a reviewable number of rules',
    severity: 'low',
    category: 'hygiene',
    rationale:
      'A group with dozens of rules cannot be reviewed by a person, hides over-broad or stale entries, and runs ' +
      'into the per-group quota (60 inbound and 60 outbound by default). Rules are counted as AWS counts them: one ' +
      'per source (CIDR, IPv6 CIDR, prefix list or group) of each permission, inbound plus outbound. Default ' +
      'threshold 50 (Conformity EC2-014).',
    remediation:
      'Merge overlapping rules, replace address lists with a managed prefix list or group references, and split ' +
      'unrelated workloads into their own groups.',
    references: [
      {
        title: 'Trend Micro Conformity EC2-014: Security Group Rules Counts',
        url: 'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/security-group-rules-counts.html',
        ids: ['Conformity EC2-014'],
      },
      {
        title: 'Amazon VPC quotas: security groups',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html',
      },
    ],
    messages: {
      tooMany:
        'Security group {{group}} ({{groupName}}) has {{count}} rules ({{inbound}} inbound, {{outbound}} ' +
        'outbound), more than {{max}}.',
      ok: 'Security group {{group}} ({{groupName}}) has {{count}} rules (at most {{max}}).',
    },
    needs: ['securityGroups'],
  },
  options,
  check({ graph, options: o, report, pass }) {
    const dataOf = (g: GroupNode, count: number) => ({
      group: g.id,
      groupName: g.name,
      count,
      inbound: g.ingress.length,
      outbound: g.egress.length,
      max: o.maxRules,
    });
    for (const g of graph.groups) {
      const count = g.ingress.length + g.egress.length;
      if (count > o.maxRules) report(sgFailure(g, 'tooMany', dataOf(g, count), [describeGroupCommand(g)]));
      else pass('ok', () => sgPassDetails(g, dataOf(g, count)));
    }
  },
});
