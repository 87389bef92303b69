/**
 * Internet exposure over the graph: for every network interface, which internet sources its security groups admit
 * and whether a packet from them gets there, directly or through an internet-facing load balancer. Computed once per
 * graph, on first use. Pure: everything comes from the snapshot.
 *
 * A direct path from an internet source S to an ENI on (protocol, ports) needs, in order (each a hop):
 * 1. a public IPv4 (`publicIp`, or an Elastic IP on any private address) for an IPv4 S; a global IPv6 address (not
 *    fe80::/10, not fc00::/7) for an IPv6 S — "IP addressing for your VPCs and subnets",
 *    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html;
 * 2. the subnet's route table routing S back to an attached internet gateway (routes.ts);
 * 3. the subnet's network ACL admitting the packet and its stateless reply (nacl.ts);
 * 4. an ingress permission of one of the ENI's security groups admitting S on the protocol and ports (security
 *    groups are stateful: no egress check for the reply —
 *    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html).
 * Data that decides a leg and was not collected makes the verdict `unknown`, never `unreachable`; a leg that surely
 * blocks makes it `unreachable` whatever the others are.
 *
 * Load balancers (ELBv2): an internet-facing LB whose node ENI is reachable on a listener port forwards to the
 * registered targets of the target groups its listener forwards to, on the target's port. What the target sees:
 * - an Application Load Balancer connects from its own nodes: the target's groups must reference one of the LB's
 *   groups or hold one of its nodes' private addresses ("Security groups for your Application Load Balancer",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html);
 * - a Network Load Balancer preserves the client's IPv4 address for instance targets and for UDP / TCP_UDP IP
 *   targets, and connects from its own private address for TCP / TLS IP targets (the defaults of "Client IP
 *   preservation", https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html
 *   — the `preserve_client_ip.enabled` attribute is not collected); a reference to the NLB's security group admits
 *   its traffic even with client IP preservation ("Update the security groups for your Network Load Balancer",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html), and an NLB
 *   without security groups lets all client traffic reach its listeners (same page).
 * The target subnet's ACL must admit the packet from the peer the target sees, and the reply.
 */
import ipaddr from 'ipaddr.js';
import type {
  DbInstanceNode,
  Graph,
  GroupNode,
  InterfaceNode,
  LoadBalancerNode,
  RuleEntry,
  Scope,
} from '../graph/model.js';
import { classifyCidr, type CidrInfo } from '../graph/net.js';
import type { Listener, ResourceKind, TargetGroup } from '../snapshot/schema.js';
import {
  aclAdmitsInternet,
  aclFor,
  allowAllHops,
  type AclHop,
  type AclInternetVerdict,
  type AclPacket,
  type NetworkAcl,
  type PortRange,
} from './nacl.js';
import {
  routeTableFor,
  routeToInternet,
  type PrefixList as RoutePrefixList,
  type RouteTable,
  type RouteTableHop,
  type RouteVerdict,
} from './routes.js';
import type {
  Exposure,
  ExposurePath,
  Hop,
  InterfaceExposure,
  InternetExposure,
  PathTarget,
  PermissionRef,
  PortQuery,
  PortSpan,
  ReachStatus,
} from './types.js';

const cache = new WeakMap<Graph, InternetExposure>();

/** The estate's internet exposure; computed lazily on the first call, then cached for the graph. */
export function analyseExposure(graph: Graph): InternetExposure {
  let result = cache.get(graph);
  if (!result) {
    result = new Analysis(graph).run();
    cache.set(graph, result);
  }
  return result;
}

/** Network kinds the direct path needs in a scope. */
const PATH_KINDS: ResourceKind[] = ['subnets', 'routeTables', 'internetGateways', 'networkAcls'];
/** `subnets, networkAcls not collected in 111…/us-east-1` when the scope lacks path data, else undefined. */
function missingPathKinds(scope: Scope): string | undefined {
  const path = PATH_KINDS.filter((k) => !scope.collected.has(k));
  return path.length ? `${path.join(', ')} not collected in ${scope.key}` : undefined;
}
const missingByScope = new WeakMap<Scope, string | undefined>();
/** missingPathKinds, once per scope (ofPermissions asks for every permission of every finding). */
function missingPathKindsOf(scope: Scope): string | undefined {
  if (missingByScope.has(scope)) return missingByScope.get(scope);
  const missing = missingPathKinds(scope);
  missingByScope.set(scope, missing);
  return missing;
}
/** Load-balancer kinds a path through a load balancer needs. */
const LB_KINDS: ResourceKind[] = ['listeners', 'targetGroups'];

/** Which leg blocked: for the "most common blocking leg" of a permission. */
type Leg = 'address' | 'network';

/** One traffic flow a permission admits, as the ACL is asked about it. */
interface Flow {
  /** Path protocol: tcp, udp, icmp, icmpv6, or a protocol number. */
  protocol: string;
  acl: AclPacket['protocol'];
  /** TCP/UDP destination ports. */
  ports?: PortRange;
  icmpType?: number;
  icmpCode?: number;
  /** The path's ports for non-TCP/UDP flows. */
  span: PortSpan;
  key: string;
}

/** What the network legs (route + ACL) let through for one (subnet, source, flow). */
type NetLeg =
  | { status: 'reachable'; parts: { peer: string; ports: PortSpan[]; hops: Hop[] }[] }
  | { status: 'unreachable' | 'unknown'; reason: string };

interface FlowStats {
  protocol: string;
  spans: PortSpan[];
  unknown?: string;
  blocked: Map<Leg, { count: number; reason: string }>;
}

interface PermStats {
  flows: Map<string, FlowStats>;
  paths: ExposurePath[];
}

/** One internet source and flow of a permission (`unknown`: its prefix list's entries were not collected). */
interface Item {
  entry: RuleEntry;
  source?: InternetSource;
  flow: Flow;
  stats: FlowStats;
  unknown?: string;
  sgHop?: Hop;
  /** Cache key of the network legs: source and flow. */
  key?: string;
}

/** A subnet's route table and network ACL, shared by the subnets that have the same two; legs cached by key. */
interface SubnetNet {
  table: RouteTable;
  acl: NetworkAcl;
  legs: Map<string, NetLeg>;
}

type TargetAclLeg = { status: 'reachable'; hops: Hop[] } | { status: 'unreachable' | 'unknown'; reason: string };

type AddressVerdict = { status: ReachStatus; reason: string };

/** `admit.source` set when a preserved client is narrowed by the permission's CIDR. */
interface Admission {
  admit?: { entry: RuleEntry; source?: string };
  undecided?: string;
}

interface InterfaceState {
  node: InterfaceNode;
  net?: SubnetNet | { reason: string };
  address4?: AddressVerdict;
  address6?: AddressVerdict;
  target: PathTarget;
  paths: ExposurePath[];
  unknown?: string;
  blocked?: string;
  /** Why a load balancer's traffic does not get to it: says more than its own lack of a public address. */
  lbBlocked?: string;
  /** Paths through load balancers already recorded (the same one arrives from each listener rule). */
  lbPathKeys?: Set<string>;
  /** What admits a load balancer's traffic, per (LB node, protocol, port, preserved client). */
  admissions?: Map<string, Admission>;
}

/** An internet source of a permission: a CIDR (as written) or a resolved prefix-list entry. */
interface InternetSource {
  cidr: CidrInfo;
  prefixListId?: string;
}

type LoadBalancerHop = Extract<Hop, { type: 'load-balancer' }>;

const IPV4_WORLD = '0.0.0.0/0';
const IPV6_WORLD = '::/0';

class Analysis {
  /** Per group id, by permission index (no key string per lookup: rules ask ~10^5 times). */
  private readonly stats = new Map<string, PermStats[]>();
  private readonly states: InterfaceState[] = [];
  /** Per graph node (an id may appear in two scopes). */
  private readonly stateOf = new Map<InterfaceNode, InterfaceState>();
  private readonly aclCache = new Map<string, TargetAclLeg>();
  private readonly routeCache = new Map<RouteTable, Map<string, RouteVerdict>>();
  private readonly items = new Map<GroupNode, Item[]>();
  private readonly aclVerdicts = new Map<NetworkAcl, Map<string, AclInternetVerdict>>();
  /** Interfaces of each group with no public address at all, and the first one's reason. */
  private readonly addressBlocked = new Map<GroupNode, { count: number; reason: string }>();
  private readonly entryKeys = new WeakMap<ExposurePath, string>();
  /** Interfaces using each group (graph order). */
  private readonly usedGroups = new Set<GroupNode>();

  constructor(private readonly graph: Graph) {}

  run(): InternetExposure {
    for (const scope of this.graph.scopes) this.analyseScope(scope);
    const interfaces = this.states.map((s) => this.verdictOf(s));
    const byId = new Map<string, InterfaceExposure>();
    for (const i of interfaces) if (!byId.has(i.eniId)) byId.set(i.eniId, i);
    // Each interface's paths are sorted already and share account, region and target id.
    const order = interfaces
      .filter((i) => i.paths.length)
      .sort((a, b) => compare(a.accountId, b.accountId) || compare(a.region, b.region) || compare(a.eniId, b.eniId));
    const paths = order.flatMap((i) => i.paths);
    this.release();
    return {
      paths,
      interfaces,
      ofPermissions: (refs, query) => this.ofPermissions(refs, query),
      ofInterface: (eniId) => byId.get(eniId),
    };
  }

  /**
   * What only the analysis needed (per-interface state, leg caches): let it go, so that the rest of the scan does
   * not carry it through every garbage collection. `ofPermissions` keeps the per-permission statistics.
   */
  private release(): void {
    this.states.length = 0;
    this.stateOf.clear();
    this.aclCache.clear();
    this.routeCache.clear();
    this.aclVerdicts.clear();
  }

  // ---- per scope ----

  private analyseScope(scope: Scope): void {
    const ctx = new ScopeContext(scope);
    for (const node of scope.networkInterfaces) {
      const state: InterfaceState = { node, target: ctx.targetOf(node), paths: [] };
      this.states.push(state);
      this.stateOf.set(node, state);
      for (const g of node.groups) this.usedGroups.add(g);
      this.analyseDirect(ctx, state);
    }
    const pending: { lbNode: LoadBalancerNode; reason: string }[] = [];
    for (const lbNode of scope.loadBalancers) this.analyseLoadBalancer(ctx, lbNode, pending);
    this.unknownTargets(ctx, pending);
  }

  /** Every internet source of every ingress permission of the interface's groups. */
  private analyseDirect(ctx: ScopeContext, state: InterfaceState): void {
    const { node } = state;
    const v4 = addressLegOf(state, 4);
    if (v4.status === 'unreachable' && noGlobalV6(state)) {
      // No public address of either family (most interfaces): every internet source stops here, whatever the
      // groups admit. Counted per group and matched against the permissions when asked (ofPermissions), instead of
      // working out every group's internet sources.
      for (const group of node.groups) {
        const b = this.addressBlocked.get(group);
        if (b) b.count++;
        else this.addressBlocked.set(group, { count: 1, reason: v4.reason });
      }
      note(state, 'unreachable', v4.reason);
      return;
    }
    if (node.groups.length !== node.eni.groups.length) {
      const missing = node.eni.groups.filter((id) => !node.groups.some((g) => g.id === id));
      note(state, 'unknown', `security group ${missing.join(', ')} of ${node.eni.id} is not in the snapshot`);
    }
    for (const group of node.groups) {
      for (const item of this.itemsOf(group)) {
        if (item.unknown !== undefined) {
          item.stats.unknown ??= item.unknown;
          note(state, 'unknown', item.unknown);
        } else this.reach(ctx, state, item);
      }
    }
  }

  /** The (permission, internet source, flow) triples of a group, worked out once per group. */
  private itemsOf(group: GroupNode): Item[] {
    let items = this.items.get(group);
    if (items) return items;
    items = [];
    for (const entry of group.ingress) {
      const src = entry.source;
      if (src.kind === 'group' || (src.kind === 'cidr' && !(src.cidr.valid && (src.cidr.public || src.cidr.world)))) {
        continue; // the common case, before any allocation
      }
      const sources = internetSources(entry);
      if (sources === 'unknown') {
        const list = entry.source.kind === 'prefixList' ? entry.source.prefixListId : 'a prefix list';
        const where = `${group.id} permission ${entry.permissionIndex}`;
        const unknown = `the entries of prefix list ${list} (${where}) were not collected`;
        for (const flow of flowsOf(entry, 4)) items.push({ entry, flow, stats: this.flowStats(entry, flow), unknown });
        continue;
      }
      for (const source of sources) {
        for (const flow of flowsOf(entry, source.cidr.family)) {
          const sgHop: Hop = { type: 'security-group', id: group.id, permissionIndex: entry.permissionIndex };
          const key = `${source.cidr.cidr}|${flow.key}`;
          items.push({ entry, source, flow, stats: this.flowStats(entry, flow), sgHop, key });
        }
      }
    }
    this.items.set(group, items);
    return items;
  }

  /** One (permission, source, flow) to one interface: address, then route and ACL, then the permission's hop. */
  private reach(ctx: ScopeContext, state: InterfaceState, item: Item) {
    const source = item.source!;
    const address = addressLegOf(state, source.cidr.family);
    if (address.status === 'unreachable') {
      block(item.stats, 'address', address.reason);
      note(state, 'unreachable', address.reason);
      return;
    }
    const net = this.netLeg(ctx, state, source.cidr.cidr, item.flow, item.key!);
    if (net.status === 'unreachable') {
      block(item.stats, 'network', net.reason);
      note(state, 'unreachable', net.reason);
      return;
    }
    if (address.status === 'unknown' || net.status === 'unknown') {
      const reason = address.status === 'unknown' ? address.reason : (net as { reason: string }).reason;
      item.stats.unknown ??= reason;
      note(state, 'unknown', reason);
      return;
    }
    if (net.status !== 'reachable') return;
    for (const part of net.parts) {
      const path: ExposurePath = {
        from: 'internet',
        source: sameRange(part.peer, source.cidr.cidr) ? source.cidr.cidr : part.peer,
        target: state.target,
        protocol: item.flow.protocol,
        ports: part.ports,
        hops: [...part.hops, item.sgHop!],
        accountId: ctx.scope.accountId,
        region: ctx.scope.region,
      };
      state.paths.push(path);
      this.addPath(path);
    }
  }

  /**
   * Route table and network ACL of the interface's subnet for a source and flow. Cached per (route table, ACL):
   * thousands of interfaces share a subnet, and subnets share their VPC's tables and ACL.
   */
  private netLeg(ctx: ScopeContext, state: InterfaceState, source: string, flow: Flow, key: string): NetLeg {
    const net = (state.net ??= ctx.subnetNet(state.node.eni.id, state.node.eni.subnetId));
    if ('reason' in net) return { status: 'unknown', reason: net.reason };
    let leg = net.legs.get(key);
    if (!leg) {
      leg = this.computeNetLeg(ctx, net, source, flow);
      net.legs.set(key, leg);
    }
    return leg;
  }

  private computeNetLeg(ctx: ScopeContext, net: SubnetNet, source: string, flow: Flow): NetLeg {
    let routes = this.routeCache.get(net.table);
    if (!routes) {
      routes = new Map();
      this.routeCache.set(net.table, routes);
    }
    let route = routes.get(source);
    if (!route) {
      route = routeToInternet(source, net.table, ctx.scope.net.internetGateways, ctx.routePrefixLists);
      routes.set(source, route);
    }
    if (route.status === 'unreachable') return { status: 'unreachable', reason: route.reason };
    if (route.status === 'reachable' && flow.ports) {
      const open = allowAllHops(net.acl, source.includes(':'));
      if (open) {
        // The ACL allows all traffic both ways before any other rule (the default ACL): no need to evaluate it.
        const [igwHop, rtHop] = route.hops;
        const hops: Hop[] = [igwHop, routeHopOf(rtHop), aclHop(open[0]), aclHop(open[1])];
        return { status: 'reachable', parts: [{ peer: source, ports: [[flow.ports.from, flow.ports.to]], hops }] };
      }
    }
    // The ACL is asked even when the route is unknown: an ACL that surely blocks decides.
    // Cached per ACL too: subnets with their own route tables often share their VPC's ACL.
    let verdicts = this.aclVerdicts.get(net.acl);
    if (!verdicts) {
      verdicts = new Map();
      this.aclVerdicts.set(net.acl, verdicts);
    }
    const aclKey = `${source}|${flow.key}`;
    let acl = verdicts.get(aclKey);
    if (!acl) {
      acl = aclAdmitsInternet(net.acl, packetOf(flow, source));
      verdicts.set(aclKey, acl);
    }
    if (acl.status === 'unreachable') return { status: 'unreachable', reason: acl.reason };
    if (route.status === 'unknown') return { status: 'unknown', reason: route.reason };
    if (acl.status === 'unknown') return { status: 'unknown', reason: acl.reason };
    const [igwHop, rtHop] = route.hops;
    const routeHop = routeHopOf(rtHop);
    const byPeer = new Map<string, { peer: string; ports: PortSpan[]; hops: Hop[] }>();
    for (const a of acl.admitted) {
      let part = byPeer.get(a.peer);
      if (!part) {
        const hops: Hop[] = [igwHop, routeHop, aclHop(a.inbound)];
        if (a.outbound) hops.push(aclHop(a.outbound));
        part = { peer: a.peer, ports: [], hops };
        byPeer.set(a.peer, part);
      }
      part.ports.push(a.ports ? [a.ports.from, a.ports.to] : flow.span);
    }
    const parts = [...byPeer.values()].map((p) => ({ ...p, ports: mergeSpans(p.ports) }));
    return { status: 'reachable', parts };
  }

  // ---- load balancers ----

  /** `pending`: load balancers whose forwarding is not known, for unknownTargets. */
  private analyseLoadBalancer(
    ctx: ScopeContext,
    lbNode: LoadBalancerNode,
    pending: { lbNode: LoadBalancerNode; reason: string }[],
  ): void {
    const { lb } = lbNode;
    if (lb.scheme !== 'internet-facing') return; // an internal LB is not an internet entry point
    if (lb.type !== 'application' && lb.type !== 'network') return;
    const lbEnis = ctx.enisOfLoadBalancer(lb.arn);
    const hasGroups = lb.securityGroups.length > 0;
    const lbStates = lbEnis.map((n) => this.stateOf.get(n)).filter((s) => s !== undefined);
    if (ctx.missingLbKinds) {
      pending.push({ lbNode, reason: `${ctx.missingLbKinds}: paths through ${lb.name} are unknown` });
      return;
    }
    // A load balancer without node interfaces in the snapshot offers no entry: its targets are decided by their own
    // legs (test estates build load balancers without interfaces; the internet-exposure rule reports such an LB).

    const listeners = ctx.scope.net.listenersByLoadBalancer.get(lb.arn) ?? [];
    for (const listener of listeners) {
      if (listener.port === undefined) continue;
      for (const protocol of listenerProtocols(listener)) {
        const lbHop: LoadBalancerHop = { type: 'load-balancer', id: lb.arn, listener: listener.port };
        if (listener.protocol) lbHop.protocol = listener.protocol;
        // The entries: the internet paths to the LB's nodes on the listener port.
        const entries: { state: InterfaceState; path: ExposurePath }[] = [];
        for (const state of lbStates) {
          if (hasGroups) {
            for (const p of state.paths) {
              if (p.protocol === protocol && p.ports.some(([a, b]) => a <= listener.port! && listener.port! <= b)) {
                entries.push({ state, path: p });
              }
            }
          } else {
            for (const path of this.nlbEntries(ctx, state, protocol, listener.port, lbHop)) {
              entries.push({ state, path });
            }
          }
        }
        // No node reachable on the port: the targets are unknown when a node could not be decided.
        const undecided = entries.length ? undefined : lbStates.find((s) => s.unknown)?.unknown;
        const tgs = forwardTargetGroups(listener);
        for (const arn of tgs) {
          const tg = ctx.scope.net.targetGroups.get(arn);
          if (!tg) {
            const reason = `target group ${arn} of ${lb.name} listener ${listener.port} is not in the snapshot`;
            pending.push({ lbNode, reason });
            continue;
          }
          for (const t of tg.targets) {
            const port = t.port ?? tg.port;
            if (port === undefined) continue;
            for (const targetNode of ctx.targetInterfaces(tg, t.id)) {
              const targetState = this.stateOf.get(targetNode);
              if (!targetState) continue;
              if (entries.length === 0) {
                if (undecided) note(targetState, 'unknown', `${lb.name} listener ${listener.port}: ${undecided}`);
                continue;
              }
              for (const e of entries) {
                this.throughLoadBalancer(ctx, lbNode, tg, port, protocol, e.state, e.path, lbHop, targetState);
              }
            }
          }
        }
      }
    }
  }

  /** An NLB without security groups admits all client traffic to its listeners: the node's network legs decide. */
  private nlbEntries(
    ctx: ScopeContext,
    state: InterfaceState,
    protocol: string,
    port: number,
    lbHop: LoadBalancerHop,
  ): ExposurePath[] {
    const out: ExposurePath[] = [];
    const flow = tcpUdpFlow(protocol, port, port);
    for (const [world, family] of [
      [IPV4_WORLD, 4],
      [IPV6_WORLD, 6],
    ] as const) {
      const address = addressLegOf(state, family);
      if (address.status === 'unreachable') {
        if (family === 4) note(state, 'unreachable', address.reason);
        continue;
      }
      const net = this.netLeg(ctx, state, world, flow, `${world}|${flow.key}`);
      if (net.status !== 'reachable' || address.status === 'unknown') {
        const reason = address.status === 'unknown' ? address.reason : (net as { reason: string }).reason;
        note(state, net.status === 'unreachable' ? 'unreachable' : 'unknown', reason);
        continue;
      }
      for (const part of net.parts) {
        const path: ExposurePath = {
          from: 'internet',
          source: sameRange(part.peer, world) ? world : part.peer,
          target: state.target,
          protocol,
          ports: part.ports,
          hops: [...part.hops, lbHop],
          accountId: ctx.scope.accountId,
          region: ctx.scope.region,
          via: { loadBalancer: lbHop.id, listener: port },
        };
        state.paths.push(path);
        out.push(path);
      }
    }
    return out;
  }

  /** From an internet path to an LB node, on to one target interface on the target port. */
  private throughLoadBalancer(
    ctx: ScopeContext,
    lbNode: LoadBalancerNode,
    tg: TargetGroup,
    port: number,
    protocol: string,
    lbState: InterfaceState,
    entryPath: ExposurePath,
    lbHop: LoadBalancerHop,
    target: InterfaceState,
  ): void {
    const { lb } = lbNode;
    const client = classifyCidr(entryPath.source);
    const lbAddresses = addressesOf(lbState.node);
    const allLbAddresses = ctx.addressesOfLoadBalancer(lb.arn);
    const tgProtocol = (tg.protocol ?? '').toUpperCase();
    const preserved =
      lb.type === 'network' &&
      client.family === 4 &&
      ((tg.targetType ?? 'instance') === 'instance' || tgProtocol === 'UDP' || tgProtocol === 'TCP_UDP');
    const peer = preserved ? entryPath.source : lbAddresses[0];
    if (!peer) {
      note(target, 'unknown', `the private address of ${lbState.node.eni.id} (${lb.name}) was not collected`);
      return;
    }
    // The target's permission that admits what it sees (the same for every entry path but a preserved client's).
    const admissionKey = `${lbState.node.eni.id}|${protocol}|${port}|${preserved ? entryPath.source : ''}`;
    target.admissions ??= new Map();
    let admission = target.admissions.get(admissionKey);
    if (!admission) {
      const seenFrom = preserved ? [] : lb.type === 'application' ? allLbAddresses : lbAddresses;
      admission = admissionOf(
        target,
        lb.securityGroups,
        protocol,
        port,
        preserved ? entryPath.source : undefined,
        seenFrom,
      );
      target.admissions.set(admissionKey, admission);
    }
    const { undecided } = admission;
    const admit = admission.admit && {
      entry: admission.admit.entry,
      source: admission.admit.source ?? entryPath.source,
    };
    if (!admit) {
      if (undecided) note(target, 'unknown', undecided);
      else {
        const seen = preserved ? `the client ${entryPath.source}` : `${lb.name} (${peer})`;
        const reason = `no security group of ${target.node.eni.id} admits ${seen} on ${protocol} ${port}`;
        target.lbBlocked ??= reason;
      }
      return;
    }
    // The target subnet's network ACL, from the peer the target sees.
    const flow = tcpUdpFlow(protocol, port, port);
    const eni = target.node.eni;
    if (ctx.missingPathKinds) {
      note(target, 'unknown', ctx.missingPathKinds);
      return;
    }
    if (!eni.subnetId) {
      note(target, 'unknown', `the subnet of ${eni.id} was not collected (version-1 snapshot data)`);
      return;
    }
    const aclLeg = this.targetAcl(ctx, eni.subnetId, preserved ? admit.source : peer, flow);
    if (aclLeg.status !== 'reachable') {
      if (aclLeg.status === 'unknown') note(target, 'unknown', aclLeg.reason);
      else target.lbBlocked ??= aclLeg.reason;
      return;
    }
    const aclHops = aclLeg.hops;
    const hops: Hop[] = [
      ...entryPath.hops.filter((h) => h.type !== 'load-balancer'),
      { type: 'network-interface', id: lbState.node.eni.id },
      lbHop,
      { type: 'target-group', id: tg.arn, port },
      ...aclHops,
      { type: 'security-group', id: admit.entry.group.id, permissionIndex: admit.entry.permissionIndex },
    ];
    const path: ExposurePath = {
      from: 'internet',
      source: admit.source,
      target: target.target,
      protocol,
      ports: [[port, port]],
      hops,
      accountId: ctx.scope.accountId,
      region: ctx.scope.region,
      via: { loadBalancer: lb.arn, listener: lbHop.listener },
    };
    let entryKey = this.entryKeys.get(entryPath);
    if (entryKey === undefined) {
      entryKey = restKey(entryPath);
      this.entryKeys.set(entryPath, entryKey);
    }
    const key =
      `${lbState.node.eni.id}|${entryKey}|${lbHop.listener}|${tg.arn}|${port}|${protocol}|${admit.source}|` +
      `${admit.entry.group.id}#${admit.entry.permissionIndex}`;
    target.lbPathKeys ??= new Set();
    if (target.lbPathKeys.has(key)) return;
    target.lbPathKeys.add(key);
    target.paths.push(path);
    this.addPath(path);
  }

  private targetAcl(ctx: ScopeContext, subnetId: string, peer: string, flow: Flow): TargetAclLeg {
    const subnet = ctx.scope.net.subnets.get(subnetId);
    if (!subnet) return { status: 'unknown', reason: `subnet ${subnetId} is not in the snapshot` };
    const lookup = aclFor(subnetId, subnet.vpcId, ctx.scope.net.aclsBySubnet.get(subnetId) ?? []);
    if (lookup.status === 'unknown') return { status: 'unknown', reason: lookup.reason };
    const key = `${ctx.scope.key}|${lookup.acl.id}|${peer}|${flow.key}`;
    let leg = this.aclCache.get(key);
    if (!leg) {
      const v = aclAdmitsInternet(lookup.acl, packetOf(flow, peer));
      if (v.status !== 'reachable') leg = { status: v.status, reason: v.reason };
      else {
        const a = v.admitted[0];
        const hops: Hop[] = [aclHop(a.inbound)];
        if (a.outbound) hops.push(aclHop(a.outbound));
        leg = { status: 'reachable', hops };
      }
      this.aclCache.set(key, leg);
    }
    return leg;
  }

  /**
   * Load balancers whose forwarding is not known (listeners or target groups not collected, a target group
   * missing): every interface their traffic could reach — whose groups admit one of them (its groups, its nodes'
   * addresses; for an NLB without groups, any internet source) in its VPC — is unknown unless reachable. One pass
   * over the scope's interfaces for all of them.
   */
  private unknownTargets(ctx: ScopeContext, lbs: { lbNode: LoadBalancerNode; reason: string }[]): void {
    if (!lbs.length) return;
    const byGroup = new Map<string, string>();
    const byVpc = new Map<string, { addresses: string[]; reasons: string[]; open?: string }>();
    const lbEniIds = new Set<string>();
    for (const { lbNode, reason } of lbs) {
      for (const g of lbNode.lb.securityGroups) if (!byGroup.has(g)) byGroup.set(g, reason);
      const vpc = lbNode.lb.vpcId ?? '';
      let v = byVpc.get(vpc);
      if (!v) byVpc.set(vpc, (v = { addresses: [], reasons: [] }));
      for (const n of ctx.enisOfLoadBalancer(lbNode.lb.arn)) {
        lbEniIds.add(n.eni.id);
        for (const a of addressesOf(n)) {
          v.addresses.push(a);
          v.reasons.push(reason);
        }
      }
      if (lbNode.lb.securityGroups.length === 0) {
        v.open ??= reason;
        // Its nodes admit what its listeners take: unknown too.
        for (const n of ctx.enisOfLoadBalancer(lbNode.lb.arn)) {
          const state = this.stateOf.get(n);
          if (state) note(state, 'unknown', reason);
        }
      }
    }
    for (const node of ctx.scope.networkInterfaces) {
      if (lbEniIds.has(node.eni.id)) continue;
      const local = node.eni.vpcId === undefined ? undefined : byVpc.get(node.eni.vpcId);
      const vpcs = local ? [local] : node.eni.vpcId === undefined ? [...byVpc.values()] : [];
      const any = byVpc.get('');
      if (any && any !== local) vpcs.push(any);
      const reason = this.admitsAnyOf(node, byGroup, vpcs);
      const state = this.stateOf.get(node);
      if (reason && state) note(state, 'unknown', reason);
    }
  }

  /** The reason of the first load balancer the interface's groups admit (see unknownTargets). */
  private admitsAnyOf(
    node: InterfaceNode,
    byGroup: Map<string, string>,
    vpcs: { addresses: string[]; reasons: string[]; open?: string }[],
  ): string | undefined {
    for (const g of node.groups) {
      for (const e of g.ingress) {
        const s = e.source;
        if (s.kind === 'group') {
          const r = byGroup.get(s.groupId);
          if (r) return r;
          continue;
        }
        const cidrs = s.kind === 'cidr' ? [s.cidr] : (s.entries ?? []);
        for (const c of cidrs) {
          for (const v of vpcs) {
            if (v.open && (c.public || c.world)) return v.open;
            if (!c.private && !c.world) continue; // node addresses are private
            const i = v.addresses.findIndex((a) => holds(c.cidr, a));
            if (i >= 0) return v.reasons[i];
          }
        }
      }
    }
    return undefined;
  }

  // ---- bookkeeping ----

  /** A path counts for every permission it passes (a load balancer's and its target's). */
  private addPath(path: ExposurePath): void {
    for (const h of path.hops) {
      if (h.type === 'security-group') this.permStats(h.id, h.permissionIndex).paths.push(path);
    }
  }

  private permStats(groupId: string, permissionIndex: number): PermStats {
    let list = this.stats.get(groupId);
    if (!list) this.stats.set(groupId, (list = []));
    let s = list[permissionIndex];
    if (!s) list[permissionIndex] = s = { flows: new Map(), paths: [] };
    return s;
  }

  private statsOf(entry: RuleEntry): PermStats {
    return this.permStats(entry.group.id, entry.permissionIndex);
  }

  private flowStats(entry: RuleEntry, flow: Flow): FlowStats {
    const s = this.statsOf(entry);
    let f = s.flows.get(flow.key);
    if (!f) {
      f = { protocol: flow.protocol, spans: [flowSpan(flow)], blocked: new Map() };
      s.flows.set(flow.key, f);
    }
    return f;
  }

  private verdictOf(s: InterfaceState): InterfaceExposure {
    const eni = s.node.eni;
    const { accountId, region } = s.node.scope;
    // One object literal per interface (no spread of a shared base): 10^5 of them live as long as the scan.
    if (s.paths.length) {
      const paths = sortPaths(s.paths);
      const reason = describePath(paths[0]);
      return { eniId: eni.id, accountId, region, target: s.target, status: 'reachable', reason, paths };
    }
    if (s.unknown) {
      return { eniId: eni.id, accountId, region, target: s.target, status: 'unknown', reason: s.unknown, paths: [] };
    }
    const reason = s.lbBlocked ?? s.blocked ?? `no security group of ${eni.id} admits an internet source`;
    return { eniId: eni.id, accountId, region, target: s.target, status: 'unreachable', reason, paths: [] };
  }

  /**
   * Does an internet source of the permission admit a flow on `query` (any when none)? From the group's items when
   * the analysis worked them out, else from its entries without building them (most groups are only on interfaces
   * without a public address: their items would be built here, after the analysis, just to be read once).
   */
  private permissionAdmits(group: GroupNode, permissionIndex: number, query?: PortQuery): boolean {
    const items = this.items.get(group);
    if (items) return items.some((i) => i.entry.permissionIndex === permissionIndex && flowMatches(i.stats, query));
    for (const entry of group.ingress) {
      if (entry.permissionIndex !== permissionIndex) continue;
      for (const family of internetFamilies(entry)) {
        for (const f of flowsOf(entry, family)) {
          if (
            !query ||
            (protocolMatches(f.protocol, query) && (!query.ports || overlaps([flowSpan(f)], query.ports)))
          ) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private ofPermissions(refs: readonly PermissionRef[], query?: PortQuery): Exposure {
    // Most calls end "unreachable: no public address": nothing allocated until a path or a leg needs it.
    let paths: ExposurePath[] | undefined;
    let seen: Set<ExposurePath> | undefined;
    let unknown: string | undefined;
    // The blocking legs, counted over the groups' interfaces; the most common wins, the first counted on a tie.
    let address: { count: number; reason: string } | undefined;
    let network: { count: number; reason: string } | undefined;
    let addressFirst = false;
    let unattached: string | undefined;
    let notCollected: string | undefined;
    let noPathData: string | undefined;
    for (const ref of refs) {
      const group = this.graph.groupsById.get(ref.groupId);
      if (!group) {
        unknown ??= `${ref.groupId} is not in the snapshot`;
        continue;
      }
      noPathData ??= missingPathKindsOf(group.scope);
      const st = this.stats.get(ref.groupId)?.[ref.permissionIndex];
      if (st) {
        for (const p of st.paths) {
          if (!pathMatches(p, query)) continue;
          seen ??= new Set();
          if (seen.has(p)) continue;
          seen.add(p);
          (paths ??= []).push(p);
        }
      }
      const ab = this.addressBlocked.get(group);
      if (ab && this.permissionAdmits(group, ref.permissionIndex, query)) {
        if (address) address.count += ab.count;
        else {
          address = { count: ab.count, reason: ab.reason };
          if (!network) addressFirst = true;
        }
      }
      if (st) {
        for (const f of st.flows.values()) {
          if (!flowMatches(f, query)) continue;
          if (f.unknown) unknown ??= f.unknown;
          for (const [leg, b] of f.blocked) {
            if (leg === 'address') {
              if (address) address.count += b.count;
              else {
                address = { count: b.count, reason: b.reason };
                if (!network) addressFirst = true;
              }
            } else if (network) network.count += b.count;
            else network = { count: b.count, reason: b.reason };
          }
        }
      }
      if (!this.usedGroups.has(group)) {
        if (!group.scope.collected.has('networkInterfaces')) {
          const where = group.scope.key;
          notCollected ??= `network interfaces were not collected in ${where}: what ${group.id} protects is unknown`;
        } else unattached ??= `${group.id} is attached to no network interface`;
      }
    }
    if (paths) {
      const sorted = sortPaths(paths);
      return { status: 'reachable', reason: describePath(sorted[0]), paths: sorted };
    }
    if (unknown) return { status: 'unknown', reason: unknown, paths: [] };
    if (notCollected) return { status: 'unknown', reason: notCollected, paths: [] };
    // Without the network (a version-1 snapshot, raw describe-security-groups input) nothing is "not reachable".
    if (noPathData) return { status: 'unknown', reason: noPathData, paths: [] };
    const [first, second] = addressFirst ? [address, network] : [network, address];
    const best = first && second ? (second.count > first.count ? second : first) : (first ?? second);
    if (best) return { status: 'unreachable', reason: best.reason, paths: [] };
    if (unattached) return { status: 'unreachable', reason: unattached, paths: [] };
    const what = refs.map((r) => `${r.groupId} permission ${r.permissionIndex}`).join(', ');
    return { status: 'unreachable', reason: `no internet path goes through ${what}${queryText(query)}`, paths: [] };
  }
}

/** Per-scope lookups built once: prefix lists for routes, LB node ENIs, DB instances by groups. */
export class ScopeContext {
  readonly missingPathKinds?: string;
  readonly missingLbKinds?: string;
  readonly routePrefixLists: RoutePrefixList[];
  private readonly lbBySuffix = new Map<string, LoadBalancerNode>();
  private readonly lbEnis = new Map<string, InterfaceNode[]>();
  private readonly lbAddresses = new Map<string, string[]>();
  private readonly subnetNets = new Map<string, SubnetNet | { reason: string }>();
  private readonly pairs = new Map<string, SubnetNet>();
  private dbByGroups?: Map<string, DbInstanceNode[]>;

  constructor(readonly scope: Scope) {
    const lacking = (kinds: ResourceKind[]) => kinds.filter((k) => !scope.collected.has(k));
    this.missingPathKinds = missingPathKinds(scope);
    const lb = lacking(LB_KINDS);
    if (lb.length) this.missingLbKinds = `${lb.join(', ')} not collected in ${scope.key}`;
    this.routePrefixLists = [...scope.prefixLists.values()].map((p) => ({
      id: p.id,
      entries: p.entries?.map((e) => e.cidr),
    }));
    for (const n of scope.loadBalancers) {
      const at = n.lb.arn.indexOf(':loadbalancer/');
      if (at >= 0) this.lbBySuffix.set(n.lb.arn.slice(at + ':loadbalancer/'.length), n);
    }
    for (const n of scope.networkInterfaces) {
      const lbNode = this.loadBalancerOf(n);
      if (!lbNode) continue;
      const list = this.lbEnis.get(lbNode.lb.arn);
      if (list) list.push(n);
      else this.lbEnis.set(lbNode.lb.arn, [n]);
    }
  }

  /** The route table and ACL of a subnet (interned per pair), or why they are not known. */
  subnetNet(eniId: string, subnetId: string | undefined): SubnetNet | { reason: string } {
    if (this.missingPathKinds) return { reason: this.missingPathKinds };
    if (!subnetId) return { reason: `the subnet of ${eniId} was not collected (version-1 snapshot data)` };
    const hit = this.subnetNets.get(subnetId);
    if (hit) return hit;
    const net = this.lookupSubnet(subnetId);
    this.subnetNets.set(subnetId, net);
    return net;
  }

  private lookupSubnet(subnetId: string): SubnetNet | { reason: string } {
    const subnet = this.scope.net.subnets.get(subnetId);
    if (!subnet) return { reason: `subnet ${subnetId} is not in the snapshot` };
    const table = routeTableFor(subnetId, subnet.vpcId, this.scope.net.routeTablesByVpc.get(subnet.vpcId) ?? []);
    const acl = aclFor(subnetId, subnet.vpcId, this.scope.net.aclsBySubnet.get(subnetId) ?? []);
    if (table.status === 'unknown') return { reason: table.reason };
    if (acl.status === 'unknown') return { reason: acl.reason };
    const pair = `${table.table.id}|${acl.acl.id}`;
    let net = this.pairs.get(pair);
    if (!net) {
      net = { table: table.table, acl: acl.acl, legs: new Map() };
      this.pairs.set(pair, net);
    }
    return net;
  }

  /** `ELB app/<name>/<id>` / `ELB net/<name>/<id>` names the load balancer whose node the ENI is. */
  loadBalancerOf(n: InterfaceNode): LoadBalancerNode | undefined {
    const d = n.eni.description;
    return d?.startsWith('ELB ') ? this.lbBySuffix.get(d.slice(4)) : undefined;
  }

  enisOfLoadBalancer(arn: string): InterfaceNode[] {
    return this.lbEnis.get(arn) ?? [];
  }

  /** The private addresses of every node of the load balancer. */
  addressesOfLoadBalancer(arn: string): string[] {
    let list = this.lbAddresses.get(arn);
    if (!list) {
      list = this.enisOfLoadBalancer(arn).flatMap(addressesOf);
      this.lbAddresses.set(arn, list);
    }
    return list;
  }

  /**
   * The interfaces of a registered target: an instance's primary ENI (device index 0) when device indexes are
   * known, else each of its ENIs in the target group's VPC; an IP target's ENI holding that private address.
   */
  targetInterfaces(tg: TargetGroup, id: string): InterfaceNode[] {
    const type = tg.targetType ?? 'instance';
    const inVpc = (n: InterfaceNode) => !tg.vpcId || !n.eni.vpcId || n.eni.vpcId === tg.vpcId;
    if (type === 'instance') {
      const all = (this.scope.net.interfacesByInstance.get(id) ?? []).filter(inVpc);
      const primary = all.filter((n) => n.eni.attachment?.deviceIndex === 0);
      return primary.length ? primary : all.filter((n) => n.eni.attachment?.deviceIndex === undefined);
    }
    if (type === 'ip') {
      const all = this.scope.net.interfacesByAddress.get(id) ?? [];
      const local = all.filter(inVpc);
      return local.length ? local : all;
    }
    return [];
  }

  targetOf(n: InterfaceNode): PathTarget {
    const target: PathTarget = { type: 'network-interface', id: n.eni.id };
    const attachedTo = this.attachedTo(n);
    if (attachedTo) target.attachedTo = attachedTo;
    return target;
  }

  private attachedTo(n: InterfaceNode): PathTarget['attachedTo'] {
    const eni = n.eni;
    const d = eni.description ?? '';
    const type = eni.interfaceType ?? '';
    if (eni.attachment?.instanceId) return { type: 'instance', id: eni.attachment.instanceId };
    const lbNode = this.loadBalancerOf(n);
    if (lbNode) return { type: 'load-balancer', id: lbNode.lb.name, arn: lbNode.lb.arn, name: lbNode.lb.name };
    if (d === 'RDSNetworkInterface') {
      const dbs = this.dbInstancesFor(n);
      if (dbs.length === 1) {
        const i = dbs[0].instance;
        return { type: 'db-instance', id: i.id, ...(i.arn ? { arn: i.arn } : {}), name: i.id };
      }
      const clusters = new Set(dbs.map((x) => x.instance.clusterId));
      if (dbs.length > 1 && clusters.size === 1 && dbs[0].instance.clusterId) {
        const id = dbs[0].instance.clusterId;
        const c = this.scope.dbClusters.find((x) => x.cluster.id === id);
        return { type: 'db-cluster', id, ...(c?.cluster.arn ? { arn: c.cluster.arn } : {}), name: id };
      }
      if (dbs.length > 1) {
        const alternatives = dbs.slice(1).map((x) => ({ type: 'db-instance' as const, id: x.instance.id }));
        return { type: 'db-instance', id: dbs[0].instance.id, name: dbs[0].instance.id, alternatives };
      }
      return undefined;
    }
    if (type === 'lambda' || d.startsWith('AWS Lambda VPC ENI')) {
      const name = /^AWS Lambda VPC ENI-(.+?)(-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/.exec(d);
      return { type: 'lambda', id: name?.[1] ?? eni.id };
    }
    if (type === 'nat_gateway' || d.startsWith('Interface for NAT Gateway ')) {
      return { type: 'nat-gateway', id: /nat-[0-9a-f]+/.exec(d)?.[0] ?? eni.id };
    }
    if (type === 'vpc_endpoint' || d.startsWith('VPC Endpoint Interface ')) {
      return { type: 'vpc-endpoint', id: /vpce-[0-9a-f]+/.exec(d)?.[0] ?? eni.id };
    }
    if (d.startsWith('arn:aws:ecs:')) return { type: 'ecs-task', id: d };
    return undefined;
  }

  /** DB instances of the scope whose security groups are exactly the ENI's, in the ENI's VPC. */
  private dbInstancesFor(n: InterfaceNode): DbInstanceNode[] {
    if (!this.dbByGroups) {
      this.dbByGroups = new Map();
      for (const db of this.scope.dbInstances) {
        const key = groupsKey(db.instance.securityGroups, vpcOfGroups(db.groups));
        const list = this.dbByGroups.get(key);
        if (list) list.push(db);
        else this.dbByGroups.set(key, [db]);
      }
      for (const list of this.dbByGroups.values()) list.sort((a, b) => a.instance.id.localeCompare(b.instance.id));
    }
    return this.dbByGroups.get(groupsKey(n.eni.groups, n.eni.vpcId ?? vpcOfGroups(n.groups))) ?? [];
  }
}

// ---- helpers ----

function groupsKey(ids: readonly string[], vpcId: string | undefined): string {
  return `${vpcId ?? ''}|${[...ids].sort().join(',')}`;
}

function vpcOfGroups(groups: readonly GroupNode[]): string | undefined {
  return groups.find((g) => g.vpcId)?.vpcId;
}

/**
 * The first ingress permission of the target's groups that admits the load balancer's traffic on (protocol, port):
 * a reference to one of the LB's groups; a CIDR (or resolved prefix-list entry) holding one of `addresses` (what
 * the target sees when the client address is not preserved); or, for a preserved `client`, an internet CIDR
 * overlapping it (the path's source becomes the narrower of the two).
 */
function admissionOf(
  target: InterfaceState,
  lbGroups: readonly string[],
  protocol: string,
  port: number,
  client: string | undefined,
  addresses: readonly string[],
): Admission {
  let undecided: string | undefined;
  for (const group of target.node.groups) {
    for (const entry of group.ingress) {
      if (!coversProtocolPort(entry, protocol, port)) continue;
      const s = entry.source;
      if (s.kind === 'group') {
        if (lbGroups.includes(s.groupId)) return { admit: { entry } };
        continue;
      }
      const cidrs = s.kind === 'cidr' ? [s.cidr] : s.entries;
      if (!cidrs) {
        const list = s.kind === 'prefixList' ? s.prefixListId : 'a prefix list';
        undecided ??= `the entries of prefix list ${list} (${group.id}) were not collected`;
        continue;
      }
      for (const c of cidrs) {
        if (!c.valid) continue;
        if (client !== undefined) {
          if (c.private) continue;
          const narrower = narrowerOf(c.cidr, client);
          if (narrower) return { admit: { entry, source: narrower } };
        } else if (addresses.some((a) => holds(c.cidr, a))) return { admit: { entry } };
      }
    }
  }
  return { undecided };
}

/** Counts a blocked (interface, source, flow) against the permission, by leg. */
function block(stats: FlowStats, leg: Leg, reason: string): void {
  const b = stats.blocked.get(leg);
  if (b) b.count++;
  else stats.blocked.set(leg, { count: 1, reason });
}

function note(state: InterfaceState, status: 'unknown' | 'unreachable', reason: string): void {
  if (status === 'unknown') state.unknown ??= reason;
  else state.blocked ??= reason;
}

/**
 * The internet sources of an entry: public or world CIDRs, resolved prefix-list entries that are; `unknown` for a
 * prefix list whose entries were not collected — AWS-managed ones included: their public service ranges are as
 * much the internet as any, and resolved entries count as sources (the CloudFront origin-facing list admits every
 * distribution, anyone's:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html).
 */
function internetSources(entry: RuleEntry): InternetSource[] | 'unknown' {
  const s = entry.source;
  if (s.kind === 'cidr') return s.cidr.valid && (s.cidr.public || s.cidr.world) ? [{ cidr: s.cidr }] : [];
  if (s.kind === 'prefixList') {
    if (!s.entries) return 'unknown';
    return s.entries
      .filter((c) => c.valid && (c.public || c.world))
      .map((c) => ({ cidr: c, prefixListId: s.prefixListId }));
  }
  return [];
}

const FAMILY_4: readonly (4 | 6)[] = [4];
const FAMILY_6: readonly (4 | 6)[] = [6];
const FAMILIES: readonly (4 | 6)[] = [4, 6];
const NO_FAMILY: readonly (4 | 6)[] = [];

/** The address families of an entry's internet sources (itemsOf's: a prefix list not read counts as IPv4). */
function internetFamilies(entry: RuleEntry): readonly (4 | 6)[] {
  const s = entry.source;
  if (s.kind === 'cidr') {
    if (!(s.cidr.valid && (s.cidr.public || s.cidr.world))) return NO_FAMILY;
    return s.cidr.family === 4 ? FAMILY_4 : FAMILY_6;
  }
  if (s.kind !== 'prefixList') return NO_FAMILY;
  if (!s.entries) return FAMILY_4;
  let v4 = false;
  let v6 = false;
  for (const c of s.entries) {
    if (!(c.valid && (c.public || c.world))) continue;
    if (c.family === 4) v4 = true;
    else v6 = true;
  }
  return v4 && v6 ? FAMILIES : v4 ? FAMILY_4 : v6 ? FAMILY_6 : NO_FAMILY;
}

function tcpUdpFlow(protocol: string, from: number, to: number): Flow {
  return {
    protocol,
    acl: protocol === 'udp' ? 'udp' : 'tcp',
    ports: { from, to },
    span: [from, to],
    key: `${protocol}:${from}-${to}`,
  };
}

/** The flows a permission admits: `all` is every TCP and UDP port and ICMP of the source's family. */
function flowsOf(entry: RuleEntry, family: 4 | 6): Flow[] {
  const p = entry.protocol;
  if (p === 'all') {
    const icmp = family === 4 ? 'icmp' : 'icmpv6';
    return [tcpUdpFlow('tcp', 0, 65535), tcpUdpFlow('udp', 0, 65535), icmpFlow(icmp, -1, -1)];
  }
  if (p === 'tcp' || p === 'udp') return [tcpUdpFlow(p, entry.fromPort, entry.toPort)];
  if (p === 'icmp') return [icmpFlow('icmp', entry.fromPort, entry.toPort)];
  if (p === 'icmpv6') return [icmpFlow('icmpv6', entry.fromPort, entry.toPort)];
  const n = Number(p);
  if (!Number.isInteger(n) || n < 0 || n > 255) return [];
  return [{ protocol: p, acl: n, span: [0, 65535], key: `${p}` }];
}

function icmpFlow(protocol: 'icmp' | 'icmpv6', type: number, code: number): Flow {
  const flow: Flow = {
    protocol,
    acl: protocol,
    span: [type, type === -1 ? -1 : type],
    key: `${protocol}:${type}:${code}`,
  };
  if (type !== -1) flow.icmpType = type;
  if (type !== -1 && code !== -1) flow.icmpCode = code;
  return flow;
}

function flowSpan(flow: Flow): PortSpan {
  return flow.ports ? [flow.ports.from, flow.ports.to] : flow.span;
}

function packetOf(flow: Flow, peer: string): AclPacket {
  const packet: AclPacket = { protocol: flow.acl, peer };
  if (flow.ports) packet.ports = flow.ports;
  if (flow.icmpType !== undefined) packet.icmpType = flow.icmpType;
  if (flow.icmpCode !== undefined) packet.icmpCode = flow.icmpCode;
  return packet;
}

function routeHopOf(h: RouteTableHop): Hop {
  const hop: Hop = { type: 'route-table', id: h.id, route: h.route };
  if (h.prefixListId) hop.prefixListId = h.prefixListId;
  return hop;
}

/** An ACL entry as a path hop (a fresh object with the hop's fields only). */
export function aclHop(h: AclHop): Hop {
  return { type: 'network-acl', id: h.id, direction: h.direction, rule: h.rule };
}

function addressLegOf(state: InterfaceState, family: 4 | 6): AddressVerdict {
  if (family === 4) return (state.address4 ??= addressLeg(state.node, 4));
  return (state.address6 ??= addressLeg(state.node, 6));
}

/** The IPv6 leg surely blocks (its reason is not built: most interfaces stop at their IPv4 leg's). */
function noGlobalV6(state: InterfaceState): boolean {
  if (state.address6) return state.address6.status === 'unreachable';
  const v6 = state.node.eni.ipv6Addresses;
  return v6 !== undefined && !v6.some(isGlobalV6);
}

/** Public address leg: an IPv4 source needs a public IPv4, an IPv6 source a global IPv6 address. */
function addressLeg(node: InterfaceNode, family: 4 | 6): AddressVerdict {
  const eni = node.eni;
  if (family === 4) {
    if (eni.publicIp || eni.privateIpAddresses?.some((a) => a.publicIp)) return { status: 'reachable', reason: '' };
    if (!eni.privateIpAddresses) {
      return { status: 'unknown', reason: `the addresses of ${eni.id} were not collected (version-1 snapshot data)` };
    }
    return { status: 'unreachable', reason: `${eni.id} has no public IPv4 address` };
  }
  if (!eni.ipv6Addresses) {
    return {
      status: 'unknown',
      reason: `the IPv6 addresses of ${eni.id} were not collected (version-1 snapshot data)`,
    };
  }
  if (eni.ipv6Addresses.some(isGlobalV6)) return { status: 'reachable', reason: '' };
  return { status: 'unreachable', reason: `${eni.id} has no global IPv6 address` };
}

/**
 * Not link-local (fe80::/10) nor unique-local (fc00::/7), told from the first 16 bits without parsing (every ENI
 * has addresses); an address starting `::` (unspecified, loopback, IPv4-mapped) is not global either.
 */
function isGlobalV6(text: string): boolean {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > 4) return false;
  const first = parseInt(text.slice(0, colon), 16);
  if (Number.isNaN(first)) return false;
  return (first & 0xffc0) !== 0xfe80 && (first & 0xfe00) !== 0xfc00;
}

function addressesOf(n: InterfaceNode): string[] {
  const list = n.eni.privateIpAddresses ?? [];
  const primary = list.filter((a) => a.primary);
  return [...primary, ...list.filter((a) => !a.primary)].map((a) => a.address);
}

const parsed = new Map<string, [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined>();

/** An address or CIDR, parsed once (the same few thousand recur across every interface). */
function parse(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (parsed.has(text)) return parsed.get(text);
  let out: [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined;
  try {
    if (text.includes('/')) out = text.includes(':') ? ipaddr.parseCIDR(text) : ipaddr.IPv4.parseCIDR(text);
    else {
      const a = text.includes(':') ? ipaddr.IPv6.parse(text) : ipaddr.IPv4.parse(text);
      out = [a, a.kind() === 'ipv4' ? 32 : 128];
    }
  } catch {
    out = undefined;
  }
  if (parsed.size < 200_000) parsed.set(text, out);
  return out;
}

/** `cidr` holds address (or CIDR) `inner` (same family; false when either does not parse). rules/lib reads it too. */
export function holds(cidr: string, inner: string): boolean {
  const o = parse(cidr);
  const i = parse(inner);
  if (!o || !i || o[0].kind() !== i[0].kind()) return false;
  return i[1] >= o[1] && i[0].match(o[0], o[1]);
}

/** The narrower of two CIDRs when one holds the other, else undefined (disjoint). */
function narrowerOf(a: string, b: string): string | undefined {
  if (holds(a, b)) return b;
  if (holds(b, a)) return a;
  return undefined;
}

function sameRange(a: string, b: string): boolean {
  return a === b || (holds(a, b) && holds(b, a));
}

function coversProtocolPort(e: RuleEntry, protocol: string, port: number): boolean {
  if (e.protocol === 'all') return true;
  return e.protocol === protocol && e.fromPort <= port && port <= e.toPort;
}

/** The transport protocols of a listener: TCP_UDP both, UDP udp, everything else (HTTP, HTTPS, TCP, TLS) tcp. */
function listenerProtocols(l: Listener): string[] {
  const p = (l.protocol ?? '').toUpperCase();
  if (p === 'TCP_UDP') return ['tcp', 'udp'];
  return p === 'UDP' ? ['udp'] : ['tcp'];
}

/** Target groups a listener forwards to: its default actions and its rules' forward actions. */
function forwardTargetGroups(l: Listener): string[] {
  const out = new Set<string>();
  const actions = [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)];
  for (const a of actions) if (a.type === 'forward') for (const arn of a.targetGroupArns) out.add(arn);
  return [...out].sort();
}

/** Sorted spans with overlapping and adjacent ones joined (ICMP's [-1, -1] never joins). */
export function mergeSpans(spans: PortSpan[]): PortSpan[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: PortSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1] + 1 && s[0] >= 0) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

function overlaps(spans: readonly PortSpan[], query: readonly PortSpan[]): boolean {
  return spans.some(([a, b]) => a === -1 || query.some(([c, d]) => c === -1 || (a <= d && c <= b)));
}

function protocolMatches(protocol: string, query: PortQuery): boolean {
  return query.protocol === 'all' || query.protocol === protocol;
}

function pathMatches(p: ExposurePath, query?: PortQuery): boolean {
  if (!query) return true;
  return protocolMatches(p.protocol, query) && (!query.ports || overlaps(p.ports, query.ports));
}

function flowMatches(f: FlowStats, query?: PortQuery): boolean {
  if (!query) return true;
  return protocolMatches(f.protocol, query) && (!query.ports || overlaps(f.spans, query.ports));
}

function queryText(query?: PortQuery): string {
  if (!query) return '';
  return ` on ${query.protocol}${query.ports ? ` ${query.ports.map(spanText).join(', ')}` : ''}`;
}

export function spanText([a, b]: PortSpan): string {
  return a === b ? `${a}` : `${a}-${b}`;
}

function hopText(h: Hop): string {
  switch (h.type) {
    case 'network-acl':
      return `${h.id} rule ${h.rule === 32767 ? '*' : h.rule}${h.direction === 'outbound' ? ' (reply)' : ''}`;
    case 'load-balancer':
      return `${h.id.slice(h.id.lastIndexOf(':') + 1)} listener ${h.listener}`;
    case 'target-group':
      return `${h.id.slice(h.id.lastIndexOf(':') + 1)} port ${h.port}`;
    default:
      return h.id;
  }
}

/** One line: "tcp 22 from 0.0.0.0/0 to eni-1 via igw-1, rtb-1, acl-1 rule 100, acl-1 rule 100 (reply), sg-1". */
export function describePath(p: ExposurePath): string {
  const ports = p.protocol === 'tcp' || p.protocol === 'udp' ? ` ${p.ports.map(spanText).join(', ')}` : '';
  return `${p.protocol}${ports} from ${p.source} to ${p.target.id} via ${p.hops.map(hopText).join(', ')}`;
}

export function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tie-break of two paths to one target on one protocol and first port: source, then the hops. */
function restKey(p: ExposurePath): string {
  let key = `${p.source}|${p.via ? `${p.via.loadBalancer}:${p.via.listener}` : ''}`;
  for (const h of p.hops) {
    key += `|${h.id}`;
    if (h.type === 'network-acl') key += `:${h.direction}:${h.rule}`;
    else if (h.type === 'security-group') key += `:${h.permissionIndex}`;
    else if (h.type === 'target-group') key += `:${h.port}`;
    else if (h.type === 'load-balancer') key += `:${h.listener}`;
  }
  for (const [a, b] of p.ports) key += `|${a}-${b}`;
  return key;
}

/** By account, region, target id, protocol, first port, then source and the rest of the path. */
function sortPaths(paths: ExposurePath[]): ExposurePath[] {
  if (paths.length < 2) return [...paths];
  const rest = new Map<ExposurePath, string>();
  const restOf = (p: ExposurePath) => {
    let k = rest.get(p);
    if (k === undefined) rest.set(p, (k = restKey(p)));
    return k;
  };
  return [...paths].sort(
    (x, y) =>
      compare(x.accountId, y.accountId) ||
      compare(x.region, y.region) ||
      compare(x.target.id, y.target.id) ||
      compare(x.protocol, y.protocol) ||
      compare(x.ports[0]?.[0] ?? 0, y.ports[0]?.[0] ?? 0) ||
      compare(x.source, y.source) ||
      compare(restOf(x), restOf(y)),
  );
}
