/**
 * default-sg-in-use — no network interface, load balancer or database uses a VPC's default security group.
 */
import {
  arg,
  type Attachment,
  attachmentRef,
  awsCommand,
  checkedKinds,
  cisAws,
  type DbClusterNode,
  type DbInstanceNode,
  defineRule,
  type GroupNode,
  type InterfaceNode,
  type LoadBalancerNode,
  type Scope,
  sgFailure,
  sgPassDetails,
  usageKnown,
} from './lib/index.js';

const NEW_GROUP = '<new-sg-id>';
const MAX_COMMANDS = 10;

interface ScopeIndex {
  enis: Map<string, InterfaceNode>;
  lbs: Map<string, LoadBalancerNode>;
  clusters: Map<string, DbClusterNode>;
  instances: Map<string, DbInstanceNode>;
}
const indexes = new WeakMap<Scope, ScopeIndex>();

function indexOf(scope: Scope): ScopeIndex {
  let x = indexes.get(scope);
  if (!x) {
    x = {
      enis: new Map(scope.networkInterfaces.map((n) => [n.eni.id, n])),
      lbs: new Map(scope.loadBalancers.map((n) => [n.lb.name, n])),
      clusters: new Map(scope.dbClusters.map((n) => [n.cluster.id, n])),
      instances: new Map(scope.dbInstances.map((n) => [n.instance.id, n])),
    };
    indexes.set(scope, x);
  }
  return x;
}

/** The resource's current groups with the default group swapped for the replacement. */
function replaceGroupCommand(g: GroupNode, a: Attachment): string | undefined {
  const scope = g.scope;
  const index = indexOf(scope);
  const swap = (ids: string[]) => [...ids.filter((id) => id !== g.id), NEW_GROUP].map((id) => arg.group(id));
  const r = arg.region(scope.region);
  switch (a.kind) {
    case 'networkInterfaces': {
      const n = index.enis.get(a.id);
      // Interfaces managed by AWS services (ELB, RDS, Lambda, ...) change through their service.
      if (!n || n.eni.requesterManaged) return undefined;
      return awsCommand('ec2', 'modify-network-interface-attribute', {
        '--region': r,
        '--network-interface-id': arg.networkInterface(a.id, false),
        '--groups': swap(n.eni.groups),
      });
    }
    case 'loadBalancers': {
      const n = index.lbs.get(a.id);
      return (
        n &&
        awsCommand('elbv2', 'set-security-groups', {
          '--region': r,
          '--load-balancer-arn': arg.loadBalancerArn(n.lb.arn),
          '--security-groups': swap(n.lb.securityGroups),
        })
      );
    }
    case 'dbClusters': {
      const n = index.clusters.get(a.id);
      return (
        n &&
        awsCommand('rds', 'modify-db-cluster', {
          '--region': r,
          '--db-cluster-identifier': arg.dbCluster(a.id),
          '--vpc-security-group-ids': swap(n.cluster.securityGroups),
          '--apply-immediately': true,
        })
      );
    }
    case 'dbInstances': {
      const n = index.instances.get(a.id);
      // Aurora members take their groups from the cluster.
      if (!n || n.instance.clusterId) return undefined;
      return awsCommand('rds', 'modify-db-instance', {
        '--region': r,
        '--db-instance-identifier': arg.dbInstance(a.id),
        '--vpc-security-group-ids': swap(n.instance.securityGroups),
        '--apply-immediately': true,
      });
    }
  }
}

export const defaultSgInUse = defineRule({
  meta: {
    id: 'default-sg-in-use',
    title: 'Default security groups are not used by any resource',
    severity: 'medium',
    category: 'hygiene',
    rationale:
      'The default security group is shared by everything launched without an explicit group, so members of ' +
      'unrelated workloads can reach each other through its self-referencing rule, and tightening it for one ' +
      'resource affects all. Each resource should use a purpose-built group (CIS 5.4). Usage is read from ' +
      'network interfaces (instances, Lambda, ECS tasks, endpoints), load balancers and RDS/Aurora; where network ' +
      'interfaces were not collected and no other attachment is known, the rule reports nothing (undecided).',
    remediation:
      'Create a purpose-built security group with only the rules the resource needs, move each resource to it, ' +
      "then revoke the default group's rules.",
    references: [cisAws('5.4', 'the default security group of every VPC restricts all traffic')],
    messages: {
      inUse: 'Default security group {{group}} of {{vpc}} is used by {{count}} resource(s): {{resources}}.',
      unused: 'Default security group {{group}} of {{vpc}} is not used by any resource (checked: {{checked}}).',
    },
    needs: ['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances'],
  },
  check({ graph, report, pass }) {
    for (const g of graph.groups) {
      if (!g.isDefault) continue;
      const vpc = g.vpcId ?? 'its VPC';
      const data = { group: g.id, groupName: g.name, vpc, checked: checkedKinds(g.scope) };
      if (g.attachments.length) {
        const labels = g.attachments.map((a) => `${attachmentRef(a).type} ${a.id}`);
        const resources =
          labels.length > 5 ? `${labels.slice(0, 5).join(', ')} and ${labels.length - 5} more` : labels.join(', ');
        const moves: string[] = [];
        for (const a of g.attachments) {
          if (moves.length >= MAX_COMMANDS) break;
          const cmd = replaceGroupCommand(g, a);
          if (cmd) moves.push(cmd);
        }
        report(
          sgFailure(g, 'inUse', { ...data, count: g.attachments.length, resources }, [
            awsCommand('ec2', 'create-security-group', {
              '--region': arg.region(g.region),
              '--vpc-id': arg.vpc(g.vpcId ?? '<vpc-id>'),
              '--group-name': arg.text('<name>'),
              '--description': arg.text('Replaces the default security group'),
            }),
            ...moves,
          ]),
        );
      } else if (usageKnown(g.scope)) {
        pass('unused', () => sgPassDetails(g, data));
      }
    }
  },
});
