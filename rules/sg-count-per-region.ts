/**
 * sg-count-per-region — Conformity EC2-012: more security groups per account and region than the
 * "large" (default 50) and "excessive" (default 100) thresholds.
 */
import { z } from 'zod';
import { defineRule, listGroupsCommand, scopeRef } from './lib/index.js';

const options = z
  .strictObject({
    warnAbove: z
      .number()
      .int()
      .min(1)
      .default(50)
      .describe('Above this many groups an account-region is "large": reported at info severity.'),
    failAbove: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Above this many groups it is "excessive": reported at the rule\'s severity.'),
  })
  .refine((o) => o.warnAbove <= o.failAbove, { message: 'warnAbove must not exceed failAbove', path: ['warnAbove'] });

export const sgCountPerRegion = defineRule({
  meta: {
    id: 'sg-count-per-region',
    title: 'Account-regions do not hold an excessive number of security groups',
    severity: 'low',
    category: 'hygiene',
    rationale:
      'Hundreds of security groups in one account and region are rarely all needed; every extra group is one ' +
      'more place an unrestricted rule can hide. Conformity EC2-012 recommends 50 (large) and 100 (excessive). ' +
      'Above options.failAbove the account-region fails at the rule severity, above options.warnAbove at info ' +
      'severity; default groups count like any other.',
    remediation: 'Delete unused groups (see unused-sg) and consolidate groups that carry identical rules.',
    references: [
      {
        title: 'Trend Micro Conformity EC2-012: Security Group Excessive Counts',
        url: 'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/security-group-counts.html',
        ids: ['Conformity EC2-012'],
      },
    ],
    messages: {
      excessive:
        'Account {{accountId}} region {{region}} has {{count}} security groups, more than {{failAbove}} (excessive).',
      large: 'Account {{accountId}} region {{region}} has {{count}} security groups, more than {{warnAbove}} (large).',
      ok: 'Account {{accountId}} region {{region}} has {{count}} security groups (at most {{warnAbove}}).',
    },
    needs: ['securityGroups'],
  },
  options,
  check({ graph, options: o, report, pass }) {
    for (const scope of graph.scopes) {
      if (!scope.collected.has('securityGroups')) continue;
      const count = scope.groups.length;
      const base = { accountId: scope.accountId, region: scope.region, resource: scopeRef(scope) };
      const data = {
        accountId: scope.accountId,
        region: scope.region,
        count,
        warnAbove: o.warnAbove,
        failAbove: o.failAbove,
      };
      const review = [listGroupsCommand(scope.region)];
      if (count > o.failAbove) report({ ...base, status: 'fail', messageId: 'excessive', data, remediation: review });
      else if (count > o.warnAbove)
        report({ ...base, status: 'fail', messageId: 'large', severity: 'info', data, remediation: review });
      else pass('ok', () => ({ ...base, data }));
    }
  },
});
