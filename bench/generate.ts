/**
 * Synthetic estate generator for the benchmarks: a deterministic (seeded) snapshot of N regions × M
 * security groups with realistic rules — SG references (same VPC, cross-account, peered), IPv4/IPv6
 * CIDRs, managed prefix lists, port ranges, protocol -1, ICMP, raw protocol numbers — plus ENIs, load
 * balancers and RDS clusters/instances, with default tier tags (Tier=lb/web/app/data) on a share of them.
 *
 *   node dist/bench/generate.js --sgs 100000 --regions 17 --seed 1 -o estate.json
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  newSnapshot,
  emptyRegion,
  RESOURCE_KINDS,
  type CidrEntry,
  type DbCluster,
  type DbInstance,
  type GroupPair,
  type LoadBalancer,
  type NetworkInterface,
  type Permission,
  type PrefixList,
  type RegionSnapshot,
  type SecurityGroup,
  type Snapshot,
} from '../src/snapshot/schema.js';
import { serializeSnapshot } from '../src/snapshot/load.js';
import { Prng } from './prng.js';

/** Bump when the generated estate changes shape, so cached benchmark inputs are regenerated. */
export const GENERATOR_VERSION = 1;

/** The 17 regions enabled by default in every account, then opt-in regions. */
export const DEFAULT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
] as const;
export const OPT_IN_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1',
  'me-central-1', 'me-south-1', 'mx-central-1',
] as const;
const ALL_REGIONS: readonly string[] = [...DEFAULT_REGIONS, ...OPT_IN_REGIONS];

/** Account outside the estate whose groups are referenced across accounts (peering, partners). */
export const PARTNER_ACCOUNT = '999988887777';

export interface EstateOptions {
  /** Total security groups (default groups of each VPC included). */
  sgs: number;
  /** Regions per account (1–32; the first 17 are the default-enabled ones). */
  regions: number;
  seed: number;
  /** Accounts in the estate (default 1); SGs are spread over accounts × regions. */
  accounts?: number;
  /** Network interfaces per security group, LB and RDS interfaces included (default 1). */
  enisPerSg?: number;
  createdAt?: string;
}

type Role = 'default' | 'lb' | 'web' | 'app' | 'data' | 'bastion' | 'misc';
const ROLE_WEIGHTS: ReadonlyArray<readonly [Role, number]> = [
  ['lb', 6],
  ['web', 14],
  ['app', 20],
  ['data', 12],
  ['bastion', 3],
  ['misc', 45],
];
/** Ingress permission count range per role. */
const IN_PERMS: Record<Role, readonly [number, number]> = {
  default: [1, 1],
  lb: [1, 3],
  web: [2, 6],
  app: [3, 8],
  data: [2, 5],
  bastion: [1, 3],
  misc: [3, 8],
};
const DB_ENGINES: ReadonlyArray<readonly [engine: string, port: number]> = [
  ['mysql', 3306],
  ['postgres', 5432],
  ['sqlserver-se', 1433],
  ['oracle-ee', 1521],
  ['mariadb', 3306],
];
const ENVS = ['prod', 'staging', 'dev', 'test'] as const;
const TEAMS = ['payments', 'search', 'identity', 'platform', 'data', 'mobile', 'growth'] as const;

interface Vpc {
  id: string;
  cidr: string;
  /** Second octet of the VPC's 10.x.0.0/16. */
  octet: number;
  ipv6?: string;
  byRole: Map<Role, SgShell[]>;
  all: SgShell[];
}

interface SgShell {
  sg: SecurityGroup;
  role: Role;
  vpc: Vpc;
  /** DB port for data-tier groups. */
  dbPort: number;
}

interface ScopeState {
  accountId: string;
  region: string;
  /** SGs to create here. */
  count: number;
  vpcs: Vpc[];
  shells: SgShell[];
  prefixLists: PrefixList[];
  /** Prefix-list ids by purpose. */
  pl: { corp: string; vpn: string; partnerV6: string; s3: string; dynamodb: string };
  rs: RegionSnapshot;
}

class Ids {
  private n = 0;
  constructor(private readonly rng: Prng) {}
  /** AWS-style id: random-looking prefix + a counter, so ids are unique across the whole estate. */
  next(prefix: string, hexLen = 17): string {
    const counter = (this.n++).toString(16).padStart(8, '0');
    return `${prefix}-${this.rng.hex(hexLen - counter.length)}${counter}`;
  }
}

export function generateEstate(opts: EstateOptions): Snapshot {
  const accounts = opts.accounts ?? 1;
  if (!Number.isInteger(opts.sgs) || opts.sgs < 1) throw new Error(`sgs: expected a positive integer, got ${opts.sgs}`);
  if (!Number.isInteger(opts.regions) || opts.regions < 1 || opts.regions > ALL_REGIONS.length) {
    throw new Error(`regions: expected 1–${ALL_REGIONS.length}, got ${opts.regions}`);
  }
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 99) throw new Error(`accounts: expected 1–99, got ${accounts}`);
  if (!Number.isInteger(opts.seed)) throw new Error(`seed: expected an integer, got ${opts.seed}`);
  if (opts.enisPerSg !== undefined && !(opts.enisPerSg >= 0)) throw new Error(`enisPerSg: expected a number ≥ 0, got ${opts.enisPerSg}`);
  const createdAt = opts.createdAt ?? '2026-01-01T00:00:00.000Z';
  const rng = new Prng(opts.seed);
  const ids = new Ids(rng);

  // Spread SGs evenly over account × region scopes.
  const scopes: ScopeState[] = [];
  const nScopes = accounts * opts.regions;
  let vpcOctet = 0;
  for (let a = 0; a < accounts; a++) {
    const accountId = String(100000000000 + a * 11111111 + 12).padStart(12, '0');
    for (let r = 0; r < opts.regions; r++) {
      const i = a * opts.regions + r;
      const count = Math.floor(opts.sgs / nScopes) + (i < opts.sgs % nScopes ? 1 : 0);
      const region = ALL_REGIONS[r];
      const rs: RegionSnapshot = { ...emptyRegion(accountId, region), collectedAt: createdAt, collected: [...RESOURCE_KINDS] };
      const nVpcs = count === 0 ? 0 : Math.min(count, Math.max(1, Math.round(count / 400)));
      const vpcs: Vpc[] = [];
      for (let v = 0; v < nVpcs; v++) {
        const octet = vpcOctet++ % 256;
        vpcs.push({
          id: ids.next('vpc'),
          cidr: `10.${octet}.0.0/16`,
          octet,
          ipv6: rng.chance(0.4) ? `2600:1f${rng.hex(2)}:${rng.hex(4)}:${rng.hex(2)}00::/56` : undefined,
          byRole: new Map(),
          all: [],
        });
      }
      const prefixLists = makePrefixLists(rng, ids, accountId, region);
      rs.prefixLists = prefixLists;
      scopes.push({
        accountId,
        region,
        count,
        vpcs,
        shells: [],
        prefixLists,
        pl: {
          corp: prefixLists[0].id,
          vpn: prefixLists[1].id,
          partnerV6: prefixLists[2].id,
          s3: prefixLists[3].id,
          dynamodb: prefixLists[4].id,
        },
        rs,
      });
    }
  }

  // Phase 1: group shells (ids, names, tags), so rules can reference any group in any scope.
  for (const s of scopes) {
    for (let i = 0; i < s.count; i++) {
      const vpc = i < s.vpcs.length ? s.vpcs[i] : rng.pick(s.vpcs);
      const role: Role = i < s.vpcs.length ? 'default' : rng.weighted(ROLE_WEIGHTS);
      const shell = makeShell(rng, ids, s.accountId, vpc, role);
      s.shells.push(shell);
      s.rs.securityGroups.push(shell.sg);
      vpc.all.push(shell);
      const list = vpc.byRole.get(role);
      if (list) list.push(shell);
      else vpc.byRole.set(role, [shell]);
    }
  }

  // Phase 2: permissions.
  for (const s of scopes) {
    const others = scopes.filter((o) => o.accountId !== s.accountId && o.region === s.region && o.shells.length > 0);
    for (const shell of s.shells) fillPermissions(rng, ids, s, shell, others);
  }

  // Phase 3: attached resources.
  for (const s of scopes) makeResources(rng, ids, s, opts.enisPerSg ?? 1);

  return newSnapshot(
    scopes.map((s) => s.rs),
    createdAt,
  );
}

function makePrefixLists(rng: Prng, ids: Ids, accountId: string, region: string): PrefixList[] {
  const pub4 = () => `${rng.pick([52, 54, 63, 98, 104, 151, 185, 203])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.pick([0, 64, 128])}/${rng.pick([24, 26, 28, 29])}`;
  return [
    {
      id: ids.next('pl'),
      name: 'corp-offices',
      addressFamily: 'IPv4',
      ownerId: accountId,
      entries: Array.from({ length: rng.int(2, 6) }, () => ({ cidr: pub4(), description: 'office egress' })),
    },
    {
      id: ids.next('pl'),
      name: 'vpn-users',
      addressFamily: 'IPv4',
      ownerId: accountId,
      entries: [{ cidr: '10.200.0.0/16' }, { cidr: '100.64.0.0/10', description: 'client VPN' }],
    },
    {
      id: ids.next('pl'),
      name: 'partner-v6',
      addressFamily: 'IPv6',
      ownerId: accountId,
      entries: [{ cidr: `2a05:d0${rng.hex(2)}:${rng.hex(4)}::/48` }, { cidr: 'fd00:ab::/32' }],
    },
    {
      id: ids.next('pl', 8),
      name: `com.amazonaws.${region}.s3`,
      addressFamily: 'IPv4',
      ownerId: 'AWS',
      entries: [{ cidr: `52.${rng.int(0, 255)}.0.0/15` }, { cidr: `3.${rng.int(0, 255)}.0.0/16` }, { cidr: `54.231.0.0/16` }],
    },
    // Entries not readable: rules must treat this list as unknown.
    { id: ids.next('pl', 8), name: `com.amazonaws.${region}.dynamodb`, addressFamily: 'IPv4', ownerId: 'AWS' },
  ];
}

function makeShell(rng: Prng, ids: Ids, accountId: string, vpc: Vpc, role: Role): SgShell {
  const env = rng.pick(ENVS);
  const team = rng.pick(TEAMS);
  const groupId = ids.next('sg');
  const tags: Record<string, string> = {};
  let groupName: string;
  let description: string;
  if (role === 'default') {
    groupName = 'default';
    description = 'default VPC security group';
  } else if (role === 'misc' && rng.chance(0.08)) {
    groupName = `launch-wizard-${rng.int(1, 400)}`;
    description = `launch-wizard-${groupName.slice(14)} created ${createdDate(rng)}`;
  } else {
    groupName = `${team}-${role}-${env}-${groupId.slice(-6)}`;
    description = `${role} tier for ${team} (${env})`;
    tags.Name = groupName;
    tags.Environment = env;
    if (rng.chance(0.7)) tags.Team = team;
    if (rng.chance(0.3)) tags.CostCenter = `cc-${rng.int(1000, 9999)}`;
  }
  // Tier tags (the default settings: Tier=lb/web/app/data) on a share of the tier groups, and a few
  // mis-tagged ones.
  if ((role === 'lb' || role === 'web' || role === 'app' || role === 'data') && rng.chance(0.65)) tags.Tier = role;
  else if (role === 'misc' && rng.chance(0.02)) tags.Tier = rng.pick(['web', 'app']);
  const dbPort = role === 'data' ? rng.weighted([[3306, 5], [5432, 5], [1433, 1], [1521, 1], [6379, 2], [27017, 1]] as const) : 0;
  return {
    sg: { groupId, groupName, description, vpcId: vpc.id, ownerId: accountId, tags, ingress: [], egress: [] },
    role,
    vpc,
    dbPort,
  };
}

function createdDate(rng: Prng): string {
  return `20${rng.int(18, 25)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

/** One source grant before merging into AWS-style permissions (one per protocol + port range). */
interface Grant {
  protocol: string;
  from?: number;
  to?: number;
  ipv4?: CidrEntry;
  ipv6?: CidrEntry;
  pl?: { id: string; description?: string };
  group?: GroupPair;
}

class PermBuilder {
  readonly perms: Permission[] = [];
  private readonly byKey = new Map<string, Permission>();
  add(g: Grant): void {
    const key = `${g.protocol}:${g.from ?? ''}:${g.to ?? ''}`;
    let p = this.byKey.get(key);
    if (!p) {
      p = { protocol: g.protocol, ipv4: [], ipv6: [], prefixLists: [], groups: [] };
      if (g.from !== undefined) p.fromPort = g.from;
      if (g.to !== undefined) p.toPort = g.to;
      this.byKey.set(key, p);
      this.perms.push(p);
    }
    // AWS rejects duplicate sources in one permission; skip them like the API would.
    if (g.ipv4 && !p.ipv4.some((x) => x.cidr === g.ipv4!.cidr)) p.ipv4.push(g.ipv4);
    if (g.ipv6 && !p.ipv6.some((x) => x.cidr === g.ipv6!.cidr)) p.ipv6.push(g.ipv6);
    if (g.pl && !p.prefixLists.some((x) => x.id === g.pl!.id)) p.prefixLists.push(g.pl);
    if (g.group && !p.groups.some((x) => x.groupId === g.group!.groupId)) p.groups.push(g.group);
  }
}

function fillPermissions(rng: Prng, ids: Ids, s: ScopeState, shell: SgShell, others: ScopeState[]): void {
  const { sg, vpc, role } = shell;
  const self: GroupPair = { groupId: sg.groupId, userId: s.accountId };
  const ref = (r: Role, description?: string): GroupPair | undefined => {
    const list = vpc.byRole.get(r);
    if (!list || list.length === 0) return undefined;
    const t = rng.pick(list);
    return { groupId: t.sg.groupId, userId: s.accountId, ...(description ? { description } : {}) };
  };
  const crossAccount = (): GroupPair => {
    if (others.length > 0 && rng.chance(0.5)) {
      const o = rng.pick(others);
      const t = rng.pick(o.shells);
      return { groupId: t.sg.groupId, userId: o.accountId, vpcId: t.vpc.id, vpcPeeringConnectionId: ids.next('pcx'), peeringStatus: 'active' };
    }
    return {
      groupId: ids.next('sg'),
      userId: PARTNER_ACCOUNT,
      ...(rng.chance(0.6) ? { vpcId: ids.next('vpc'), vpcPeeringConnectionId: ids.next('pcx'), peeringStatus: 'active' } : {}),
      ...(rng.chance(0.5) ? { description: 'partner integration' } : {}),
    };
  };
  const vpcCidr = (): CidrEntry => ({ cidr: vpc.cidr });
  const subnet = (): CidrEntry => ({ cidr: `10.${vpc.octet}.${rng.int(0, 255)}.0/${rng.pick([20, 22, 24, 26, 28])}` });
  const publicCidr = (): CidrEntry => ({
    cidr: `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}/${rng.pick([32, 32, 32, 29, 28, 24, 16])}`,
    ...(rng.chance(0.4) ? { description: rng.pick(['partner', 'home office', 'monitoring vendor', 'temp access']) } : {}),
  });
  const world4: CidrEntry = { cidr: '0.0.0.0/0' };
  const world6: CidrEntry = { cidr: '::/0' };
  // A few groups use the non-canonical forms AWS normalises ('6', tcp -1 ports) — the graph must cope.
  const tcp = (from: number, to = from): Pick<Grant, 'protocol' | 'from' | 'to'> => ({ protocol: 'tcp', from, to });

  /** One ingress grant for the group's role; may push two grants (IPv4 + IPv6 on the same ports). */
  const ingress = (b: PermBuilder): void => {
    const orCidr = (g: GroupPair | undefined, port: Pick<Grant, 'protocol' | 'from' | 'to'>) =>
      b.add(g ? { ...port, group: g } : { ...port, ipv4: vpcCidr() });
    switch (role) {
      case 'default':
        b.add({ protocol: '-1', group: self });
        return;
      case 'lb': {
        const k = rng.weighted([['https', 5], ['http', 3], ['internal', 2], ['partner', 1]] as const);
        if (k === 'https') {
          b.add({ ...tcp(443), ipv4: world4 });
          if (vpc.ipv6 || rng.chance(0.5)) b.add({ ...tcp(443), ipv6: world6 });
        } else if (k === 'http') b.add({ ...tcp(80), ipv4: world4 });
        else if (k === 'internal') b.add({ ...tcp(443), pl: { id: rng.pick([s.pl.corp, s.pl.vpn]), description: 'internal users' } });
        else b.add({ ...tcp(8443), ipv4: publicCidr() });
        return;
      }
      case 'web': {
        const k = rng.weighted([['fromLb', 6], ['ssh', 2], ['world', 1], ['icmp', 1], ['self', 1], ['range', 1]] as const);
        if (k === 'fromLb') orCidr(ref('lb', 'from ALB'), tcp(rng.pick([80, 443, 8080])));
        else if (k === 'ssh') {
          if (rng.chance(0.06)) b.add({ ...tcp(22), ipv4: world4 });
          else if (rng.chance(0.5)) orCidr(ref('bastion'), tcp(22));
          else b.add({ ...tcp(22), pl: { id: s.pl.corp } });
        } else if (k === 'world') {
          b.add({ ...tcp(rng.pick([80, 443])), ipv4: world4 });
          if (rng.chance(0.3)) b.add({ ...tcp(rng.pick([80, 443])), ipv6: world6 });
        } else if (k === 'icmp') b.add({ protocol: 'icmp', from: -1, to: -1, ipv4: vpcCidr() });
        else if (k === 'self') b.add({ protocol: '-1', group: self });
        else b.add({ ...tcp(8000, rng.pick([8010, 8080, 8999])), ipv4: subnet() });
        return;
      }
      case 'app': {
        const k = rng.weighted([['fromWeb', 6], ['fromApp', 2], ['ssh', 1], ['wide', 1], ['cross', 1], ['statsd', 1], ['pl', 1]] as const);
        if (k === 'fromWeb') orCidr(ref('web'), rng.chance(0.5) ? tcp(8080) : tcp(8080, 8090));
        else if (k === 'fromApp') orCidr(ref('app'), tcp(rng.pick([8443, 9090, 50051])));
        else if (k === 'ssh') orCidr(ref('bastion'), tcp(22));
        else if (k === 'wide') b.add({ ...tcp(1024, 65535), ipv4: vpcCidr() });
        else if (k === 'cross') b.add({ ...tcp(8443), group: crossAccount() });
        else if (k === 'statsd') b.add({ protocol: 'udp', from: 8125, to: 8125, ipv4: subnet() });
        else b.add({ ...tcp(443), pl: { id: s.pl.vpn } });
        return;
      }
      case 'data': {
        const port = tcp(shell.dbPort);
        const k = rng.weighted([
          ['fromApp', 5], ['vpc', 1.5], ['pl', 0.7], ['world', 0.3], ['public', 0.3], ['cross', 0.5], ['all', 0.3],
          ['ssh', 1.5], ['exporter', 1.5], ['replica', 1], ['icmp', 0.5],
        ] as const);
        if (k === 'fromApp') orCidr(ref('app', 'application servers'), port);
        else if (k === 'ssh') orCidr(ref('bastion'), tcp(22));
        else if (k === 'exporter') b.add({ ...tcp(9100, 9104), ipv4: vpcCidr() });
        else if (k === 'replica') b.add({ ...port, group: self });
        else if (k === 'icmp') b.add({ protocol: 'icmp', from: 8, to: -1, ipv4: subnet() });
        else if (k === 'vpc') b.add({ ...port, ipv4: rng.chance(0.5) ? vpcCidr() : { cidr: '10.0.0.0/8' } });
        else if (k === 'pl') b.add({ ...port, pl: { id: rng.pick([s.pl.vpn, s.pl.partnerV6]) } });
        else if (k === 'world') b.add({ ...port, ipv4: world4 });
        else if (k === 'public') b.add({ ...port, ipv4: publicCidr() });
        else if (k === 'cross') b.add({ ...port, group: crossAccount() });
        else b.add({ protocol: '-1', group: ref('app') ?? self });
        return;
      }
      case 'bastion': {
        const k = rng.weighted([['office', 4], ['world', 1], ['rdp', 1], ['v6', 1]] as const);
        if (k === 'office') b.add({ ...tcp(22), ipv4: publicCidr() });
        else if (k === 'world') b.add({ ...tcp(22), ipv4: world4 });
        else if (k === 'rdp') b.add({ ...tcp(3389), ipv4: rng.chance(0.3) ? world4 : publicCidr() });
        else b.add({ ...tcp(22), ipv6: { cidr: `2a02:${rng.hex(4)}:${rng.hex(4)}::/48` } });
        return;
      }
      case 'misc': {
        const k = rng.weighted([
          ['port', 6], ['dns', 1], ['range', 2], ['group', 2], ['icmpv6', 1], ['esp', 0.5], ['allPorts', 0.5],
          ['allWorld', 0.2], ['s3', 0.5], ['cross', 0.5], ['public', 1], ['udpRange', 0.5], ['num6', 0.2],
        ] as const);
        const port = rng.pick([22, 25, 443, 2049, 3000, 5000, 5601, 6443, 8080, 9000, 9200, 9300, 11211]);
        if (k === 'port') b.add({ ...tcp(port), ipv4: rng.chance(0.5) ? subnet() : vpcCidr() });
        else if (k === 'dns') b.add({ protocol: 'udp', from: 53, to: 53, ipv4: { cidr: '10.0.0.0/8' } });
        else if (k === 'range') {
          const from = rng.int(1, 60) * 1000;
          b.add({ ...tcp(from, from + rng.pick([9, 99, 999])), ipv4: subnet() });
        } else if (k === 'group') {
          const t = rng.pick(vpc.all).sg.groupId;
          b.add({ ...tcp(port), group: t === sg.groupId ? self : { groupId: t, userId: s.accountId } });
        }
        else if (k === 'icmpv6') b.add({ protocol: 'icmpv6', from: -1, to: -1, ipv6: vpc.ipv6 ? { cidr: vpc.ipv6 } : world6 });
        else if (k === 'esp') b.add({ protocol: '50', ipv4: publicCidr() });
        else if (k === 'allPorts') b.add({ ...tcp(0, 65535), ipv4: rng.chance(0.3) ? world4 : subnet() });
        else if (k === 'allWorld') b.add({ protocol: '-1', ipv4: world4, ...(rng.chance(0.5) ? { ipv6: world6 } : {}) });
        else if (k === 's3') b.add({ ...tcp(443), pl: { id: rng.pick([s.pl.s3, s.pl.dynamodb]) } });
        else if (k === 'cross') b.add({ ...tcp(port), group: crossAccount() });
        else if (k === 'public') b.add({ ...tcp(port), ipv4: publicCidr() });
        else if (k === 'udpRange') b.add({ protocol: 'udp', from: 10000, to: 20000, ipv4: subnet(), ...(vpc.ipv6 ? { ipv6: { cidr: vpc.ipv6 } } : {}) });
        else b.add({ protocol: '6', from: port, to: port, ipv4: subnet() });
        return;
      }
    }
  };

  const egress = (b: PermBuilder): void => {
    const k = rng.weighted([['allWorld', 15], ['https', 2], ['toData', 2], ['s3', 1], ['dns', 1]] as const);
    if (k === 'allWorld') b.add({ protocol: '-1', ipv4: world4, ...(vpc.ipv6 && rng.chance(0.6) ? { ipv6: world6 } : {}) });
    else if (k === 'https') b.add({ ...tcp(443), ipv4: world4 });
    else if (k === 'toData') {
      const d = vpc.byRole.get('data');
      if (d && d.length) {
        const t = rng.pick(d);
        b.add({ ...tcp(t.dbPort), group: { groupId: t.sg.groupId, userId: s.accountId } });
      } else b.add({ ...tcp(5432), ipv4: vpcCidr() });
    } else if (k === 's3') b.add({ ...tcp(443), pl: { id: s.pl.s3 } });
    else b.add({ protocol: 'udp', from: 53, to: 53, ipv4: vpcCidr() });
  };

  const inb = new PermBuilder();
  // Permissions per role (about 6 per group overall); a few extra draws add sources to existing ports.
  const [lo, hi] = IN_PERMS[role];
  const nIn = rng.int(lo, hi);
  for (let tries = 0; inb.perms.length < nIn && tries < nIn + 3; tries++) ingress(inb);
  const outb = new PermBuilder();
  const nOut = role === 'default' ? 1 : rng.chance(0.5) ? 2 : 1;
  for (let tries = 0; outb.perms.length < nOut && tries < nOut + 2; tries++) egress(outb);
  sg.ingress = inb.perms;
  sg.egress = outb.perms;
}

function makeResources(rng: Prng, ids: Ids, s: ScopeState, enisPerSg: number): void {
  const { rs, accountId, region } = s;
  if (s.vpcs.length === 0) return;
  const tierTag = (tier: string, p: number): Record<string, string> => (rng.chance(p) ? { Tier: tier } : {});
  const pickRole = (vpc: Vpc, roles: Role[]): SgShell | undefined => {
    const lists = roles.map((r) => vpc.byRole.get(r) ?? []).filter((l) => l.length > 0);
    return lists.length ? rng.pick(rng.pick(lists)) : undefined;
  };
  const eni = (vpc: Vpc, groups: string[], extra: Partial<NetworkInterface>): void => {
    rs.networkInterfaces.push({
      id: ids.next('eni'),
      groups,
      interfaceType: 'interface',
      status: 'in-use',
      vpcId: vpc.id,
      tags: {},
      ...extra,
    });
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
      eni(vpc, uniq, {
        description: `ELB ${type === 'application' ? 'app' : 'net'}/${name}/${suffix}`,
        interfaceType: type === 'application' ? 'interface' : 'network_load_balancer',
        requesterId: 'amazon-elb',
        requesterManaged: true,
      });
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
      eni(vpc, groups, { description: 'RDSNetworkInterface', requesterId: 'amazon-rds', requesterManaged: true });
    }
  }
  const nInstances = Math.max(1, Math.round(s.count * 0.01));
  for (let i = 0; i < nInstances; i++) {
    const vpc = rng.pick(s.vpcs);
    const g = pickRole(vpc, ['data']) ?? rng.pick(vpc.all);
    const [engine, port] = DB_ENGINES.find(([, p]) => p === g.dbPort) ?? rng.pick(DB_ENGINES);
    const id = `${rng.pick(TEAMS)}-${engine.split('-')[0]}-${i}`;
    rs.dbInstances.push({
      id,
      arn: `arn:aws:rds:${region}:${accountId}:db:${id}`,
      engine,
      port,
      securityGroups: [g.sg.groupId],
      publiclyAccessible: rng.chance(0.05),
      storageEncrypted: rng.chance(0.85),
      tags: tierTag('data', 0.5),
    });
    eni(vpc, [g.sg.groupId], { description: 'RDSNetworkInterface', requesterId: 'amazon-rds', requesterManaged: true });
  }

  // Instance and Lambda ENIs: `enisPerSg` per group overall.
  const nEni = Math.max(0, Math.round(s.count * enisPerSg) - rs.networkInterfaces.length);
  for (let i = 0; i < nEni; i++) {
    const vpc = rng.pick(s.vpcs);
    const primary = pickRole(vpc, rng.chance(0.7) ? ['web', 'app'] : ['misc', 'bastion', 'default']) ?? rng.pick(vpc.all);
    const groups = [primary.sg.groupId];
    const extra = rng.weighted([[0, 70], [1, 25], [2, 5]] as const);
    for (let k = 0; k < extra; k++) groups.push(rng.pick(vpc.all).sg.groupId);
    const lambda = rng.chance(0.1);
    const tier = primary.role === 'web' || primary.role === 'app' ? primary.role : undefined;
    eni(vpc, [...new Set(groups)], {
      interfaceType: lambda ? 'lambda' : 'interface',
      description: lambda ? `AWS Lambda VPC ENI-${rng.pick(TEAMS)}-fn-${i}` : 'Primary network interface',
      status: rng.chance(0.95) ? 'in-use' : 'available',
      ...(lambda ? { requesterId: 'AROAEXAMPLE:lambda', requesterManaged: true } : {}),
      ...(!lambda ? { attachment: { instanceId: ids.next('i'), instanceOwnerId: accountId, status: 'attached' } } : {}),
      tags: tier ? tierTag(tier, 0.5) : {},
    });
  }
}

export interface EstateStats {
  scopes: number;
  securityGroups: number;
  permissions: number;
  /** (permission, source) pairs: what the graph expands into rule entries. */
  sources: number;
  networkInterfaces: number;
  loadBalancers: number;
  dbClusters: number;
  dbInstances: number;
  prefixLists: number;
  tierTagged: number;
}

export function estateStats(snap: Snapshot): EstateStats {
  const st: EstateStats = {
    scopes: snap.regions.length,
    securityGroups: 0,
    permissions: 0,
    sources: 0,
    networkInterfaces: 0,
    loadBalancers: 0,
    dbClusters: 0,
    dbInstances: 0,
    prefixLists: 0,
    tierTagged: 0,
  };
  for (const r of snap.regions) {
    st.securityGroups += r.securityGroups.length;
    for (const g of r.securityGroups) {
      if (g.tags.Tier) st.tierTagged++;
      for (const p of [...g.ingress, ...g.egress]) {
        st.permissions++;
        st.sources += p.ipv4.length + p.ipv6.length + p.prefixLists.length + p.groups.length;
      }
    }
    st.networkInterfaces += r.networkInterfaces.length;
    st.loadBalancers += r.loadBalancers.length;
    st.dbClusters += r.dbClusters.length;
    st.dbInstances += r.dbInstances.length;
    st.prefixLists += r.prefixLists.length;
  }
  return st;
}

/** Generate and write a snapshot file; returns its stats. */
export function writeEstate(file: string, opts: EstateOptions): EstateStats {
  const snap = generateEstate(opts);
  writeFileSync(file, serializeSnapshot(snap));
  return estateStats(snap);
}

function cli(argv: string[]): number {
  const usage = 'usage: node dist/bench/generate.js --sgs N [--regions 17] [--accounts 1] [--seed 1] -o FILE [--stats FILE.json]';
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sgs: { type: 'string' },
        regions: { type: 'string', default: '17' },
        accounts: { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        output: { type: 'string', short: 'o' },
        stats: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`generate: ${(err as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (!values.sgs || !values.output) {
    process.stderr.write(`generate: --sgs and -o are required\n${usage}\n`);
    return 2;
  }
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${name}: expected an integer, got '${v}'`);
    return n;
  };
  try {
    const opts = {
      sgs: num('sgs', values.sgs),
      regions: num('regions', values.regions),
      accounts: num('accounts', values.accounts),
      seed: num('seed', values.seed),
    };
    const t0 = performance.now();
    const st = writeEstate(path.resolve(values.output), opts);
    if (values.stats) writeFileSync(path.resolve(values.stats), JSON.stringify(st, null, 2) + '\n');
    process.stderr.write(
      `generate: ${values.output}: ${st.securityGroups} SGs, ${st.permissions} permissions, ${st.sources} sources, ` +
        `${st.networkInterfaces} ENIs, ${st.loadBalancers} LBs, ${st.dbClusters} clusters, ${st.dbInstances} instances ` +
        `in ${st.scopes} account-regions (${Math.round(performance.now() - t0)} ms)\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`generate: ${(err as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2));
}
