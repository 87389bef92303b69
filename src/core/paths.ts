/**
 * `paths`: which (network interface, protocol, ports) the internet reaches, and by which path. Loads the inputs
 * as `scan` does (one loader: `loadInputs`, the settings file for the tier tags, raw aws-cli input), runs the
 * exposure model once and selects paths by `--to` and `--port`. A query, not a gate: exit 0 when every selected
 * interface was decided, 3 (incomplete) when some could not be (data not collected), so an empty listing of an
 * estate without network data never reads as "nothing is exposed".
 *
 * Lateral paths (issue #13: `--from` an interface, instance, load balancer, database, security group or tier, or
 * `--from internet --max-hops 2+`) come from the lateral model (`analyseLateral(graph).search`), both ends resolved
 * to interfaces against the estate; undecided pairs (and accounts/regions without interfaces) exit 3 likewise.
 */
import path from 'node:path';
import { defaultRegistry } from '../../rules/index.js';
import { loadSettings } from '../config/load.js';
import { TIERS, type Tier } from '../config/schema.js';
import { analyseExposure } from '../exposure/internet.js';
import { analyseLateral } from '../exposure/lateral.js';
import type {
  ExposurePath,
  InternetExposure,
  LateralPath,
  LateralQuery,
  LateralReach,
  PathTarget,
  PortSpan,
  ReachStatus,
} from '../exposure/types.js';
import { buildGraph } from '../graph/build.js';
import type { Graph, InterfaceNode, Scope } from '../graph/model.js';
import {
  isLateral,
  lbName,
  PATHS_FORMATS,
  renderPathsChunks,
  type AnyPathsListing,
  type LateralListing,
  type LateralUndecided,
  type LateralUnreachable,
  type ListedLateralPath,
  type PathsFormat,
  type PathsListing,
  type UndecidedInterface,
} from '../report/paths.js';
import type { RawInputDefaults } from '../snapshot/load.js';
import { EXIT, UsageError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { checkOutputs } from './outputs.js';
import { loadInputs, type CoreIO } from './scan.js';

export interface PathsQuery {
  /** `--to`: an ENI, instance, load balancer (name or ARN), DB instance or cluster, security group id, or a tier. */
  to?: string;
  /** `--port`: keep paths whose ports include it (tcp, udp and all-traffic paths). */
  port?: number;
}

/** A lateral query (issue #13): `--from` an end of the estate (or the internet), `--max-hops`. */
export interface LateralPathsQuery extends PathsQuery {
  /** `internet`, or what `--to` may name (an ENI, instance, load balancer, database, security group or tier). */
  from: string;
  /** Interface-to-interface steps, 1-5. */
  maxHops: number;
}

/** `--max-hops` bounds: a path of more steps than this is not a question anyone asks of an audit. */
export const MAX_HOPS = 5;

/** `--max-hops` as typed: an integer 1-5. */
export function parseMaxHops(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,2}$/.test(value.trim()) || Number(value) < 1 || Number(value) > MAX_HOPS) {
    throw new UsageError(`--max-hops ${JSON.stringify(value)}: expected an integer 1-${MAX_HOPS}`);
  }
  return Number(value);
}

/**
 * The default `--max-hops`: 1, from the internet (the internet listing of issue #12) and from anything else (who can
 * open a connection to whom directly: `--from web --to data` is the tier-skip question). Two steps and more are
 * asked for (`--max-hops 2`: what a compromised host reaches onward); on the demo estate, web → data in two steps
 * is over a hundred paths, nearly all the intended web → app → data chain.
 */
export const DEFAULT_MAX_HOPS = 1;

/** `--port` as typed: an integer 0–65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new UsageError(`--port ${JSON.stringify(value)}: expected a port number 0-65535`);
  }
  return Number(value);
}

/** `--from` and `--to` as typed: not empty; `internet` is where paths start, never where they end. */
export function checkEnds(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && from.trim() === '') {
    throw new UsageError('--from "": expected internet, a resource id, load balancer name or ARN, or a tier');
  }
  if (to !== undefined && to.trim() === '') {
    throw new UsageError('--to "": expected a resource id, load balancer name or ARN, or a tier');
  }
  if (to?.trim() === 'internet') {
    throw new UsageError(
      '--to "internet": paths start at the internet (--from internet), they do not end there; expected a ' +
        'resource id, load balancer name or ARN, or a tier',
    );
  }
}

interface Selector {
  path(p: ExposurePath): boolean;
  target(t: PathTarget, accountId: string, region: string): boolean;
  /** A scope whose network interfaces were not collected may hold what `--to` names. */
  scope(s: Scope): boolean;
}

const ALL: Selector = { path: () => true, target: () => true, scope: () => true };

/**
 * What `--to` names, resolved against the estate (not only against paths: a resource nothing reaches is a valid
 * answer, an id the estate does not hold is a usage error).
 */
function selectorFor(graph: Graph, to: string, flag: '--from' | '--to' = '--to'): Selector {
  const enis = new Map<string, InterfaceNode>();
  for (const s of graph.scopes) for (const n of s.networkInterfaces) enis.set(`${s.key}\u0000${n.eni.id}`, n);
  const eniOf = (t: PathTarget, accountId: string, region: string) => enis.get(`${accountId}/${region}\u0000${t.id}`);
  const parts: Selector[] = [];
  const inScopes = (pred: (s: Scope) => boolean) => {
    const scopes = new Set(graph.scopes.filter(pred));
    return (s: Scope) => scopes.has(s);
  };

  if ((TIERS as readonly string[]).includes(to)) {
    const tier = to as Tier;
    const lbTiers = new Map<string, Tier[]>();
    const dbTiers = new Map<string, Tier[]>();
    for (const s of graph.scopes) {
      for (const l of s.loadBalancers) {
        lbTiers.set(l.lb.arn, l.tiers);
        lbTiers.set(`${s.key}\u0000${l.lb.name}`, l.tiers);
      }
      for (const d of s.dbClusters) dbTiers.set(`${s.key}\u0000${d.cluster.id}`, d.tiers);
      for (const d of s.dbInstances) dbTiers.set(`${s.key}\u0000${d.instance.id}`, d.tiers);
    }
    const attachedTiers = (t: PathTarget, key: string): Tier[] => {
      const a = t.attachedTo;
      if (!a) return [];
      if (a.type === 'load-balancer') {
        return lbTiers.get(a.arn ?? '') ?? lbTiers.get(a.id) ?? lbTiers.get(`${key}\u0000${a.name ?? a.id}`) ?? [];
      }
      if (a.type !== 'db-instance' && a.type !== 'db-cluster') return [];
      // An RDS interface several databases could own counts for each of them.
      return [a, ...(a.alternatives ?? [])].flatMap((d) => dbTiers.get(`${key}\u0000${d.id}`) ?? []);
    };
    const target = (t: PathTarget, accountId: string, region: string) =>
      Boolean(eniOf(t, accountId, region)?.tiers.includes(tier)) ||
      attachedTiers(t, `${accountId}/${region}`).includes(tier);
    return { path: (p) => target(p.target, p.accountId, p.region), target, scope: () => true };
  }

  // Network interfaces, and instances through their interfaces.
  const eniHits = new Set<string>();
  const instanceHits = new Set<string>();
  for (const s of graph.scopes) {
    for (const n of s.networkInterfaces) {
      if (n.eni.id === to) eniHits.add(`${s.key}\u0000${n.eni.id}`);
      if (n.eni.attachment?.instanceId === to) instanceHits.add(`${s.key}\u0000${n.eni.id}`);
    }
  }
  if (eniHits.size > 0 || instanceHits.size > 0) {
    const keys = new Set([...eniHits, ...instanceHits]);
    const target = (t: PathTarget, accountId: string, region: string) =>
      keys.has(`${accountId}/${region}\u0000${t.id}`) || (t.attachedTo?.type === 'instance' && t.attachedTo.id === to);
    parts.push({
      path: (p) =>
        target(p.target, p.accountId, p.region) || p.hops.some((h) => h.type === 'network-interface' && h.id === to),
      target,
      scope: () => false,
    });
  }

  // Load balancers by name or ARN: paths to their nodes and paths through them.
  const lbArns = new Set<string>();
  for (const s of graph.scopes)
    for (const l of s.loadBalancers) if (l.lb.name === to || l.lb.arn === to) lbArns.add(l.lb.arn);
  if (lbArns.size > 0) {
    const names = new Set([...lbArns].map(lbName));
    const target = (t: PathTarget) =>
      t.attachedTo?.type === 'load-balancer' &&
      (lbArns.has(t.attachedTo.arn ?? '') ||
        lbArns.has(t.attachedTo.id) ||
        names.has(t.attachedTo.name ?? t.attachedTo.id));
    parts.push({
      path: (p) =>
        target(p.target) ||
        (p.via !== undefined && lbArns.has(p.via.loadBalancer)) ||
        p.hops.some((h) => h.type === 'load-balancer' && lbArns.has(h.id)),
      target,
      scope: inScopes((s) => s.loadBalancers.some((l) => lbArns.has(l.lb.arn))),
    });
  }

  // DB instances and clusters (a cluster: its member instances' interfaces).
  const dbIds = new Set<string>();
  for (const s of graph.scopes) {
    for (const d of s.dbInstances) if (d.instance.id === to) dbIds.add(d.instance.id);
    for (const d of s.dbClusters) {
      if (d.cluster.id !== to) continue;
      dbIds.add(d.cluster.id);
      for (const m of d.cluster.members) dbIds.add(m);
    }
  }
  if (dbIds.size > 0) {
    // An RDS interface several databases could own (`alternatives`) counts for each of them.
    const target = (t: PathTarget) =>
      (t.attachedTo?.type === 'db-instance' || t.attachedTo?.type === 'db-cluster') &&
      [t.attachedTo, ...(t.attachedTo.alternatives ?? [])].some((d) => dbIds.has(d.id));
    parts.push({
      path: (p) => target(p.target),
      target,
      scope: inScopes(
        (s) => s.dbInstances.some((d) => dbIds.has(d.instance.id)) || s.dbClusters.some((d) => d.cluster.id === to),
      ),
    });
  }

  // Security groups: paths through one of its permissions; undecided interfaces it is attached to.
  if (graph.groupsById.has(to)) {
    parts.push({
      path: (p) => p.hops.some((h) => h.type === 'security-group' && h.id === to),
      target: (t, accountId, region) => Boolean(eniOf(t, accountId, region)?.groups.some((g) => g.id === to)),
      scope: inScopes((s) => s.groups.some((g) => g.id === to)),
    });
  }

  if (parts.length === 0) throw namesNothing(graph, to, flag);
  return {
    path: (p) => parts.some((s) => s.path(p)),
    target: (t, a, r) => parts.some((s) => s.target(t, a, r)),
    scope: (sc) => parts.some((s) => s.scope(sc)),
  };
}

/**
 * An id the estate does not hold. When no account/region's network interfaces were collected (raw aws-cli input
 * holds none), say so: the instance, load balancer or database may be there, unseen.
 */
function namesNothing(graph: Graph, text: string, flag: string): UsageError {
  const blind = graph.scopes.filter((s) => !s.collected.has('networkInterfaces')).map((s) => s.key);
  if (blind.length > 0 && blind.length === graph.scopes.length) {
    const more = blind.length - 1;
    const where = more === 0 ? blind[0] : `${blind[0]} and ${more} more`;
    return new UsageError(
      `${flag} ${JSON.stringify(text)}: names nothing the input holds: its network interfaces were not collected ` +
        `(${where}; raw describe-security-groups input holds none), so no interface, instance, load balancer or ` +
        `database can be found; a snapshot from 'sg-audit collect' holds them`,
    );
  }
  return new UsageError(
    `${flag} ${JSON.stringify(text)}: names nothing in the estate; expected a network interface, instance, load ` +
      `balancer (name or ARN), DB instance or cluster, or security group id, or a tier (${TIERS.join(', ')})`,
  );
}

/** `ports` include `port`: tcp, udp and all-traffic paths (ICMP types and other protocols have no ports). */
function hasPort(p: Pick<ExposurePath, 'protocol' | 'ports'>, port: number): boolean {
  if (p.protocol !== 'tcp' && p.protocol !== 'udp' && p.protocol !== 'all') return false;
  return p.ports.some(([from, to]: PortSpan) => from <= port && port <= to);
}

/** The listing for a query over an analysed estate. Pure: the graph resolves `--to`, the exposure answers. */
export function selectPaths(graph: Graph, exposure: InternetExposure, query: PathsQuery = {}): PathsListing {
  const sel = query.to === undefined ? ALL : selectorFor(graph, query.to);
  const paths = exposure.paths.filter((p) => sel.path(p) && (query.port === undefined || hasPort(p, query.port)));
  const interfaces: Record<ReachStatus, number> = { reachable: 0, unreachable: 0, unknown: 0 };
  const unknown: UndecidedInterface[] = [];
  for (const s of graph.scopes) {
    if (!s.collected.has('networkInterfaces') && sel.scope(s)) {
      unknown.push({ accountId: s.accountId, region: s.region, reason: 'network interfaces not collected' });
    }
  }
  for (const i of exposure.interfaces) {
    if (!sel.target(i.target, i.accountId, i.region)) continue;
    interfaces[i.status]++;
    if (i.status === 'unknown') {
      unknown.push({ accountId: i.accountId, region: i.region, target: i.target, reason: i.reason });
    }
  }
  return {
    paths,
    unknown,
    interfaces,
    query: {
      from: 'internet',
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.port !== undefined ? { port: query.port } : {}),
    },
  };
}

/** The interfaces an end names, and the accounts/regions that may hold more of it unseen (interfaces not collected). */
interface End {
  ids: string[];
  blind: Scope[];
}

/**
 * What `--from` or `--to` names, as interfaces: a tier by the lateral model's `tiersOf` (what the tier rules read,
 * so a finding and `paths` agree); anything else as the internet listing resolves it, applied to every interface.
 */
function lateralEnd(
  graph: Graph,
  exposure: InternetExposure,
  lateral: LateralReach,
  text: string,
  flag: '--from' | '--to',
): End {
  const blindScopes = (pred: (s: Scope) => boolean) =>
    graph.scopes.filter((s) => !s.collected.has('networkInterfaces') && pred(s));
  if ((TIERS as readonly string[]).includes(text)) {
    const ids = lateral.interfacesOfTier(text as Tier).map((r) => r.eniId);
    return { ids: [...new Set(ids)], blind: blindScopes(() => true) };
  }
  const sel = selectorFor(graph, text, flag);
  const ids = exposure.interfaces.filter((i) => sel.target(i.target, i.accountId, i.region)).map((i) => i.eniId);
  return { ids: [...new Set(ids)], blind: blindScopes((s) => sel.scope(s)) };
}

/**
 * A path from the internet keeps the internet listing's fields: `via` names the load balancer it enters through
 * (its first load-balancer hop: lateral steps have none), after `region` as in the internet listing.
 */
function withVia(p: LateralPath): ListedLateralPath {
  if (p.from !== 'internet') return p;
  const lb = p.hops.find((h) => h.type === 'load-balancer');
  if (!lb) return p;
  const { steps, assumptions, ...internet } = p;
  return {
    ...internet,
    via: { loadBalancer: lb.id, listener: lb.listener },
    steps,
    ...(assumptions ? { assumptions } : {}),
  };
}

/** `--port N` as a lateral query: any protocol on N (then only tcp, udp and all-traffic paths are kept). */
function lateralQuery(port: number | undefined, maxSteps: number): LateralQuery {
  return port === undefined ? { protocol: 'all', maxSteps } : { protocol: 'all', ports: [[port, port]], maxSteps };
}

/**
 * The lateral listing: paths from `--from` (interfaces, or the internet) to `--to` (interfaces; without it, every
 * interface) within `--max-hops` steps, and what could not be decided, never read as "not reachable". Pure.
 */
export function selectLateral(
  graph: Graph,
  exposure: InternetExposure,
  lateral: LateralReach,
  query: LateralPathsQuery,
): LateralListing {
  const from = query.from === 'internet' ? undefined : lateralEnd(graph, exposure, lateral, query.from, '--from');
  const to =
    query.to === undefined
      ? {
          ids: [...new Set(exposure.interfaces.map((i) => i.eniId))],
          blind: graph.scopes.filter((s) => !s.collected.has('networkInterfaces')),
        }
      : lateralEnd(graph, exposure, lateral, query.to, '--to');
  const found =
    (from === undefined || from.ids.length > 0) && to.ids.length > 0
      ? lateral.search(from?.ids ?? 'internet', to.ids, lateralQuery(query.port, query.maxHops))
      : { paths: [], undecided: [] };
  const undecided: LateralUndecided[] = [];
  const blind = new Set([...(from?.blind ?? []), ...to.blind]);
  for (const s of graph.scopes) {
    if (!blind.has(s)) continue;
    const reason = 'network interfaces not collected';
    undecided.push({ from: query.from, to: query.to ?? '*', reason, accountId: s.accountId, region: s.region });
  }
  undecided.push(...found.undecided);
  const paths = found.paths.filter((p) => query.port === undefined || hasPort(p, query.port)).map(withVia);
  const unreachable = from ? blocked(lateral, from.ids, to.ids, paths, undecided, query.port) : [];
  return {
    paths,
    undecided,
    ...(unreachable.length ? { unreachable } : {}),
    query: {
      from: query.from,
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.port !== undefined ? { port: query.port } : {}),
      maxHops: query.maxHops,
      ...(from ? { fromInterfaces: from.ids.length } : {}),
      toInterfaces: to.ids.length,
    },
  };
}

/** What the interfaces lateral paths pass through are attached to (the diagram's nodes name them). */
function joinedInterfaces(listing: LateralListing, exposure: InternetExposure): Map<string, PathTarget> {
  const out = new Map<string, PathTarget>();
  for (const p of listing.paths) {
    for (const h of p.hops) {
      if (h.type !== 'network-interface' || out.has(h.id)) continue;
      const t = exposure.ofInterface(h.id)?.target;
      if (t) out.set(h.id, t);
    }
  }
  return out;
}

/** Pairs at most whose blocking hop is asked of the model (`between`) when nothing reaches: a question, not a scan. */
export const MAX_EXPLAINED_PAIRS = 25;

/**
 * What blocks the direct connection between each pair without a path (`LateralReach.between`: "sg-web egress allows
 * only tcp 443; sg-app admits tcp 8080 from sg-web"), when the ends are few: the pre-migration check. On `--port`
 * the question is TCP on that port. A pair the model cannot decide is added to `undecided` (never "not reachable").
 */
function blocked(
  lateral: LateralReach,
  fromIds: readonly string[],
  toIds: readonly string[],
  paths: readonly LateralPath[],
  undecided: LateralUndecided[],
  port: number | undefined,
): LateralUnreachable[] {
  // At most one self pair per interface: over this bound, too many pairs without listing them (100k × 100k).
  if (fromIds.length * toIds.length > MAX_EXPLAINED_PAIRS + Math.min(fromIds.length, toIds.length)) return [];
  const pairs = fromIds.flatMap((f) => toIds.filter((t) => t !== f).map((t) => [f, t] as const));
  if (pairs.length === 0 || pairs.length > MAX_EXPLAINED_PAIRS) return [];
  const key = (f: string, t: string) => `${f}\u0000${t}`;
  const reached = new Set(paths.map((p) => key(p.from === 'internet' ? 'internet' : p.from.id, p.target.id)));
  const unsure = new Set(undecided.map((u) => key(u.from, u.to)));
  const out: LateralUnreachable[] = [];
  for (const [f, t] of pairs) {
    if (reached.has(key(f, t)) || unsure.has(key(f, t))) continue;
    const v = lateral.between(f, t, port === undefined ? undefined : { protocol: 'tcp', ports: [[port, port]] });
    if (v.status === 'unreachable') out.push({ from: f, to: t, reason: v.reason });
    else if (v.status === 'unknown') undecided.push({ from: f, to: t, reason: v.reason });
  }
  return out;
}

/** `paths` options, as the command line gives them (file names relative to `io.cwd`). */
export interface PathsOptions {
  inputs?: string[];
  rawDefaults?: RawInputDefaults;
  configPath?: string;
  from?: string;
  to?: string;
  /** As typed; validated here. */
  port?: string;
  /** As typed; validated here (1-5; default 1). */
  maxHops?: string;
  format: string;
  output?: string;
  /** Colours on stdout (never in files). */
  color?: boolean;
}

export interface PathsResult {
  listing: AnyPathsListing;
  exitCode: number;
}

function formatOf(value: string): PathsFormat {
  if ((PATHS_FORMATS as readonly string[]).includes(value)) return value as PathsFormat;
  throw new UsageError(`--format ${value}: expected one of ${PATHS_FORMATS.join(', ')}`);
}

/** `paths`: check the flags and outputs, load the inputs, analyse, select, write. */
export function runPaths(opts: PathsOptions, io: CoreIO): PathsResult {
  const format = formatOf(opts.format);
  checkEnds(opts.from, opts.to);
  const from = opts.from?.trim() ?? 'internet';
  const maxHops = parseMaxHops(opts.maxHops) ?? DEFAULT_MAX_HOPS;
  const port = parsePort(opts.port);
  const given = opts.inputs ?? [];
  if (given.length === 0) {
    throw new UsageError("no input: pass --input FILE (a snapshot from 'sg-audit collect'; paths reads files only)");
  }
  const named = (flag: string, file: string | undefined) => (file ? [{ label: `${flag} ${file}`, file }] : []);
  checkOutputs(
    named('-o', opts.output),
    [...given.map((file) => ({ label: `--input ${file}`, file })), ...named('--config', opts.configPath)],
    io.cwd,
  );
  const settings = loadSettings({ configPath: opts.configPath, cwd: io.cwd, catalog: defaultRegistry() });
  const snapshot = loadInputs(
    given.map((f) => path.resolve(io.cwd, f)),
    opts.rawDefaults,
  );
  const graph = buildGraph(snapshot, settings);
  const exposure = analyseExposure(graph);
  const to = opts.to?.trim();
  // From the internet in one step: the internet listing of issue #12, as it was; anything else is lateral.
  const listing: AnyPathsListing =
    from === 'internet' && maxHops === 1
      ? selectPaths(graph, exposure, { to, port })
      : selectLateral(graph, exposure, analyseLateral(graph), { from, to, port, maxHops });
  const out = renderPathsChunks(listing, format, {
    color: !opts.output && Boolean(opts.color),
    ...(isLateral(listing) && format === 'markdown' ? { interfaces: joinedInterfaces(listing, exposure) } : {}),
  });
  if (opts.output) writeFileAtomic(path.resolve(io.cwd, opts.output), out);
  else for (const chunk of out) io.stdout.write(chunk);
  const undecided = isLateral(listing) ? listing.undecided : listing.unknown;
  return { listing, exitCode: undecided.length > 0 ? EXIT.INCOMPLETE : EXIT.OK };
}
