/**
 * Lateral reachability (issue #13): can network interface A open a connection to interface B, on which protocol and
 * ports, and by which path? Computed over the graph, cached per graph, pure (everything comes from the snapshot).
 *
 * A → B on (protocol, ports) when all of these hold, each recorded as a hop (the contract: src/exposure/types.ts):
 * 1. routing: the initiator's subnet route table (explicit association, else the VPC's main table) routes B's private
 *    address, by longest prefix match (blackhole routes excluded), to the `local` route when both are in the same
 *    VPC; across VPCs to an `active` VPC peering connection between the two VPCs, and B's subnet route table routes
 *    A's address back over the same connection ("Update your route tables for a VPC peering connection",
 *    https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html); a route to a transit gateway (and a
 *    return route to one) is reachable with the assumption "via tgw-…, not modelled further";
 * 2. A's security groups allow the packet out: an egress permission referencing one of B's groups, or a CIDR /
 *    resolved prefix list holding B's private address ("Security group rules",
 *    https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html);
 * 3. B's security groups admit it: an ingress permission referencing one of A's groups (a self reference when they
 *    share it), or a CIDR / prefix list holding A's private address. Security groups are stateful: the reply needs
 *    no rule. A reference to a group in a peered VPC counts only within one Region: "You can't reference the
 *    security group of a peer VPC that's in a different Region" ("Update your security groups to reference peer
 *    security groups", https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html);
 * 4. in different subnets, A's subnet network ACL lets the packet out and its reply (ephemeral ports 1024-65535)
 *    in, and B's lets it in and the reply out (ACLs are stateless). In the same subnet no ACL is evaluated: "network
 *    ACL rules are evaluated when traffic enters and leaves the subnet, not as it is routed within a subnet"
 *    ("Control subnet traffic with network access control lists",
 *    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
 * The path's ports are what every leg admits. Data that decides a leg and was not collected makes the verdict
 * `unknown`, never `unreachable`; a leg that surely blocks makes it `unreachable`.
 *
 * The initiator's address is its primary private IPv4 (what it sends from); the target's too (IPv6 lateral paths
 * are not modelled yet).
 *
 * Scale: interfaces are grouped into classes by (scope, VPC, subnet, set of security groups); candidates of
 * `inbound` come from the target's ingress sources — classes holding a referenced group, and interval lookups over
 * the sorted private addresses of the VPCs that may route to the target for CIDR sources — never from every pair.
 */
import ipaddr from 'ipaddr.js';
import { TIERS, type Tier } from '../config/schema.js';
import type { Graph, GroupNode, InterfaceNode, RuleEntry, Scope } from '../graph/model.js';
import type { LoadBalancer, ResourceKind, VpcPeeringConnection } from '../snapshot/schema.js';
import { aclHop, analyseExposure, compare, holds, mergeSpans, ScopeContext, spanText } from './internet.js';
import { aclAdmitsFlow, aclFor, allowAllHops, type AclFlowVerdict, type AclPacket, type NetworkAcl } from './nacl.js';
import {
  parseBlock,
  routeForAddress,
  routeTableFor,
  routeTargetText,
  type AddressRoute,
  type PrefixList as RoutePrefixList,
  type RouteTable,
} from './routes.js';
import type {
  ExposurePath,
  Hop,
  InboundOptions,
  InterfaceNodeRef,
  LateralEnd,
  LateralPath,
  LateralQuery,
  LateralReach,
  LateralSearch,
  LateralVerdict,
  PathTarget,
  PortQuery,
  PortSpan,
} from './types.js';

const cache = new WeakMap<Graph, LateralReach>();

/** The estate's lateral reachability; indexes built on the first call, then cached for the graph. */
export function analyseLateral(graph: Graph): LateralReach {
  let result = cache.get(graph);
  if (!result) {
    const model = new Lateral(graph);
    result = {
      tiersOf: (eniId) => model.tiersOf(eniId),
      interfacesOfTier: (tier) => model.interfacesOfTier(tier),
      between: (from, to, query) => model.between(from, to, query),
      inbound: (to, query, options) => model.inbound(to, query, options),
      search: (from, to, query) => model.search(from, to, query),
    };
    cache.set(graph, result);
  }
  return result;
}

// ---- model ----

/** Kinds every lateral path needs in the scopes of both ends. */
const ROUTE_KINDS: ResourceKind[] = ['subnets', 'routeTables'];

interface ScopeInfo {
  scope: Scope;
  /** `subnets, routeTables not collected in …` when lacking, per need. */
  missingRoute?: string;
  missingAcl?: string;
  missingPcx?: string;
  ctx: ScopeContext;
  prefixLists: RoutePrefixList[];
  /** Route lookups per (route table, destination address). */
  routes: Map<RouteTable, Map<string, AddressRoute>>;
  /** ACL verdicts per (ACL, direction, peer, flow). */
  acls: Map<string, AclFlowVerdict>;
}

interface Vpc {
  key: string;
  scope: ScopeInfo;
  vpcId: string;
  /** Interfaces with a private IPv4, sorted by address. */
  sorted: Iface[];
  nums: Float64Array;
  /** CIDRs of the VPC (for "no route from subnet-… to 10.1.0.0/16"). */
  cidrs: string[];
}

interface Cls {
  scope: ScopeInfo;
  vpcId?: string;
  subnetId?: string;
  /** The interface's group ids as listed (some may be missing from the snapshot). */
  groupIds: string[];
  groups: GroupNode[];
  /** Group ids of the interface that are not in the snapshot. */
  missing: string[];
  members: Iface[];
  table?: { table: RouteTable } | { reason: string };
  acl?: { acl: NetworkAcl } | { reason: string };
}

interface Iface {
  node: InterfaceNode;
  index: number;
  cls: Cls;
  vpc?: Vpc;
  address?: string;
  num?: number;
  ref?: InterfaceNodeRef;
  tiers?: Tier[];
}

/** One (protocol, ports) a security-group permission admits. `*`: every protocol. */
interface Grant {
  entry: RuleEntry;
  protocol: string;
  span: PortSpan;
}

type Decision =
  | { status: 'reachable'; paths: LateralPath[] }
  | { status: 'unreachable'; reason: string }
  | { status: 'unknown'; reason: string };

type Leg<T> =
  { status: 'ok'; value: T } | { status: 'unreachable'; reason: string } | { status: 'unknown'; reason: string };

interface RouteLeg {
  hops: Hop[];
  assumptions?: string[];
}

/** A part of a path: protocol and ports with the permissions (and ACL entries) that admit them. */
interface Piece {
  protocol: string;
  span: PortSpan;
  egress: RuleEntry;
  ingress: RuleEntry;
  aclOut?: Hop;
  aclIn?: Hop;
}

/** A route that may take traffic for [lo, hi] out of its VPC: to a peer VPC (`''`: unknown), a tgw, or elsewhere. */
interface ReachRoute {
  lo: number;
  hi: number;
  peerVpcId?: string;
  tgw?: string;
}

const NO_TGW = new Set<string>();

interface FastEntry {
  entry: RuleEntry;
  /** Later entries of the same permission (its other sources), for the first one. */
  siblings?: FastEntry[];
  /** `pieces` merged per protocol, shared by the paths. */
  merged?: [string, PortSpan[]][];
  /** The first entry of its permission (entries of one permission, one per source, make one hop). */
  first: boolean;
  /** What it admits from an initiator whose egress allows all traffic, within the query. */
  pieces: [string, PortSpan][];
  groupId?: string;
}

interface FastTarget {
  b: Iface;
  entries: FastEntry[];
  /** The initiators' route tables' verdict for B's address. */
  routes: Map<RouteTable, AddressRoute>;
  /** Per initiator class in B's VPC: the class-wide part of fastPair. */
  byCls?: Map<Cls, FastPrefix | typeof FALLBACK>;
}

const NOT_ADMITTED = Symbol('not admitted');
const FALLBACK = Symbol('fallback');

/** The part of the common case that depends on the initiator's class only (see fastPair). */
interface FastPrefix {
  egress: RuleEntry;
  routeHops: Hop[];
  assumptions?: string[];
}

const FULL: PortSpan = [0, 65535];
const ANY_ICMP: PortSpan = [-1, -1];

class Lateral {
  private readonly ifaces: Iface[] = [];
  private readonly byId = new Map<string, Iface>();
  private readonly byNode = new Map<InterfaceNode, Iface>();
  private readonly classesByGroup = new Map<string, Cls[]>();
  private readonly vpcs = new Map<string, Vpc>();
  private readonly scopes = new Map<Scope, ScopeInfo>();
  private readonly peerings = new Map<string, { pcx: VpcPeeringConnection; scope: Scope }>();
  /** VPC key → VPC keys whose route tables may send traffic to it (itself, peers, transit gateway neighbours). */
  /** The initiator of each one-step path made here. */
  private initiators?: Map<LateralPath, Iface>;
  /** Per interface index: the `candidates` call that last listed it. */
  private stamps?: Uint32Array;
  private stamp = 0;
  private readonly tierCache = new Map<Tier, InterfaceNodeRef[]>();

  constructor(private readonly graph: Graph) {
    const classes = new Map<string, Cls>();
    for (const scope of graph.scopes) {
      const info: ScopeInfo = {
        scope,
        ctx: new ScopeContext(scope),
        prefixLists: [...scope.prefixLists.values()].map((p) => ({ id: p.id, entries: p.entries?.map((e) => e.cidr) })),
        routes: new Map(),
        acls: new Map(),
        missingRoute: missingKinds(scope, ROUTE_KINDS),
        missingAcl: missingKinds(scope, ['networkAcls']),
        missingPcx: missingKinds(scope, ['vpcPeeringConnections']),
      };
      this.scopes.set(scope, info);
      const pcxs = scope.collected.has('vpcPeeringConnections') ? scope.snapshot.vpcPeeringConnections : [];
      for (const pcx of pcxs) {
        if (!this.peerings.has(pcx.id)) this.peerings.set(pcx.id, { pcx, scope });
      }
      for (const node of scope.networkInterfaces) {
        const eni = node.eni;
        const groupIds = [...eni.groups].sort();
        const key = `${scope.key}|${eni.vpcId ?? ''}|${eni.subnetId ?? ''}|${groupIds.join(',')}`;
        let cls = classes.get(key);
        if (!cls) {
          const missing = eni.groups.filter((id) => !node.groups.some((g) => g.id === id));
          cls = {
            scope: info,
            vpcId: eni.vpcId,
            subnetId: eni.subnetId,
            groupIds,
            groups: node.groups,
            missing,
            members: [],
          };
          classes.set(key, cls);
          for (const id of groupIds) push(this.classesByGroup, id, cls);
        }
        const address = primaryAddress(node);
        const iface: Iface = { node, index: this.ifaces.length, cls, address };
        if (address !== undefined) iface.num = ipv4Number(address);
        cls.members.push(iface);
        this.ifaces.push(iface);
        this.byNode.set(node, iface);
        if (!this.byId.has(eni.id)) this.byId.set(eni.id, iface);
        if (eni.vpcId !== undefined) {
          const vkey = vpcKey(scope, eni.vpcId);
          let vpc = this.vpcs.get(vkey);
          if (!vpc) {
            const cidrs = scope.net.vpcs.get(eni.vpcId)?.cidrBlocks ?? [];
            vpc = { key: vkey, scope: info, vpcId: eni.vpcId, sorted: [], nums: new Float64Array(0), cidrs };
            this.vpcs.set(vkey, vpc);
          }
          iface.vpc = vpc;
          if (iface.num !== undefined) vpc.sorted.push(iface);
        }
      }
    }
    for (const vpc of this.vpcs.values()) {
      vpc.sorted.sort((a, b) => a.num! - b.num!);
      vpc.nums = Float64Array.from(vpc.sorted, (i) => i.num!);
    }
  }

  // ---- names and tiers ----

  private refOf(i: Iface): InterfaceNodeRef {
    if (!i.ref) {
      const { eni, scope } = i.node;
      const target: PathTarget = this.scopeInfo(scope).ctx.targetOf(i.node);
      i.ref = { eniId: eni.id, accountId: scope.accountId, region: scope.region, target };
      if (eni.vpcId !== undefined) i.ref.vpcId = eni.vpcId;
      if (eni.subnetId !== undefined) i.ref.subnetId = eni.subnetId;
    }
    return i.ref;
  }

  private scopeInfo(scope: Scope): ScopeInfo {
    return this.scopes.get(scope)!;
  }

  tiersOf(eniId: string): Tier[] {
    const i = this.byId.get(eniId);
    return i ? this.tiersOfIface(i) : [];
  }

  /** Own tags, else the attached resource's, else the security groups'. */
  private tiersOfIface(i: Iface): Tier[] {
    if (i.tiers) return i.tiers;
    const node = i.node;
    let tiers: Tier[] = node.tiers;
    if (tiers.length === 0) tiers = this.attachedTiers(i);
    if (tiers.length === 0) tiers = ordered(node.groups.flatMap((g) => g.tiers));
    i.tiers = tiers;
    return tiers;
  }

  private attachedTiers(i: Iface): Tier[] {
    const { node } = i;
    const scope = node.scope;
    const info = this.scopeInfo(scope);
    const lbNode = info.ctx.loadBalancerOf(node);
    if (lbNode) return ordered(lbNode.tiers);
    const attached = this.refOf(i).target.attachedTo;
    if (!attached) return [];
    if (attached.type === 'instance') {
      const others = scope.net.interfacesByInstance.get(attached.id) ?? [];
      return ordered(others.flatMap((n) => n.tiers));
    }
    if (attached.type === 'db-instance' || attached.type === 'db-cluster') {
      const ids = [attached, ...(attached.alternatives ?? [])];
      const out: Tier[] = [];
      for (const a of ids) {
        if (a.type === 'db-cluster') {
          out.push(...(scope.dbClusters.find((c) => c.cluster.id === a.id)?.tiers ?? []));
          continue;
        }
        const db = scope.dbInstances.find((d) => d.instance.id === a.id);
        if (!db) continue;
        const own = db.tiers;
        const clusterId = db.instance.clusterId;
        out.push(
          ...(own.length || !clusterId ? own : (scope.dbClusters.find((c) => c.cluster.id === clusterId)?.tiers ?? [])),
        );
      }
      return ordered(out);
    }
    return [];
  }

  interfacesOfTier(tier: Tier): InterfaceNodeRef[] {
    let list = this.tierCache.get(tier);
    if (!list) {
      list = this.ifaces.filter((i) => this.tiersOfIface(i).includes(tier)).map((i) => this.refOf(i));
      this.tierCache.set(tier, list);
    }
    return list;
  }

  // ---- one pair ----

  between(fromEni: string, toEni: string, query?: PortQuery): LateralVerdict {
    const a = this.byId.get(fromEni);
    const b = this.byId.get(toEni);
    if (!a || !b) {
      const missing = !a ? fromEni : toEni;
      return { status: 'unknown', reason: `${missing} is not a network interface of the snapshot`, paths: [] };
    }
    if (a === b) return { status: 'unreachable', reason: `${fromEni} is the target itself`, paths: [] };
    // A caller asking about many initiators of one target (tier-chain-broken) shares the target's side: the last
    // (target, query) is kept; the common case's single path is the one `decide` finds.
    let fast = this.lastFast;
    if (!fast || fast.b !== b || fast.query !== query) {
      fast = this.lastFast = { b, query, t: this.fastTarget(b, query) };
    }
    const quick = fast.t && this.fastPair(a, b, fast.t);
    if (quick && quick !== NOT_ADMITTED && quick.length === 1) {
      return { status: 'reachable', reason: describeLateral(quick[0]), paths: quick };
    }
    const d = this.decide(a, b, query);
    if (d.status !== 'reachable') return { status: d.status, reason: d.reason, paths: [] };
    return { status: 'reachable', reason: describeLateral(d.paths[0]), paths: d.paths };
  }

  /** The verdict for A → B: every leg, the first that surely blocks (in packet order) decides, else unknown. */
  /** `shared`: ACL verdicts may be shared by the addresses of a subnet no entry splits (the reason names one). */
  private decide(a: Iface, b: Iface, query?: PortQuery, shared = false): Decision {
    const unknownEnd = endUnknown(a) ?? endUnknown(b);
    if (unknownEnd) return { status: 'unknown', reason: unknownEnd };
    const sg = this.groupLeg(a, b, query);
    if (sg.status === 'unreachable') return { status: 'unreachable', reason: sg.reason };
    const route = this.routeLeg(a, b);
    if (route.status === 'unreachable') return { status: 'unreachable', reason: route.reason };
    if (sg.status === 'unknown') return { status: 'unknown', reason: sg.reason };
    const acl = this.aclLeg(a, b, sg.value, shared);
    if (acl.status === 'unreachable') return { status: 'unreachable', reason: acl.reason };
    if (route.status === 'unknown') return { status: 'unknown', reason: route.reason };
    if (acl.status === 'unknown') return { status: 'unknown', reason: acl.reason };
    return { status: 'reachable', paths: this.pathsOf(a, b, acl.value, route.value) };
  }

  // ---- security groups ----

  /** Egress of A's groups towards B, ingress of B's groups from A, intersected (and restricted to the query). */
  private groupLeg(a: Iface, b: Iface, query?: PortQuery): Leg<Piece[]> {
    const out = this.grants(a, b, 'egress');
    const inn = this.grants(b, a, 'ingress');
    if (out.grants.length === 0) {
      if (out.unknown) return { status: 'unknown', reason: out.unknown };
      const nlb = this.groupLessNlb(a);
      if (nlb) {
        const what = `${a.node.eni.id} is a node of network load balancer ${nlb.name}, which has no security groups`;
        // A load balancer node opens connections only to its registered targets (and their health checks).
        return this.nlbTargets(a, nlb).has(b.node.eni.id)
          ? {
              status: 'unknown',
              reason: `${what}: it forwards to ${b.node.eni.id} on what its listeners decide, not modelled here`,
            }
          : {
              status: 'unreachable',
              reason: `${what}: it forwards only to its registered targets; ${b.node.eni.id} is not one`,
            };
      }
      const groups = a.cls.groupIds.join(', ') || `${a.node.eni.id} (no security group)`;
      return { status: 'unreachable', reason: `${groups} egress allows nothing to ${b.node.eni.id} (${b.address})` };
    }
    if (inn.grants.length === 0) {
      if (inn.unknown) return { status: 'unknown', reason: inn.unknown };
      const nlb = this.groupLessNlb(b);
      if (nlb) {
        return {
          status: 'unknown',
          reason:
            `${b.node.eni.id} is a node of network load balancer ${nlb.name}, which has no security groups: ` +
            `what it admits is decided by its listeners, not modelled for lateral paths`,
        };
      }
      const groups = b.cls.groupIds.join(', ') || `${b.node.eni.id} (no security group)`;
      return { status: 'unreachable', reason: `${groups} admits nothing from ${a.node.eni.id} (${a.address})` };
    }
    // Per ingress permission: the first egress permission that lets all of it out names the path; when none
    // does, each egress permission lets its part out.
    const pieces: Piece[] = [];
    for (const i of inn.grants) {
      const cover = out.grants.find((e) => covers(e, i));
      for (const e of cover ? [cover] : out.grants) {
        for (const [protocol, span] of intersect(e, i, query)) {
          pieces.push({ protocol, span, egress: e.entry, ingress: i.entry });
        }
      }
    }
    if (pieces.length) return { status: 'ok', value: pieces };
    const unknown = out.unknown ?? inn.unknown;
    if (unknown) return { status: 'unknown', reason: unknown };
    const on = query ? ` (asked: ${queryText(query)})` : '';
    const egressGroups = uniq(out.grants.map((g) => g.entry.group.id)).join(', ');
    const ingressGroups = uniq(inn.grants.map((g) => g.entry.group.id)).join(', ');
    const sources = uniq(inn.grants.map((g) => sourceText(g.entry))).join(', ');
    // When A's egress lets the query out and B's ingress admits none of it, B's ingress alone blocks: say so.
    const outOk = !query || out.grants.some((e) => intersect(e, ANY_GRANT, query).length > 0);
    const inOk = !query || inn.grants.some((i) => intersect(ANY_GRANT, i, query).length > 0);
    if (query && outOk && !inOk) {
      return {
        status: 'unreachable',
        reason:
          `${ingressGroups} admits nothing from ${sources} on ${queryText(query)} to ${b.node.eni.id}: ` +
          `it admits ${grantsText(inn.grants)} from ${sources}`,
      };
    }
    return {
      status: 'unreachable',
      reason:
        `${egressGroups} egress allows only ${grantsText(out.grants)}; ` +
        `${ingressGroups} admits ${grantsText(inn.grants)} from ${sources}${on}`,
    };
  }

  /**
   * The permissions of `self`'s groups in `direction` whose source (egress: destination) holds `peer`: a reference
   * to one of its groups, or a CIDR / resolved prefix list holding its private address.
   */
  private grants(self: Iface, peer: Iface, direction: 'egress' | 'ingress'): { grants: Grant[]; unknown?: string } {
    const grants: Grant[] = [];
    let unknown: string | undefined;
    if (self.cls.missing.length) {
      unknown = `security group ${self.cls.missing.join(', ')} of ${self.node.eni.id} is not in the snapshot`;
    }
    const refOk = referenceCounts(self, peer);
    for (const group of self.cls.groups) {
      for (const entry of direction === 'egress' ? group.egress : group.ingress) {
        const s = entry.source;
        let match = false;
        if (s.kind === 'group') match = refOk && peer.cls.groupIds.includes(s.groupId);
        else if (s.kind === 'cidr') match = inRanges(sourceRanges(entry), peer.num!);
        else if (!s.entries) {
          const where = `${group.id} ${direction} ${entry.permissionIndex}`;
          unknown ??= `the entries of prefix list ${s.prefixListId} (${where}) were not collected`;
        } else match = inRanges(sourceRanges(entry), peer.num!);
        if (match) grants.push(grantOf(entry));
      }
    }
    return unknown ? { grants, unknown } : { grants };
  }

  /** The network load balancer whose node `i` is, when it has no security groups (none filter it). */
  private groupLessNlb(i: Iface): LoadBalancer | undefined {
    if (i.cls.groupIds.length) return undefined;
    const lb = this.scopeInfo(i.node.scope).ctx.loadBalancerOf(i.node)?.lb;
    return lb && lb.type === 'network' && !(lb.securityGroups ?? []).length ? lb : undefined;
  }

  /** The interfaces registered as targets of the load balancer (by ENI id), once per load balancer. */
  private nlbTargets(i: Iface, lb: LoadBalancer): Set<string> {
    let set = this.lbTargets.get(lb.arn);
    if (!set) {
      set = new Set();
      const ctx = this.scopeInfo(i.node.scope).ctx;
      for (const tg of i.node.scope.net.targetGroups.values()) {
        if (!tg.loadBalancerArns.includes(lb.arn)) continue;
        for (const t of tg.targets) for (const n of ctx.targetInterfaces(tg, t.id)) set.add(n.eni.id);
      }
      this.lbTargets.set(lb.arn, set);
    }
    return set;
  }

  private readonly lbTargets = new Map<string, Set<string>>();

  private lastFast?: { b: Iface; query?: PortQuery; t?: FastTarget };

  // ---- routing ----

  private routeLeg(a: Iface, b: Iface): Leg<RouteLeg> {
    const missing = a.cls.scope.missingRoute ?? b.cls.scope.missingRoute;
    if (missing) return { status: 'unknown', reason: missing };
    const tableA = this.tableOf(a.cls);
    if ('reason' in tableA) return { status: 'unknown', reason: tableA.reason };
    const there = this.lookupRoute(a.cls.scope, tableA.table, b.address!);
    const sameVpc = a.vpc === b.vpc;
    if (there.status === 'unknown') return { status: 'unknown', reason: there.reason };
    if (there.status === 'none') {
      const to = b.vpc?.cidrs.find((c) => holds(c, b.address!)) ?? b.address!;
      const skipped = there.skippedBlackholes?.length
        ? ` (blackhole route ${there.skippedBlackholes.join(', ')} excluded)`
        : '';
      return { status: 'unreachable', reason: `no route from ${a.cls.subnetId} to ${to}${skipped}` };
    }
    const hop = there.hop;
    const target = hop.target;
    if (target.type === 'local' && sameVpc) return { status: 'ok', value: { hops: [localHop(hop.id)] } };
    const sends = () => `route table ${hop.id} sends ${b.address} (route ${hop.route}) to ${routeTargetText(target)}`;
    if (target.type === 'local') {
      return { status: 'unreachable', reason: `${sends()}: ${b.node.eni.id} is in ${b.cls.vpcId}, not ${a.cls.vpcId}` };
    }
    const rtHop: Hop = { type: 'route-table', id: hop.id, route: hop.route };
    if (hop.prefixListId) rtHop.prefixListId = hop.prefixListId;
    if (target.type === 'vpc-peering-connection') {
      const peering = this.peeringLeg(a, b, target.id, sends);
      if (peering.status !== 'ok') return peering;
      const back = this.returnRoute(a, b, (t) => t.type === 'vpc-peering-connection' && t.id === target.id, target.id);
      if (back.status !== 'ok') return back;
      return { status: 'ok', value: { hops: [rtHop, { type: 'vpc-peering-connection', id: target.id }] } };
    }
    if (target.type === 'transit-gateway') {
      const back = this.returnRoute(a, b, (t) => t.type === 'transit-gateway' && t.id === target.id, target.id);
      if (back.status !== 'ok') return back;
      const assumptions = [`via ${target.id}, not modelled further`];
      return { status: 'ok', value: { hops: [rtHop, { type: 'transit-gateway', id: target.id }], assumptions } };
    }
    if (
      target.type === 'internet-gateway' ||
      target.type === 'egress-only-internet-gateway' ||
      target.type === 'nat-gateway' ||
      target.type === 'vpc-endpoint'
    ) {
      return { status: 'unreachable', reason: `${sends()}, which does not lead to ${b.cls.vpcId}` };
    }
    return { status: 'unknown', reason: `${sends()}, not modelled` };
  }

  /** The peering connection the route uses: known, active, between the two VPCs. */
  private peeringLeg(a: Iface, b: Iface, id: string, sends: () => string): Leg<true> {
    const lacking = a.cls.scope.missingPcx ?? b.cls.scope.missingPcx;
    if (lacking) return { status: 'unknown', reason: lacking };
    const found = this.peerings.get(id);
    if (!found) return { status: 'unknown', reason: `${sends()}, which is not in the snapshot` };
    const { pcx } = found;
    if (pcx.status !== 'active') return { status: 'unreachable', reason: `${id} is not active (${pcx.status})` };
    const sides = [pcx.requester.vpcId, pcx.accepter.vpcId];
    if (!(sides.includes(a.cls.vpcId) && sides.includes(b.cls.vpcId))) {
      return {
        status: 'unreachable',
        reason: `${sends()}, which connects ${sides.join(' and ')}, not ${b.cls.vpcId}`,
      };
    }
    return { status: 'ok', value: true };
  }

  /** B's subnet route table must route A's address back as `ok` says; the value: the target id it uses. */
  private returnRoute(a: Iface, b: Iface, ok: (t: { type: string; id: string }) => boolean, over: string): Leg<string> {
    const tableB = this.tableOf(b.cls);
    if ('reason' in tableB) return { status: 'unknown', reason: tableB.reason };
    const back = this.lookupRoute(b.cls.scope, tableB.table, a.address!);
    if (back.status === 'unknown') return { status: 'unknown', reason: back.reason };
    if (back.status === 'none') {
      return {
        status: 'unreachable',
        reason: `no route back from ${b.cls.subnetId} to ${a.address} over ${over} (route table ${tableB.table.id})`,
      };
    }
    if (!ok(back.hop.target)) {
      return {
        status: 'unreachable',
        reason:
          `route table ${back.hop.id} sends the replies to ${a.address} (route ${back.hop.route}) to ` +
          `${routeTargetText(back.hop.target)}, not ${over}`,
      };
    }
    return { status: 'ok', value: back.hop.target.id };
  }

  private tableOf(cls: Cls): { table: RouteTable } | { reason: string } {
    if (!cls.table) {
      const scope = cls.scope.scope;
      const vpcId = cls.vpcId ?? scope.net.subnets.get(cls.subnetId!)?.vpcId;
      if (!vpcId) cls.table = { reason: `subnet ${cls.subnetId} is not in the snapshot` };
      else {
        const t = routeTableFor(cls.subnetId!, vpcId, scope.net.routeTablesByVpc.get(vpcId) ?? []);
        cls.table = t.status === 'known' ? { table: t.table } : { reason: t.reason };
      }
    }
    return cls.table;
  }

  private lookupRoute(info: ScopeInfo, table: RouteTable, address: string): AddressRoute {
    let m = info.routes.get(table);
    if (!m) info.routes.set(table, (m = new Map<string, AddressRoute>()));
    let r = m.get(address);
    if (!r) m.set(address, (r = routeForAddress(address, table, info.prefixLists)));
    return r;
  }

  // ---- network ACLs ----

  /** In different subnets: A's ACL out (and the reply in), B's ACL in (and the reply out), per piece. */
  private aclLeg(a: Iface, b: Iface, pieces: Piece[], shared: boolean): Leg<Piece[]> {
    if (a.cls.subnetId === b.cls.subnetId && a.cls.scope === b.cls.scope) return { status: 'ok', value: pieces };
    const missing = a.cls.scope.missingAcl ?? b.cls.scope.missingAcl;
    if (missing) return { status: 'unknown', reason: missing };
    const aclA = this.aclOf(a.cls);
    if ('reason' in aclA) return { status: 'unknown', reason: aclA.reason };
    const aclB = this.aclOf(b.cls);
    if ('reason' in aclB) return { status: 'unknown', reason: aclB.reason };
    const openA = allowAllHops(aclA.acl, false);
    const openB = allowAllHops(aclB.acl, false);
    if (openA && openB) {
      // Both ACLs allow all IPv4 traffic both ways before any other rule (the default ACL): nothing to evaluate.
      return { status: 'ok', value: pieces.map((p) => ({ ...p, aclOut: openA[1], aclIn: openB[0] })) };
    }
    const out: Piece[] = [];
    let blocked: string | undefined;
    let unknown: string | undefined;
    for (const piece of pieces) {
      const first = this.acl(a.cls.scope, aclA.acl, 'outbound', piece.protocol, piece.span, b, shared);
      if (first.status !== 'reachable') {
        if (first.status === 'unknown') unknown ??= first.reason;
        else blocked ??= first.reason;
        continue;
      }
      for (const x of first.admitted) {
        const span = x.ports ? ([x.ports.from, x.ports.to] as PortSpan) : piece.span;
        const second = this.acl(b.cls.scope, aclB.acl, 'inbound', piece.protocol, span, a, shared);
        if (second.status !== 'reachable') {
          if (second.status === 'unknown') unknown ??= second.reason;
          else blocked ??= second.reason;
          continue;
        }
        for (const y of second.admitted) {
          const s = y.ports ? ([y.ports.from, y.ports.to] as PortSpan) : span;
          out.push({ ...piece, span: s, aclOut: aclHop(x.request), aclIn: aclHop(y.request) });
        }
      }
    }
    if (out.length) return { status: 'ok', value: out };
    if (unknown) return { status: 'unknown', reason: unknown };
    return { status: 'unreachable', reason: blocked ?? 'no network ACL rule admits the traffic' };
  }

  private aclOf(cls: Cls): { acl: NetworkAcl } | { reason: string } {
    if (!cls.acl) {
      const scope = cls.scope.scope;
      const vpcId = cls.vpcId ?? scope.net.subnets.get(cls.subnetId!)?.vpcId ?? '';
      const l = aclFor(cls.subnetId!, vpcId, scope.net.aclsBySubnet.get(cls.subnetId!) ?? []);
      cls.acl = l.status === 'known' ? { acl: l.acl } : { reason: l.reason };
    }
    return cls.acl;
  }

  private acl(
    info: ScopeInfo,
    acl: NetworkAcl,
    direction: 'inbound' | 'outbound',
    protocol: string,
    span: PortSpan,
    peer: Iface,
    shared: boolean,
  ): AclFlowVerdict {
    const address = peer.address!;
    const who = shared && !this.splits(acl, peer) ? `${peer.cls.scope.scope.key}/${peer.cls.subnetId}` : address;
    const key = `${acl.id}|${direction}|${who}|${protocol}|${span[0]}-${span[1]}`;
    let v = info.acls.get(key);
    if (!v) info.acls.set(key, (v = aclAdmitsFlow(acl, direction, packetOf(protocol, span, address))));
    return v;
  }

  private readonly splitCache = new Map<NetworkAcl, Map<Cls, boolean>>();

  /**
   * Whether the ACL could treat addresses of the peer's subnet differently: an IPv4 entry strictly inside the
   * subnet's range, or a peer address outside it. When not, one verdict holds for every address of the subnet.
   */
  private splits(acl: NetworkAcl, peer: Iface): boolean {
    let m = this.splitCache.get(acl);
    if (!m) this.splitCache.set(acl, (m = new Map<Cls, boolean>()));
    let hit = m.get(peer.cls);
    if (hit === undefined) {
      const cidr = peer.cls.scope.scope.net.subnets.get(peer.cls.subnetId!)?.cidrBlock;
      const range = cidr ? ipv4Range(cidr) : undefined;
      hit =
        !range ||
        acl.entries.some((e) => {
          const r = e.cidrBlock ? ipv4Range(e.cidrBlock) : undefined;
          if (e.cidrBlock && !r) return true;
          return !!r && r[0] >= range[0] && r[1] <= range[1] && r[1] - r[0] < range[1] - range[0];
        });
      m.set(peer.cls, hit);
    }
    if (hit) return true;
    const cidr = peer.cls.scope.scope.net.subnets.get(peer.cls.subnetId!)!.cidrBlock!;
    return !inRanges([ipv4Range(cidr)!], peer.num!);
  }

  // ---- paths ----

  private pathsOf(a: Iface, b: Iface, pieces: Piece[], route: RouteLeg): LateralPath[] {
    // Pieces with the same protocol and hops make one path (their ports merged).
    const groups: { first: Piece; spans: PortSpan[] }[] = [];
    for (const p of pieces) {
      const hit = groups.find((g) => samePath(g.first, p));
      if (hit) hit.spans.push(p.span);
      else groups.push({ first: p, spans: [p.span] });
    }
    const from = this.refOf(a).target;
    const target = this.refOf(b).target;
    const scope = b.node.scope;
    const paths = groups.map(({ first: p, spans }) => {
      const hops: Hop[] = [egressHop(p.egress)];
      if (p.aclOut) hops.push(p.aclOut);
      for (const h of route.hops) hops.push(h);
      if (p.aclIn) hops.push(p.aclIn);
      hops.push(ingressHop(p.ingress));
      const path: LateralPath = {
        from,
        target,
        protocol: p.protocol,
        ports: spans.length === 1 ? [[spans[0][0], spans[0][1]]] : mergeSpans(spans),
        hops,
        accountId: scope.accountId,
        region: scope.region,
        steps: 1,
      };
      if (route.assumptions) path.assumptions = [...route.assumptions];
      this.initiators?.set(path, a);
      return path;
    });
    if (paths.length < 2) return paths;
    return paths.sort(
      (x, y) =>
        compare(x.protocol, y.protocol) || compare(x.ports[0][0], y.ports[0][0]) || compare(pathKey(x), pathKey(y)),
    );
  }

  /** Interface ids by rank (sorted), for sorting paths without comparing strings. */
  private ranks?: Map<string, number>;

  private sortPaths(paths: LateralPath[]): LateralPath[] {
    if (!this.ranks) {
      const ids = [...this.byId.keys()].sort();
      this.ranks = new Map(ids.map((id, i) => [id, i]));
    }
    const ranks = this.ranks;
    return sortByRank(
      paths,
      (id) => ranks.get(id) ?? 0,
      (p) =>
        p.from !== 'internet' ? p.from.id : (p.hops.find((h) => h.type === 'network-interface')?.id ?? p.target.id),
    );
  }

  // ---- inbound ----

  inbound(toEni: string, query?: PortQuery, options?: InboundOptions): LateralSearch {
    const b = this.byId.get(toEni);
    if (!b) return { paths: [], undecided: [] };
    const accept = options?.initiators;
    return this.inboundOf(b, query, accept && ((a: Iface) => accept(a.node.eni.id)));
  }

  /** `only`: initiators to consider (a search from the internet asks only about exposed ones). */
  private inboundOf(b: Iface, query?: PortQuery, only?: (a: Iface) => boolean): LateralSearch {
    const paths: LateralPath[] = [];
    const undecided: LateralSearch['undecided'] = [];
    const unknownEnd = endUnknown(b);
    if (unknownEnd) return { paths, undecided: [{ from: '*', to: b.node.eni.id, reason: unknownEnd }] };
    const fast = this.fastTarget(b, query);
    for (const a of this.candidates(b)) {
      if (a === b || (only && !only(a))) continue;
      const quick = fast && this.fastPair(a, b, fast);
      if (quick) {
        if (quick !== NOT_ADMITTED) for (const p of quick) paths.push(p);
        continue;
      }
      const v = this.decide(a, b, query, true);
      if (v.status === 'reachable') for (const p of v.paths) paths.push(p);
      else if (v.status === 'unknown') undecided.push({ from: a.node.eni.id, to: b.node.eni.id, reason: v.reason });
    }
    return { paths: this.sortPaths(paths), undecided };
  }

  /**
   * The target side of the common case, worked out once per `inbound`: B's ingress permissions with what each admits
   * (restricted to the query) when the initiator's egress allows all traffic. Undefined when B's side is not simple
   * (a group of B missing from the snapshot, a prefix list not read, network data missing).
   */
  private fastTarget(b: Iface, query?: PortQuery): FastTarget | undefined {
    const scope = b.cls.scope;
    if (b.cls.missing.length || scope.missingRoute || scope.missingAcl) return undefined;
    const entries: FastEntry[] = [];
    const seen = new Set<string>();
    const firsts = new Map<string, FastEntry>();
    for (const group of b.cls.groups) {
      for (const entry of group.ingress) {
        const s = entry.source;
        if (s.kind === 'prefixList' && !s.entries) return undefined;
        const key = `${group.id}#${entry.permissionIndex}`;
        const first = !seen.has(key);
        seen.add(key);
        const pieces = intersect(ALL_GRANT, grantOf(entry), query);
        const f: FastEntry = { entry, first, pieces, ...(s.kind === 'group' ? { groupId: s.groupId } : {}) };
        if (first) {
          f.merged = mergeByProtocol(pieces);
          firsts.set(key, f);
        } else (firsts.get(key)!.siblings ??= []).push(f);
        entries.push(f);
      }
    }
    return { b, entries, routes: new Map() };
  }

  /**
   * A → B in the common case, without the general machinery: same VPC, the initiator's first egress permission
   * towards B allows all traffic, B's address on the local route, and no ACL between them or the default allow-all
   * ACLs on both subnets. The same paths `decide` finds; `undefined` when the case is not this one.
   */
  private fastPair(a: Iface, b: Iface, t: FastTarget): LateralPath[] | typeof NOT_ADMITTED | undefined {
    const ca = a.cls;
    if (ca.missing.length || a.num === undefined || !ca.subnetId || ca.scope.missingRoute || ca.scope.missingAcl) {
      return undefined;
    }
    const refsA = referenceCounts(a, b);
    // What depends only on A's class (scope, VPC, subnet, groups) is worked out once per class and target: the
    // egress permission, the local route; across VPCs the return route depends on A's address, so not there.
    let pre = t.byCls?.get(ca);
    if (pre === undefined) {
      pre = this.fastPrefix(a, b, t, refsA);
      if (a.vpc === b.vpc) (t.byCls ??= new Map()).set(ca, pre);
    }
    if (pre === FALLBACK) return undefined;
    const { egress, routeHops, assumptions } = pre;
    const admitted: FastEntry[] = [];
    for (const f of t.entries) {
      if (!f.first || f.pieces.length === 0) continue;
      const admits =
        f.groupId !== undefined ? refsA && ca.groupIds.includes(f.groupId) : inRanges(sourceRanges(f.entry), a.num);
      if (admits || (f.siblings && this.otherSourceAdmits(f.siblings, t, a))) admitted.push(f);
    }
    if (admitted.length === 0) return NOT_ADMITTED;
    let aclOut: Hop | undefined;
    let aclIn: Hop | undefined;
    if (ca.subnetId !== b.cls.subnetId) {
      const aclA = this.aclOf(ca);
      const aclB = this.aclOf(b.cls);
      if ('reason' in aclA || 'reason' in aclB) return undefined;
      const openA = allowAllHops(aclA.acl, false);
      const openB = allowAllHops(aclB.acl, false);
      if (!openA || !openB) {
        // ACLs to evaluate: the general legs on the same pieces.
        const pieces: Piece[] = [];
        for (const f of admitted) {
          for (const [protocol, span] of f.pieces) pieces.push({ protocol, span, egress: egress, ingress: f.entry });
        }
        const acl = this.aclLeg(a, b, pieces, true);
        if (acl.status === 'unreachable') return NOT_ADMITTED;
        if (acl.status === 'unknown') return undefined;
        return this.pathsOf(a, b, acl.value, { hops: routeHops, ...(assumptions ? { assumptions } : {}) });
      }
      aclOut = openA[1];
      aclIn = openB[0];
    }
    let paths: LateralPath[] | undefined;
    const from = this.refOf(a).target;
    const target = this.refOf(b).target;
    const scope = b.node.scope;
    const eHop = egressHop(egress);
    for (const f of admitted) {
      const hops: Hop[] = [eHop];
      if (aclOut) hops.push(aclOut);
      for (const h of routeHops) hops.push(h);
      if (aclIn) hops.push(aclIn);
      hops.push(ingressHop(f.entry));
      for (const [protocol, ports] of f.merged!) {
        const path: LateralPath = {
          from,
          target,
          protocol,
          ports,
          hops,
          accountId: scope.accountId,
          region: scope.region,
          steps: 1,
        };
        if (assumptions) path.assumptions = [...assumptions];
        this.initiators?.set(path, a);
        (paths ??= []).push(path);
      }
    }
    return paths ?? NOT_ADMITTED;
  }

  /** The class-wide part of fastPair: A's egress permission towards B and the route there, or FALLBACK. */
  private fastPrefix(a: Iface, b: Iface, t: FastTarget, refsA: boolean): FastPrefix | typeof FALLBACK {
    const ca = a.cls;
    // The first egress permission holding B must allow all traffic.
    let egress: RuleEntry | undefined;
    for (const group of ca.groups) {
      for (const entry of group.egress) {
        const s = entry.source;
        const holdsB =
          s.kind === 'group'
            ? refsA && b.cls.groupIds.includes(s.groupId)
            : s.kind === 'cidr' || s.entries
              ? inRanges(sourceRanges(entry), b.num!)
              : undefined;
        if (holdsB === undefined) return FALLBACK; // a prefix list not read: decide says unknown
        if (!holdsB) continue;
        if (entry.protocol !== 'all') return FALLBACK;
        egress = entry;
        break;
      }
      if (egress) break;
    }
    if (!egress) return FALLBACK;
    const table = this.tableOf(ca);
    if ('reason' in table) return FALLBACK;
    let routeHops: Hop[];
    let assumptions: string[] | undefined;
    if (a.vpc === b.vpc) {
      let route = t.routes.get(table.table);
      if (!route) t.routes.set(table.table, (route = this.lookupRoute(ca.scope, table.table, b.address!)));
      if (route.status !== 'matched' || route.hop.target.type !== 'local') return FALLBACK;
      routeHops = [localHop(route.hop.id)];
    } else {
      const leg = this.routeLeg(a, b);
      if (leg.status !== 'ok') return FALLBACK;
      routeHops = leg.value.hops;
      assumptions = leg.value.assumptions;
    }
    return { egress, routeHops, ...(assumptions ? { assumptions } : {}) };
  }

  /** Another source of the same permission (a later entry of it) admits A. */
  private otherSourceAdmits(siblings: FastEntry[], t: FastTarget, a: Iface): boolean {
    for (const o of siblings) {
      const admits =
        o.groupId !== undefined
          ? referenceCounts(a, t.b) && a.cls.groupIds.includes(o.groupId)
          : inRanges(sourceRanges(o.entry), a.num!);
      if (admits) return true;
    }
    return false;
  }

  /**
   * Interfaces B's ingress could admit, in graph order: members of the classes holding a referenced group, and, for
   * CIDR and prefix-list sources, the interfaces whose address they hold in the VPCs that may route to B. A prefix
   * list whose entries were not collected makes every interface of those VPCs a candidate (decided unknown).
   */
  private candidates(b: Iface): Iface[] {
    const stamps = (this.stamps ??= new Uint32Array(this.ifaces.length));
    const stamp = ++this.stamp;
    const found: number[] = [];
    const vpcs = this.vpcsReaching(b);
    const add = (i: Iface) => {
      if (stamps[i.index] !== stamp) {
        stamps[i.index] = stamp;
        found.push(i.index);
      }
    };
    const range = (cidr: string) => {
      const r = ipv4Range(cidr);
      if (!r) return;
      for (const v of vpcs) {
        let lo = lowerBound(v.nums, r[0]);
        while (lo < v.nums.length && v.nums[lo] <= r[1]) add(v.sorted[lo++]);
      }
    };
    const everything = () => {
      for (const v of vpcs) for (const i of v.sorted) add(i);
    };
    if (b.cls.missing.length) everything();
    for (const group of b.cls.groups) {
      for (const entry of group.ingress) {
        const s = entry.source;
        if (s.kind === 'group') {
          for (const cls of this.classesByGroup.get(s.groupId) ?? []) for (const m of cls.members) add(m);
        } else if (s.kind === 'cidr') {
          if (s.cidr.valid && s.cidr.family === 4) range(s.cidr.cidr);
        } else if (!s.entries) everything();
        else for (const c of s.entries) if (c.valid && c.family === 4) range(c.cidr);
      }
    }
    return Array.from(Uint32Array.from(found).sort(), (i) => this.ifaces[i]);
  }

  /**
   * B's VPC and the VPCs whose route tables may send traffic for B's address elsewhere than their own VPC: a route
   * whose destination holds it to a peering connection with B's VPC (or one not in the snapshot), to a transit
   * gateway B's VPC routes to as well, or to a target not modelled (a virtual private gateway, an instance or
   * interface); a prefix-list destination whose entries are not known may hold it; and the VPCs of scopes whose
   * route tables were not collected. A superset: `decide` is exact.
   */
  private vpcsReaching(b: Iface): Vpc[] {
    if (!b.vpc) return [];
    const routes = (this.reachRoutes ??= this.buildReachRoutes());
    const out: Vpc[] = [b.vpc];
    const own = routes.tgwByVpc.get(b.vpc) ?? NO_TGW;
    for (const u of routes.anywhere) if (u !== b.vpc) out.push(u);
    for (const [u, list] of routes.byVpc) {
      if (u === b.vpc || routes.anywhereSet.has(u)) continue;
      for (const r of list) {
        if (b.num! < r.lo || b.num! > r.hi) continue;
        const peer = r.peerVpcId;
        if (peer !== undefined ? peer === b.vpc.vpcId || peer === '' : r.tgw === undefined || own.has(r.tgw)) {
          out.push(u);
          break;
        }
      }
    }
    return out;
  }

  private reachRoutes?: {
    byVpc: Map<Vpc, ReachRoute[]>;
    tgwByVpc: Map<Vpc, Set<string>>;
    anywhere: Vpc[];
    anywhereSet: Set<Vpc>;
  };

  /** Per VPC, the active routes of its tables that may leave it towards another VPC (see vpcsReaching). */
  private buildReachRoutes() {
    const byVpc = new Map<Vpc, ReachRoute[]>();
    const tgwByVpc = new Map<Vpc, Set<string>>();
    const anywhere: Vpc[] = [];
    const everything: [number, number] = [0, 2 ** 32 - 1];
    for (const v of this.vpcs.values()) {
      const scope = v.scope.scope;
      if (v.scope.missingRoute) {
        anywhere.push(v);
        continue;
      }
      const list: ReachRoute[] = [];
      for (const t of scope.net.routeTablesByVpc.get(v.vpcId) ?? []) {
        for (const r of t.routes) {
          if (r.state === 'blackhole' || r.natGatewayId || r.egressOnlyInternetGatewayId) continue;
          const gw = r.gatewayId;
          if (gw === 'local' || (gw && /^(igw|vpce)-/.test(gw))) continue;
          if (r.destinationCidr === undefined && !r.destinationPrefixListId) continue; // IPv6 only
          let ranges: [number, number][];
          if (r.destinationPrefixListId) {
            const pl = scope.prefixLists.get(r.destinationPrefixListId);
            ranges = [];
            if (!pl?.entries) ranges.push(everything);
            else {
              // IPv6 entries never hold an IPv4 address; an IPv4 one that does not parse could hold anything.
              for (const e of pl.entries) if (!e.cidr.includes(':')) ranges.push(ipv4Range(e.cidr) ?? everything);
            }
          } else ranges = [ipv4Range(r.destinationCidr!) ?? everything];
          const route: { peerVpcId?: string; tgw?: string } = {};
          if (r.vpcPeeringConnectionId) {
            const pcx = this.peerings.get(r.vpcPeeringConnectionId)?.pcx;
            // A peering not in the snapshot could lead anywhere ('').
            const other = !pcx ? '' : pcx.requester.vpcId === v.vpcId ? pcx.accepter.vpcId : pcx.requester.vpcId;
            route.peerVpcId = other ?? '';
          } else if (r.transitGatewayId) {
            route.tgw = r.transitGatewayId;
            let set = tgwByVpc.get(v);
            if (!set) tgwByVpc.set(v, (set = new Set()));
            set.add(r.transitGatewayId);
          }
          for (const [lo, hi] of ranges) list.push({ lo, hi, ...route });
        }
      }
      if (list.length) byVpc.set(v, list);
    }
    return { byVpc, tgwByVpc, anywhere, anywhereSet: new Set(anywhere) };
  }

  // ---- search ----

  search(from: LateralEnd, to: LateralEnd, query?: LateralQuery): LateralSearch {
    const maxSteps = query?.maxSteps ?? 2;
    const portQuery: PortQuery | undefined =
      query && (query.protocol !== undefined || query.ports)
        ? { protocol: query.protocol ?? 'all', ...(query.ports ? { ports: query.ports } : {}) }
        : undefined;
    if (to === 'internet' || maxSteps < 1) return { paths: [], undecided: [] };
    const targets = uniq(to.map((id) => this.byId.get(id)).filter((i): i is Iface => i !== undefined));
    const fromInternet = from === 'internet';
    const starts = new Set<Iface>(
      fromInternet ? [] : from.map((id) => this.byId.get(id)).filter((i): i is Iface => i !== undefined),
    );
    const targetSet = new Set(targets);
    const exposure = fromInternet ? analyseExposure(this.graph) : undefined;
    const accept = fromInternet ? query?.entries : undefined;
    const entry = (i: Iface) => !accept || accept(i.node.eni.id);
    const results: LateralPath[] = [];
    const undecided = new Map<string, LateralSearch['undecided'][number]>();
    const outer = this.initiators;
    this.initiators = new Map();
    const note = (f: string, t: string, reason: string) => {
      const k = `${f}|${t}|${reason}`;
      if (!undecided.has(k)) undecided.set(k, { from: f, to: t, reason });
    };
    // The exposure model lists interfaces in graph order, as this model numbers them.
    const exposureOf = (i: Iface) => {
      const e = exposure!.interfaces[i.index];
      return e?.eniId === i.node.eni.id ? e : exposure!.ofInterface(i.node.eni.id)!;
    };
    // Chains: lateral paths from an interface to a target, of `k` steps; level 0 is the targets themselves.
    let level = new Map<Iface, Chain[]>(targets.map((t) => [t, [{ path: undefined, nodes: [t], target: t }]]));
    for (let k = 0; level.size > 0; k++) {
      // Record the paths that start here.
      for (const [x, chains] of level) {
        if (fromInternet) {
          if (k + 1 > maxSteps || (k >= 1 && !entry(x))) continue;
          const e = exposureOf(x);
          if (e.status === 'unknown') {
            for (const c of chains) note('internet', c.target.node.eni.id, viaText(x, c, e.reason));
          }
          for (const p of e.paths) {
            for (const c of chains) {
              const joined = joinInternet(p, x, c, k === 0 ? portQuery : undefined);
              if (joined) results.push(joined);
            }
          }
        } else if (k >= 1 && starts.has(x)) {
          for (const c of chains) results.push(c.path!);
        }
      }
      const lateralSteps = fromInternet ? maxSteps - 1 : maxSteps;
      if (k + 1 > lateralSteps) break;
      // One step back: who reaches each interface of this level.
      const next = new Map<Iface, Chain[]>();
      for (const [x, chains] of level) {
        if (k >= 1 && (starts.has(x) || targetSet.has(x))) continue;
        // At the last step only initiators a path can start from matter.
        const last = k + 1 === lateralSteps;
        const only = !last
          ? undefined
          : fromInternet
            ? (a: Iface) => entry(a) && exposureOf(a).status !== 'unreachable'
            : (a: Iface) => starts.has(a);
        const inb = this.inboundOf(x, k === 0 ? portQuery : undefined, only);
        for (const u of inb.undecided) {
          if (u.from === '*') {
            // x itself cannot be decided (no subnet or address): every path through it is undecided.
            for (const c of chains) {
              note(
                fromInternet ? 'internet' : '*',
                c.target.node.eni.id,
                x === c.target ? u.reason : `via ${x.node.eni.id}: ${u.reason}`,
              );
            }
            continue;
          }
          const a = this.byId.get(u.from);
          const relevant = fromInternet
            ? a && (!last || entry(a)) && exposureOf(a).status !== 'unreachable'
            : a && starts.has(a);
          if (!relevant) continue;
          for (const c of chains)
            note(fromInternet ? 'internet' : u.from, c.target.node.eni.id, viaText(a!, c, u.reason, x));
        }
        for (const p of inb.paths) {
          const a = this.initiators.get(p);
          if (!a) continue;
          if (k >= 1 && targetSet.has(a)) continue;
          for (const c of chains) {
            if (c.nodes.includes(a)) continue;
            const joined: Chain = { path: joinLateral(p, x, c), nodes: [a, ...c.nodes], target: c.target };
            const list = next.get(a);
            if (list) list.push(joined);
            else next.set(a, [joined]);
          }
        }
      }
      level = next;
    }
    this.initiators = outer;
    return { paths: this.sortPaths(results), undecided: [...undecided.values()] };
  }
}

interface Chain {
  /** From the chain's first node to its target; undefined at level 0. */
  path?: LateralPath;
  nodes: Iface[];
  target: Iface;
}

// ---- joining steps ----

function viaText(start: Iface, c: Chain, reason: string, next?: Iface): string {
  const first = next && next !== c.target ? `${start.node.eni.id} → ${next.node.eni.id}` : start.node.eni.id;
  return start === c.target && !next ? reason : `via ${first}: ${reason}`;
}

/** internet → x (an exposure path), then x's chain to the target. */
function joinInternet(p: ExposurePath, x: Iface, c: Chain, query?: PortQuery): LateralPath | undefined {
  if (!c.path) {
    const ports = query ? restrictPorts(p.protocol, p.ports, query) : p.ports;
    if (!ports) return undefined;
    return {
      from: 'internet',
      source: p.source,
      target: p.target,
      protocol: p.protocol,
      ports,
      hops: p.hops,
      accountId: p.accountId,
      region: p.region,
      steps: 1,
    };
  }
  const out: LateralPath = {
    from: 'internet',
    source: p.source,
    target: c.path.target,
    protocol: c.path.protocol,
    ports: c.path.ports,
    hops: [...p.hops, { type: 'network-interface', id: x.node.eni.id }, ...c.path.hops],
    accountId: c.path.accountId,
    region: c.path.region,
    steps: c.path.steps + 1,
  };
  if (c.path.assumptions) out.assumptions = [...c.path.assumptions];
  return out;
}

/** a → x (one lateral step), then x's chain to the target. */
function joinLateral(p: LateralPath, x: Iface, c: Chain): LateralPath {
  if (!c.path) return p;
  const out: LateralPath = {
    from: p.from,
    target: c.path.target,
    protocol: c.path.protocol,
    ports: c.path.ports,
    hops: [...p.hops, { type: 'network-interface', id: x.node.eni.id }, ...c.path.hops],
    accountId: c.path.accountId,
    region: c.path.region,
    steps: p.steps + c.path.steps,
  };
  const assumptions = [...(p.assumptions ?? []), ...(c.path.assumptions ?? [])];
  if (assumptions.length) out.assumptions = uniq(assumptions);
  return out;
}

// ---- helpers ----

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function uniq<T>(list: T[]): T[] {
  return [...new Set(list)];
}

function vpcKey(scope: Scope, vpcId: string): string {
  return `${scope.key}|${vpcId}`;
}

function ordered(tiers: Tier[]): Tier[] {
  return TIERS.filter((t) => tiers.includes(t));
}

function missingKinds(scope: Scope, kinds: ResourceKind[]): string | undefined {
  const lacking = kinds.filter((k) => !scope.collected.has(k));
  return lacking.length ? `${lacking.join(', ')} not collected in ${scope.key}` : undefined;
}

/** Why an end cannot be placed: no subnet or no private address known. */
function endUnknown(i: Iface): string | undefined {
  const eni = i.node.eni;
  if (!eni.subnetId) return `the subnet of ${eni.id} was not collected (version-1 snapshot data)`;
  if (i.address === undefined) {
    return eni.privateIpAddresses
      ? `no private IPv4 address known for ${eni.id}`
      : `the addresses of ${eni.id} were not collected (version-1 snapshot data)`;
  }
  return undefined;
}

function primaryAddress(node: InterfaceNode): string | undefined {
  const list = node.eni.privateIpAddresses;
  if (!list || list.length === 0) return undefined;
  const a = (list.find((x) => x.primary) ?? list[0]).address;
  return ipaddr.IPv4.isValidFourPartDecimal(a) ? a : undefined;
}

function ipv4Number(address: string): number {
  const b = ipaddr.IPv4.parse(address).octets;
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

const ranges = new Map<string, [number, number] | undefined>();

function ipv4Range(cidr: string): [number, number] | undefined {
  if (ranges.has(cidr)) return ranges.get(cidr);
  // routes.ts parses an IPv4 CIDR with ipaddr.IPv4.parseCIDR too; a bare address or an IPv6 text is no IPv4 range.
  const block = cidr.includes('/') && !cidr.includes(':') ? parseBlock(cidr) : undefined;
  const r: [number, number] | undefined = block ? [Number(block.lo), Number(block.hi)] : undefined;
  if (ranges.size < 100_000) ranges.set(cidr, r);
  return r;
}

function lowerBound(nums: Float64Array, value: number): number {
  let lo = 0;
  let hi = nums.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nums[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Group references hold across a peering connection in one Region only ("You can't reference the security group
 * of a peer VPC that's in a different Region",
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
 */
function referenceCounts(self: Iface, peer: Iface): boolean {
  return self.vpc === peer.vpc || self.node.scope.region === peer.node.scope.region;
}

const entryRanges = new WeakMap<RuleEntry, [number, number][]>();

/** The IPv4 ranges a CIDR or resolved prefix-list source holds, as numbers (empty for IPv6 or invalid ones). */
function sourceRanges(entry: RuleEntry): [number, number][] {
  let list = entryRanges.get(entry);
  if (!list) {
    const s = entry.source;
    const cidrs = s.kind === 'cidr' ? [s.cidr] : s.kind === 'prefixList' ? (s.entries ?? []) : [];
    list = [];
    for (const c of cidrs) {
      const r = c.valid && c.family === 4 ? ipv4Range(c.cidr) : undefined;
      if (r) list.push(r);
    }
    entryRanges.set(entry, list);
  }
  return list;
}

function inRanges(ranges: [number, number][], n: number): boolean {
  for (const [lo, hi] of ranges) if (lo <= n && n <= hi) return true;
  return false;
}

const grantCache = new WeakMap<RuleEntry, Grant>();

/** Every protocol and port: to ask what one side alone lets through of a query. */
const ANY_GRANT = { protocol: '*', span: FULL } as Grant;

function grantOf(entry: RuleEntry): Grant {
  let g = grantCache.get(entry);
  if (!g) grantCache.set(entry, (g = makeGrant(entry)));
  return g;
}

function makeGrant(entry: RuleEntry): Grant {
  const p = entry.protocol;
  if (p === 'all') return { entry, protocol: '*', span: FULL };
  if (p === 'tcp' || p === 'udp') return { entry, protocol: p, span: [entry.fromPort, entry.toPort] };
  if (p === 'icmp' || p === 'icmpv6') {
    return { entry, protocol: p, span: entry.fromPort === -1 ? ANY_ICMP : [entry.fromPort, entry.fromPort] };
  }
  return { entry, protocol: p, span: FULL };
}

/** The egress side of the common case: every protocol and port. */
const ALL_GRANT = { protocol: '*', span: [0, 65535] } as Grant;

/** `e` lets out everything `i` admits. */
function covers(e: Grant, i: Grant): boolean {
  if (e.protocol === '*') return true;
  if (e.protocol !== i.protocol) return false;
  if (e.protocol === 'tcp' || e.protocol === 'udp') return e.span[0] <= i.span[0] && i.span[1] <= e.span[1];
  if (e.protocol === 'icmp' || e.protocol === 'icmpv6') return e.span[0] === -1 || e.span[0] === i.span[0];
  return true;
}

/** (protocol, span) pieces as one sorted span list per protocol, in first-seen order. */
function mergeByProtocol(pieces: [string, PortSpan][]): [string, PortSpan[]][] {
  if (pieces.length === 1) return [[pieces[0][0], [[pieces[0][1][0], pieces[0][1][1]]]]];
  const by = new Map<string, PortSpan[]>();
  for (const [p, span] of pieces) push(by, p, span);
  return [...by.entries()].map(([p, spans]) => [p, mergeSpans(spans)]);
}

function fullSpan(protocol: string): PortSpan {
  return protocol === 'icmp' || protocol === 'icmpv6' ? ANY_ICMP : FULL;
}

function meet(protocol: string, a: PortSpan, b: PortSpan): PortSpan | undefined {
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    if (a[0] === -1) return b;
    if (b[0] === -1) return a;
    return a[0] === b[0] ? a : undefined;
  }
  if (protocol !== 'tcp' && protocol !== 'udp') return FULL;
  const lo = Math.max(a[0], b[0]);
  const hi = Math.min(a[1], b[1]);
  return lo <= hi ? [lo, hi] : undefined;
}

/** The (protocol, span)s an egress and an ingress grant both admit, within the query. */
function intersect(e: Grant, i: Grant, query?: PortQuery): [string, PortSpan][] {
  let base: [string, PortSpan][];
  if (e.protocol === '*' && i.protocol === '*') {
    const q = query?.protocol;
    base =
      q && q !== 'all'
        ? [[q, fullSpan(q)]]
        : [
            ['tcp', FULL],
            ['udp', FULL],
            ['icmp', ANY_ICMP],
          ];
  } else {
    if (e.protocol !== '*' && i.protocol !== '*' && e.protocol !== i.protocol) return [];
    const protocol = e.protocol === '*' ? i.protocol : e.protocol;
    const span = meet(
      protocol,
      e.protocol === '*' ? fullSpan(protocol) : e.span,
      i.protocol === '*' ? fullSpan(protocol) : i.span,
    );
    base = span ? [[protocol, span]] : [];
  }
  if (!query || query.protocol === 'all') {
    if (!query?.ports) return base;
  }
  const out: [string, PortSpan][] = [];
  for (const [protocol, span] of base) {
    if (query && query.protocol !== 'all' && query.protocol !== protocol) continue;
    // Ports without a protocol are TCP and UDP ports.
    if (query?.ports && query.protocol === 'all' && protocol !== 'tcp' && protocol !== 'udp') continue;
    if (!query?.ports) {
      out.push([protocol, span]);
      continue;
    }
    for (const q of query.ports) {
      const m = meet(protocol, span, q);
      if (m) out.push([protocol, m]);
    }
  }
  return out;
}

function restrictPorts(protocol: string, ports: PortSpan[], query: PortQuery): PortSpan[] | undefined {
  if (query.protocol !== 'all' && query.protocol !== protocol) return undefined;
  if (!query.ports) return ports;
  if (query.protocol === 'all' && protocol !== 'tcp' && protocol !== 'udp') return undefined;
  const out: PortSpan[] = [];
  for (const p of ports)
    for (const q of query.ports) {
      const m = meet(protocol, p, q);
      if (m) out.push(m);
    }
  return out.length ? mergeSpans(out) : undefined;
}

function sameAclHop(x: Hop | undefined, y: Hop | undefined): boolean {
  if (x === y) return true;
  if (!x || !y || x.type !== 'network-acl' || y.type !== 'network-acl') return false;
  return x.id === y.id && x.direction === y.direction && x.rule === y.rule;
}

/** Entries of one permission (one per source) are one hop. */
function samePermission(x: RuleEntry, y: RuleEntry): boolean {
  return x === y || (x.group === y.group && x.permissionIndex === y.permissionIndex);
}

function samePath(x: Piece, y: Piece): boolean {
  return (
    x.protocol === y.protocol &&
    samePermission(x.egress, y.egress) &&
    samePermission(x.ingress, y.ingress) &&
    sameAclHop(x.aclOut, y.aclOut) &&
    sameAclHop(x.aclIn, y.aclIn)
  );
}

const localHops = new Map<string, Hop>();

/** The local route of a table as a hop (shared). */
function localHop(tableId: string): Hop {
  let h = localHops.get(tableId);
  if (!h) localHops.set(tableId, (h = { type: 'route-table', id: tableId, route: 'local' }));
  return h;
}

const egressHops = new WeakMap<RuleEntry, Hop>();
const ingressHops = new WeakMap<RuleEntry, Hop>();

/** The initiator's egress permission as a hop (one object per permission, shared by the paths through it). */
function egressHop(e: RuleEntry): Hop {
  let h = egressHops.get(e);
  if (!h) {
    h = { type: 'security-group', id: e.group.id, permissionIndex: e.permissionIndex, direction: 'egress' };
    egressHops.set(e, h);
  }
  return h;
}

function ingressHop(e: RuleEntry): Hop {
  let h = ingressHops.get(e);
  if (!h) ingressHops.set(e, (h = { type: 'security-group', id: e.group.id, permissionIndex: e.permissionIndex }));
  return h;
}

function packetOf(protocol: string, span: PortSpan, peer: string): AclPacket {
  if (protocol === 'tcp' || protocol === 'udp') return { protocol, ports: { from: span[0], to: span[1] }, peer };
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    return span[0] === -1 ? { protocol, peer } : { protocol, icmpType: span[0], peer };
  }
  return { protocol: Number(protocol), peer };
}

function hopKey(h: Hop): string {
  switch (h.type) {
    case 'security-group':
      return `${h.id}:${h.direction ?? 'ingress'}:${h.permissionIndex}`;
    case 'network-acl':
      return `${h.id}:${h.direction}:${h.rule}`;
    case 'route-table':
      return `${h.id}:${h.route}`;
    default:
      return h.id;
  }
}

function pathKey(p: LateralPath): string {
  const from = p.from === 'internet' ? `internet:${p.source}` : p.from.id;
  return `${from}|${p.hops.map(hopKey).join('|')}|${p.ports.map(([a, b]) => `${a}-${b}`).join(',')}`;
}

function fromId(p: LateralPath): string {
  return p.from === 'internet' ? '' : p.from.id;
}

const PROTOCOL_RANK: Record<string, number> = { icmp: 1, icmpv6: 2, tcp: 3, udp: 4 };
const RANK_BITS = 2 ** 21;

interface Keyed {
  p: LateralPath;
  k1: number;
  k2: number;
  key?: string;
}

/**
 * Shortest first, then target id, protocol, first port, initiator (for a path from the internet: the first
 * interface it reaches), then source and hops. `rank`: an interface id's rank; `start`: a path's first interface.
 */
function sortByRank(
  paths: LateralPath[],
  rank: (id: string) => number,
  start: (p: LateralPath) => string,
): LateralPath[] {
  if (paths.length < 2) return paths;
  const keyed = paths.map((p): Keyed => {
    const proto = PROTOCOL_RANK[p.protocol] ?? 0;
    const port = (p.ports[0]?.[0] ?? 0) + 1;
    return { p, k1: p.steps * RANK_BITS + rank(p.target.id), k2: (proto * 65538 + port) * RANK_BITS + rank(start(p)) };
  });
  const keyOf = (k: Keyed) => (k.key ??= pathKey(k.p));
  keyed.sort(
    (x, y) =>
      x.k1 - y.k1 ||
      x.k2 - y.k2 ||
      compare(x.p.protocol, y.p.protocol) ||
      compare(fromId(x.p), fromId(y.p)) ||
      compare(keyOf(x), keyOf(y)),
  );
  return keyed.map((k) => k.p);
}

function queryText(q: PortQuery): string {
  return q.protocol === 'all' ? 'all traffic' : `${q.protocol}${q.ports ? ` ${q.ports.map(spanText).join(', ')}` : ''}`;
}

/** "tcp 443", "tcp 80, 443 and udp 53", "all traffic". */
function grantsText(grants: Grant[]): string {
  if (grants.some((g) => g.protocol === '*')) return 'all traffic';
  const byProtocol = new Map<string, PortSpan[]>();
  for (const g of grants) push(byProtocol, g.protocol, g.span);
  return [...byProtocol.entries()]
    .map(([p, spans]) => {
      if (p === 'tcp' || p === 'udp') return `${p} ${mergeSpans(spans).map(spanText).join(', ')}`;
      if (p === 'icmp' || p === 'icmpv6') {
        return spans.some((s) => s[0] === -1) ? p : `${p} type ${uniq(spans.map((s) => s[0])).join(', ')}`;
      }
      return `protocol ${p}`;
    })
    .join(' and ');
}

function sourceText(e: RuleEntry): string {
  const s = e.source;
  if (s.kind === 'group') return s.groupId;
  if (s.kind === 'cidr') return s.cidr.cidr;
  return s.prefixListId;
}

function hopText(h: Hop): string {
  switch (h.type) {
    case 'security-group':
      return `${h.id} ${h.direction === 'egress' ? 'egress' : 'ingress'} ${h.permissionIndex}`;
    case 'network-acl':
      return `${h.id} ${h.direction} rule ${h.rule === 32767 ? '*' : h.rule}`;
    case 'route-table':
      return h.route === 'local' ? `${h.id} local route` : `${h.id} route ${h.route}`;
    default:
      return h.id;
  }
}

/** "tcp 5432 from eni-app to eni-db via sg-app egress 0, rtb-1 local route, sg-db ingress 1". */
export function describeLateral(p: LateralPath): string {
  const ports = p.protocol === 'tcp' || p.protocol === 'udp' ? ` ${p.ports.map(spanText).join(', ')}` : '';
  const from = p.from === 'internet' ? (p.source ?? 'the internet') : p.from.id;
  const assumed = p.assumptions?.length ? ` (${p.assumptions.join('; ')})` : '';
  return `${p.protocol}${ports} from ${from} to ${p.target.id} via ${p.hops.map(hopText).join(', ')}${assumed}`;
}
