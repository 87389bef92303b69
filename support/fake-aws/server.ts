/**
 * A small fake AWS endpoint on 127.0.0.1 for integration tests and benchmarks. It speaks the wire
 * protocols the real SDK uses (EC2 query, AWS query for ELBv2/RDS/STS; form-encoded requests, XML
 * responses), so the whole SDK stack runs: serialization, signing, retries, pagination, endpoint
 * resolution via AWS_ENDPOINT_URL.
 *
 * It serves an estate (sg-audit snapshot records) per account/region, validates page-size parameters
 * like AWS does, paginates, injects throttling and failures, and records every Action it receives so a
 * test can prove that nothing but Describe/Get/List (and STS GetCallerIdentity/AssumeRole) is ever sent.
 *
 *   const aws = await startFakeAws({ estates: new Map([['us-east-1', regionSnapshot]]) });
 *   env.AWS_ENDPOINT_URL = aws.url; ...; await aws.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  DbCluster,
  DbInstance,
  EgressOnlyInternetGateway,
  InternetGateway,
  Listener,
  ListenerAction,
  LoadBalancer,
  NetworkAcl,
  NetworkInterface,
  Permission,
  PrefixList,
  RegionSnapshot,
  RouteTable,
  SecurityGroup,
  Subnet,
  TargetGroup,
  Vpc,
  VpcPeeringConnection,
} from '../../src/snapshot/schema.js';

export interface FakeFailure {
  /** `DescribeNetworkInterfaces` or `ec2:DescribeNetworkInterfaces`. */
  action: string;
  region?: string;
  accountId?: string;
  /** HTTP status (default 403). */
  status?: number;
  /** AWS error code, e.g. UnauthorizedOperation, AccessDenied, InternalError. */
  code?: string;
  /** `{accessKeyId}` is replaced by the caller's access key id (as some real AWS messages do). */
  message?: string;
  /** Fail this many times, then succeed (default: every time). */
  times?: number;
  /** Never answer (to exercise client timeouts). */
  hang?: boolean;
}

export type EstateSource =
  Map<string, RegionSnapshot> | ((accountId: string, region: string) => RegionSnapshot | undefined);

export interface FakeAwsOptions {
  /**
   * Resources per region. A Map keyed by `region` (served to `accountId`) or by `accountId/region`;
   * or a function (accountId, region) → region snapshot. Regions without an estate are empty.
   */
  estates?: EstateSource;
  /** Account of the base (non-assumed) credentials. */
  accountId?: string;
  /** Enabled regions DescribeRegions lists (default: the regions of a Map estate, else us-east-1). */
  regions?: string[];
  /** Listed by DescribeRegions as `not-opted-in`; every call there fails with AuthFailure. */
  optedOutRegions?: string[];
  /** Delay before every response, or per `service:Action`. */
  latencyMs?: number | ((api: string) => number);
  /** Probability that a first attempt (amz-sdk-request attempt=1) is throttled; retries go through. */
  throttleRate?: number;
  /** Seed of the throttling PRNG (deterministic runs). */
  seed?: number;
  /** Largest page the server returns, whatever MaxResults/PageSize/MaxRecords asks for. */
  pageSizeCap?: number;
  failures?: FakeFailure[];
  /** Role ARNs whose AssumeRole is denied. */
  deniedRoles?: string[];
  /** Access key ids rejected with this error code (e.g. ExpiredToken, InvalidClientTokenId). */
  rejectedKeys?: Record<string, string>;
}

export interface FakeRequest {
  service: string;
  action: string;
  region: string;
  accountId: string;
  accessKeyId: string;
  attempt: number;
  params: Record<string, string>;
  status: number;
}

export interface FakeAwsStats {
  requests: number;
  /** `ec2:DescribeSecurityGroups` → count (every attempt). */
  byAction: Record<string, number>;
  throttled: number;
  failed: number;
}

export interface FakeAws {
  url: string;
  port: number;
  stats: FakeAwsStats;
  /** Every request, in arrival order. */
  log: FakeRequest[];
  /** Every distinct `service:Action` received. */
  actions(): string[];
  close(): Promise<void>;
}

const NS = {
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  elasticloadbalancing: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

/** Page-size parameters and the ranges AWS accepts. */
const PAGING: Record<string, { param: string; token: string; min: number; max: number; dflt: number }> = {
  'ec2:DescribeSecurityGroups': { param: 'MaxResults', token: 'NextToken', min: 5, max: 1000, dflt: Infinity },
  'ec2:DescribeNetworkInterfaces': { param: 'MaxResults', token: 'NextToken', min: 5, max: 1000, dflt: Infinity },
  // Issue #12, after the EC2 API reference's MaxResults ranges of each call.
  'ec2:DescribeVpcs': { param: 'MaxResults', token: 'NextToken', min: 5, max: 1000, dflt: Infinity },
  'ec2:DescribeSubnets': { param: 'MaxResults', token: 'NextToken', min: 5, max: 1000, dflt: Infinity },
  'ec2:DescribeRouteTables': { param: 'MaxResults', token: 'NextToken', min: 5, max: 100, dflt: Infinity },
  'ec2:DescribeInternetGateways': { param: 'MaxResults', token: 'NextToken', min: 5, max: 1000, dflt: Infinity },
  'ec2:DescribeEgressOnlyInternetGateways': {
    param: 'MaxResults',
    token: 'NextToken',
    min: 5,
    max: 255,
    dflt: Infinity,
  },
  'ec2:DescribeNetworkAcls': { param: 'MaxResults', token: 'NextToken', min: 5, max: 100, dflt: Infinity },
  // Issue #13, after API_DescribeVpcPeeringConnections (MaxResults 5–1000).
  'ec2:DescribeVpcPeeringConnections': {
    param: 'MaxResults',
    token: 'NextToken',
    min: 5,
    max: 1000,
    dflt: Infinity,
  },
  'ec2:DescribeManagedPrefixLists': { param: 'MaxResults', token: 'NextToken', min: 1, max: 100, dflt: 100 },
  'ec2:GetManagedPrefixListEntries': { param: 'MaxResults', token: 'NextToken', min: 1, max: 100, dflt: 100 },
  'elasticloadbalancing:DescribeLoadBalancers': { param: 'PageSize', token: 'Marker', min: 1, max: 400, dflt: 400 },
  'elasticloadbalancing:DescribeListeners': { param: 'PageSize', token: 'Marker', min: 1, max: 400, dflt: 400 },
  'elasticloadbalancing:DescribeRules': { param: 'PageSize', token: 'Marker', min: 1, max: 400, dflt: 400 },
  'elasticloadbalancing:DescribeTargetGroups': { param: 'PageSize', token: 'Marker', min: 1, max: 400, dflt: 400 },
  'rds:DescribeDBClusters': { param: 'MaxRecords', token: 'Marker', min: 20, max: 100, dflt: 100 },
  'rds:DescribeDBInstances': { param: 'MaxRecords', token: 'Marker', min: 20, max: 100, dflt: 100 },
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

const el = (tag: string, v: string | number | boolean | undefined | null): string =>
  v === undefined || v === null ? '' : `<${tag}>${escapeXml(String(v))}</${tag}>`;
const ec2List = <T>(tag: string, items: readonly T[], f: (x: T) => string): string =>
  items.length === 0 ? `<${tag}/>` : `<${tag}>${items.map((i) => `<item>${f(i)}</item>`).join('')}</${tag}>`;
const queryList = <T>(tag: string, member: string, items: readonly T[], f: (x: T) => string): string =>
  items.length === 0 ? `<${tag}/>` : `<${tag}>${items.map((i) => `<${member}>${f(i)}</${member}>`).join('')}</${tag}>`;

const ec2Tags = (tags: Record<string, string>) =>
  ec2List('tagSet', Object.entries(tags), ([k, v]) => el('key', k) + el('value', v));
const queryTags = (tag: string, tags: Record<string, string>) =>
  queryList(tag, tag === 'TagList' ? 'Tag' : 'member', Object.entries(tags), ([k, v]) => el('Key', k) + el('Value', v));

function permissionXml(p: Permission): string {
  return (
    el('ipProtocol', p.protocol) +
    el('fromPort', p.fromPort) +
    el('toPort', p.toPort) +
    ec2List(
      'groups',
      p.groups,
      (g) =>
        el('description', g.description) +
        el('userId', g.userId) +
        el('groupName', g.groupName) +
        el('groupId', g.groupId) +
        el('vpcId', g.vpcId) +
        el('vpcPeeringConnectionId', g.vpcPeeringConnectionId) +
        el('peeringStatus', g.peeringStatus),
    ) +
    ec2List('ipRanges', p.ipv4, (r) => el('cidrIp', r.cidr) + el('description', r.description)) +
    ec2List('ipv6Ranges', p.ipv6, (r) => el('cidrIpv6', r.cidr) + el('description', r.description)) +
    ec2List('prefixListIds', p.prefixLists, (r) => el('prefixListId', r.id) + el('description', r.description))
  );
}

export function securityGroupXml(g: SecurityGroup): string {
  return (
    el('ownerId', g.ownerId) +
    el('groupId', g.groupId) +
    el('groupName', g.groupName) +
    el('groupDescription', g.description) +
    el('vpcId', g.vpcId) +
    ec2List('ipPermissions', g.ingress, permissionXml) +
    ec2List('ipPermissionsEgress', g.egress, permissionXml) +
    ec2Tags(g.tags)
  );
}

function networkInterfaceXml(n: NetworkInterface): string {
  const a = n.attachment;
  return (
    el('networkInterfaceId', n.id) +
    el('interfaceType', n.interfaceType) +
    el('description', n.description) +
    el('status', n.status) +
    el('requesterId', n.requesterId) +
    el('requesterManaged', n.requesterManaged) +
    el('vpcId', n.vpcId) +
    el('subnetId', n.subnetId) +
    (n.publicIp === undefined
      ? ''
      : `<association>${el('publicIp', n.publicIp)}${el('ipOwnerId', 'amazon')}</association>`) +
    (n.privateIpAddresses === undefined
      ? ''
      : ec2List(
          'privateIpAddressesSet',
          n.privateIpAddresses,
          (p) =>
            el('privateIpAddress', p.address) +
            el('primary', p.primary) +
            (p.publicIp === undefined ? '' : `<association>${el('publicIp', p.publicIp)}</association>`),
        )) +
    (n.ipv6Addresses === undefined
      ? ''
      : ec2List('ipv6AddressesSet', n.ipv6Addresses, (v6) => el('ipv6Address', v6) + el('isPrimaryIpv6', false))) +
    (a
      ? '<attachment>' +
        el('instanceId', a.instanceId) +
        el('instanceOwnerId', a.instanceOwnerId) +
        el('deviceIndex', a.deviceIndex) +
        el('status', a.status) +
        '</attachment>'
      : '') +
    ec2List('groupSet', n.groups, (id) => el('groupId', id)) +
    ec2Tags(n.tags)
  );
}

// ---- issue #12: the network data, as the EC2 API reference's response elements spell it ----

const gatewayAttachmentsXml = (list: { vpcId: string; state: string }[]) =>
  ec2List('attachmentSet', list, (x) => el('vpcId', x.vpcId) + el('state', x.state));

function vpcXml(v: Vpc): string {
  return (
    el('vpcId', v.id) +
    el('ownerId', v.ownerId) +
    el('state', 'available') +
    el('cidrBlock', v.cidrBlock) +
    ec2List(
      'cidrBlockAssociationSet',
      v.cidrBlocks,
      (c) => el('cidrBlock', c) + `<cidrBlockState><state>associated</state></cidrBlockState>`,
    ) +
    ec2List('ipv6CidrBlockAssociationSet', v.ipv6CidrBlocks, (c) => el('ipv6CidrBlock', c)) +
    el('isDefault', v.isDefault) +
    ec2Tags(v.tags)
  );
}

function subnetXml(n: Subnet): string {
  return (
    el('subnetId', n.id) +
    el('state', 'available') +
    el('vpcId', n.vpcId) +
    el('cidrBlock', n.cidrBlock) +
    ec2List('ipv6CidrBlockAssociationSet', n.ipv6CidrBlocks, (c) => el('ipv6CidrBlock', c)) +
    el('availabilityZone', n.availabilityZone) +
    el('mapPublicIpOnLaunch', n.mapPublicIpOnLaunch) +
    ec2Tags(n.tags)
  );
}

function routeTableXml(t: RouteTable): string {
  const associations = [
    ...(t.main ? [el('routeTableId', t.id) + el('main', true)] : []),
    ...t.subnetIds.map((id) => el('routeTableId', t.id) + el('subnetId', id) + el('main', false)),
  ];
  return (
    el('routeTableId', t.id) +
    el('vpcId', t.vpcId) +
    ec2List(
      'routeSet',
      t.routes,
      (r) =>
        el('destinationCidrBlock', r.destinationCidr) +
        el('destinationIpv6CidrBlock', r.destinationIpv6Cidr) +
        el('destinationPrefixListId', r.destinationPrefixListId) +
        el('gatewayId', r.gatewayId) +
        el('egressOnlyInternetGatewayId', r.egressOnlyInternetGatewayId) +
        el('natGatewayId', r.natGatewayId) +
        el('transitGatewayId', r.transitGatewayId) +
        el('vpcPeeringConnectionId', r.vpcPeeringConnectionId) +
        el('networkInterfaceId', r.networkInterfaceId) +
        el('instanceId', r.instanceId) +
        el('state', r.state) +
        el('origin', r.origin),
    ) +
    ec2List('associationSet', associations, (x) => x) +
    ec2Tags(t.tags)
  );
}

function internetGatewayXml(g: InternetGateway): string {
  return (
    el('internetGatewayId', g.id) + el('ownerId', g.ownerId) + gatewayAttachmentsXml(g.attachments) + ec2Tags(g.tags)
  );
}

function egressOnlyInternetGatewayXml(g: EgressOnlyInternetGateway): string {
  return el('egressOnlyInternetGatewayId', g.id) + gatewayAttachmentsXml(g.attachments) + ec2Tags(g.tags);
}

function networkAclXml(a: NetworkAcl): string {
  return (
    el('networkAclId', a.id) +
    el('vpcId', a.vpcId) +
    el('default', a.isDefault) +
    ec2List(
      'entrySet',
      a.entries,
      (e) =>
        el('ruleNumber', e.ruleNumber) +
        el('protocol', e.protocol) +
        el('ruleAction', e.ruleAction) +
        el('egress', e.egress) +
        el('cidrBlock', e.cidrBlock) +
        el('ipv6CidrBlock', e.ipv6CidrBlock) +
        (e.icmpTypeCode
          ? `<icmpTypeCode>${el('code', e.icmpTypeCode.code)}${el('type', e.icmpTypeCode.type)}</icmpTypeCode>`
          : '') +
        (e.portRange ? `<portRange>${el('from', e.portRange.from)}${el('to', e.portRange.to)}</portRange>` : ''),
    ) +
    ec2List('associationSet', a.subnetIds, (id) => el('networkAclId', a.id) + el('subnetId', id)) +
    ec2Tags(a.tags)
  );
}

/**
 * One side of a peering connection, as API_VpcPeeringConnectionVpcInfo spells it: `cidrBlock` (the primary
 * IPv4 CIDR), `cidrBlockSet` and `ipv6CidrBlockSet` (every CIDR), `peeringOptions`, `region`.
 */
function peeringVpcInfoXml(v: VpcPeeringConnection['requester']): string {
  return (
    el('cidrBlock', v.cidrs[0]) +
    ec2List('cidrBlockSet', v.cidrs, (c) => el('cidrBlock', c)) +
    ec2List('ipv6CidrBlockSet', v.ipv6Cidrs, (c) => el('ipv6CidrBlock', c)) +
    el('ownerId', v.ownerId) +
    '<peeringOptions><allowDnsResolutionFromRemoteVpc>false</allowDnsResolutionFromRemoteVpc></peeringOptions>' +
    el('vpcId', v.vpcId) +
    el('region', v.region)
  );
}

/** API_VpcPeeringConnection: the two sides, `status` {code, message}, tags. */
function vpcPeeringConnectionXml(p: VpcPeeringConnection): string {
  return (
    `<accepterVpcInfo>${peeringVpcInfoXml(p.accepter)}</accepterVpcInfo>` +
    `<requesterVpcInfo>${peeringVpcInfoXml(p.requester)}</requesterVpcInfo>` +
    `<status>${el('code', p.status)}${el('message', p.status)}</status>` +
    ec2Tags(p.tags) +
    el('vpcPeeringConnectionId', p.id)
  );
}

function prefixListXml(p: PrefixList): string {
  return (
    el('prefixListId', p.id) +
    el('addressFamily', p.addressFamily) +
    el('state', 'create-complete') +
    el('prefixListName', p.name) +
    el('ownerId', p.ownerId)
  );
}

function loadBalancerXml(lb: LoadBalancer): string {
  return (
    el('LoadBalancerArn', lb.arn) +
    el('LoadBalancerName', lb.name) +
    el('Type', lb.type) +
    el('Scheme', lb.scheme) +
    el('VpcId', lb.vpcId) +
    '<State><Code>active</Code></State>' +
    (lb.subnetIds === undefined
      ? ''
      : queryList('AvailabilityZones', 'member', lb.subnetIds, (id) => el('SubnetId', id))) +
    queryList('SecurityGroups', 'member', lb.securityGroups, (id) => escapeXml(id))
  );
}

/** One target group: `TargetGroupArn`; several: `ForwardConfig.TargetGroups` (both as AWS returns them). */
function actionXml(a: ListenerAction): string {
  const tgs = a.targetGroupArns;
  return (
    el('Type', a.type) +
    (tgs.length === 1 ? el('TargetGroupArn', tgs[0]) : '') +
    (tgs.length > 1
      ? `<ForwardConfig>${queryList('TargetGroups', 'member', tgs, (t) => el('TargetGroupArn', t) + el('Weight', 1))}</ForwardConfig>`
      : '')
  );
}

function listenerXml(x: Listener): string {
  return (
    el('ListenerArn', x.arn) +
    el('LoadBalancerArn', x.loadBalancerArn) +
    el('Port', x.port) +
    el('Protocol', x.protocol) +
    queryList('DefaultActions', 'member', x.defaultActions, actionXml)
  );
}

function targetGroupXml(t: TargetGroup): string {
  return (
    el('TargetGroupArn', t.arn) +
    el('TargetGroupName', t.name) +
    el('Protocol', t.protocol) +
    el('Port', t.port) +
    el('VpcId', t.vpcId) +
    el('TargetType', t.targetType) +
    queryList('LoadBalancerArns', 'member', t.loadBalancerArns, (a) => escapeXml(a))
  );
}

const vpcGroupsXml = (ids: string[]) =>
  queryList(
    'VpcSecurityGroups',
    'VpcSecurityGroupMembership',
    ids,
    (id) => el('VpcSecurityGroupId', id) + el('Status', 'active'),
  );

function dbClusterXml(c: DbCluster): string {
  return (
    el('DBClusterIdentifier', c.id) +
    el('DBClusterArn', c.arn) +
    el('Engine', c.engine) +
    el('Port', c.port) +
    el('PubliclyAccessible', c.publiclyAccessible) +
    el('StorageEncrypted', c.storageEncrypted) +
    vpcGroupsXml(c.securityGroups) +
    queryList(
      'DBClusterMembers',
      'DBClusterMember',
      c.members,
      (m) => el('DBInstanceIdentifier', m) + el('IsClusterWriter', false),
    ) +
    queryTags('TagList', c.tags)
  );
}

function dbInstanceXml(i: DbInstance): string {
  return (
    el('DBInstanceIdentifier', i.id) +
    el('DBInstanceArn', i.arn) +
    el('Engine', i.engine) +
    (i.port !== undefined
      ? `<Endpoint>${el('Address', `${i.id}.fake.rds.amazonaws.com`)}${el('Port', i.port)}</Endpoint>`
      : '') +
    el('DBClusterIdentifier', i.clusterId) +
    el('PubliclyAccessible', i.publiclyAccessible) +
    el('StorageEncrypted', i.storageEncrypted) +
    vpcGroupsXml(i.securityGroups) +
    queryTags('TagList', i.tags)
  );
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIGV4 = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const baseAccount = options.accountId ?? '123456789012';
  const estates: EstateSource = options.estates ?? new Map();
  const optedOut = new Set(options.optedOutRegions ?? []);
  const enabled =
    options.regions ??
    (estates instanceof Map ? [...new Set([...estates.keys()].map((k) => k.split('/').at(-1)!))] : ['us-east-1']);
  const random = prng(options.seed ?? 42);
  const failures = (options.failures ?? []).map((f) => ({ ...f, left: f.times ?? Infinity }));
  const keyAccounts = new Map<string, string>();
  let keyCounter = 0;
  let requestCounter = 0;
  const stats: FakeAwsStats = { requests: 0, byAction: {}, throttled: 0, failed: 0 };
  const log: FakeRequest[] = [];
  const rendered = new Map<string, string[]>();

  const estateFor = (account: string, region: string): RegionSnapshot | undefined => {
    if (typeof estates === 'function') return estates(account, region);
    return estates.get(`${account}/${region}`) ?? (account === baseAccount ? estates.get(region) : undefined);
  };
  const itemsFor = <T>(
    account: string,
    region: string,
    kind: string,
    list: (rs: RegionSnapshot) => T[],
    render: (x: T) => string,
  ): string[] => {
    const key = `${account}/${region}/${kind}`;
    let items = rendered.get(key);
    if (!items) {
      const rs = estateFor(account, region);
      items = rs ? list(rs).map(render) : [];
      rendered.set(key, items);
    }
    return items;
  };

  /** Slice one page of pre-rendered items; returns [items, next token]. */
  const page = (api: string, params: Record<string, string>, items: string[]): [string[], string | undefined] => {
    const spec = PAGING[api];
    let size = spec.dflt;
    const raw = params[spec.param];
    if (raw !== undefined) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
        throw new ApiError(
          400,
          api.startsWith('ec2:') ? 'InvalidParameterValue' : 'ValidationError',
          `Value ( ${raw} ) for parameter ${spec.param} is invalid. Must be between ${spec.min} and ${spec.max}.`,
        );
      }
      size = n;
    }
    if (options.pageSizeCap !== undefined) size = Math.min(size, options.pageSizeCap);
    let offset = 0;
    const token = params[spec.token];
    if (token !== undefined) {
      const m = /^p(\d+)\.(.+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (!m || m[2] !== api)
        throw new ApiError(
          400,
          api.startsWith('ec2:') ? 'InvalidNextToken' : 'InvalidParameterValue',
          'The pagination token is invalid.',
        );
      offset = Number(m[1]);
    }
    const end = Math.min(items.length, offset + size);
    const next = end < items.length ? Buffer.from(`p${end}.${api}`).toString('base64url') : undefined;
    return [items.slice(offset, end), next];
  };

  const handle = (
    service: string,
    action: string,
    region: string,
    account: string,
    accessKeyId: string,
    params: Record<string, string>,
  ): string => {
    const api = `${service}:${action}`;
    const ec2Wrap = (body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS.ec2}"><requestId>req-${requestCounter}</requestId>${body}</${action}Response>`;
    const queryWrap = (ns: string, body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>req-${requestCounter}</RequestId></ResponseMetadata></${action}Response>`;
    /** One page of a region's records of `kind`, rendered, and the token of the next page. */
    const recordPage = (kind: string, list: (rs: RegionSnapshot) => unknown[], render: (x: never) => string) =>
      page(api, params, itemsFor(account, region, kind, list as (rs: RegionSnapshot) => never[], render));
    const ec2Page = (
      listTag: string,
      kind: string,
      list: (rs: RegionSnapshot) => unknown[],
      render: (x: never) => string,
    ) => {
      const [items, next] = recordPage(kind, list, render);
      return ec2Wrap(
        `<${listTag}>${items.map((i) => `<item>${i}</item>`).join('')}</${listTag}>${el('nextToken', next)}`,
      );
    };
    /** `ec2Page` for the AWS query protocol (ELBv2, RDS): a region's records, one page, under `memberTag`. */
    const queryPage = (
      ns: string,
      listTag: string,
      memberTag: string,
      markerTag: string,
      kind: string,
      list: (rs: RegionSnapshot) => unknown[],
      render: (x: never) => string,
    ) => {
      const [items, next] = recordPage(kind, list, render);
      return queryWrap(
        ns,
        `<${listTag}>${items.map((i) => `<${memberTag}>${i}</${memberTag}>`).join('')}</${listTag}>${el(markerTag, next)}`,
      );
    };

    switch (api) {
      case 'sts:GetCallerIdentity':
        return queryWrap(
          NS.sts,
          el(
            'Arn',
            account === baseAccount
              ? `arn:aws:iam::${account}:user/sg-audit-test`
              : `arn:aws:sts::${account}:assumed-role/fake/sg-audit`,
          ) +
            el('UserId', `FAKEUSERID${account}`) +
            el('Account', account),
        );
      case 'sts:AssumeRole': {
        const roleArn = params.RoleArn ?? '';
        const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
        if (!m) throw new ApiError(400, 'ValidationError', `${roleArn} is invalid`);
        if (options.deniedRoles?.includes(roleArn)) {
          throw new ApiError(
            403,
            'AccessDenied',
            `User: arn:aws:iam::${account}:user/sg-audit-test is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          );
        }
        const newKey = `ASIAFAKE${m[1]}${String(++keyCounter).padStart(4, '0')}`;
        keyAccounts.set(newKey, m[1]);
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        return queryWrap(
          NS.sts,
          `<Credentials>${el('AccessKeyId', newKey)}${el('SecretAccessKey', `fakeSecretFor${newKey}`)}${el('SessionToken', `fakeSessionTokenFor${newKey}`)}${el('Expiration', expiration)}</Credentials>` +
            `<AssumedRoleUser>${el('Arn', `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${params.RoleSessionName ?? ''}`)}${el('AssumedRoleId', `FAKEROLEID:${params.RoleSessionName ?? ''}`)}</AssumedRoleUser>`,
        );
      }
      case 'ec2:DescribeRegions': {
        const all = [
          ...enabled.map((r) => [r, 'opt-in-not-required'] as const),
          ...[...optedOut].map((r) => [r, 'not-opted-in'] as const),
        ];
        return ec2Wrap(
          `<regionInfo>${all.map(([r, s]) => `<item>${el('regionName', r)}${el('regionEndpoint', `ec2.${r}.amazonaws.com`)}${el('optInStatus', s)}</item>`).join('')}</regionInfo>`,
        );
      }
      case 'ec2:DescribeSecurityGroups':
        return ec2Page('securityGroupInfo', 'sg', (rs) => rs.securityGroups, securityGroupXml);
      case 'ec2:DescribeNetworkInterfaces':
        return ec2Page('networkInterfaceSet', 'eni', (rs) => rs.networkInterfaces, networkInterfaceXml);
      case 'ec2:DescribeVpcs':
        return ec2Page('vpcSet', 'vpc', (rs) => rs.vpcs, vpcXml);
      case 'ec2:DescribeSubnets':
        return ec2Page('subnetSet', 'subnet', (rs) => rs.subnets, subnetXml);
      case 'ec2:DescribeRouteTables':
        return ec2Page('routeTableSet', 'rtb', (rs) => rs.routeTables, routeTableXml);
      case 'ec2:DescribeInternetGateways':
        return ec2Page('internetGatewaySet', 'igw', (rs) => rs.internetGateways, internetGatewayXml);
      case 'ec2:DescribeEgressOnlyInternetGateways':
        return ec2Page(
          'egressOnlyInternetGatewaySet',
          'eigw',
          (rs) => rs.egressOnlyInternetGateways,
          egressOnlyInternetGatewayXml,
        );
      case 'ec2:DescribeNetworkAcls':
        return ec2Page('networkAclSet', 'acl', (rs) => rs.networkAcls, networkAclXml);
      case 'ec2:DescribeVpcPeeringConnections':
        return ec2Page('vpcPeeringConnectionSet', 'pcx', (rs) => rs.vpcPeeringConnections, vpcPeeringConnectionXml);
      case 'ec2:DescribeManagedPrefixLists':
        return ec2Page('prefixListSet', 'pl', (rs) => rs.prefixLists, prefixListXml);
      case 'ec2:GetManagedPrefixListEntries': {
        const id = params.PrefixListId;
        const pl = estateFor(account, region)?.prefixLists.find((p) => p.id === id);
        if (!pl) throw new ApiError(400, 'InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`);
        const all = (pl.entries ?? []).map((e) => el('cidr', e.cidr) + el('description', e.description));
        const [items, next] = page(api, params, all);
        return ec2Wrap(
          `<entrySet>${items.map((i) => `<item>${i}</item>`).join('')}</entrySet>${el('nextToken', next)}`,
        );
      }
      case 'elasticloadbalancing:DescribeLoadBalancers':
        return queryPage(
          NS.elasticloadbalancing,
          'LoadBalancers',
          'member',
          'NextMarker',
          'lb',
          (rs) => rs.loadBalancers,
          loadBalancerXml,
        );
      case 'elasticloadbalancing:DescribeTags': {
        const arns = Object.keys(params)
          .filter((k) => /^ResourceArns\.member\.\d+$/.test(k))
          .sort((a, b) => Number(a.split('.').at(-1)) - Number(b.split('.').at(-1)))
          .map((k) => params[k]);
        if (arns.length === 0 || arns.length > 20) {
          throw new ApiError(
            400,
            'ValidationError',
            `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20`,
          );
        }
        const lbs = estateFor(account, region)?.loadBalancers ?? [];
        const descs = arns.map((arn) => {
          const lb = lbs.find((l) => l.arn === arn);
          if (!lb) throw new ApiError(400, 'LoadBalancerNotFound', `Load balancers '[${arn}]' not found`);
          return el('ResourceArn', arn) + queryTags('Tags', lb.tags);
        });
        return queryWrap(
          NS.elasticloadbalancing,
          queryList('TagDescriptions', 'member', descs, (d) => d),
        );
      }
      case 'elasticloadbalancing:DescribeListeners': {
        const arn = params.LoadBalancerArn;
        const rs = estateFor(account, region);
        if (!rs?.loadBalancers.some((lb) => lb.arn === arn)) {
          throw new ApiError(400, 'LoadBalancerNotFound', `Load balancers '[${arn}]' not found`);
        }
        const [items, next] = page(api, params, rs.listeners.filter((x) => x.loadBalancerArn === arn).map(listenerXml));
        return queryWrap(
          NS.elasticloadbalancing,
          `${queryList('Listeners', 'member', items, (i) => i)}${el('NextMarker', next)}`,
        );
      }
      case 'elasticloadbalancing:DescribeRules': {
        const arn = params.ListenerArn;
        const listener = estateFor(account, region)?.listeners.find((x) => x.arn === arn);
        if (!listener) throw new ApiError(400, 'ListenerNotFound', `Listener '${arn}' not found`);
        const all = listener.rules.map(
          (r) =>
            el('RuleArn', r.arn) +
            el('Priority', r.priority) +
            el('IsDefault', r.isDefault) +
            queryList('Actions', 'member', r.actions, actionXml),
        );
        const [items, next] = page(api, params, all);
        return queryWrap(
          NS.elasticloadbalancing,
          `${queryList('Rules', 'member', items, (i) => i)}${el('NextMarker', next)}`,
        );
      }
      case 'elasticloadbalancing:DescribeTargetGroups':
        return queryPage(
          NS.elasticloadbalancing,
          'TargetGroups',
          'member',
          'NextMarker',
          'tg',
          (rs) => rs.targetGroups,
          targetGroupXml,
        );
      case 'elasticloadbalancing:DescribeTargetHealth': {
        const arn = params.TargetGroupArn;
        const tg = estateFor(account, region)?.targetGroups.find((t) => t.arn === arn);
        if (!tg) throw new ApiError(400, 'TargetGroupNotFound', `Target groups '[${arn}]' not found`);
        return queryWrap(
          NS.elasticloadbalancing,
          queryList(
            'TargetHealthDescriptions',
            'member',
            tg.targets,
            (t) =>
              `<Target>${el('Id', t.id) + el('Port', t.port) + el('AvailabilityZone', t.availabilityZone)}</Target>` +
              (t.health ? `<TargetHealth>${el('State', t.health)}</TargetHealth>` : ''),
          ),
        );
      }
      case 'rds:DescribeDBClusters':
        return queryPage(NS.rds, 'DBClusters', 'DBCluster', 'Marker', 'dbc', (rs) => rs.dbClusters, dbClusterXml);
      case 'rds:DescribeDBInstances':
        return queryPage(NS.rds, 'DBInstances', 'DBInstance', 'Marker', 'dbi', (rs) => rs.dbInstances, dbInstanceXml);
      default:
        throw new ApiError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  };

  const errorXml = (service: string, code: string, message: string) =>
    service === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>req-${requestCounter}</RequestID></Response>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS[service as keyof typeof NS] ?? ''}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>req-${requestCounter}</RequestId></ErrorResponse>`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requestCounter++;
      const body = Buffer.concat(chunks).toString('utf8');
      const params = Object.fromEntries(new URLSearchParams(body));
      const auth = SIGV4.exec(req.headers.authorization ?? '');
      const accessKeyId = auth?.[1] ?? '';
      const region = auth?.[2] ?? 'unknown';
      const service = auth?.[3] ?? 'unknown';
      const action = params.Action ?? '';
      const account = keyAccounts.get(accessKeyId) ?? baseAccount;
      const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
      const api = `${service}:${action}`;
      stats.requests++;
      stats.byAction[api] = (stats.byAction[api] ?? 0) + 1;
      const entry: FakeRequest = {
        service,
        action,
        region,
        accountId: account,
        accessKeyId,
        attempt,
        params,
        status: 200,
      };
      log.push(entry);

      let status = 200;
      let xml: string;
      let hang = false;
      try {
        if (!auth) throw new ApiError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
        if (options.rejectedKeys?.[accessKeyId]) {
          const code = options.rejectedKeys[accessKeyId];
          throw new ApiError(
            403,
            code,
            code === 'ExpiredToken'
              ? 'The security token included in the request is expired'
              : 'The security token included in the request is invalid.',
          );
        }
        if (optedOut.has(region)) {
          throw service === 'ec2'
            ? new ApiError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials')
            : new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        }
        const failure = failures.find(
          (f) =>
            f.left > 0 &&
            (f.action === action || f.action === api) &&
            (f.region === undefined || f.region === region) &&
            (f.accountId === undefined || f.accountId === account),
        );
        if (failure) {
          failure.left--;
          if (failure.hang) hang = true;
          else {
            throw new ApiError(
              failure.status ?? 403,
              failure.code ?? 'AccessDenied',
              (failure.message ?? `User is not authorized to perform: ${api}`).replaceAll('{accessKeyId}', accessKeyId),
            );
          }
        }
        if (!hang && (options.throttleRate ?? 0) > 0 && attempt === 1 && random() < options.throttleRate!) {
          stats.throttled++;
          throw service === 'ec2'
            ? new ApiError(503, 'RequestLimitExceeded', 'Request limit exceeded.')
            : new ApiError(400, 'Throttling', 'Rate exceeded');
        }
        xml = hang ? '' : handle(service, action, region, account, accessKeyId, params);
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String(err));
        status = e.status;
        if (e.code !== 'RequestLimitExceeded' && e.code !== 'Throttling') stats.failed++;
        xml = errorXml(service, e.code, e.message);
      }
      entry.status = status;
      if (hang) return; // the client's timeout ends it; close() drops the socket
      const send = () => {
        res.writeHead(status, {
          'content-type': 'text/xml;charset=UTF-8',
          'x-amzn-requestid': `req-${requestCounter}`,
        });
        res.end(xml);
      };
      const delay = typeof options.latencyMs === 'function' ? options.latencyMs(api) : (options.latencyMs ?? 0);
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    log,
    actions: () => [...new Set(log.map((r) => `${r.service}:${r.action}`))].sort(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
