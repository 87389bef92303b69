/**
 * Small builders for rule and graph tests: write an estate in a few lines, run rules, and compare
 * findings as compact tuples `[status, ruleId, messageId, resourceId]`.
 */
import { defaultSettings, type Settings } from '../../src/config/schema.js';
import { evaluateRules } from '../../src/engine/evaluate.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import { buildGraph } from '../../src/graph/build.js';
import type { Graph, GroupNode } from '../../src/graph/model.js';
import {
  newSnapshot,
  RESOURCE_KINDS,
  type DbCluster,
  type DbInstance,
  type LoadBalancer,
  type NetworkInterface,
  type Permission,
  type PrefixList,
  type RegionSnapshot,
  type SecurityGroup,
  type Snapshot,
} from '../../src/snapshot/schema.js';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const REGION = 'us-east-1';

type Src = string; // '0.0.0.0/0', '::/0', '10.0.0.0/8', 'pl-123', 'sg-123', '222222222222/sg-123'

function perm(protocol: string, from: number | undefined, to: number | undefined, sources: Src[]): Permission {
  const p: Permission = { protocol, ipv4: [], ipv6: [], prefixLists: [], groups: [] };
  if (from !== undefined) p.fromPort = from;
  if (to !== undefined) p.toPort = to;
  for (const s of sources) {
    if (s.startsWith('pl-')) p.prefixLists.push({ id: s });
    else if (s.startsWith('sg-')) p.groups.push({ groupId: s });
    else if (/^\d{12}\/sg-/.test(s)) {
      const [userId, groupId] = s.split('/');
      p.groups.push({ groupId, userId });
    } else if (s.includes(':')) p.ipv6.push({ cidr: s });
    else p.ipv4.push({ cidr: s });
  }
  return p;
}

/** tcp(3306, 'sg-app'), tcp([0, 65535], '0.0.0.0/0') */
export const tcp = (port: number | [number, number], ...sources: Src[]) =>
  typeof port === 'number' ? perm('tcp', port, port, sources) : perm('tcp', port[0], port[1], sources);
export const udp = (port: number | [number, number], ...sources: Src[]) =>
  typeof port === 'number' ? perm('udp', port, port, sources) : perm('udp', port[0], port[1], sources);
export const all = (...sources: Src[]) => perm('-1', undefined, undefined, sources);
export const icmp = (...sources: Src[]) => perm('icmp', -1, -1, sources);
export const proto = (protocol: string, from: number | undefined, to: number | undefined, ...sources: Src[]) =>
  perm(protocol, from, to, sources);

/** The egress every new SG gets from AWS. */
export const DEFAULT_EGRESS = [all('0.0.0.0/0')];

export function sg(
  groupId: string,
  o: {
    name?: string;
    tags?: Record<string, string>;
    tier?: string;
    vpcId?: string;
    ownerId?: string;
    ingress?: Permission[];
    egress?: Permission[];
  } = {},
): SecurityGroup {
  return {
    groupId,
    groupName: o.name ?? groupId.replace(/^sg-/, ''),
    vpcId: o.vpcId ?? 'vpc-1',
    ...(o.ownerId ? { ownerId: o.ownerId } : {}),
    tags: { ...(o.tier ? { Tier: o.tier } : {}), ...(o.tags ?? {}) },
    ingress: o.ingress ?? [],
    egress: o.egress ?? DEFAULT_EGRESS,
  };
}

export function lb(name: string, groups: string[], o: Partial<LoadBalancer> & { tier?: string } = {}): LoadBalancer {
  const { tier, ...rest } = o;
  return {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/0123456789abcdef`,
    name,
    type: 'application',
    scheme: 'internet-facing',
    securityGroups: groups,
    tags: tier ? { Tier: tier } : {},
    ...rest,
  };
}

export function cluster(id: string, groups: string[], o: Partial<DbCluster> & { tier?: string } = {}): DbCluster {
  const { tier, ...rest } = o;
  return {
    id,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${id}`,
    engine: 'aurora-mysql',
    port: 3306,
    securityGroups: groups,
    members: [],
    publiclyAccessible: false,
    storageEncrypted: true,
    tags: tier ? { Tier: tier } : {},
    ...rest,
  };
}

export function instance(id: string, groups: string[], o: Partial<DbInstance> & { tier?: string } = {}): DbInstance {
  const { tier, ...rest } = o;
  return {
    id,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`,
    engine: 'postgres',
    port: 5432,
    securityGroups: groups,
    publiclyAccessible: false,
    storageEncrypted: true,
    tags: tier ? { Tier: tier } : {},
    ...rest,
  };
}

export function eni(
  id: string,
  groups: string[],
  o: Partial<NetworkInterface> & { tier?: string } = {},
): NetworkInterface {
  const { tier, ...rest } = o;
  return { id, groups, interfaceType: 'interface', tags: tier ? { Tier: tier } : {}, ...rest };
}

export function region(
  parts: {
    accountId?: string;
    region?: string;
    groups?: SecurityGroup[];
    enis?: NetworkInterface[];
    lbs?: LoadBalancer[];
    clusters?: DbCluster[];
    instances?: DbInstance[];
    prefixLists?: PrefixList[];
    errors?: RegionSnapshot['errors'];
    collected?: RegionSnapshot['collected'];
  } = {},
): RegionSnapshot {
  return {
    accountId: parts.accountId ?? ACCOUNT,
    region: parts.region ?? REGION,
    collected: parts.collected ?? [...RESOURCE_KINDS],
    securityGroups: parts.groups ?? [],
    networkInterfaces: parts.enis ?? [],
    loadBalancers: parts.lbs ?? [],
    dbClusters: parts.clusters ?? [],
    dbInstances: parts.instances ?? [],
    prefixLists: parts.prefixLists ?? [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    networkAcls: [],
    listeners: [],
    targetGroups: [],
    errors: parts.errors ?? [],
  };
}

export function snapshot(...regions: RegionSnapshot[]): Snapshot {
  return newSnapshot(regions, '2026-01-01T00:00:00.000Z');
}

export function settingsWith(patch: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), ...patch };
}

/** Default settings with some tier matchers replaced: settingsWithTiers({ app: [{ key: 'Layer', value: 'service' }] }). */
export function settingsWithTiers(tiers: Partial<Settings['tiers']>): Settings {
  return settingsWith({ tiers: { ...defaultSettings().tiers, ...tiers } });
}

export function graphOf(snap: Snapshot, settings: Settings = defaultSettings()): Graph {
  return buildGraph(snap, settings);
}

/** The graph node of group `id` in a one-region estate built from these parts. */
export function groupNode(id: string, parts: Parameters<typeof region>[0]): GroupNode {
  return graphOf(snapshot(region(parts))).groupsById.get(id)!;
}

export function runRules(rules: Rule[], snap: Snapshot, settings: Settings = defaultSettings()): Finding[] {
  return evaluateRules(buildGraph(snap, settings), rules).findings;
}

export type Tuple = [status: string, ruleId: string, messageId: string, resourceId: string];

/** Tuples in the order tuples() returns them (a sorted copy): for expected lists written in any order. */
export function sortTuples(list: Tuple[]): Tuple[] {
  return [...list].sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

/** Findings as sorted tuples: compare the whole list to assert that nothing else fired. */
export function tuples(findings: Finding[]): Tuple[] {
  return sortTuples(findings.map((f) => [f.status, f.ruleId, f.messageId, f.resource.id] as Tuple));
}

/** Shorthand: run one rule and return its tuples. */
export function check(rule: Rule, snap: Snapshot, settings?: Settings): Tuple[] {
  return tuples(runRules([rule], snap, settings));
}
