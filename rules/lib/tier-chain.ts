/**
 * The tier chain (issue #13 "Tier chain"): does each intended link of lb → web → app → data have a working path?
 * One verdict per downstream resource (a web server, an app server, a database), from the lateral model
 * (src/exposure/lateral.ts): reachable when some interface of the upstream tier in the same account and region
 * opens a connection to one of the resource's interfaces on the link's ports; `unknown` when none does and some
 * pair could not be decided; else `unreachable`, with what blocks the nearest upstream interface.
 */
import type { Tier } from '../../src/config/schema.js';
import type { ResourceRef } from '../../src/engine/types.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import { analyseLateral } from '../../src/exposure/lateral.js';
import type {
  InterfaceNodeRef,
  LateralPath,
  LateralReach,
  PathTarget,
  PortQuery,
  ReachStatus,
} from '../../src/exposure/types.js';
import type { Graph, Scope } from '../../src/graph/model.js';
import { describeProtocolPorts } from './internet.js';
import { dataPortsOf, interfaceLabel, resourceKey, targetResources, tcpQuery } from './tier-paths.js';

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
  /** `from` first, then the other upstream candidates (distinct resources, at most 5). */
  related: ResourceRef[];
  /** How many upstream interfaces were candidates. */
  candidates: number;
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
  // Load balancer candidates: lb-tier interfaces and every load balancer's node interfaces, tagged or not.
  const lbRefs = bucket([
    ...model.interfacesOfTier('lb'),
    ...exposure.interfaces
      .filter((x) => x.target.attachedTo?.type === 'load-balancer')
      .map((x) => refOf(graph, x.accountId, x.region, x.eniId, x.target)),
  ]);
  for (const [key, scope] of byScope) {
    const registered = registrations(scope);
    const downstreamWeb = (web.get(key) ?? []).filter((r) => r.target.attachedTo?.type !== 'load-balancer');
    const lbWeb = checkLink(model, 'lb-web', lbRefs.get(key) ?? [], downstreamWeb, (r) => {
      const reg = registered.get(r.eniId);
      if (!reg) return { query: tcpQuery(ports.web) };
      // A registered web server is reached by its target groups' load balancers, on the target ports.
      const lbs = reg.lbs;
      return { query: tcpQuery([...reg.ports]), prefer: (c) => lbs.has(lbArnOf(c) ?? '') };
    });
    const appQuery: PortQuery = ports.app ? tcpQuery(ports.app) : { protocol: 'tcp' };
    const webApp = checkLink(model, 'web-app', web.get(key) ?? [], app.get(key) ?? [], () => ({
      query: appQuery,
    }));
    const appData = checkLink(model, 'app-data', app.get(key) ?? [], data.get(key) ?? [], (r) => ({
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
    if (type !== 'instance' && type !== 'ip') continue;
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

/**
 * Verdicts of one link in one account/region: each downstream resource (interfaces grouped by resource) against
 * the upstream candidates (its own interfaces excluded). No upstream candidate: nothing (another rule's concern).
 * `ask(r)`: the ports to check interface `r` on and, optionally, the candidates that count for it (a registered
 * web server: its target groups' load balancers) when some candidate is one.
 */
function checkLink(
  model: LateralReach,
  link: ChainLink,
  upstream: readonly InterfaceNodeRef[],
  downstream: readonly InterfaceNodeRef[],
  ask: (r: InterfaceNodeRef) => { query: PortQuery; prefer?: (c: InterfaceNodeRef) => boolean },
): LinkVerdict[] {
  if (upstream.length === 0 || downstream.length === 0) return [];
  const { tier, upstream: upTier } = CHAIN_LINKS.find((l) => l.link === link)!;
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
    const judged = refs
      .map((r) => {
        const { query, prefer } = ask(r);
        return judgeInterface(model, r, upstream, own, query, prefer);
      })
      .filter((j) => j !== undefined);
    const verdict =
      judged.find((j) => j.status === 'reachable') ??
      judged.find((j) => j.status === 'unknown') ??
      judged.find((j) => j.status === 'unreachable');
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
      related: relatedOf(verdict.from, verdict.candidates),
      candidates: verdict.candidates.length,
      paths: verdict.paths,
    });
  }
  return out;
}

interface InterfaceVerdict {
  status: ReachStatus;
  reason: string;
  to: InterfaceNodeRef;
  from: InterfaceNodeRef;
  candidates: InterfaceNodeRef[];
  query: PortQuery;
  paths: LateralPath[];
}

function judgeInterface(
  model: LateralReach,
  to: InterfaceNodeRef,
  upstream: readonly InterfaceNodeRef[],
  own: ReadonlySet<string>,
  query: PortQuery,
  prefer?: (c: InterfaceNodeRef) => boolean,
): InterfaceVerdict | undefined {
  let candidates = upstream.filter((c) => !own.has(c.eniId));
  if (prefer) {
    const preferred = candidates.filter(prefer);
    if (preferred.length) candidates = preferred;
  }
  if (candidates.length === 0) return undefined;
  // Nearest first: same subnet, then same VPC, then the rest (peered VPCs), each in graph order.
  candidates = candidates
    .map((c, i) => ({ c, i, d: distance(c, to) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.c);
  const byId = new Map(candidates.map((c) => [c.eniId, c]));
  const search = model.inbound(to.eniId, query);
  const paths = search.paths.filter((p) => p.from !== 'internet' && byId.has(p.from.id) && p.steps === 1);
  const base = { to, candidates, query };
  if (paths.length) {
    const from = byId.get((paths[0].from as PathTarget).id)!;
    return { ...base, status: 'reachable', reason: pathText(paths[0]), from, paths };
  }
  const undecided = search.undecided.find((u) => byId.has(u.from));
  if (undecided) {
    return { ...base, status: 'unknown', reason: undecided.reason, from: byId.get(undecided.from)!, paths: [] };
  }
  // Nothing upstream gets through: name what blocks the nearest candidate.
  const nearest = candidates[0];
  const v = model.between(nearest.eniId, to.eniId, query);
  return { ...base, status: v.status, reason: v.reason, from: nearest, paths: v.paths };
}

function relatedOf(from: InterfaceNodeRef, candidates: readonly InterfaceNodeRef[]): ResourceRef[] {
  const out: ResourceRef[] = [];
  const seen = new Set<string>();
  for (const c of [from, ...candidates]) {
    for (const r of targetResources(c.target)) {
      const k = resourceKey(c.accountId, c.region, r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
      if (out.length >= MAX_RELATED) return out;
    }
  }
  return out;
}
