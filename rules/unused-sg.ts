/**
 * unused-sg — non-default security groups attached to nothing and referenced by no other group.
 */
import {
  checkedKinds,
  configRule,
  defineRule,
  deleteGroupCommand,
  referencedByOthers,
  referencesFromOthers,
  securityHubEc2,
  sgFailure,
  sgPassDetails,
  usageKnown,
} from './lib/index.js';

export const unusedSg = defineRule({
  meta: {
    id: 'unused-sg',
    title: 'Security groups are in use',
    severity: 'low',
    category: 'hygiene',
    rationale:
      'Unused security groups clutter the estate, hide mistakes and get attached later with stale, over-broad ' +
      'rules (Security Hub EC2.22). A group is in use when a network interface (EC2, Lambda in a VPC, ECS/Fargate ' +
      'tasks, VPC endpoints, load balancer and RDS nodes, stopped instances too), a load balancer or an RDS/Aurora ' +
      "cluster or instance uses it, or when another group's rule references it (a reference to itself does not " +
      'count; references from accounts outside the scan cannot be seen). Usage cannot be decided without the ' +
      'network interfaces of the account-region, so groups there get no finding at all rather than a false ' +
      '"unused". Launch templates and zero-capacity Auto Scaling groups ' +
      'are not read: check them before deleting. Default groups are left to default-sg-in-use.',
    remediation: 'Confirm no launch template, Auto Scaling group or other account needs the group, then delete it.',
    references: [
      securityHubEc2(22, 'unused EC2 security groups should be removed'),
      configRule('ec2-security-group-attached-to-eni-periodic', 'security groups are attached to network interfaces'),
    ],
    messages: {
      unused:
        'Security group {{group}} ({{groupName}}) is attached to nothing and referenced by no other security ' +
        'group (checked: {{checked}}, security group rules).',
      inUse:
        'Security group {{group}} ({{groupName}}) is in use: {{attachments}} attachment(s), referenced by ' +
        '{{references}} rule(s) of other groups.',
    },
    needs: ['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances'],
  },
  check({ graph, report, pass }) {
    for (const g of graph.groups) {
      if (g.isDefault || !usageKnown(g.scope)) continue;
      if (g.attachments.length === 0 && !referencedByOthers(g)) {
        report(
          sgFailure(g, 'unused', { group: g.id, groupName: g.name, checked: checkedKinds(g.scope) }, [
            deleteGroupCommand(g),
          ]),
        );
      } else {
        pass('inUse', () =>
          sgPassDetails(g, {
            group: g.id,
            groupName: g.name,
            attachments: g.attachments.length,
            references: referencesFromOthers(g),
          }),
        );
      }
    }
  },
});
