/**
 * The tier chain (issue #13 "Tier chain"): does each intended link of lb → web → app → data have a working path?
 * One verdict per downstream resource (a web server, an app server, a database), from the lateral model
 * (src/exposure/lateral.ts): reachable when some interface of the upstream tier in the same account and region
 * opens a connection to one of the resource's interfaces on the link's ports; `unknown` when none does and some
 * pair could not be decided; else `unreachable`, with what blocks the nearest upstream interface.
 */
import ipaddr from 'ipaddr.js';
import type { Tier } from '../../src/config/schema.js';
import type { ResourceRef } from '../../src/engine/types.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import { analyseLateral } from '../../src/exposure/lateral.js';
import type {
  InterfaceNodeRef,
  LateralPath,
  LateralReach,
  LateralVerdict,
  PathTarget,
  PortQuery,
  ReachStatus,
} from '../../src/exposure/types.js';
import type { Graph, RuleEntry, Scope } from '../../src/graph/model.js';
import { describeProtocolPorts } from './internet.js';
import { authorizeFromGroup } from './tier.js';
import {
  dataPortsOf,
  interfaceLabel,
  interfaceNode,
  resourceKey,
  scopeOf,
  targetResources,
  tcpQuery,
} from './tier-paths.js';

/** The links of the chain, upstream → downstream. */
export type ChainLink = 'lb-web' | 'web-app' | 'app-data';

const CHAIN_LINKS: readonly { link: ChainLink; upstream: Tier; tier: Tier }[] = [
  { link: 'lb-web', upstream: 'lb', tier: 'web' },
  { link: 'web-app', upstream: 'web', tier: 'app' },
  { link: 'app-data', upstream: 'app', tier: 'data' },
];

/** One downstream resource's link verdict. */
export interface LinkVerdict {
  link: ChainLink;
  /** The downstream tier (web, app, data) and the upstream one (lb, web, app). */
  tier: Tier;
  upstream: Tier;
  accountId: string;
  region: string;
  /** The attached instance, database or load balancer when known, else the network interface. */
  resource: ResourceRef;
  /** `eni-1 (instance i-1)`: the resource's first interface and what it is attached to. */
  target: string;
  /** The resource's interfaces, in graph order. */
  interfaces: string[];
  /** What the link is checked on, and as text (`tcp 443`, `tcp 5432`, `tcp (any port)`). */
  query: PortQuery;
  ports: string;
  status: ReachStatus;
  /**
   * `reachable`: the first path (`tcp 8080 from eni-web (instance i-web)`); `unreachable`: the lateral model's
   * reason for the nearest upstream interface (what blocks it); `unknown`: what was not decided.
   */
  reason: string;
  /** The upstream interface the reason is about: the nearest (unreachable), the undecided one, or the initiator. */
  from: InterfaceNodeRef;
  /** `from` as text: `eni-web1 (instance i-web1)`. */
  fromText: string;
  /** `from` first, then the other upstream candidates (distinct resources, at most 5); built on demand. */
  related(): ResourceRef[];
  /** How many upstream interfaces were candidates. */
  candidates: number;
  /**
   * When the target's groups admit no upstream interface on the link ports: the command admitting the nearest one's
   * group to the target's first group on one link port (443 when it is one). Empty otherwise: the blocking hop is
   * the reason's (an egress rule, an ACL entry, a route), the rule's generic remediation says what to open.
   */
  remediation: string[];
  /** When reachable: the paths from upstream interfaces. */
  paths: LateralPath[];
}

/** How the link's ports are chosen (the rule's settings). */
export interface ChainPorts {
  /** settings.ports.web: the ports an unregistered web resource must be reached on. */
  web: readonly number[];
  /** settings.ports.app; unset: any TCP port. */
  app?: readonly number[];
  /** settings.ports.data: when the database's own port is not known. */
  data: readonly number[];
}

const MAX_RELATED = 5;

/**
 * The verdict of every downstream resource of every link in `scopes` (those whose data the rule needs was
 * collected: decidableScopes), by account/region, link and graph order.
 */
export function tierChain(graph: Graph, ports: ChainPorts, scopes: ReadonlySet<Scope>): LinkVerdict[] {
  const out: LinkVerdict[] = [];
  if (scopes.size === 0) return out;
  const model = analyseLateral(graph);
  const exposure = analyseExposure(graph);
  const byScope = new Map<string, Scope>();
  for (const s of graph.scopes) if (scopes.has(s)) byScope.set(scopeKey(s.accountId, s.region), s);
  const tierRefs = (tier: Tier) => bucket(model.interfacesOfTier(tier));
  const web = tierRefs('web');
  const app = tierRefs('app');
  const data = tierRefs('data');
  // Load balancer candidates: lb-tier interfaces and every load balancer's node interfaces, tagged or not, but the
  // nodes of a network load balancer without security groups: nothing of its own filters what it sends, and with
  // client IP preservation its targets see the clients' addresses, not the node's (internet-exposure checks those
  // paths): https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html
  // #client-ip-preservation
  const lbRefs = bucket(
    [
      ...model.interfacesOfTier('lb'),
      ...exposure.interfaces
        .filter((x) => x.target.attachedTo?.type === 'load-balancer')
        .map((x) => refOf(graph, x.accountId, x.region, x.eniId, x.target)),
    ].filter((r) => !groupless(graph, r, lbArnOf(r))),
  );
  for (const [key, scope] of byScope) {
    const registered = registrations(scope);
    const downstreamWeb = (web.get(key) ?? []).filter((r) => r.target.attachedTo?.type !== 'load-balancer');
    const lbWeb = checkLink(graph, model, 'lb-web', lbRefs.get(key) ?? [], downstreamWeb, (r) => {
      const reg = registered.get(r.eniId);
      if (!reg) return { query: tcpQuery(ports.web) };
      // A registered web server is reached by its target groups' load balancers, on the target ports; behind
      // groupless network load balancers only, it is not checked here (see above).
      if ([...reg.lbs].every((arn) => groupless(graph, r, arn))) return undefined;
      return { query: tcpQuery([...reg.ports]), only: reg.lbs };
    });
    const appQuery: PortQuery = ports.app ? tcpQuery(ports.app) : { protocol: 'tcp' };
    const webApp = checkLink(graph, model, 'web-app', web.get(key) ?? [], app.get(key) ?? [], () => ({
      query: appQuery,
    }));
    const appData = checkLink(graph, model, 'app-data', app.get(key) ?? [], data.get(key) ?? [], (r) => ({
      query: tcpQuery(dataPortsOf(scope, r.target, ports.data)),
    }));
    for (const list of [lbWeb, webApp, appData]) for (const v of list) out.push(v);
  }
  return out;
}

/** `tcp 443`, `tcp 80, 443`, `tcp (any port)`. */
function queryText(q: PortQuery): string {
  if (!q.ports) return `${q.protocol} (any port)`;
  return describeProtocolPorts(q.protocol, q.ports);
}

function scopeKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/** Interfaces by account/region, each once, in the order given. */
function bucket(refs: readonly InterfaceNodeRef[]): Map<string, InterfaceNodeRef[]> {
  const out = new Map<string, InterfaceNodeRef[]>();
  const seen = new Set<string>();
  for (const r of refs) {
    const k = scopeKey(r.accountId, r.region);
    if (seen.has(`${k}|${r.eniId}`)) continue;
    seen.add(`${k}|${r.eniId}`);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** An interface of the exposure model as the lateral model names it (its VPC and subnet from the graph). */
function refOf(graph: Graph, accountId: string, region: string, eniId: string, target: PathTarget): InterfaceNodeRef {
  const scope = graph.scopes.find((s) => s.accountId === accountId && s.region === region);
  const eni = scope?.net.interfacesById.get(eniId)?.eni;
  return {
    eniId,
    accountId,
    region,
    ...(eni?.vpcId ? { vpcId: eni.vpcId } : {}),
    ...(eni?.subnetId ? { subnetId: eni.subnetId } : {}),
    target,
  };
}

/** Is `arn` (in the scope of `where`) a network load balancer without security groups? */
function groupless(graph: Graph, where: InterfaceNodeRef, arn: string | undefined): boolean {
  if (arn === undefined) return false;
  const lb = scopeOf(graph, where)?.net.loadBalancersByArn.get(arn)?.lb;
  return lb !== undefined && lb.type === 'network' && lb.securityGroups.length === 0;
}

/** The load balancer ARN of a node interface (`undefined` for an lb-tier interface that is not a node). */
function lbArnOf(r: InterfaceNodeRef): string | undefined {
  const a = r.target.attachedTo;
  return a?.type === 'load-balancer' ? (a.arn ?? a.id) : undefined;
}

/** A registered target's interfaces: the target ports its target groups forward to and their load balancers. */
interface Registration {
  ports: Set<number>;
  lbs: Set<string>;
}

/**
 * Web resources registered in target groups: by interface id, the target ports and the target groups' load
 * balancers. Targets resolve as the exposure model resolves them: an instance target's primary interface (device
 * index 0) when device indexes are known, else its interfaces in the target group's VPC; an IP target's interface
 * holding that private address
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-register-targets.html).
 */
function registrations(scope: Scope): Map<string, Registration> {
  const out = new Map<string, Registration>();
  for (const tg of scope.net.targetGroups.values()) {
    const type = tg.targetType ?? 'instance';
    // A target group no load balancer uses sends nothing: its targets are checked on the web ports.
    if ((type !== 'instance' && type !== 'ip') || !tg.loadBalancerArns?.length) continue;
    const inVpc = (vpcId: string | undefined) => !tg.vpcId || !vpcId || vpcId === tg.vpcId;
    for (const t of tg.targets) {
      const port = t.port ?? tg.port;
      if (port === undefined) continue;
      let enis: string[];
      if (type === 'instance') {
        const all = (scope.net.interfacesByInstance.get(t.id) ?? []).filter((n) => inVpc(n.eni.vpcId));
        const primary = all.filter((n) => n.eni.attachment?.deviceIndex === 0);
        enis = (primary.length ? primary : all.filter((n) => n.eni.attachment?.deviceIndex === undefined)).map(
          (n) => n.eni.id,
        );
      } else {
        const all = scope.net.interfacesByAddress.get(t.id) ?? [];
        const local = all.filter((n) => inVpc(n.eni.vpcId));
        enis = (local.length ? local : all).map((n) => n.eni.id);
      }
      for (const id of enis) {
        let r = out.get(id);
        if (!r) out.set(id, (r = { ports: new Set(), lbs: new Set() }));
        r.ports.add(port);
        for (const arn of tg.loadBalancerArns ?? []) r.lbs.add(arn);
      }
    }
  }
  return out;
}

/** A downstream resource: its ref and its interfaces. */
interface Downstream {
  resource: ResourceRef;
  refs: InterfaceNodeRef[];
}

/** 0: same subnet, 1: same VPC, 2: elsewhere (peered VPCs). */
function distance(a: InterfaceNodeRef, b: InterfaceNodeRef): number {
  if (a.vpcId === undefined || a.vpcId !== b.vpcId) return 2;
  return a.subnetId !== undefined && a.subnetId === b.subnetId ? 0 : 1;
}

/** `tcp 8080 from eni-web (instance i-web)`. */
function pathText(p: LateralPath): string {
  const from = p.from === 'internet' ? (p.source ?? 'internet') : interfaceLabel(p.from);
  return `${describeProtocolPorts(p.protocol, p.ports)} from ${from}`;
}

/** The upstream candidates of a link, indexed once. */
interface Upstream {
  list: readonly InterfaceNodeRef[];
  /** Position in `list` by interface id. */
  index: Map<string, number>;
  /** Load balancer nodes by load balancer ARN. */
  byLb: Map<string, InterfaceNodeRef[]>;
  /** Candidates by subnet and by VPC, in `list` order. */
  bySubnet: Map<string, InterfaceNodeRef[]>;
  byVpc: Map<string, InterfaceNodeRef[]>;
  /** Parallel to `list`: each candidate's security group ids and private IPv4 addresses (as numbers). */
  groups: string[][];
  nums: number[][];
  /** Candidates by security group id. */
  byGroup: Map<string, InterfaceNodeRef[]>;
  /** Every private IPv4 address of the candidates, ascending (`holders[i]` holds `sorted[i]`). */
  sorted: Float64Array;
  holders: InterfaceNodeRef[];
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

function indexUpstream(graph: Graph, list: readonly InterfaceNodeRef[]): Upstream {
  const up: Upstream = {
    list,
    index: new Map(),
    byLb: new Map(),
    bySubnet: new Map(),
    byVpc: new Map(),
    groups: [],
    nums: [],
    byGroup: new Map(),
    sorted: new Float64Array(0),
    holders: [],
  };
  const addresses: { n: number; r: InterfaceNodeRef }[] = [];
  list.forEach((r, i) => {
    up.index.set(r.eniId, i);
    const arn = lbArnOf(r);
    if (arn !== undefined) push(up.byLb, arn, r);
    if (r.subnetId !== undefined) push(up.bySubnet, r.subnetId, r);
    if (r.vpcId !== undefined) push(up.byVpc, r.vpcId, r);
    const eni = interfaceNode(graph, r.eniId)?.eni;
    const groups = [...new Set(eni?.groups ?? [])];
    up.groups.push(groups);
    for (const g of groups) push(up.byGroup, g, r);
    const nums: number[] = [];
    for (const a of eni?.privateIpAddresses ?? []) {
      const n = ipv4Number(a.address);
      if (n === undefined) continue;
      nums.push(n);
      addresses.push({ n, r });
    }
    up.nums.push(nums);
  });
  addresses.sort((a, b) => a.n - b.n);
  up.sorted = Float64Array.from(addresses.map((a) => a.n));
  up.holders = addresses.map((a) => a.r);
  return up;
}

function ipv4Number(address: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  return ipaddr.IPv4.parse(address).octets.reduce((n, o) => n * 256 + o, 0);
}

const ranges = new Map<string, [number, number] | undefined>();

/** `[first, last]` address of an IPv4 CIDR as numbers; `undefined` for IPv6 or a malformed one. */
function ipv4Range(cidr: string): [number, number] | undefined {
  if (ranges.has(cidr)) return ranges.get(cidr);
  const r = parseRange(cidr);
  if (ranges.size < 100_000) ranges.set(cidr, r);
  return r;
}

function parseRange(cidr: string): [number, number] | undefined {
  try {
    const [addr, len] = ipaddr.IPv4.parseCIDR(cidr);
    const size = 2 ** (32 - len);
    const lo = Math.floor(addr.octets.reduce((n, o) => n * 256 + o, 0) / size) * size;
    return [lo, lo + size - 1];
  } catch {
    return undefined;
  }
}

/** Does a TCP query overlap the entry (tcp or all traffic, on the query's ports)? */
function entryMatches(e: RuleEntry, query: PortQuery): boolean {
  if (e.protocol === 'all') return true;
  if (e.protocol !== 'tcp') return false;
  return !query.ports || query.ports.some(([a, b]) => e.fromPort <= b && a <= e.toPort);
}

/** Index of the first of `nums` (ascending) that is ≥ `x`. */
function lowerBound(nums: Float64Array, x: number): number {
  let lo = 0;
  let hi = nums.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nums[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A set of candidates this size or smaller is sorted nearest first; a larger one is tested while walking the pool. */
const SMALL = 64;

/** The candidates a target admits: every one (cannot be told), a test, or (few of them) the set itself. */
type Admission =
  | { kind: 'all' }
  | { kind: 'test'; test: (c: InterfaceNodeRef) => boolean }
  | { kind: 'set'; set: Set<InterfaceNodeRef> };

/**
 * Which candidates `to`'s security groups admit (on `query`; on any TCP port when `undefined`) — a necessary condition
 * of a path, the target's ingress must name the initiator: members of a referenced group, holders of an address a
 * range or resolved prefix list covers. Every candidate when it cannot be told (a group of the interface, or a prefix
 * list's entries, not in the snapshot: the model then says what is unknown). Found by index (groups, sorted
 * addresses); a test instead when more than SMALL are.
 */
function admission(graph: Graph, to: InterfaceNodeRef, upstream: Upstream, query: PortQuery | undefined): Admission {
  const node = interfaceNode(graph, to.eniId);
  if (!node || node.groups.length < new Set(node.eni.groups).size) return { kind: 'all' };
  const groups = new Set<string>();
  const spans: [number, number][] = [];
  for (const g of node.groups) {
    for (const e of g.ingress) {
      if (!entryMatches(e, query ?? { protocol: 'tcp' })) continue;
      const src = e.source;
      if (src.kind === 'group') groups.add(src.groupId);
      else if (src.kind === 'prefixList' && !src.entries) return { kind: 'all' };
      else {
        for (const c of src.kind === 'cidr' ? [src.cidr] : (src.entries ?? [])) {
          const r = ipv4Range(c.cidr);
          if (r) spans.push(r);
        }
      }
    }
  }
  const test = (c: InterfaceNodeRef) => {
    const i = upstream.index.get(c.eniId);
    if (i === undefined) return false;
    if (upstream.groups[i].some((g) => groups.has(g))) return true;
    return upstream.nums[i].some((n) => spans.some(([lo, hi]) => lo <= n && n <= hi));
  };
  const set = new Set<InterfaceNodeRef>();
  for (const g of groups) {
    for (const r of upstream.byGroup.get(g) ?? []) {
      set.add(r);
      if (set.size > SMALL) return { kind: 'test', test };
    }
  }
  for (const [lo, hi] of spans) {
    for (let i = lowerBound(upstream.sorted, lo); i < upstream.sorted.length && upstream.sorted[i] <= hi; i++) {
      set.add(upstream.holders[i]);
      if (set.size > SMALL) return { kind: 'test', test };
    }
  }
  return { kind: 'set', set };
}

/** The candidates of `pool` (not `own`) a target admits, nearest first, lazily. */
function* admittedNearestFirst(
  to: InterfaceNodeRef,
  pool: Pool,
  upstream: Upstream,
  own: ReadonlySet<string>,
  a: Admission,
): Generator<InterfaceNodeRef> {
  if (a.kind === 'set') {
    yield* [...a.set]
      .filter((c) => pool.has(c.eniId) && !own.has(c.eniId))
      .map((c) => ({ c, i: upstream.index.get(c.eniId)!, d: distance(c, to) }))
      .sort((x, y) => x.d - y.d || x.i - y.i)
      .map((x) => x.c);
    return;
  }
  for (const c of nearestFirst(to, pool.list, upstream)) {
    if (!own.has(c.eniId) && (a.kind === 'all' || a.test(c))) yield c;
  }
}

/** The candidates one downstream interface is judged against: the whole upstream list or some LB's nodes. */
interface Pool {
  list: readonly InterfaceNodeRef[];
  has(id: string): boolean;
}

/**
 * The pool in nearest-first order, lazily: the same subnet as `to`, then the same VPC, then the rest (peered VPCs),
 * each in graph order. A small pool (a load balancer's nodes) is sorted; the whole list is walked by its indexes.
 */
function* nearestFirst(
  to: InterfaceNodeRef,
  pool: readonly InterfaceNodeRef[],
  upstream: Upstream,
): Generator<InterfaceNodeRef> {
  if (pool !== upstream.list) {
    yield* pool
      .map((c, i) => ({ c, i, d: distance(c, to) }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .map((x) => x.c);
    return;
  }
  const sameSubnet = to.subnetId !== undefined && to.vpcId !== undefined ? upstream.bySubnet.get(to.subnetId) : [];
  for (const c of sameSubnet ?? []) if (c.vpcId === to.vpcId) yield c;
  const sameVpc = to.vpcId !== undefined ? (upstream.byVpc.get(to.vpcId) ?? []) : [];
  for (const c of sameVpc) if (distance(c, to) === 1) yield c;
  for (const c of pool) if (distance(c, to) === 2) yield c;
}

/** What one downstream interface is checked on, and (a registered web server) the load balancers that count. */
interface Ask {
  query: PortQuery;
  /** ARNs of the load balancers whose nodes are the candidates, when some of them has a node in the estate. */
  only?: ReadonlySet<string>;
}

/**
 * Verdicts of one link in one account/region: each downstream resource (interfaces grouped by resource) against
 * the upstream candidates (its own interfaces excluded). No upstream candidate: nothing (another rule's concern).
 * A resource is reachable when one of its interfaces is; else unknown when one is undecided; else unreachable.
 */
function checkLink(
  graph: Graph,
  model: LateralReach,
  link: ChainLink,
  upstreamList: readonly InterfaceNodeRef[],
  downstream: readonly InterfaceNodeRef[],
  ask: (r: InterfaceNodeRef) => Ask | undefined,
): LinkVerdict[] {
  if (upstreamList.length === 0 || downstream.length === 0) return [];
  const { tier, upstream: upTier } = CHAIN_LINKS.find((l) => l.link === link)!;
  const upstream = indexUpstream(graph, upstreamList);
  const groups = new Map<string, Downstream>();
  for (const r of downstream) {
    for (const resource of targetResources(r.target)) {
      const k = resourceKey(r.accountId, r.region, resource);
      const g = groups.get(k);
      if (g) g.refs.push(r);
      else groups.set(k, { resource, refs: [r] });
    }
  }
  const out: LinkVerdict[] = [];
  for (const { resource, refs } of groups.values()) {
    const own = new Set(refs.map((r) => r.eniId));
    let verdict: InterfaceVerdict | undefined;
    for (const r of refs) {
      const question = ask(r);
      const v = question && judgeInterface(graph, model, r, upstream, own, question);
      if (!v) continue;
      if (!verdict || RANK[v.status] < RANK[verdict.status]) verdict = v;
      if (v.status === 'reachable') break;
    }
    if (!verdict) continue; // every upstream candidate is the resource itself
    out.push({
      link,
      tier,
      upstream: upTier,
      accountId: refs[0].accountId,
      region: refs[0].region,
      resource,
      target: interfaceLabel(verdict.to.target),
      interfaces: refs.map((r) => r.eniId),
      query: verdict.query,
      ports: queryText(verdict.query),
      status: verdict.status,
      reason: verdict.reason,
      from: verdict.from,
      fromText: interfaceLabel(verdict.from.target),
      related: () => relatedOf(verdict.from, verdict.candidates),
      candidates: verdict.count,
      paths: verdict.paths,
      remediation: verdict.status === 'unreachable' && verdict.ingressBlocked ? ingressFix(graph, verdict) : [],
    });
  }
  return out;
}

/** Which interface verdict speaks for a resource: a working path, else an undecided one, else a blocked one. */
const RANK: Record<ReachStatus, number> = { reachable: 0, unknown: 1, unreachable: 2 };

interface InterfaceVerdict {
  status: ReachStatus;
  reason: string;
  to: InterfaceNodeRef;
  from: InterfaceNodeRef;
  /** The candidates the related resources are taken from: `from` first when unreachable. */
  candidates: readonly InterfaceNodeRef[];
  count: number;
  query: PortQuery;
  paths: LateralPath[];
  /** Unreachable because the target's groups admit no candidate on the query. */
  ingressBlocked?: boolean;
}

/**
 * One downstream interface: the lateral model's one-step paths into it (one `inbound` question, not one per
 * candidate) from a candidate; else what it could not decide for a candidate; else `between` the nearest candidate
 * and the interface, for what blocks it. Nearest: one the interface's groups admit (on any port), then the same
 * subnet, the same VPC, the rest (peered VPCs), in graph order. `undefined` when no candidate is left.
 */
function judgeInterface(
  graph: Graph,
  model: LateralReach,
  to: InterfaceNodeRef,
  upstream: Upstream,
  own: ReadonlySet<string>,
  { query, only }: Ask,
): InterfaceVerdict | undefined {
  let pool: Pool = { list: upstream.list, has: (id) => upstream.index.has(id) };
  if (only) {
    const nodes = [...only].flatMap((arn) => upstream.byLb.get(arn) ?? []);
    if (nodes.length) {
      const ids = new Set(nodes.map((n) => n.eniId));
      pool = { list: nodes, has: (id) => ids.has(id) };
    }
  }
  let ownInPool = 0;
  for (const id of own) if (pool.has(id)) ownInPool++;
  const count = pool.list.length - ownInPool;
  if (count <= 0) return undefined;
  const base = { to, query, count, candidates: pool.list };
  // Only the candidates the target admits on the query can reach it: ask about them, nearest first, until one does.
  let unknown: { from: InterfaceNodeRef; reason: string } | undefined;
  let first: { from: InterfaceNodeRef; v: LateralVerdict } | undefined;
  for (const c of admittedNearestFirst(to, pool, upstream, own, admission(graph, to, upstream, query))) {
    const v = model.between(c.eniId, to.eniId, query);
    if (v.status === 'reachable') {
      return { ...base, status: 'reachable', reason: pathText(v.paths[0]), from: c, paths: v.paths };
    }
    if (v.status === 'unknown') unknown ??= { from: c, reason: v.reason };
    first ??= { from: c, v };
  }
  if (unknown) return { ...base, status: 'unknown', reason: unknown.reason, from: unknown.from, paths: [] };
  // Nothing upstream gets through: what blocks the nearest candidate (the first asked, when any was admitted), else
  // the nearest admitted on another TCP port (the port blocks it), else the nearest.
  const nearest =
    first?.from ??
    firstOf(admittedNearestFirst(to, pool, upstream, own, admission(graph, to, upstream, undefined))) ??
    nearestFirstNotOwn(to, pool, upstream, own);
  const v = first?.v ?? model.between(nearest.eniId, to.eniId, query);
  // No candidate admitted on the query (the model was asked about every one it could not rule out): the target's
  // ingress surely blocks.
  return { ...base, status: v.status, reason: v.reason, from: nearest, paths: v.paths, ingressBlocked: !first };
}

/** `authorize-security-group-ingress` on the target's first group from the nearest candidate's first group. */
function ingressFix(graph: Graph, v: InterfaceVerdict): string[] {
  const target = interfaceNode(graph, v.to.eniId)?.groups[0];
  const source = interfaceNode(graph, v.from.eniId)?.groups[0];
  const spans = v.query.ports;
  if (!target || !source || !spans?.length) return [];
  const port = spans.some(([a, b]) => a <= 443 && 443 <= b) ? 443 : spans[0][0];
  return [authorizeFromGroup(target.region, target.id, target.accountId, port, source)];
}

function firstOf<T>(items: Iterable<T>): T | undefined {
  for (const x of items) return x;
  return undefined;
}

function nearestFirstNotOwn(
  to: InterfaceNodeRef,
  pool: Pool,
  upstream: Upstream,
  own: ReadonlySet<string>,
): InterfaceNodeRef {
  for (const c of nearestFirst(to, pool.list, upstream)) if (!own.has(c.eniId)) return c;
  throw new Error('no candidate'); // count > 0: unreachable
}

function relatedOf(from: InterfaceNodeRef, candidates: readonly InterfaceNodeRef[]): ResourceRef[] {
  const out: ResourceRef[] = [];
  const seen = new Set<string>();
  const add = (c: InterfaceNodeRef) => {
    for (const r of targetResources(c.target)) {
      const k = resourceKey(c.accountId, c.region, r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  };
  add(from);
  for (const c of candidates) {
    if (out.length >= MAX_RELATED) break;
    add(c);
  }
  return out.slice(0, MAX_RELATED);
}
