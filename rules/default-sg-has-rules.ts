/**
 * default-sg-has-rules — CIS 5.4 / Security Hub EC2.2: the default security group of every VPC restricts
 * all traffic. AWS's out-of-the-box rules are reported at low severity, and not at all in VPCs where
 * nothing runs (Prowler #4132: the default group fails in every unused region).
 */
import { z } from 'zod';
import { defineRule } from '../src/engine/types.js';
import type { RuleEntry } from '../src/graph/model.js';
import { isWorldSource } from '../src/graph/query.js';
import { revokeCommands } from './lib/aws-cli.js';
import { describeRulesWithSources } from './lib/ports.js';
import { cisAws, configRule, securityHubEc2 } from './lib/references.js';
import { sgFailure, sgPassDetails } from './lib/resources.js';
import { usageKnown, vpcsInUse } from './lib/usage.js';

const options = z.strictObject({
  /** Also report out-of-the-box rules in VPCs with no network interfaces, load balancers or databases. */
  reportUnusedVpcs: z.boolean().default(false),
});

/** The rules AWS puts in every default group: all traffic from itself, all traffic out to the world. */
function outOfTheBox(e: RuleEntry): boolean {
  if (e.protocol !== 'all') return false;
  if (e.direction === 'ingress') return e.source.kind === 'group' && e.source.self;
  return isWorldSource(e.source);
}

export const defaultSgHasRules = defineRule({
  meta: {
    id: 'default-sg-has-rules',
    title: 'Default security groups restrict all traffic',
    severity: 'medium',
    category: 'hygiene',
    rationale:
      'Resources launched without an explicit security group land in the VPC default group, so its rules should ' +
      'admit nothing (CIS 5.4, Security Hub EC2.2). Rules beyond what AWS creates fail at medium severity. AWS ' +
      'creates the same two rules in every VPC of every region (all traffic from the group itself, all traffic ' +
      'out to 0.0.0.0/0 and ::/0); reporting those everywhere buries real findings (Prowler #4132), so they fail ' +
      'at low severity only where the VPC has network interfaces, load balancers or databases, or where network ' +
      'interfaces were not collected and usage is unknown. In an idle VPC they pass with a note; set ' +
      'options.reportUnusedVpcs to report them there too.',
    remediation:
      'Revoke every inbound and outbound rule of the default group and give each resource a purpose-built group; ' +
      'the default group itself cannot be deleted.',
    references: [
      cisAws('5.4', 'the default security group of every VPC restricts all traffic'),
      securityHubEc2(2, 'VPC default security groups should not allow inbound or outbound traffic'),
      configRule('vpc-default-security-group-closed', 'default security groups have no inbound or outbound rules'),
    ],
    messages: {
      customRules: 'Default security group {{group}} of {{vpc}} has rules beyond AWS defaults: {{rules}}.',
      defaultRules: 'Default security group {{group}} of {{vpc}} still has the rules AWS created ({{rules}}) while {{usage}}.',
      restricted: 'Default security group {{group}} of {{vpc}} has no rules.',
      unusedVpc:
        'Default security group {{group}} of {{vpc}} has only the rules AWS created, and nothing runs in the VPC; not reported (options.reportUnusedVpcs).',
    },
    needs: ['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances'],
  },
  options,
  check({ graph, options: o, report, pass }) {
    for (const g of graph.groups) {
      if (!g.isDefault) continue;
      const all = [...g.ingress, ...g.egress];
      const vpc = g.vpcId ?? 'its VPC';
      const data = { group: g.id, groupName: g.name, vpc };
      if (all.length === 0) {
        pass('restricted', () => sgPassDetails(g, data));
        continue;
      }
      const remediation = revokeCommands(all);
      if (all.some((e) => !outOfTheBox(e))) {
        report(sgFailure(g, 'customRules', { ...data, rules: describeRules(all.filter((e) => !outOfTheBox(e))) }, remediation));
        continue;
      }
      // Usage is known when network interfaces were collected and the group's VPC is known.
      const known = usageKnown(g.scope) && g.vpcId !== undefined;
      const inUse = g.vpcId !== undefined && vpcsInUse(g.scope).has(g.vpcId);
      if (known && !inUse && !o.reportUnusedVpcs) {
        pass('unusedVpc', () => sgPassDetails(g, data));
        continue;
      }
      const usage = inUse
        ? 'the VPC is in use'
        : !usageKnown(g.scope)
          ? 'VPC usage is unknown (network interfaces not collected)'
          : known
            ? 'the VPC is idle'
            : 'its VPC is unknown';
      report(sgFailure(g, 'defaultRules', { ...data, rules: describeRules(all), usage }, remediation, 'low'));
    }
  },
});

function describeRules(entries: RuleEntry[]): string {
  const inbound = entries.filter((e) => e.direction === 'ingress');
  const outbound = entries.filter((e) => e.direction === 'egress');
  return [
    inbound.length ? `inbound ${describeRulesWithSources(inbound)}` : '',
    outbound.length ? `outbound ${describeRulesWithSources(outbound)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
