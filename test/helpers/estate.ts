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
  NETWORK_KINDS,
  newSnapshot,
  RESOURCE_KINDS,
  type DbCluster,
  type DbInstance,
  type EgressOnlyInternetGateway,
  type InternetGateway,
  type Listener,
  type ListenerRule,
  type LoadBalancer,
  type NetworkAcl,
  type NetworkAclEntry,
  type NetworkInterface,
  type Permission,
  type PrefixList,
  type RegionSnapshot,
  type ResourceKind,
  type Route,
  type RouteTable,
  type SecurityGroup,
  type Snapshot,
  type Subnet,
  type Target,
  type TargetGroup,
  type Vpc,
  type VpcPeeringConnection,
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

/** Network options of `eni(id, {…})`: the v2 address data is filled in (an address list, possibly empty). */
export interface EniOptions extends Partial<Omit<NetworkInterface, 'groups'>> {
  groups?: string[];
  tier?: string;
  /** The primary private IPv4 (default: one derived from the id, in 10.0.0.0/16). */
  privateIp?: string;
  /** Secondary private IPv4 addresses, each with an optional Elastic IP. */
  secondary?: { address: string; publicIp?: string }[];
  /** Global or other IPv6 addresses (`ipv6Addresses`). */
  ipv6?: string[];
  instanceId?: string;
  /** `attachment.deviceIndex` (when the schema has it): 0 is the instance's primary interface. */
  deviceIndex?: number;
}

/**
 * eni('eni-1', ['sg-1'], { attachment: … }) — the v1 shape (no subnet, no address data);
 * eni('eni-1', { subnetId: 'subnet-pub', groups: ['sg-1'], publicIp: '198.51.100.1', instanceId: 'i-1' }) — with
 * the network data a v2 snapshot holds (VPC vpc-1 unless given, privateIpAddresses and ipv6Addresses set).
 */
export function eni(id: string, groups: string[], o?: Partial<NetworkInterface> & { tier?: string }): NetworkInterface;
export function eni(id: string, o: EniOptions): NetworkInterface;
export function eni(
  id: string,
  groupsOrOptions: string[] | EniOptions,
  o: Partial<NetworkInterface> & { tier?: string } = {},
): NetworkInterface {
  if (Array.isArray(groupsOrOptions)) {
    const { tier, ...rest } = o;
    return { id, groups: groupsOrOptions, interfaceType: 'interface', tags: tier ? { Tier: tier } : {}, ...rest };
  }
  const { groups, tier, privateIp, secondary, ipv6, instanceId, deviceIndex, publicIp, ...rest } = groupsOrOptions;
  const primary = { address: privateIp ?? addressOf(id), primary: true, ...(publicIp ? { publicIp } : {}) };
  const attachment = instanceId
    ? { instanceId, status: 'attached', ...(deviceIndex !== undefined ? { deviceIndex } : {}) }
    : undefined;
  return {
    id,
    groups: groups ?? [],
    interfaceType: 'interface',
    vpcId: 'vpc-1',
    ...(publicIp ? { publicIp } : {}),
    privateIpAddresses: [primary, ...(secondary ?? []).map((a) => ({ ...a, primary: false }))],
    ipv6Addresses: ipv6 ?? [],
    ...(attachment ? { attachment } : {}),
    tags: tier ? { Tier: tier } : {},
    ...rest,
  };
}

/** A stable private address for an id: 10.0.x.y with x, y from a hash of the id. */
function addressOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.0.${(h >>> 8) % 256}.${(h % 250) + 4}`;
}

// ---- network (snapshot v2): VPCs, subnets, gateways, route tables, ACLs ----

export function vpc(id = 'vpc-1', o: { cidr?: string; ipv6?: string[]; isDefault?: boolean } = {}): Vpc {
  const cidr = o.cidr ?? '10.0.0.0/16';
  return {
    id,
    cidrBlock: cidr,
    cidrBlocks: [cidr],
    ipv6CidrBlocks: o.ipv6 ?? [],
    isDefault: o.isDefault ?? false,
    ownerId: ACCOUNT,
    tags: {},
  };
}

export function subnet(id: string, o: { vpcId?: string; cidr?: string; ipv6?: string[]; az?: string } = {}): Subnet {
  return {
    id,
    vpcId: o.vpcId ?? 'vpc-1',
    cidrBlock: o.cidr ?? '10.0.1.0/24',
    ipv6CidrBlocks: o.ipv6 ?? [],
    availabilityZone: o.az ?? `${REGION}a`,
    tags: {},
  };
}

/** An internet gateway attached (`available`) to the VPC, unless `state` says otherwise. */
export function igw(id = 'igw-1', vpcId = 'vpc-1', state = 'available'): InternetGateway {
  return { id, attachments: vpcId ? [{ vpcId, state }] : [], ownerId: ACCOUNT, tags: {} };
}

export function eigw(id = 'eigw-1', vpcId = 'vpc-1'): EgressOnlyInternetGateway {
  return { id, attachments: [{ vpcId, state: 'attached' }], tags: {} };
}

/**
 * route('0.0.0.0/0', 'igw-1'), route('::/0', 'eigw-1'), route('pl-1', 'igw-1'), route('10.0.0.0/16', 'local');
 * the target's prefix picks the field (igw-/vgw-/vpce-/local: gatewayId; eigw-, nat-, tgw-, pcx-, eni-, i-).
 */
export function route(
  destination: string,
  target: string,
  o: { state?: Route['state']; origin?: Route['origin'] } = {},
): Route {
  const r: Route = { state: o.state ?? 'active', origin: o.origin ?? 'CreateRoute' };
  if (destination.startsWith('pl-')) r.destinationPrefixListId = destination;
  else if (destination.includes(':')) r.destinationIpv6Cidr = destination;
  else r.destinationCidr = destination;
  if (target.startsWith('eigw-')) r.egressOnlyInternetGatewayId = target;
  else if (target.startsWith('nat-')) r.natGatewayId = target;
  else if (target.startsWith('tgw-')) r.transitGatewayId = target;
  else if (target.startsWith('pcx-')) r.vpcPeeringConnectionId = target;
  else if (target.startsWith('eni-')) r.networkInterfaceId = target;
  else if (target.startsWith('i-')) r.instanceId = target;
  else r.gatewayId = target;
  return r;
}

/** A blackhole route (its target deleted). */
export const blackhole = (destination: string, target: string): Route =>
  route(destination, target, { state: 'blackhole' });

/** A route table; the VPC's local route (vpcCidr, default 10.0.0.0/16) comes first, as AWS creates it. */
export function routeTable(
  id: string,
  o: { vpcId?: string; main?: boolean; subnetIds?: string[]; routes?: Route[]; vpcCidr?: string } = {},
): RouteTable {
  const local = route(o.vpcCidr ?? '10.0.0.0/16', 'local', { origin: 'CreateRouteTable' });
  return {
    id,
    vpcId: o.vpcId ?? 'vpc-1',
    main: o.main ?? false,
    subnetIds: o.subnetIds ?? [],
    routes: [local, ...(o.routes ?? [])],
    tags: {},
  };
}

type AclProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | number;
const ACL_PROTOCOLS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };

/** An ACL rule; its direction comes from the list acl() finds it in. */
export type AclRule = Omit<NetworkAclEntry, 'egress'>;

/**
 * aclRule(100, 'deny', 'tcp', 22, '0.0.0.0/0'), aclRule(110, 'allow', 'tcp', [1024, 65535]),
 * aclRule(120, 'allow', 'all', undefined, '::/0'), aclRule(130, 'allow', 'icmp', { type: 8, code: -1 }).
 */
export function aclRule(
  ruleNumber: number,
  action: 'allow' | 'deny',
  protocol: AclProtocol,
  ports?: number | [number, number] | { type: number; code: number },
  cidr = '0.0.0.0/0',
): AclRule {
  const e: AclRule = {
    ruleNumber,
    ruleAction: action,
    protocol: typeof protocol === 'number' ? String(protocol) : ACL_PROTOCOLS[protocol],
  };
  if (cidr.includes(':')) e.ipv6CidrBlock = cidr;
  else e.cidrBlock = cidr;
  if (typeof ports === 'number') e.portRange = { from: ports, to: ports };
  else if (Array.isArray(ports)) e.portRange = { from: ports[0], to: ports[1] };
  else if (ports) e.icmpTypeCode = ports;
  return e;
}

/** The rules of AWS's default network ACL, each way: 100 allows all IPv4, 101 all IPv6. */
export const ALLOW_ALL: AclRule[] = [aclRule(100, 'allow', 'all'), aclRule(101, 'allow', 'all', undefined, '::/0')];

/**
 * A network ACL; `inbound` / `outbound` default to the default ACL's allow-all rules
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html); the `*` deny (rule 32767) of each
 * family and direction is appended, as DescribeNetworkAcls returns it.
 */
export function acl(
  id: string,
  o: { vpcId?: string; subnetIds?: string[]; inbound?: AclRule[]; outbound?: AclRule[]; isDefault?: boolean } = {},
): NetworkAcl {
  const star = [aclRule(32767, 'deny', 'all'), aclRule(32767, 'deny', 'all', undefined, '::/0')];
  const entries = (rules: AclRule[], egress: boolean) => [...rules, ...star].map((r) => ({ ...r, egress }));
  return {
    id,
    vpcId: o.vpcId ?? 'vpc-1',
    isDefault: o.isDefault ?? (o.inbound === undefined && o.outbound === undefined),
    subnetIds: o.subnetIds ?? [],
    entries: [...entries(o.inbound ?? ALLOW_ALL, false), ...entries(o.outbound ?? ALLOW_ALL, true)],
    tags: {},
  };
}

/** The network kinds of a region, as `region()` takes them (spread several with `network()`). */
export interface Network {
  vpcs?: Vpc[];
  subnets?: Subnet[];
  routeTables?: RouteTable[];
  internetGateways?: InternetGateway[];
  egressOnlyInternetGateways?: EgressOnlyInternetGateway[];
  networkAcls?: NetworkAcl[];
  listeners?: Listener[];
  targetGroups?: TargetGroup[];
  vpcPeeringConnections?: VpcPeeringConnection[];
}

/** Concatenates networks kind by kind: network(publicSubnet(), { subnets: [subnet('subnet-b')] }). */
export function network(...parts: Network[]): Required<Network> {
  const out: Required<Network> = {
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    networkAcls: [],
    listeners: [],
    targetGroups: [],
    vpcPeeringConnections: [],
  };
  for (const p of parts) {
    for (const k of Object.keys(out) as (keyof Network)[]) (out[k] as unknown[]).push(...((p[k] ?? []) as unknown[]));
  }
  return out;
}

/**
 * The one-call public subnet: VPC vpc-1 (10.0.0.0/16, 2600:1f18::/56), subnet `subnet-pub` (10.0.1.0/24), igw-1
 * attached, the main route table rtb-main (no explicit association) with 0.0.0.0/0 and ::/0 → igw-1, the default
 * network ACL acl-default (allow all both ways) associated with the subnet. Ids and CIDRs can be changed.
 */
export function publicSubnet(
  o: { vpcId?: string; subnetId?: string; cidr?: string; igwId?: string; rtbId?: string; aclId?: string } = {},
): Required<Network> {
  const vpcId = o.vpcId ?? 'vpc-1';
  const subnetId = o.subnetId ?? 'subnet-pub';
  const igwId = o.igwId ?? 'igw-1';
  return network({
    vpcs: [vpc(vpcId, { ipv6: ['2600:1f18::/56'] })],
    subnets: [subnet(subnetId, { vpcId, cidr: o.cidr ?? '10.0.1.0/24', ipv6: ['2600:1f18::/64'] })],
    internetGateways: [igw(igwId, vpcId)],
    routeTables: [
      routeTable(o.rtbId ?? 'rtb-main', {
        vpcId,
        main: true,
        routes: [route('0.0.0.0/0', igwId), route('::/0', igwId)],
      }),
    ],
    networkAcls: [acl(o.aclId ?? 'acl-default', { vpcId, subnetIds: [subnetId], isDefault: true })],
  });
}

/** Every resource kind but the network ones: a region as a v1 snapshot or a collection without them covers it. */
export const WITHOUT_NETWORK: ResourceKind[] = RESOURCE_KINDS.filter(
  (k) => !(NETWORK_KINDS as readonly string[]).includes(k),
);

/** Every resource kind but these: region({ collected: collectedExcept('networkAcls') }). */
export function collectedExcept(...kinds: ResourceKind[]): ResourceKind[] {
  return RESOURCE_KINDS.filter((k) => !kinds.includes(k));
}

// ---- load balancers (ELBv2): load balancers, their node ENIs, listeners, target groups ----

/**
 * loadBalancer('web', { groups: ['sg-alb'] }) — an internet-facing ALB; `type: 'network'` an NLB (no groups unless
 * given). The ARN is `…:loadbalancer/app|net/<name>/<lbId>`.
 */
export function loadBalancer(
  name: string,
  o: {
    type?: 'application' | 'network';
    scheme?: 'internet-facing' | 'internal';
    groups?: string[];
    vpcId?: string;
    lbId?: string;
    tier?: string;
  } = {},
): LoadBalancer {
  const type = o.type ?? 'application';
  const kind = type === 'network' ? 'net' : 'app';
  return {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${kind}/${name}/${o.lbId ?? '0123456789abcdef'}`,
    name,
    type,
    scheme: o.scheme ?? 'internet-facing',
    vpcId: o.vpcId ?? 'vpc-1',
    securityGroups: o.groups ?? [],
    tags: o.tier ? { Tier: o.tier } : {},
  };
}

/** `app/<name>/<id>` or `net/<name>/<id>`: the ARN's suffix after `loadbalancer/`. */
function lbSuffix(lb: LoadBalancer): string {
  return lb.arn.slice(lb.arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

/**
 * A load balancer node's ENI, as AWS creates it: description `ELB app/<name>/<id>`, requester-managed, the LB's
 * groups, a public IPv4 when `publicIp` is given (internet-facing LBs have one per node).
 */
export function lbEni(id: string, lb: LoadBalancer, o: EniOptions = {}): NetworkInterface {
  return eni(id, {
    subnetId: 'subnet-pub',
    groups: lb.securityGroups,
    description: `ELB ${lbSuffix(lb)}`,
    requesterManaged: true,
    requesterId: 'amazon-elb',
    vpcId: lb.vpcId,
    ...o,
  });
}

/**
 * listener(lb, 443, ['tg-arn']) — default action forwards to the target groups; `rules` more forward rules
 * (each a list of target group ARNs).
 */
export function listener(
  lb: LoadBalancer,
  port: number,
  targetGroupArns: string[] = [],
  o: { protocol?: string; rules?: string[][] } = {},
): Listener {
  const arn = `${lb.arn.replace(':loadbalancer/', ':listener/')}/${port.toString(16).padStart(16, '0')}`;
  const rules: ListenerRule[] = (o.rules ?? []).map((arns, i) => ({
    arn: `${arn.replace(':listener/', ':listener-rule/')}/${i + 1}`,
    priority: String(i + 1),
    isDefault: false,
    actions: [{ type: 'forward', targetGroupArns: arns }],
  }));
  return {
    arn,
    loadBalancerArn: lb.arn,
    protocol: o.protocol ?? (lb.type === 'network' ? 'TCP' : 'HTTP'),
    port,
    defaultActions: targetGroupArns.length ? [{ type: 'forward', targetGroupArns }] : [],
    rules,
  };
}

/** A registered target: target('i-1'), target('10.0.1.20', 8080). */
export function target(id: string, port?: number, health = 'healthy'): Target {
  return { id, ...(port !== undefined ? { port } : {}), health };
}

/** targetGroup('web', { port: 8080, lbs: [lb], targets: [target('i-1')] }); ARN `…:targetgroup/<name>/<id>`. */
export function targetGroup(
  name: string,
  o: {
    port?: number;
    protocol?: string;
    targetType?: 'instance' | 'ip' | 'lambda' | 'alb';
    vpcId?: string;
    lbs?: LoadBalancer[];
    targets?: Target[];
  } = {},
): TargetGroup {
  return {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/fedcba9876543210`,
    name,
    protocol: o.protocol ?? 'HTTP',
    port: o.port ?? 80,
    targetType: o.targetType ?? 'instance',
    vpcId: o.vpcId ?? 'vpc-1',
    loadBalancerArns: (o.lbs ?? []).map((l) => l.arn),
    targets: o.targets ?? [],
  };
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
    /** Default: every kind (WITHOUT_NETWORK or collectedExcept(…) for less). */
    collected?: RegionSnapshot['collected'];
  } & Network = {},
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
    vpcs: parts.vpcs ?? [],
    subnets: parts.subnets ?? [],
    routeTables: parts.routeTables ?? [],
    internetGateways: parts.internetGateways ?? [],
    egressOnlyInternetGateways: parts.egressOnlyInternetGateways ?? [],
    networkAcls: parts.networkAcls ?? [],
    listeners: parts.listeners ?? [],
    targetGroups: parts.targetGroups ?? [],
    vpcPeeringConnections: parts.vpcPeeringConnections ?? [],
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
