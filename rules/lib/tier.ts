/**
 * Helpers shared by the tier rules (data-tier-sg, web-tier-sg, aurora-sg): resource labels, database
 * ports, picking a nearby source group, and filled-in AWS CLI remediation commands. Group references
 * (`sgRef`, `relatedOf`) live in resources.ts, revoke commands in aws-cli.ts.
 * Pure functions over the graph; no AWS client, no I/O.
 */
import type { Settings, Tier } from '../../src/config/schema.js';
import type { PassDetails, ResourceRef, RuleReport } from '../../src/engine/types.js';
import type { Exposure } from '../../src/exposure/types.js';
import type { Attachment, Graph, GroupNode, RuleEntry, Scope } from '../../src/graph/model.js';
import { describePorts, describeSource } from '../../src/graph/query.js';
import { arg, authorizeIngressCommand, authorizeTcpCommand, awsCommand, type Arg } from './aws-cli.js';
import { attachmentRef, dbRef, relatedOf, sgRef } from './resources.js';

export function uniqueRefs(refs: ResourceRef[]): ResourceRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.type}:${r.arn ?? r.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Short label of a resource for messages: `db-cluster orders-aurora`, `network-interface eni-1 (i-1)`. */
export function resourceLabel(r: ResourceRef): string {
  return r.name && r.name !== r.id ? `${r.type} ${r.id} (${r.name})` : `${r.type} ${r.id}`;
}

/** The default endpoint port of an RDS engine, when the snapshot did not record one. */
export function defaultEnginePort(engine: string): number | undefined {
  const e = engine.toLowerCase();
  if (e === 'aurora' || e.includes('mysql') || e.includes('mariadb')) return 3306;
  if (e.includes('postgres')) return 5432;
  if (e.startsWith('oracle')) return 1521;
  if (e.startsWith('sqlserver')) return 1433;
  if (e.startsWith('db2')) return 50000;
  return undefined;
}

export interface DbEndpoint {
  ref: ResourceRef;
  port: number;
}

/** For each group attached to an RDS/Aurora cluster or instance: the DBs it protects and their endpoint ports. */
export function dbEndpointsByGroup(graph: Graph): Map<GroupNode, DbEndpoint[]> {
  const out = new Map<GroupNode, DbEndpoint[]>();
  const add = (groups: GroupNode[], ref: ResourceRef, port: number | undefined) => {
    if (port === undefined) return;
    for (const g of groups) {
      const list = out.get(g);
      if (list) list.push({ ref, port });
      else out.set(g, [{ ref, port }]);
    }
  };
  for (const scope of graph.scopes) {
    for (const c of scope.dbClusters) {
      add(
        c.groups,
        dbRef('db-cluster', c.cluster.id, c.cluster.arn),
        c.cluster.port ?? defaultEnginePort(c.cluster.engine),
      );
    }
    for (const i of scope.dbInstances) {
      add(
        i.groups,
        dbRef('db-instance', i.instance.id, i.instance.arn),
        i.instance.port ?? defaultEnginePort(i.instance.engine),
      );
    }
  }
  return out;
}

/** `tcp 3306`, `tcp 3306 or 5432`, `tcp 3306, 1433, 1521 or 5432`. */
export function describeTcpPorts(ports: number[]): string {
  if (ports.length <= 1) return `tcp ${ports.join('')}`;
  return `tcp ${ports.slice(0, -1).join(', ')} or ${ports[ports.length - 1]}`;
}

/** Does an ingress entry come from a group that is in the estate and carries `tier`? */
export function fromTierGroup(e: RuleEntry, tier: Tier): boolean {
  return e.source.kind === 'group' && e.source.target !== undefined && e.source.target.tiers.includes(tier);
}

/** A load balancer's group: tagged for the lb tier itself, or attached to a load balancer tagged for the lb tier. */
export function isLoadBalancerGroup(g: GroupNode): boolean {
  return g.tiers.includes('lb') || g.attachments.some((a) => a.kind === 'loadBalancers' && a.tiers.includes('lb'));
}

/**
 * The candidate closest to `g`: same VPC and scope, then same VPC (shared VPCs span accounts), then same
 * account and region. `undefined` when none is near enough to be referenced.
 */
export function pickNear(g: GroupNode, candidates: GroupNode[]): GroupNode | undefined {
  const idx = nearIndex(candidates);
  const first = (list: GroupNode[] | undefined) => (list ? (list[0] !== g ? list[0] : list[1]) : undefined);
  const vpc = g.vpcId;
  return (
    (vpc !== undefined
      ? (first(idx.byScopeVpc.get(`${g.scope.key}|${vpc}`)) ?? first(idx.byVpc.get(vpc)))
      : undefined) ?? first(idx.byScope.get(g.scope.key))
  );
}

interface NearIndex {
  byScopeVpc: Map<string, GroupNode[]>;
  byVpc: Map<string, GroupNode[]>;
  byScope: Map<string, GroupNode[]>;
}

/** Buckets of `candidates` in their original order, built once per candidate list (pickNear is linear). */
const nearIndexes = new WeakMap<GroupNode[], NearIndex>();

function nearIndex(candidates: GroupNode[]): NearIndex {
  let idx = nearIndexes.get(candidates);
  if (idx) return idx;
  idx = { byScopeVpc: new Map(), byVpc: new Map(), byScope: new Map() };
  const add = (m: Map<string, GroupNode[]>, k: string, c: GroupNode) => {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of candidates) {
    if (c.vpcId !== undefined) {
      add(idx.byScopeVpc, `${c.scope.key}|${c.vpcId}`, c);
      add(idx.byVpc, c.vpcId, c);
    }
    add(idx.byScope, c.scope.key, c);
  }
  nearIndexes.set(candidates, idx);
  return idx;
}

// ---------------------------------------------------------------------------------------------------
// Remediation commands (AWS CLI v2), built by aws-cli.ts: every value checked and shell-quoted.

/**
 * `aws ec2 authorize-security-group-ingress` for tcp `port` from `source` (a group, or a placeholder such
 * as `<app-tier-sg-id>`). A source group in another account is referenced with its `UserId`.
 */
export function authorizeFromGroup(
  region: string,
  groupId: string,
  accountId: string,
  port: number,
  source: GroupNode | string,
): string {
  if (typeof source !== 'string' && source.accountId !== accountId) {
    return authorizeIngressCommand(region, groupId, [
      {
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        UserIdGroupPairs: [{ GroupId: source.id, UserId: source.accountId }],
      },
    ]);
  }
  return authorizeTcpCommand(region, groupId, port, { group: typeof source === 'string' ? source : source.id });
}

/** Tag keys and values the AWS CLI shorthand `Key=K,Value=V` carries as they are; others go as JSON. */
const SHORTHAND_SAFE = /^[A-Za-z0-9_.:/+@-]+$/;

/**
 * `Key=Tier,Value=data` from the first matcher of the tier (key-only matchers give `Key=K`); a key or value
 * with characters the shorthand gives a meaning to (`,`, `=`, quotes, spaces…) as `[{"Key":…,"Value":…}]`
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html).
 */
export function tierTagArg(settings: Settings, tier: Tier): Arg {
  const m = settings.tiers[tier][0];
  if (!m) return arg.text(`Key=<${tier}-tier-tag>,Value=<${tier}-tier-value>`);
  const plain = SHORTHAND_SAFE.test(m.key) && (m.value === undefined || SHORTHAND_SAFE.test(m.value));
  if (!plain)
    return arg.text(JSON.stringify([m.value === undefined ? { Key: m.key } : { Key: m.key, Value: m.value }]));
  return arg.text(m.value === undefined ? `Key=${m.key}` : `Key=${m.key},Value=${m.value}`);
}

/** Command that puts `sgId` on a resource (replacing its groups, as the Conformity remediation does). */
export function attachCommand(region: string, a: Attachment, sgId: string): string {
  const r = arg.region(region);
  const sg = arg.group(sgId);
  switch (a.kind) {
    case 'networkInterfaces':
      return awsCommand('ec2', 'modify-network-interface-attribute', {
        '--region': r,
        '--network-interface-id': arg.networkInterface(a.id, false),
        '--groups': sg,
      });
    case 'loadBalancers':
      return awsCommand('elbv2', 'set-security-groups', {
        '--region': r,
        '--load-balancer-arn': arg.loadBalancerArn(a.arn ?? `<${a.id}-arn>`),
        '--security-groups': sg,
      });
    case 'dbClusters':
      return awsCommand('rds', 'modify-db-cluster', {
        '--region': r,
        '--db-cluster-identifier': arg.dbCluster(a.id),
        '--vpc-security-group-ids': sg,
        '--apply-immediately': true,
      });
    case 'dbInstances':
      return awsCommand('rds', 'modify-db-instance', {
        '--region': r,
        '--db-instance-identifier': arg.dbInstance(a.id),
        '--vpc-security-group-ids': sg,
        '--apply-immediately': true,
      });
  }
}

/** The VPC of each tier resource of a scope, from the resource itself or the groups it uses. */
export function resourceVpcs(scope: Scope): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const key = (kind: Attachment['kind'], id: string) => `${kind}:${id}`;
  for (const n of scope.networkInterfaces)
    out.set(key('networkInterfaces', n.eni.id), n.eni.vpcId ?? n.groups[0]?.vpcId);
  for (const n of scope.loadBalancers) out.set(key('loadBalancers', n.lb.name), n.lb.vpcId ?? n.groups[0]?.vpcId);
  for (const n of scope.dbClusters) out.set(key('dbClusters', n.cluster.id), n.groups[0]?.vpcId);
  for (const n of scope.dbInstances) out.set(key('dbInstances', n.instance.id), n.groups[0]?.vpcId);
  return out;
}

/**
 * Remediation for "tier resources exist but no security group is tagged for the tier": per VPC, create
 * the group, allow `port` from `source` (a group or placeholder), tag it, and attach it to the resources.
 */
export function createTierGroupCommands(args: {
  scope: Scope;
  settings: Settings;
  tier: Tier;
  resources: Attachment[];
  port: number;
  sourceFor: (vpcId: string | undefined) => GroupNode | string;
  description: string;
}): string[] {
  const { scope, tier } = args;
  const vpcOf = resourceVpcs(scope);
  const byVpc = new Map<string | undefined, Attachment[]>();
  for (const a of args.resources) {
    const vpc = vpcOf.get(`${a.kind}:${a.id}`);
    const list = byVpc.get(vpc);
    if (list) list.push(a);
    else byVpc.set(vpc, [a]);
  }
  const cmds: string[] = [];
  for (const [vpc, resources] of byVpc) {
    const newId = byVpc.size > 1 && vpc ? `<new-${tier}-tier-sg-id-${vpc}>` : `<new-${tier}-tier-sg-id>`;
    cmds.push(
      awsCommand('ec2', 'create-security-group', {
        '--region': arg.region(scope.region),
        '--group-name': arg.text(`${tier}-tier`),
        '--description': arg.text(args.description),
        '--vpc-id': arg.vpc(vpc ?? '<vpc-id>'),
      }),
      authorizeFromGroup(scope.region, newId, scope.accountId, args.port, args.sourceFor(vpc)),
      awsCommand('ec2', 'create-tags', {
        '--region': arg.region(scope.region),
        '--resources': arg.group(newId),
        '--tags': tierTagArg(args.settings, tier),
      }),
      ...uniqueAttachments(resources).map((a) => attachCommand(scope.region, a, newId)),
    );
  }
  return cmds;
}

function uniqueAttachments(list: Attachment[]): Attachment[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.kind}:${a.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Labels of tier resources for messages, capped so a message stays one sentence. */
export function listResources(resources: Attachment[], max = 5): string {
  const labels = [...new Set(resources.map((a) => resourceLabel(attachmentRef(a))))];
  return labels.length <= max
    ? labels.join(', ')
    : `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}

/** `tcp 3306 from 0.0.0.0/0` style pieces for finding data. */
export function entryData(e: RuleEntry): { ports: string; source: string } {
  const s = e.source;
  const source = s.kind === 'prefixList' ? `prefix list ${describeSource(s)}` : describeSource(s);
  return { ports: describePorts(e), source };
}

/**
 * A compliant tier group's pass: the ports and sources of the entries that give it its tier access
 * (data-tier-sg: from the app tier; web-tier-sg: from the load balancers).
 */
export function compliantTierPass(g: GroupNode, entries: readonly RuleEntry[]): PassDetails {
  return {
    accountId: g.accountId,
    region: g.region,
    resource: sgRef(g),
    related: relatedOf(g),
    data: {
      groupId: g.id,
      groupName: g.name,
      ports: [...new Set(entries.map(describePorts))].join(', '),
      sources: [...new Set(entries.map((e) => entryData(e).source))].join(', '),
    },
  };
}

/**
 * Where a tier rule applies: `checkGroup` runs on each group tagged for `tier`; a scope with tier-tagged
 * resources but no such group gets `noGroup(scope, resources)`, unless its groups were not listed (then
 * the collection error says why; a missing group cannot be told apart). Scopes with neither are not
 * applicable.
 */
export function forEachTierScope(
  graph: Graph,
  tier: Tier,
  checkGroup: (g: GroupNode) => void,
  noGroup: (scope: Scope, resources: Attachment[]) => void,
): void {
  for (const scope of graph.scopes) {
    const groups = scope.groupsByTier[tier];
    if (groups.length > 0) {
      for (const g of groups) checkGroup(g);
      continue;
    }
    const resources = scope.resourcesByTier[tier];
    if (resources.length > 0 && scope.collected.has('securityGroups')) noGroup(scope, resources);
  }
}

/**
 * A tier group's failing finding (data-tier-sg, web-tier-sg): the group as resource, what it protects as
 * related, and the exposure of the entry it is about when the rule computed one.
 */
export function tierGroupFailure<M extends string>(
  g: GroupNode,
  messageId: M,
  data: Record<string, string | number>,
  remediation: string[],
  exposure?: Exposure,
): RuleReport<M> {
  return {
    status: 'fail',
    messageId,
    accountId: g.accountId,
    region: g.region,
    resource: sgRef(g),
    related: relatedOf(g),
    data,
    remediation,
    ...(exposure ? { exposure } : {}),
  };
}

/**
 * The failing finding for an account/region that has tier-tagged resources but no security group tagged
 * for the tier, with the commands to create one (source group: one of `sources` in the same VPC, else
 * any, else `placeholder`).
 */
export function noTierGroupReport(args: {
  scope: Scope;
  settings: Settings;
  tier: Tier;
  resources: Attachment[];
  port: number;
  sources: GroupNode[];
  placeholder: string;
  description: string;
}): RuleReport<'noTierGroup'> {
  const { scope, resources, sources, placeholder } = args;
  return {
    status: 'fail',
    messageId: 'noTierGroup',
    accountId: scope.accountId,
    region: scope.region,
    resource: { type: 'account-region', id: scope.key },
    related: uniqueRefs(resources.map(attachmentRef)),
    data: { accountId: scope.accountId, region: scope.region, resources: listResources(resources) },
    remediation: createTierGroupCommands({
      scope,
      settings: args.settings,
      tier: args.tier,
      resources,
      port: args.port,
      sourceFor: (vpc) => sources.find((g) => vpc !== undefined && g.vpcId === vpc) ?? sources[0] ?? placeholder,
      description: args.description,
    }),
  };
}
