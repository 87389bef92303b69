/**
 * aurora-sg — CIS Amazon Aurora "Ensure Security Groups are configured": the security groups of an Aurora
 * cluster admit only the cluster's port, only from security groups or private address ranges.
 */
import { z } from 'zod';
import {
  arg,
  authorizeFromGroup,
  authorizeIngressCommand,
  authorizeTcpCommand,
  awsCommand,
  cidrsOf,
  coversPort,
  type DbClusterNode,
  dbRef,
  defaultEnginePort,
  defineRule,
  entryData,
  type Exposure,
  internetExposureOf,
  isWorldSource,
  pickNear,
  prefixListEntriesCommand,
  revokeEntryCommand,
  type RuleEntry,
  type Severity,
  sgRef,
} from './lib/index.js';

const APP_PLACEHOLDER = '<app-tier-sg-id>';

const options = z
  .object({
    /**
     * Report all-traffic egress to 0.0.0.0/0 or ::/0 as a low-severity finding. Off by default: AWS adds that
     * rule to every new security group (Amazon VPC User Guide, "Security group rules": a new group has an
     * outbound rule allowing all traffic to 0.0.0.0/0, and ::/0 in IPv6 VPCs), so it never fails a build
     * unless asked for. The CIS Aurora benchmark asks for outbound rules to be reviewed: turn this on to do so.
     */
    checkEgress: z
      .boolean()
      .default(false)
      .describe(
        "Report all-traffic egress to 0.0.0.0/0 or ::/0 as a low-severity finding (off by default: it is AWS's " +
          'default rule of every new group; CIS Aurora asks for outbound rules to be reviewed).',
      ),
  })
  .strict();

export const auroraSg = defineRule({
  meta: {
    id: 'aurora-sg',
    title: 'Aurora security groups admit only the cluster port from security groups or private ranges',
    severity: 'high',
    category: 'aurora',
    rationale:
      'Security groups are the firewall of an Aurora cluster. Every VPC security group of a cluster whose engine ' +
      "starts with 'aurora' must admit inbound traffic only on the cluster's port (its endpoint port, else the " +
      "engine's default) and only from security groups or private address ranges: no 0.0.0.0/0, ::/0 or public " +
      'CIDR (high), no all-traffic rule and no other port (medium). A prefix list counts through its entries; one ' +
      "whose entries were not collected is reported, not trusted. A cluster protected only by its VPC's default " +
      'group fails: that group is shared by everything launched without a group. The CIS text also asks for the ' +
      "outbound rules to be reviewed; all-traffic egress to the world is AWS's default for every group, so it is " +
      'reported (at low severity) only with options.checkEgress: true.',
    remediation:
      'Revoke public, all-traffic and other-port inbound rules and allow the cluster port from the application ' +
      'security group instead. Give clusters that use only the default group a dedicated group ' +
      '(aws rds modify-db-cluster --vpc-security-group-ids). Restrict egress where the database needs no ' +
      'outbound access.',
    references: [
      {
        title:
          'CIS Amazon Web Services Database Services Benchmark, Amazon Aurora: Ensure Security Groups are configured',
        url: 'https://www.cisecurity.org/benchmark/amazon_web_services',
        ids: ['CIS AWS Database Services: Aurora security groups'],
      },
    ],
    messages: {
      compliant:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits only tcp {{port}} ' +
        'from security groups or private ranges.',
      worldSource:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits {{ports}} from the ' +
        'whole internet ({{source}}).',
      publicSource:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits {{ports}} from ' +
        '{{source}}, which is not a private address range.',
      unknownPrefixList:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits {{ports}} from ' +
        '{{source}}, whose entries were not collected, so it cannot be confirmed private.',
      allTraffic:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits all traffic from ' +
        '{{source}} instead of only tcp {{port}}.',
      otherPort:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} admits {{ports}} from ' +
        '{{source}}; only tcp {{port}}, the cluster port, should be open.',
      defaultGroupOnly:
        'Aurora cluster {{clusterId}} is protected only by the default security group {{groupId}} of {{vpcId}}.',
      groupNotFound:
        'Aurora cluster {{clusterId}} uses security group {{groupId}}, which is not in the snapshot, so its ' +
        'rules could not be checked.',
      unrestrictedEgress:
        'Security group {{groupId}} ({{groupName}}) of Aurora cluster {{clusterId}} allows all outbound traffic ' +
        'to {{destinations}}.',
    },
    needs: ['securityGroups', 'dbClusters', 'prefixLists'],
  },
  options,
  check({ graph, options: opts, report, pass }) {
    const appGroups = graph.groupsByTier.app;

    const checkCluster = (c: DbClusterNode) => {
      const cluster = c.cluster;
      const port = cluster.port ?? defaultEnginePort(cluster.engine) ?? 3306;
      const clusterRef = dbRef('db-cluster', cluster.id, cluster.arn);
      const { accountId, region } = c.scope;

      // Groups the cluster lists but the snapshot lacks. Without a group listing for the scope the collection
      // error already reports it.
      const missing = [...new Set(cluster.securityGroups)].filter((id) => !graph.groupsById.has(id));
      if (c.scope.collected.has('securityGroups')) {
        for (const id of missing) {
          report({
            status: 'fail',
            messageId: 'groupNotFound',
            severity: 'medium',
            accountId,
            region,
            resource: { type: 'security-group', id },
            related: [clusterRef],
            data: { clusterId: cluster.id, groupId: id },
          });
        }
      }

      const groups = [...new Set(c.groups)];
      const defaultOnly = groups.length > 0 && missing.length === 0 && groups.every((g) => g.isDefault);
      for (const g of groups) {
        const names = { groupId: g.id, groupName: g.name, clusterId: cluster.id };
        const base = { accountId: g.accountId, region: g.region, resource: sgRef(g), related: [clusterRef] };
        let failed = false;
        const fail = (
          messageId: Parameters<typeof pass>[0],
          severity: Severity | undefined,
          data: Record<string, string | number>,
          remediation: string[],
          exposure?: Exposure,
        ) => {
          failed = true;
          report({
            ...base,
            status: 'fail',
            messageId,
            ...(severity ? { severity } : {}),
            data: { ...names, port, ...data },
            remediation,
            ...(exposure ? { exposure } : {}),
          });
        };
        // Re-allow the cluster port from the same source after revoking an over-broad rule, when the source is
        // acceptable.
        const narrow = (e: RuleEntry): string[] => {
          if (!coversPort(e, 'tcp', port)) return [revokeEntryCommand(e)];
          const s = e.source;
          let allow: string;
          if (s.kind === 'group') {
            allow = s.target
              ? authorizeFromGroup(g.region, g.id, g.accountId, port, s.target)
              : authorizeIngressCommand(g.region, g.id, [
                  {
                    IpProtocol: 'tcp',
                    FromPort: port,
                    ToPort: port,
                    UserIdGroupPairs: [{ GroupId: s.groupId, ...(s.userId ? { UserId: s.userId } : {}) }],
                  },
                ]);
          } else if (s.kind === 'cidr') {
            allow = authorizeTcpCommand(g.region, g.id, port, { cidr: s.cidr.cidr });
          } else {
            allow = authorizeIngressCommand(g.region, g.id, [
              { IpProtocol: 'tcp', FromPort: port, ToPort: port, PrefixListIds: [{ PrefixListId: s.prefixListId }] },
            ]);
          }
          return [allow, revokeEntryCommand(e)];
        };

        if (defaultOnly) {
          const source = pickNear(g, appGroups) ?? APP_PLACEHOLDER;
          const newId = '<new-aurora-sg-id>';
          fail('defaultGroupOnly', 'medium', { vpcId: g.vpcId ?? 'its VPC' }, [
            awsCommand('ec2', 'create-security-group', {
              '--region': arg.region(g.region),
              '--group-name': arg.derived(arg.dbCluster(cluster.id), `${cluster.id}-aurora`),
              '--description': arg.derived(arg.dbCluster(cluster.id), `Aurora cluster ${cluster.id}`),
              '--vpc-id': arg.vpc(g.vpcId ?? '<vpc-id>'),
            }),
            authorizeFromGroup(g.region, newId, g.accountId, port, source),
            awsCommand('rds', 'modify-db-cluster', {
              '--region': arg.region(g.region),
              '--db-cluster-identifier': arg.dbCluster(cluster.id),
              '--vpc-security-group-ids': arg.group(newId),
              '--apply-immediately': true,
            }),
          ]);
        }

        for (const e of g.ingress) {
          const s = e.source;
          const d = entryData(e);
          if (s.kind === 'prefixList' && s.entries === undefined) {
            fail(
              'unknownPrefixList',
              'medium',
              d,
              [prefixListEntriesCommand(g.region, s.prefixListId), revokeEntryCommand(e)],
              internetExposureOf(graph, [e]),
            );
          } else if (isWorldSource(s)) {
            fail('worldSource', undefined, d, [revokeEntryCommand(e)], internetExposureOf(graph, [e]));
          } else if (s.kind !== 'group' && !cidrsOf(s).every((x) => x.private)) {
            fail('publicSource', undefined, d, [revokeEntryCommand(e)], internetExposureOf(graph, [e]));
          } else if (e.protocol === 'all') {
            fail('allTraffic', 'medium', d, narrow(e));
          } else if (!(e.protocol === 'tcp' && e.fromPort === port && e.toPort === port)) {
            fail('otherPort', 'medium', d, narrow(e));
          }
        }

        if (opts.checkEgress) {
          const open = g.egress.filter((e) => e.protocol === 'all' && isWorldSource(e.source));
          if (open.length > 0) {
            fail(
              'unrestrictedEgress',
              'low',
              { destinations: open.map((e) => entryData(e).source).join(' and ') },
              open.map(revokeEntryCommand),
            );
          }
        }

        if (!failed) pass('compliant', () => ({ ...base, data: { ...names, port } }));
      }
    };

    for (const scope of graph.scopes) {
      for (const c of scope.dbClusters) {
        if (c.cluster.engine.toLowerCase().startsWith('aurora')) checkCluster(c);
      }
    }
  },
});
