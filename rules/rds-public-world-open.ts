/**
 * rds-public-world-open — a publicly accessible RDS/Aurora database whose security groups admit its
 * port from 0.0.0.0/0 or ::/0: reachable by anyone on the internet.
 */
import {
  carries,
  cisAws,
  configRule,
  coversPort,
  defaultEnginePort,
  defineRule,
  describeRulesWithSources,
  describeSources,
  exposureOfResource,
  type GroupNode,
  isUnknownSource,
  noPublicAccessCommand,
  prefixListEntriesCommand,
  type ReportTypeOf,
  type ResourceRef,
  revokeCommands,
  type RuleEntry,
  type Scope,
  securityHubRds,
  sgRef,
  tcpPortsQuery,
  worldIngress,
} from './lib/index.js';

interface Db {
  kind: ReportTypeOf<'dbClusters' | 'dbInstances'>;
  id: string;
  arn?: string;
  engine: string;
  port?: number;
  publiclyAccessible?: boolean;
  groupIds: string[];
  groups: GroupNode[];
}

export const rdsPublicWorldOpen = defineRule({
  meta: {
    id: 'rds-public-world-open',
    title: 'Publicly accessible databases are not open to the internet on their port',
    severity: 'critical',
    category: 'rds',
    rationale:
      'A DB instance (or Multi-AZ DB cluster) with PubliclyAccessible=true gets a public DNS name and address; if ' +
      'one of its security groups also admits the database port from 0.0.0.0/0 or ::/0, anyone can reach the ' +
      'login prompt and brute-force it. The port is the endpoint port (else the engine default); a rule covers ' +
      'it by tcp range or protocol -1; a prefix list holding 0.0.0.0/0 or ::/0 is the world, one whose entries were ' +
      "not collected leaves the verdict unknown (an error finding). Aurora members are checked with the cluster's " +
      'groups and port. A database whose PubliclyAccessible flag or security groups are not in the snapshot gets ' +
      "no finding. When the network data was collected, the real path decides: a finding whose database's " +
      'network interface no internet path reaches on its port (no public address, no route to an internet ' +
      'gateway, a network ACL denying it) is lowered one step and says what blocks it.',
    remediation:
      'Turn off public accessibility (modify-db-instance --no-publicly-accessible) and revoke the world-open ' +
      'rule; reach the database from the application tier or through a bastion / Session Manager port forward.',
    references: [
      securityHubRds(
        2,
        'RDS DB instances should prohibit public access, as determined by the PubliclyAccessible configuration',
      ),
      cisAws('2.3.3', 'public access is not given to RDS instances'),
      configRule('rds-instance-public-access-check', 'RDS instances are not publicly accessible'),
    ],
    messages: {
      open:
        '{{kind}} {{db}} is publicly accessible and security group(s) {{groups}} admit its port tcp {{port}} from ' +
        '{{sources}}.',
      publicClosed:
        '{{kind}} {{db}} is publicly accessible, but no security group admits its port tcp {{port}} from the internet.',
      notPublic: '{{kind}} {{db}} is not publicly accessible.',
      unknown:
        '{{kind}} {{db}} is publicly accessible and security group(s) {{groups}} admit {{rules}}; the entries of ' +
        '{{prefixLists}} were not collected, so whether its port tcp {{port}} is open to the internet is unknown.',
    },
    needs: ['securityGroups', 'dbClusters', 'dbInstances', 'prefixLists'],
  },
  check({ graph, report, pass }) {
    for (const scope of graph.scopes) {
      for (const db of databases(scope)) {
        if (db.publiclyAccessible === undefined) continue;
        const resource: ResourceRef = { type: db.kind, id: db.id, ...(db.arn ? { arn: db.arn } : {}) };
        const port = db.port ?? defaultEnginePort(db.engine);
        const base = { accountId: scope.accountId, region: scope.region, resource, related: db.groups.map(sgRef) };
        const data = { kind: db.kind === 'db-instance' ? 'DB instance' : 'DB cluster', db: db.id, port: port ?? 'any' };
        if (!db.publiclyAccessible) {
          pass('notPublic', () => ({ ...base, data }));
          continue;
        }
        const admits = (e: RuleEntry) => (port === undefined ? carries(e, 'tcp') : coversPort(e, 'tcp', port));
        const open = db.groups.flatMap((g) => worldIngress(g).filter(admits));
        if (open.length) {
          const modify = noPublicAccessCommand(scope.region, db.kind, db.id);
          report({
            ...base,
            status: 'fail',
            messageId: 'open',
            data: {
              ...data,
              groups: [...new Set(open.map((e) => e.group.id))].join(', '),
              sources: describeSources(open),
            },
            remediation: [modify, ...revokeCommands(open)],
            // The real path decides: reachable keeps the severity and carries the path to the database's
            // interface, unreachable lowers it with what blocks it, unknown (network data not collected) keeps it.
            exposure: exposureOfResource(
              graph,
              resource,
              open,
              port === undefined ? { protocol: 'tcp' } : tcpPortsQuery([port]),
              scope,
            ),
          });
        } else {
          const unknown = db.groups.flatMap((g) => g.ingress.filter((e) => isUnknownSource(e.source) && admits(e)));
          if (unknown.length) {
            const lists = [
              ...new Set(unknown.flatMap((e) => (e.source.kind === 'prefixList' ? [e.source.prefixListId] : []))),
            ];
            report({
              ...base,
              status: 'error',
              messageId: 'unknown',
              data: {
                ...data,
                groups: [...new Set(unknown.map((e) => e.group.id))].join(', '),
                rules: describeRulesWithSources(unknown),
                prefixLists: lists.join(', '),
              },
              remediation: lists.map((id) => prefixListEntriesCommand(scope.region, id)),
            });
          } else if (db.groupIds.every((id) => graph.groupsById.has(id))) {
            pass('publicClosed', () => ({ ...base, data }));
          }
        }
      }
    }
  },
});

/**
 * DB instances (Aurora members with their cluster's groups and port), and clusters that carry their own
 * PubliclyAccessible flag (Multi-AZ DB clusters; Aurora clusters do not) when none of their members is in
 * the snapshot.
 */
function databases(scope: Scope): Db[] {
  const clusters = new Map(scope.dbClusters.map((c) => [c.cluster.id, c]));
  const out: Db[] = [];
  for (const n of scope.dbInstances) {
    const i = n.instance;
    const c = i.clusterId ? clusters.get(i.clusterId) : undefined;
    const own = i.securityGroups.length > 0;
    out.push({
      kind: 'db-instance',
      id: i.id,
      arn: i.arn,
      engine: i.engine,
      port: i.port ?? c?.cluster.port,
      publiclyAccessible: i.publiclyAccessible,
      groupIds: own ? i.securityGroups : (c?.cluster.securityGroups ?? []),
      groups: own ? n.groups : (c?.groups ?? []),
    });
  }
  const withMembers = new Set(scope.dbInstances.flatMap((n) => (n.instance.clusterId ? [n.instance.clusterId] : [])));
  for (const c of scope.dbClusters) {
    // Members already speak for their cluster.
    if (c.cluster.publiclyAccessible === undefined || withMembers.has(c.cluster.id)) continue;
    const x = c.cluster;
    out.push({
      kind: 'db-cluster',
      id: x.id,
      arn: x.arn,
      engine: x.engine,
      port: x.port,
      publiclyAccessible: x.publiclyAccessible,
      groupIds: x.securityGroups,
      groups: c.groups,
    });
  }
  return out;
}
