/**
 * The lateral reachability model (src/exposure/lateral.ts, issue #13) as the tier-paths rules read it: which kinds it
 * needs, which scopes it can decide, the finding resource of a path target, the data ports of a database interface,
 * the paths a finding carries, and the texts that name interfaces and sources. General: any rule over lateral paths
 * (tier-skip, blast-radius, tier-chain-broken) uses the same pieces.
 */
import type { Tier } from '../../src/config/schema.js';
import type { ResourceRef, RuleReport } from '../../src/engine/types.js';
import type { Hop, LateralPath, PathTarget, PortQuery } from '../../src/exposure/types.js';
import type { Graph, InterfaceNode, RuleEntry, Scope } from '../../src/graph/model.js';
import type { ResourceKind } from '../../src/snapshot/schema.js';
import { describeProtocolPorts, sourceHolds } from './internet.js';
import { portSpans } from './ports.js';
import { dbRef } from './resources.js';
import { defaultEnginePort } from './tier.js';

export { analyseLateral } from '../../src/exposure/lateral.js';
export type {
  InterfaceNodeRef,
  LateralEnd,
  LateralPath,
  LateralQuery,
  LateralReach,
  LateralSearch,
  LateralVerdict,
} from '../../src/exposure/types.js';

/**
 * What the lateral model reads: groups and interfaces, the network (subnets, route tables, ACLs, peering), the
 * internet leg of a multi-step path (gateways, load balancers, listeners, target groups: src/exposure/internet.ts)
 * and what an interface belongs to (load balancers, databases: its tiers). A rule over lateral paths needs them all.
 */
export const LATERAL_NEEDS: ResourceKind[] = [
  'securityGroups',
  'networkInterfaces',
  'prefixLists',
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'networkAcls',
  'vpcPeeringConnections',
  'loadBalancers',
  'listeners',
  'targetGroups',
  'dbClusters',
  'dbInstances',
];

/**
 * The scopes a lateral rule decides: those that collected every kind of `needs`. The others are left to the report,
 * which lists the rule's missing data (internet-exposure's convention): nothing is reported there, never a pass.
 */
export function decidableScopes(graph: Graph, needs: readonly ResourceKind[]): Set<Scope> {
  return new Set(graph.scopes.filter((s) => needs.every((k) => s.collected.has(k))));
}

const scopeIndex = new WeakMap<Graph, Map<string, Scope>>();

/** The scope of an account and region (`undefined` when not in the estate). */
export function scopeOf(graph: Graph, where: { accountId: string; region: string }): Scope | undefined {
  let map = scopeIndex.get(graph);
  if (!map) {
    map = new Map(graph.scopes.map((s) => [s.key, s]));
    scopeIndex.set(graph, map);
  }
  return map.get(`${where.accountId}/${where.region}`);
}

const interfaceIndex = new WeakMap<Graph, Map<string, InterfaceNode>>();

/** A network interface's graph node by id, across scopes (a peered initiator can be in another account). */
export function interfaceNode(graph: Graph, eniId: string): InterfaceNode | undefined {
  let map = interfaceIndex.get(graph);
  if (!map) {
    map = new Map();
    for (const s of graph.scopes) for (const n of s.networkInterfaces) map.set(n.eni.id, n);
    interfaceIndex.set(graph, map);
  }
  return map.get(eniId);
}

/**
 * The resources a finding about a path target is about: what the interface is attached to when the report has a
 * type for it (an instance, a load balancer, an RDS database and the other databases that may own the interface),
 * else the interface itself, named after what it is attached to (a Lambda function, a VPC endpoint…).
 */
export function targetResources(target: PathTarget): ResourceRef[] {
  const a = target.attachedTo;
  if (!a) return [{ type: 'network-interface', id: target.id }];
  const refs: ResourceRef[] = [];
  for (const r of [a, ...(a.alternatives ?? [])]) {
    const arn = r === a ? a.arn : undefined;
    if (r.type === 'db-instance' || r.type === 'db-cluster') refs.push(dbRef(r.type, r.id, arn));
    else if (r.type === 'instance') refs.push({ type: 'instance', id: r.id });
    else if (r.type === 'load-balancer') {
      const name = a.name ?? r.id;
      refs.push(arn ? { type: 'load-balancer', id: name, arn, name } : { type: 'load-balancer', id: name, name });
    }
  }
  if (refs.length) return refs;
  const name = a.type === 'network-interface' ? undefined : (a.name ?? a.id);
  return [name ? { type: 'network-interface', id: target.id, name } : { type: 'network-interface', id: target.id }];
}

/** A key that tells finding resources apart within a scope. */
export function resourceKey(accountId: string, region: string, r: ResourceRef): string {
  return `${accountId}|${region}|${r.type}|${r.arn ?? r.id}`;
}

const ATTACHED_LABEL: Record<string, string> = {
  instance: 'instance',
  'db-instance': 'DB instance',
  'db-cluster': 'DB cluster',
  'load-balancer': 'load balancer',
  lambda: 'Lambda function',
  'ecs-task': 'ECS task',
  'nat-gateway': 'NAT gateway',
  'vpc-endpoint': 'VPC endpoint',
};

/** `eni-1 (instance i-1)`, `eni-2 (load balancer web)`, `eni-3`: an interface and what it is attached to. */
export function interfaceLabel(t: PathTarget): string {
  const a = t.attachedTo;
  if (!a || a.type === 'network-interface') return t.id;
  const name = a.type === 'lambda' || a.type === 'load-balancer' ? (a.name ?? a.id) : a.id;
  return `${t.id} (${ATTACHED_LABEL[a.type] ?? a.type} ${name})`;
}

/** `eni-1 (instance i-1, untagged)`, `eni-3 (web tier)`: an interface's label with notes in its parentheses. */
export function labelWith(t: PathTarget, notes: readonly string[]): string {
  const label = interfaceLabel(t);
  if (!notes.length) return label;
  return label.endsWith(')') ? `${label.slice(0, -1)}, ${notes.join(', ')})` : `${label} (${notes.join(', ')})`;
}

/** `DB instance orders`, `instance i-1`, `network interface eni-1`: a finding resource in a message. */
export function resourceText(r: ResourceRef): string {
  const label = r.type === 'network-interface' ? 'network interface' : (ATTACHED_LABEL[r.type] ?? r.type);
  return r.type === 'network-interface' && r.name ? `${label} ${r.id} (${r.name})` : `${label} ${r.name ?? r.id}`;
}

/** `untagged`, `web tier`, `web/app tier`: the tiers of an interface in a message. */
export function tierText(tiers: readonly Tier[]): string {
  return tiers.length ? `${tiers.join('/')} tier` : 'untagged';
}

/** `a, b, c and 2 more`: the first `max` labels and how many more there are. */
export function listFirst(labels: readonly string[], max = 3): string {
  if (labels.length <= max) return labels.join(', ');
  return `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}

/**
 * The error finding of a resource some of whose paths could not be decided (an unknown is never a pass): `data`,
 * then the first reason and how many there were.
 */
export function undecidedReport(
  where: { accountId: string; region: string; resource: ResourceRef },
  undecided: readonly string[],
  data: Record<string, string | number>,
): RuleReport<'unknown'> {
  return {
    ...where,
    status: 'error',
    messageId: 'unknown',
    data: { ...data, reason: undecided[0], undecidedCount: undecided.length },
  };
}

/** The paths a finding carries (issue #13: the JSON contract of `sg-audit paths`): shortest first, at most `max`. */
export function findingPaths(paths: readonly LateralPath[], max = 3): LateralPath[] {
  return [...paths].sort((a, b) => a.steps - b.steps).slice(0, max);
}

const endpointIndex = new WeakMap<Scope, Map<string, number>>();

/** Endpoint ports of a scope's databases by `db-instance:id` / `db-cluster:id` (engine default when not recorded). */
function endpointPorts(scope: Scope): Map<string, number> {
  let map = endpointIndex.get(scope);
  if (!map) {
    map = new Map();
    for (const c of scope.dbClusters) {
      const port = c.cluster.port ?? defaultEnginePort(c.cluster.engine);
      if (port !== undefined) map.set(`db-cluster:${c.cluster.id}`, port);
    }
    for (const i of scope.dbInstances) {
      const port = i.instance.port ?? defaultEnginePort(i.instance.engine);
      if (port !== undefined) map.set(`db-instance:${i.instance.id}`, port);
    }
    endpointIndex.set(scope, map);
  }
  return map;
}

/**
 * The TCP ports a database interface serves: the endpoint port of each database it may belong to, when known
 * (`port` as RDS records it, else the engine's default), else `fallback` (settings.ports.data). Sorted, distinct.
 */
export function dataPortsOf(scope: Scope | undefined, target: PathTarget, fallback: readonly number[]): number[] {
  const a = target.attachedTo;
  const ports = new Set<number>();
  if (scope && a) {
    const map = endpointPorts(scope);
    for (const r of [a, ...(a.alternatives ?? [])]) {
      const p = map.get(`${r.type}:${r.id}`);
      if (p !== undefined) ports.add(p);
    }
  }
  return [...(ports.size ? ports : fallback)].sort((x, y) => x - y);
}

/** The query for these TCP ports. */
export function tcpQuery(ports: readonly number[]): PortQuery {
  return { protocol: 'tcp', ports: portSpans(ports) };
}

/**
 * The interface a multi-step path from the internet enters the estate at (the bastion of internet → bastion →
 * database): the `network-interface` hop the first lateral step starts from (a step's first hop is the initiator's
 * egress permission). `undefined` for a one-step path.
 */
export function entryInterface(p: LateralPath): string | undefined {
  for (let i = 1; i < p.hops.length; i++) {
    const h = p.hops[i];
    const prev = p.hops[i - 1];
    if (h.type === 'security-group' && h.direction === 'egress' && prev.type === 'network-interface') return prev.id;
  }
  return undefined;
}

/** The hops of a path's internet leg (before the entry interface), or all of them for a one-step path. */
export function internetLeg(p: LateralPath): Hop[] {
  const entry = entryInterface(p);
  if (entry === undefined) return p.hops;
  const i = p.hops.findIndex(
    (h, k) => h.type === 'network-interface' && h.id === entry && p.hops[k + 1]?.type === 'security-group',
  );
  return p.hops.slice(0, i);
}

/** The distinct peering connections and transit gateways a path crosses, in order. */
export function crossings(p: LateralPath): string[] {
  const ids: string[] = [];
  for (const h of p.hops) {
    if ((h.type === 'vpc-peering-connection' || h.type === 'transit-gateway') && !ids.includes(h.id)) ids.push(h.id);
  }
  return ids;
}

/**
 * The target's ingress entries that admit a one-step path's initiator: the entries of the permission named by the
 * path's last (ingress) security-group hop whose source is one of the initiator's groups, or a range or prefix list
 * holding one of its private addresses. Empty when the group or the initiator is not in the estate.
 */
export function admittingEntries(graph: Graph, p: LateralPath): RuleEntry[] {
  if (p.from === 'internet') return [];
  let hop: Hop | undefined;
  for (const h of p.hops) if (h.type === 'security-group' && h.direction !== 'egress') hop = h;
  if (hop?.type !== 'security-group') return [];
  const g = graph.groupsById.get(hop.id);
  const from = interfaceNode(graph, p.from.id);
  if (!g || !from) return [];
  const groups = new Set(from.groups.map((x) => x.id));
  const addresses = (from.eni.privateIpAddresses ?? []).map((a) => `${a.address}/32`);
  return g.ingress.filter(
    (e) =>
      e.permissionIndex === hop.permissionIndex &&
      (e.source.kind === 'group'
        ? groups.has(e.source.groupId)
        : addresses.some((cidr) => sourceHolds(e.source, cidr))),
  );
}

/** The name part of an ELBv2 load balancer or target group ARN (`…:loadbalancer/app/web/0123…` → `web`), or the ARN. */
export function elbName(arn: string): string {
  const m = /:(?:loadbalancer\/(?:app|net|gwy)|targetgroup)\/([^/]+)\//.exec(arn);
  return m ? m[1] : arn;
}

function hopText(h: Hop): string {
  switch (h.type) {
    case 'security-group':
      return h.direction === 'egress' ? `${h.id} egress` : h.id;
    case 'route-table':
      return `${h.id} (${h.prefixListId ? `${h.prefixListId} ` : ''}${h.route})`;
    case 'network-acl':
      return `${h.id} ${h.direction} rule ${h.rule === 32767 ? '*' : h.rule}`;
    case 'load-balancer':
      return `load balancer ${elbName(h.id)} listener ${h.listener}`;
    case 'target-group':
      return `target group ${elbName(h.id)} port ${h.port}`;
    default:
      return h.id;
  }
}

/**
 * `tcp 5432 from eni-9: sg-web egress → rtb-1 (local) → sg-db → eni-db`: a lateral path in one line, its hops in the
 * order the packet meets them (as internet-exposure's path text, the initiator's egress permission marked). A path
 * of several steps states its ports for the last one (the ports into the target; each step has its own):
 * `from 0.0.0.0/0: igw-1 → … → eni-bastion → … → eni-db (tcp 5432 on the last step)`.
 */
export function lateralPathText(p: LateralPath): string {
  const from = p.from === 'internet' ? (p.source ?? 'the internet') : p.from.id;
  const hops = [...p.hops.map(hopText), p.target.id].join(' → ');
  const ports = describeProtocolPorts(p.protocol, p.ports);
  return p.steps > 1 ? `from ${from}: ${hops} (${ports} on the last step)` : `${ports} from ${from}: ${hops}`;
}
