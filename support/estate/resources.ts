/**
 * Phase 3 of the generator: what the groups are attached to — load balancers, Aurora clusters and
 * instances, standalone RDS instances, instance and Lambda ENIs — with tier tags on a share of them.
 */
import type { DbCluster, DbInstance, LoadBalancer, NetworkInterface } from '../../src/snapshot/schema.js';
import { TEAMS, type Ids, type Role, type ScopeState, type SgShell, type Vpc } from './model.js';
import type { Prng } from './prng.js';

const DB_ENGINES: ReadonlyArray<readonly [engine: string, port: number]> = [
  ['mysql', 3306],
  ['postgres', 5432],
  ['sqlserver-se', 1433],
  ['oracle-ee', 1521],
  ['mariadb', 3306],
];

export function makeResources(rng: Prng, ids: Ids, s: ScopeState, enisPerSg: number): void {
  const { rs, accountId, region } = s;
  if (s.vpcs.length === 0) return;
  const tierTag = (tier: string, p: number): Record<string, string> => (rng.chance(p) ? { Tier: tier } : {});
  const pickRole = (vpc: Vpc, roles: Role[]): SgShell | undefined => {
    const lists = roles.map((r) => vpc.byRole.get(r) ?? []).filter((l) => l.length > 0);
    return lists.length ? rng.pick(rng.pick(lists)) : undefined;
  };
  const eni = (vpc: Vpc, groups: string[], extra: Partial<NetworkInterface>): NetworkInterface => {
    const made: NetworkInterface = {
      id: ids.next('eni'),
      groups,
      interfaceType: 'interface',
      status: 'in-use',
      vpcId: vpc.id,
      tags: {},
      ...extra,
    };
    rs.networkInterfaces.push(made);
    return made;
  };

  // Load balancers (~3% of the group count) with two ENIs each.
  const nLb = Math.max(1, Math.round(s.count * 0.03));
  for (let i = 0; i < nLb; i++) {
    const vpc = rng.pick(s.vpcs);
    const type = rng.chance(0.85) ? 'application' : 'network';
    const groups: string[] = [];
    if (type === 'application' || rng.chance(0.5)) {
      const g = pickRole(vpc, ['lb']) ?? rng.pick(vpc.all);
      groups.push(g.sg.groupId);
      if (rng.chance(0.2)) groups.push(rng.pick(vpc.all).sg.groupId);
    }
    const uniq = [...new Set(groups)];
    const name = `${rng.pick(TEAMS)}-${type === 'application' ? 'alb' : 'nlb'}-${i}`;
    const suffix = rng.hex(16);
    const lb: LoadBalancer = {
      arn: `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${type === 'application' ? 'app' : 'net'}/${name}/${suffix}`,
      name,
      type,
      scheme: rng.chance(0.6) ? 'internet-facing' : 'internal',
      vpcId: vpc.id,
      securityGroups: uniq,
      tags: tierTag('lb', 0.6),
    };
    rs.loadBalancers.push(lb);
    for (let k = 0; k < 2; k++) {
      const made = eni(vpc, uniq, {
        description: `ELB ${type === 'application' ? 'app' : 'net'}/${name}/${suffix}`,
        interfaceType: type === 'application' ? 'interface' : 'network_load_balancer',
        requesterId: 'amazon-elb',
        requesterManaged: true,
      });
      s.enis.push({ eni: made, vpc, kind: 'lb', lb });
    }
  }

  // Aurora clusters (~1%) with two member instances each, and standalone instances (~1%).
  const nClusters = Math.max(1, Math.round(s.count * 0.01));
  for (let i = 0; i < nClusters; i++) {
    const vpc = rng.pick(s.vpcs);
    const g = pickRole(vpc, ['data']) ?? rng.pick(vpc.all);
    const mysql = g.dbPort === 3306 || (g.dbPort !== 5432 && rng.chance(0.5));
    const engine = mysql ? 'aurora-mysql' : 'aurora-postgresql';
    const port = mysql ? 3306 : 5432;
    const id = `${rng.pick(TEAMS)}-aurora-${i}`;
    const groups = rng.chance(0.15) ? [...new Set([g.sg.groupId, rng.pick(vpc.all).sg.groupId])] : [g.sg.groupId];
    const members = [`${id}-instance-1`, `${id}-instance-2`];
    const tags = tierTag('data', 0.6);
    const encrypted = rng.chance(0.9);
    const cluster: DbCluster = {
      id,
      arn: `arn:aws:rds:${region}:${accountId}:cluster:${id}`,
      engine,
      port,
      securityGroups: groups,
      publiclyAccessible: false,
      storageEncrypted: encrypted,
      members,
      tags,
    };
    rs.dbClusters.push(cluster);
    for (const m of members) {
      const inst: DbInstance = {
        id: m,
        arn: `arn:aws:rds:${region}:${accountId}:db:${m}`,
        engine,
        port,
        clusterId: id,
        securityGroups: groups,
        publiclyAccessible: rng.chance(0.03),
        storageEncrypted: encrypted,
        tags,
      };
      rs.dbInstances.push(inst);
      const made = eni(vpc, groups, {
        description: 'RDSNetworkInterface',
        requesterId: 'amazon-rds',
        requesterManaged: true,
      });
      s.enis.push({ eni: made, vpc, kind: 'db', db: inst });
    }
  }
  const nInstances = Math.max(1, Math.round(s.count * 0.01));
  for (let i = 0; i < nInstances; i++) {
    const vpc = rng.pick(s.vpcs);
    const g = pickRole(vpc, ['data']) ?? rng.pick(vpc.all);
    const [engine, port] = DB_ENGINES.find(([, p]) => p === g.dbPort) ?? rng.pick(DB_ENGINES);
    const id = `${rng.pick(TEAMS)}-${engine.split('-')[0]}-${i}`;
    const db: DbInstance = {
      id,
      arn: `arn:aws:rds:${region}:${accountId}:db:${id}`,
      engine,
      port,
      securityGroups: [g.sg.groupId],
      publiclyAccessible: rng.chance(0.05),
      storageEncrypted: rng.chance(0.85),
      tags: tierTag('data', 0.5),
    };
    rs.dbInstances.push(db);
    const made = eni(vpc, [g.sg.groupId], {
      description: 'RDSNetworkInterface',
      requesterId: 'amazon-rds',
      requesterManaged: true,
    });
    s.enis.push({ eni: made, vpc, kind: 'db', db });
  }

  // Instance and Lambda ENIs: `enisPerSg` per group overall.
  const nEni = Math.max(0, Math.round(s.count * enisPerSg) - rs.networkInterfaces.length);
  for (let i = 0; i < nEni; i++) {
    const vpc = rng.pick(s.vpcs);
    const primary =
      pickRole(vpc, rng.chance(0.7) ? ['web', 'app'] : ['misc', 'bastion', 'default']) ?? rng.pick(vpc.all);
    const groups = [primary.sg.groupId];
    const extra = rng.weighted([
      [0, 70],
      [1, 25],
      [2, 5],
    ] as const);
    for (let k = 0; k < extra; k++) groups.push(rng.pick(vpc.all).sg.groupId);
    const lambda = rng.chance(0.1);
    const tier = primary.role === 'web' || primary.role === 'app' ? primary.role : undefined;
    const made = eni(vpc, [...new Set(groups)], {
      interfaceType: lambda ? 'lambda' : 'interface',
      description: lambda ? `AWS Lambda VPC ENI-${rng.pick(TEAMS)}-fn-${i}` : 'Primary network interface',
      status: rng.chance(0.95) ? 'in-use' : 'available',
      ...(lambda ? { requesterId: 'AROAEXAMPLE:lambda', requesterManaged: true } : {}),
      // Each instance's one interface is its primary (device index 0: "Elastic network interfaces",
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html).
      ...(!lambda
        ? { attachment: { instanceId: ids.next('i'), instanceOwnerId: accountId, deviceIndex: 0, status: 'attached' } }
        : {}),
      tags: tier ? tierTag(tier, 0.5) : {},
    });
    s.enis.push({ eni: made, vpc, kind: lambda ? 'lambda' : 'instance', role: primary.role });
  }
}
