/**
 * default-sg-has-rules — CIS 5.4 / Security Hub EC2.2: the default security group of every VPC restricts
 * all traffic. AWS's out-of-the-box rules are reported at low severity, and not at all in VPCs where
 * nothing runs (Prowler #4132: the default group fails in every unused region).
 */
import { z } from 'zod';
import {
  cisAws,
  configRule,
  defineRule,
  describeRulesWithSources,
  revokeCommands,
  type RuleEntry,
  securityHubEc2,
  sgFailure,
  sgPassDetails,
  usageKnown,
  vpcsInUse,
} from './lib/index.js';

const options = z.strictObject({
  reportUnusedVpcs: z
    .boolean()
    .default(false)
    .describe('Also report out-of-the-box rules in VPCs with no network interfaces, load balancers or databases.'),
  /**
   * Also report a default group whose only rules are AWS's default egress (all traffic out to 0.0.0.0/0 and
   * ::/0; Amazon VPC User Guide, "Default security groups for your VPCs"). Off by default: AWS's default
   * egress never fails a build unless asked for; CIS 5.4 / EC2.2 strictly want it revoked too.
   */
  reportDefaultEgress: z
    .boolean()
    .default(false)
    .describe(
      "Also report a default group whose only rules are AWS's default egress (CIS 5.4 wants them revoked); off " +
        'by default.',
    ),
});

/** The rules AWS puts in every default group: all traffic from itself, all traffic out to the world. */
function outOfTheBox(e: RuleEntry): boolean {
  if (e.protocol !== 'all') return false;
  if (e.direction === 'ingress') return e.source.kind === 'group' && e.source.self;
  // AWS creates literal 0.0.0.0/0 and ::/0 rules: a prefix list holding them is a custom rule.
  return e.source.kind === 'cidr' && e.source.cidr.world;
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
      'out to 0.0.0.0/0 and ::/0); reporting those everywhere buries real findings, so they fail ' +
      'at low severity only where the VPC has network interfaces, load balancers or databases, or where network ' +
      'interfaces were not collected and usage is unknown. In an idle VPC they pass with a note; set ' +
      'options.reportUnusedVpcs to report them there too. A default group left with only the default egress ' +
      "(inbound revoked) passes, since AWS's default egress never fails a build by default; set " +
      'options.reportDefaultEgress to report it as CIS 5.4 asks.',
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
      defaultRules:
        'Default security group {{group}} of {{vpc}} still has the rules AWS created ({{rules}}) while {{usage}}.',
      restricted: 'Default security group {{group}} of {{vpc}} has no rules.',
      defaultEgressOnly:
        "Default security group {{group}} of {{vpc}} admits nothing inbound; only AWS's default egress is left, " +
        'not reported (options.reportDefaultEgress).',
      unusedVpc:
        'Default security group {{group}} of {{vpc}} has only the rules AWS created, and nothing runs in the ' +
        'VPC; not reported (options.reportUnusedVpcs).',
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
        report(
          sgFailure(
            g,
            'customRules',
            { ...data, rules: describeRules(all.filter((e) => !outOfTheBox(e))) },
            remediation,
          ),
        );
        continue;
      }
      // Only AWS's default egress left (inbound already revoked): passes unless options.reportDefaultEgress.
      if (!o.reportDefaultEgress && g.ingress.length === 0) {
        pass('defaultEgressOnly', () => sgPassDetails(g, data));
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
