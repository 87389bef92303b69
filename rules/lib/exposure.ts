/**
 * Internet exposure of security groups: which groups front an internet-facing load balancer, the shared
 * "TCP ports open to the world" check behind the admin, database, restricted-common-ports and high-risk port
 * rules, and whether the offending entries of a finding are actually reachable from the internet (`exposureOf`,
 * over src/exposure).
 */
import { z } from 'zod';
import type { RuleContext, RuleReport } from '../../src/engine/types.js';
import { analyseExposure, describePath as pathReason } from '../../src/exposure/internet.js';
import type { Exposure, ExposurePath, InterfaceExposure, PermissionRef, PortQuery } from '../../src/exposure/types.js';
import type { Graph, GroupNode, RuleEntry, Source } from '../../src/graph/model.js';
import { coversPort, describeSource, hasPublicCidr, isUnknownSource, isWorldSource } from '../../src/graph/query.js';
import { prefixListEntriesCommand, revokeCommands } from './aws-cli.js';
import { sourceHolds } from './internet.js';
import {
  describeEntries,
  describeRulesWithSources,
  formatPorts,
  PortSchema,
  portList,
  portSpans,
  rangeWithin,
} from './ports.js';
import { relatedOf, sgFailure, sgPassDetails, sgRef } from './resources.js';

/**
 * Whether the ingress entries a finding is about are reachable from the internet: some internet path's
 * security-group hop is one of their permissions (restricted to `query`, e.g. the offending ports), else
 * `unknown` when the network data that decides it was not collected, else `unreachable` with what blocks it.
 * Computed once per graph on first use (src/exposure/internet.ts): call it for failing findings only.
 */
export function exposureOf(graph: Graph, entries: readonly RuleEntry[], query?: PortQuery): Exposure {
  const refs: PermissionRef[] = [];
  for (const e of entries) {
    // Entries of one permission are adjacent (one per source); a finding has a handful: no map needed.
    if (!refs.some((r) => r.permissionIndex === e.permissionIndex && r.groupId === e.group.id)) {
      refs.push({ groupId: e.group.id, permissionIndex: e.permissionIndex });
    }
  }
  const x = analyseExposure(graph).ofPermissions(refs, query);
  if (x.status === 'unreachable') {
    // A load balancer or database always has interfaces: when theirs are missing, nothing is known about them.
    // (Missing network data is the model's own `unknown`, src/exposure/internet.ts ofPermissions.)
    const missing = missingInterfaces(graph, entries);
    if (missing) return { status: 'unknown', reason: missing, paths: [] };
  }
  if (x.status !== 'reachable') return x;
  const byPermission = new Map<string, RuleEntry[]>();
  for (const e of entries) {
    const k = `${e.group.id}|${e.permissionIndex}`;
    const list = byPermission.get(k);
    if (list) list.push(e);
    else byPermission.set(k, [e]);
  }
  // A permission can name several sources; only paths from the entries' own sources are this finding's.
  return narrowExposure(
    x,
    (p) => {
      const hop = p.hops.find((h) => h.type === 'security-group' && byPermission.has(`${h.id}|${h.permissionIndex}`));
      const own = hop?.type === 'security-group' ? byPermission.get(`${hop.id}|${hop.permissionIndex}`) : undefined;
      return own?.some((e) => sourceHolds(e.source, p.source)) ? p : undefined;
    },
    `the internet reaches these rules only from their other sources, not from ${describeSources(entries)}`,
  );
}

/**
 * A reachable exposure narrowed by `keep`: each path as it is, a narrower copy (fewer ports), or `undefined`
 * to drop it; the reason is re-stated from the first path left. `unreachable` with `reason` when none is left.
 * Other verdicts are returned as they are. The model's paths are shared: never modified.
 */
export function narrowExposure(
  e: Exposure,
  keep: (p: ExposurePath) => ExposurePath | undefined,
  reason: string,
): Exposure {
  if (e.status !== 'reachable') return e;
  const paths: ExposurePath[] = [];
  let same = true;
  for (const p of e.paths) {
    const k = keep(p);
    if (k !== p) same = false;
    if (k) paths.push(k);
  }
  if (same) return e;
  if (paths.length === 0) return { status: 'unreachable', reason, paths: [] };
  return { status: 'reachable', reason: paths[0] === e.paths[0] ? e.reason : pathReason(paths[0]), paths };
}

const NO_INTERFACES: readonly InterfaceExposure[] = Object.freeze([]);
const byResourceCache = new WeakMap<Graph, Map<string, InterfaceExposure[]>>();

function resourceKey(accountId: string, region: string, r: { type: string; id: string }): string {
  return `${accountId}|${region}|${r.type}|${r.id}`;
}

/** The model's interfaces by (account, region, attached resource), built once per graph. */
function interfacesByResource(graph: Graph): Map<string, InterfaceExposure[]> {
  let map = byResourceCache.get(graph);
  if (!map) {
    map = new Map();
    for (const i of analyseExposure(graph).interfaces) {
      const a = i.target.attachedTo;
      if (!a) continue;
      for (const r of [a, ...(a.alternatives ?? [])]) {
        const k = resourceKey(i.accountId, i.region, r);
        const list = map.get(k);
        if (list) list.push(i);
        else map.set(k, [i]);
      }
    }
    byResourceCache.set(graph, map);
  }
  return map;
}

/**
 * The exposure of one resource (a database, an instance…) through `entries` on `query`: the paths among
 * `exposureOf(graph, entries, query)` whose target is one of the resource's network interfaces. Reachable
 * when one exists; else `unknown` when one of its interfaces could not be decided or none of them is in the
 * snapshot; else `unreachable`, with what blocks it (the first blocked interface's reason).
 */
export function exposureOfResource(
  graph: Graph,
  resource: { type: string; id: string },
  entries: readonly RuleEntry[],
  query?: PortQuery,
  where: { accountId: string; region: string } = entries[0]?.group.scope ?? { accountId: '', region: '' },
): Exposure {
  const viaEntries = exposureOf(graph, entries, query);
  // The resource's own interfaces, in its own account and region: a database id can repeat in another region.
  const own = interfacesByResource(graph).get(resourceKey(where.accountId, where.region, resource)) ?? NO_INTERFACES;
  const label = `${resource.type} ${resource.id}`;
  if (own.length === 0) {
    if (viaEntries.status === 'unknown') return viaEntries;
    // The resource has an interface in AWS (a VPC database always does); without it nothing is known about it.
    return { status: 'unknown', reason: `no network interface of ${label} is in the snapshot`, paths: [] };
  }
  const ids = new Set(own.map((i) => i.eniId));
  if (viaEntries.paths.some((p) => ids.has(p.target.id))) {
    return narrowExposure(viaEntries, (p) => (ids.has(p.target.id) ? p : undefined), '');
  }
  const undecided = own.find((i) => i.status === 'unknown');
  if (undecided) return { status: 'unknown', reason: undecided.reason, paths: [] };
  const blocked = own.find((i) => i.status === 'unreachable');
  return {
    status: 'unreachable',
    reason: blocked
      ? blocked.reason
      : `no internet path reaches ${label} (${[...ids].join(', ')}) through these rules on these ports`,
    paths: [],
  };
}

const ATTACHED_TYPE = { loadBalancers: 'load-balancer', dbClusters: 'db-cluster', dbInstances: 'db-instance' } as const;

/**
 * Why the entries' groups cannot be called unreachable although no interface of theirs is: a load balancer or
 * database they protect has none of its network interfaces in the snapshot (a version-1 snapshot, or data
 * that does not match up). `undefined` when every such resource has one.
 */
function missingInterfaces(graph: Graph, entries: readonly RuleEntry[]): string | undefined {
  let last: GroupNode | undefined;
  for (const e of entries) {
    if (e.group === last) continue;
    last = e.group;
    const missing = missingInterfacesOf(graph, e.group);
    if (missing) return missing;
  }
  return undefined;
}

/** Per group, once per graph (the world-open and tier rules ask for most groups, several times each). */
const missingByGroup = new WeakMap<GroupNode, string | null>();

function missingInterfacesOf(graph: Graph, g: GroupNode): string | undefined {
  let hit = missingByGroup.get(g);
  if (hit === undefined) {
    hit = computeMissingInterfaces(graph, g) ?? null;
    missingByGroup.set(g, hit);
  }
  return hit ?? undefined;
}

function computeMissingInterfaces(graph: Graph, g: GroupNode): string | undefined {
  const owners = interfacesByResource(graph);
  for (const a of g.attachments) {
    if (a.kind === 'networkInterfaces') continue;
    const type = ATTACHED_TYPE[a.kind];
    const { accountId, region } = g.scope;
    const has =
      owners.has(resourceKey(accountId, region, { type, id: a.id })) ||
      (a.kind === 'dbClusters' &&
        g.scope.dbInstances.some(
          (n) =>
            n.instance.clusterId === a.id &&
            owners.has(resourceKey(accountId, region, { type: 'db-instance', id: n.instance.id })),
        ));
    if (!has) return `${g.id} protects ${type} ${a.id}, none of whose network interfaces is in the snapshot`;
  }
  return undefined;
}

/** A source the internet may be behind: a public or world CIDR, a prefix list holding one, or one not read. */
export function isInternetSource(s: Source): boolean {
  return hasPublicCidr(s) || isUnknownSource(s);
}

/**
 * `exposureOf` the entries with an internet source (`isInternetSource`), or `undefined` when none has one:
 * internet exposure says nothing about a security group reference or a private range.
 */
export function internetExposureOf(graph: Graph, entries: readonly RuleEntry[]): Exposure | undefined {
  const internet = entries.filter((e) => isInternetSource(e.source));
  return internet.length ? exposureOf(graph, internet) : undefined;
}

/** The query for TCP ports: `[22, 23, 80]` → tcp `[[22, 23], [80, 80]]`. */
export function tcpPortsQuery(ports: readonly number[]): PortQuery {
  return { protocol: 'tcp', ports: portSpans(ports) };
}

/** Option shared by the exposure rules (its `describe()` text is what `sg-audit rules ID` shows). */
export const loadBalancerPortsOption = z
  .array(PortSchema)
  .default([80, 443])
  .describe(
    'TCP ports that security groups of internet-facing load balancers (or Tier=lb groups) may open to the ' +
      'internet without a finding; [] turns the exemption off.',
  );

const lbGroupCache = new WeakMap<Graph, Set<string>>();

/**
 * Groups attached to an internet-facing load balancer, or carrying the `lb` tier tag. These legitimately
 * admit web traffic from everywhere (Prowler #386/#2107/#5172, ScoutSuite #770).
 */
export function publicLoadBalancerGroups(graph: Graph): Set<string> {
  let set = lbGroupCache.get(graph);
  if (!set) {
    set = new Set<string>();
    for (const scope of graph.scopes) {
      for (const lb of scope.loadBalancers) {
        if (lb.lb.scheme === 'internet-facing') for (const g of lb.groups) set.add(g.id);
      }
    }
    for (const g of graph.groupsByTier.lb) set.add(g.id);
    lbGroupCache.set(graph, set);
  }
  return set;
}

/**
 * Is this entry entirely within the load-balancer exemption (tcp, every port in `lbPorts`, on a group in
 * `lbGroups` = publicLoadBalancerGroups(graph))?
 */
export function lbExempt(lbGroups: Set<string>, e: RuleEntry, lbPorts: readonly number[]): boolean {
  return (
    lbPorts.length > 0 && e.protocol === 'tcp' && lbGroups.has(e.group.id) && rangeWithin(e.fromPort, e.toPort, lbPorts)
  );
}

/** `0.0.0.0/0, ::/0`: the distinct sources of entries, in first-seen order. */
export function describeSources(entries: readonly RuleEntry[]): string {
  return [...new Set(entries.map((e) => describeSource(e.source)))].join(', ');
}

const NO_ENTRIES: readonly RuleEntry[] = Object.freeze([]);

/**
 * Ingress entries whose source is the world: 0.0.0.0/0, ::/0, or a prefix list holding either (never a
 * group). Shared empty list when none.
 */
export function worldIngress(g: GroupNode): readonly RuleEntry[] {
  let out: RuleEntry[] | undefined;
  for (const e of g.ingress) if (isWorldSource(e.source)) (out ??= []).push(e);
  return out ?? NO_ENTRIES;
}

/** `pl-1, pl-2`: the distinct prefix lists of entries, in first-seen order. */
function prefixListIds(entries: readonly RuleEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.source.kind === 'prefixList' ? [e.source.prefixListId] : [])))];
}

/**
 * An `error` finding for a group whose verdict depends on prefix lists whose entries were not collected:
 * neither a pass nor a fail, and the scan is incomplete (exit 3 unless something fails). Data: `data` plus
 * {{rules}} (`tcp 22 from pl-1`) and {{prefixLists}} (`pl-1`); remediation: read each list's entries.
 */
export function sgUnknown<M extends string>(
  g: GroupNode,
  messageId: M,
  data: Record<string, string | number>,
  entries: readonly RuleEntry[],
): RuleReport<M> {
  const ids = prefixListIds(entries);
  data.rules = describeRulesWithSources(entries);
  data.prefixLists = ids.join(', ');
  return {
    status: 'error',
    messageId,
    accountId: g.scope.accountId,
    region: g.region,
    resource: sgRef(g),
    related: relatedOf(g),
    data,
    remediation: ids.map((id) => prefixListEntriesCommand(g.region, id)),
  };
}

interface WorldPortExposure {
  entries: readonly RuleEntry[];
  ports: readonly number[];
  sources: readonly string[];
}

const NO_EXPOSURE: WorldPortExposure = Object.freeze({
  entries: NO_ENTRIES,
  ports: Object.freeze([]),
  sources: Object.freeze([]),
});

interface WorldView {
  /** World-open entries (0.0.0.0/0, ::/0, prefix lists holding either). */
  world: readonly RuleEntry[];
  /** Entries from prefix lists whose entries were not collected. */
  unknown: readonly RuleEntry[];
}

/**
 * World-open and unknown ingress entries of every group, parallel to `graph.groups` (`undefined`: none).
 * Seven rules look at the world-open entries of every group and most groups have none; the list is built
 * once per graph (shared, never mutated).
 */
function worldIngressByGroup(graph: Graph): readonly (WorldView | undefined)[] {
  let list = worldIndex.get(graph);
  if (!list || list.length !== graph.groups.length) {
    list = graph.groups.map((g) => {
      let world: RuleEntry[] | undefined;
      let unknown: RuleEntry[] | undefined;
      for (const e of g.ingress) {
        if (isWorldSource(e.source)) (world ??= []).push(e);
        else if (isUnknownSource(e.source)) (unknown ??= []).push(e);
      }
      return world || unknown ? { world: world ?? NO_ENTRIES, unknown: unknown ?? NO_ENTRIES } : undefined;
    });
    worldIndex.set(graph, list);
  }
  return list;
}

const worldIndex = new WeakMap<Graph, readonly (WorldView | undefined)[]>();

/**
 * Which of `ports` (TCP) the group admits from the world, given its world-open entries. A port is covered
 * by a tcp range that includes it or by protocol `-1`; a udp rule does not open a TCP service. For
 * load-balancer groups the ports in `lbPorts` are exempt, port by port. No allocation when no entry offends.
 */
function openTcpPorts(
  lbGroups: Set<string>,
  g: GroupNode,
  world: readonly RuleEntry[],
  ports: readonly number[],
  lbPorts: readonly number[],
): WorldPortExposure {
  let entries: RuleEntry[] | undefined;
  let open: Set<number> | undefined;
  let sources: Set<string> | undefined;
  let exempt: readonly number[] | undefined | null = null;
  for (const e of world) {
    // Only tcp and all-traffic entries can cover a TCP port.
    if (e.protocol !== 'tcp' && e.protocol !== 'all') continue;
    if (exempt === null) exempt = lbPorts.length > 0 && lbGroups.has(g.id) ? lbPorts : undefined;
    let hit = false;
    for (const port of ports) {
      if (exempt !== undefined && exempt.includes(port)) continue;
      if (coversPort(e, 'tcp', port)) {
        (open ??= new Set()).add(port);
        hit = true;
      }
    }
    if (hit) {
      (entries ??= []).push(e);
      (sources ??= new Set()).add(describeSource(e.source));
    }
  }
  if (!entries) return NO_EXPOSURE;
  return { entries, ports: [...open!].sort((a, b) => a - b), sources: [...sources!] };
}

/**
 * One finding per group from its world-open ingress entries: `open(g, world)` gives the offending entries
 * and the failing finding's data (message `open`, with the revoke commands, and the entries' internet
 * exposure, restricted to `query` when given), or `undefined`. Otherwise, when
 * `open` would select entries from prefix lists whose entries were not collected, the verdict is unknown:
 * an `error` finding (message `unknown`, data `closedData(g)` plus {{rules}} and {{prefixLists}}). Else a
 * pass (message `closedId`, data `closedData(g)`).
 */
export function reportWorldOpen<C extends string>(
  ctx: RuleContext<unknown, 'open' | 'unknown' | C>,
  open: (
    g: GroupNode,
    world: readonly RuleEntry[],
  ) =>
    | {
        entries: readonly RuleEntry[];
        data: Record<string, string | number>;
        query?: PortQuery;
        /** Narrows the entries' exposure to what the finding is about (e.g. the paths on unauthorized ports). */
        refine?: (e: Exposure) => Exposure;
      }
    | undefined,
  closedData: (g: GroupNode) => Record<string, string | number>,
  closedId: C,
): void {
  const { report, pass } = ctx;
  const groups = ctx.graph.groups;
  const views = worldIngressByGroup(ctx.graph);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    const v = views[i];
    if (v !== undefined) {
      const x = v.world.length ? open(g, v.world) : undefined;
      if (x !== undefined) {
        const all = exposureOf(ctx.graph, x.entries, x.query);
        const exposure = x.refine ? x.refine(all) : all;
        report({ ...sgFailure(g, 'open', x.data, revokeCommands(x.entries)), exposure });
        continue;
      }
      // Would these entries offend if their lists held 0.0.0.0/0? Then nobody can say the group is closed.
      const u = v.unknown.length ? open(g, v.unknown) : undefined;
      if (u !== undefined) {
        report(sgUnknown(g, 'unknown', closedData(g), u.entries));
        continue;
      }
    }
    pass(closedId, () => sgPassDetails(g, closedData(g)));
  }
}

/** The message ids of the rules built on `checkWorldOpenPorts` and `reportWorldEntries`. */
export type WorldMessageId = 'open' | 'unknown' | 'closed';

/** Options of the "TCP ports open to the world" rules: the ports checked and the load-balancer exemption. */
export const worldPortOptions = (defaults: number[]) =>
  z.strictObject({
    ports: portList(defaults).describe('TCP ports that must not be open to the internet (0.0.0.0/0, ::/0).'),
    loadBalancerPorts: loadBalancerPortsOption,
  });

/**
 * The check behind every "TCP ports open to the world" rule (options: `worldPortOptions`): one finding per
 * group, `open` (fail) listing the offending ports and sources, `unknown` (error: the ports are admitted
 * from prefix lists whose entries were not collected), or `closed` (pass). Rules supply `open`/`closed`/
 * `unknown` messages using `{{group}}`, `{{ports}}`, `{{sources}}` and `{{checked}}` (`unknown`: `{{rules}}`
 * and `{{prefixLists}}` instead of ports and sources).
 */
export function checkWorldOpenPorts(
  ctx: RuleContext<{ ports: number[]; loadBalancerPorts: number[] }, WorldMessageId>,
): void {
  const { ports, loadBalancerPorts: lbPorts } = ctx.options;
  const checked = formatPorts(ports);
  const lbGroups = publicLoadBalancerGroups(ctx.graph);
  reportWorldOpen(
    ctx,
    (g, w) => {
      const x = openTcpPorts(lbGroups, g, w, ports, lbPorts);
      if (!x.entries.length) return undefined;
      return {
        entries: x.entries,
        data: { group: g.id, groupName: g.name, ports: formatPorts(x.ports), sources: x.sources.join(', '), checked },
        // Reachable only counts on the offending ports: an entry 0-1024 may get through on 80 but not on 22.
        query: tcpPortsQuery(x.ports),
      };
    },
    (g) => ({ group: g.id, groupName: g.name, checked }),
    'closed',
  );
}

/**
 * One finding per group for world-open ingress entries selected by `offending`: `open` (fail, with the
 * revoke commands) when any entry matches, `unknown` (error) when entries from prefix lists whose entries
 * were not collected would match, else `closed` (pass). All take {{group}} and {{groupName}}; `open` also
 * {{ports}} and {{sources}}, `unknown` {{rules}} and {{prefixLists}}. `refine` narrows the entries' exposure
 * to what the rule is about (e.g. the ICMP paths of an all-traffic entry).
 */
export function reportWorldEntries(
  ctx: RuleContext<unknown, WorldMessageId>,
  offending: (e: RuleEntry) => boolean,
  refine?: (e: Exposure, g: GroupNode) => Exposure,
): void {
  reportWorldOpen(
    ctx,
    (g, w) => {
      let entries: RuleEntry[] | undefined;
      for (const e of w) if (offending(e)) (entries ??= []).push(e);
      if (!entries) return undefined;
      return {
        entries,
        data: { group: g.id, groupName: g.name, ports: describeEntries(entries), sources: describeSources(entries) },
        ...(refine ? { refine: (x: Exposure) => refine(x, g) } : {}),
      };
    },
    (g) => ({ group: g.id, groupName: g.name }),
    'closed',
  );
}
