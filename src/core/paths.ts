/**
 * `paths`: which (network interface, protocol, ports) the internet reaches, and by which path. Loads the inputs
 * as `scan` does (one loader: `loadInputs`, the settings file for the tier tags, raw aws-cli input), runs the
 * exposure model once and selects paths by `--to` and `--port`. A query, not a gate: exit 0 when every selected
 * interface was decided, 3 (incomplete) when some could not be (data not collected), so an empty listing of an
 * estate without network data never reads as "nothing is exposed".
 */
import path from 'node:path';
import { defaultRegistry } from '../../rules/index.js';
import { loadSettings } from '../config/load.js';
import { TIERS, type Tier } from '../config/schema.js';
import { analyseExposure } from '../exposure/internet.js';
import type { ExposurePath, InternetExposure, PathTarget, PortSpan, ReachStatus } from '../exposure/types.js';
import { buildGraph } from '../graph/build.js';
import type { Graph, InterfaceNode, Scope } from '../graph/model.js';
import {
  lbName,
  PATHS_FORMATS,
  renderPaths,
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

/** `--port` as typed: an integer 0–65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new UsageError(`--port ${JSON.stringify(value)}: expected a port number 0-65535`);
  }
  return Number(value);
}

/** `--from`: only the internet is modelled. */
export function checkFrom(value: string | undefined): void {
  if (value === undefined || value === 'internet') return;
  throw new UsageError(
    `--from ${JSON.stringify(value)}: only 'internet' is modelled; lateral paths (from a security group, ` +
      'subnet or tier) are not modelled yet',
  );
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
function selectorFor(graph: Graph, to: string): Selector {
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

  if (parts.length === 0) {
    throw new UsageError(
      `--to ${JSON.stringify(to)}: names nothing in the estate; expected a network interface, instance, load ` +
        `balancer (name or ARN), DB instance or cluster, or security group id, or a tier (${TIERS.join(', ')})`,
    );
  }
  return {
    path: (p) => parts.some((s) => s.path(p)),
    target: (t, a, r) => parts.some((s) => s.target(t, a, r)),
    scope: (sc) => parts.some((s) => s.scope(sc)),
  };
}

/** `ports` include `port`: tcp, udp and all-traffic paths (ICMP types and other protocols have no ports). */
function hasPort(p: ExposurePath, port: number): boolean {
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

/** `paths` options, as the command line gives them (file names relative to `io.cwd`). */
export interface PathsOptions {
  inputs?: string[];
  rawDefaults?: RawInputDefaults;
  configPath?: string;
  from?: string;
  to?: string;
  /** As typed; validated here. */
  port?: string;
  format: string;
  output?: string;
  /** Colours on stdout (never in files). */
  color?: boolean;
}

export interface PathsResult {
  listing: PathsListing;
  exitCode: number;
}

function formatOf(value: string): PathsFormat {
  if ((PATHS_FORMATS as readonly string[]).includes(value)) return value as PathsFormat;
  throw new UsageError(`--format ${value}: expected one of ${PATHS_FORMATS.join(', ')}`);
}

/** `paths`: check the flags and outputs, load the inputs, analyse, select, write. */
export function runPaths(opts: PathsOptions, io: CoreIO): PathsResult {
  const format = formatOf(opts.format);
  checkFrom(opts.from);
  const port = parsePort(opts.port);
  if (opts.to !== undefined && opts.to.trim() === '') {
    throw new UsageError('--to "": expected a resource id, load balancer name or ARN, or a tier');
  }
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
  const listing = selectPaths(graph, analyseExposure(graph), { to: opts.to?.trim(), port });
  const out = renderPaths(listing, format, { color: !opts.output && Boolean(opts.color) });
  if (opts.output) writeFileAtomic(path.resolve(io.cwd, opts.output), out);
  else io.stdout.write(out);
  return { listing, exitCode: listing.unknown.length > 0 ? EXIT.INCOMPLETE : EXIT.OK };
}
