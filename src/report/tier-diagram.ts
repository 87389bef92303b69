/**
 * The Markdown report's tier diagram drawn from effective paths (issue #13): one box per tier (load balancers, web,
 * app, data, and the untagged interfaces when they reach a tier), the internet, and between them the ports over
 * which some interface of one box actually reaches some interface of the other — the lateral model's one-step paths
 * (`LateralReach.inbound`) and the internet-exposure model's paths (direct, and through a load balancer to its
 * targets). Violations of the tier model are marked, and intended links (lb → web → app → data) that do not work
 * for some downstream interface are counted as broken.
 *
 * Built by the core from the graph (`topologyOf`); the Markdown reporter draws the result and never sees AWS.
 * Unknown is never drawn as a pass or as broken: a downstream interface the model could not decide is counted as
 * undecided.
 */
import { TIERS, type Tier } from '../config/schema.js';
import { mergeSpans, ScopeContext } from '../exposure/internet.js';
import type { ExposurePath, InternetExposure, LateralReach, PathTarget, PortSpan } from '../exposure/types.js';
import type { Graph } from '../graph/model.js';
import type { ResourceKind } from '../snapshot/schema.js';

export type TierBoxKey = 'internet' | Tier | 'other';

/** Box order, left to right. */
export const TIER_BOXES: readonly TierBoxKey[] = ['internet', 'lb', 'web', 'app', 'data', 'other'];

export interface TierBox {
  key: TierBoxKey;
  /** Network interfaces of the tier (an interface of several tiers counts in each); 0 for `internet`. */
  interfaces: number;
}

/** Downstream interfaces of an intended link that no upstream interface reaches. */
export interface TierLinkBroken {
  /** Interfaces of the downstream tier checked: those in an account/region where the upstream tier has some. */
  of: number;
  /** Decided: no path from any upstream interface (for a database, none on its engine port). */
  unreached: number;
  /** Undecided: no path found, and some upstream pair could not be decided (data not collected). */
  unknown: number;
  /** Up to three of the unreached, by name (the attached resource's name or id, else the interface id). */
  examples: string[];
}

export interface TierLink {
  from: TierBoxKey;
  to: TierBoxKey;
  /** What some path admits, per protocol: `tcp 443, 8080`, `all traffic`. Empty: no path (a broken link only). */
  ports: string[];
  /** One-step paths (interface pairs and internet ranges) behind the link. */
  paths: number;
  /** lb → web, web → app, app → data (and internet → lb). */
  intended: boolean;
  /** Why the link breaks the tier model, when it does (the first reason; the diagram draws it red). */
  violation?: string;
  /** Intended links lb → web, web → app, app → data only, when some checked interface is unreached or undecided. */
  broken?: TierLinkBroken;
}

export interface TierPaths {
  boxes: TierBox[];
  /** In box order of `from`, then of `to`. */
  links: TierLink[];
  /** Interface pairs (or internet legs) into tier interfaces the lateral model could not decide. */
  undecided: number;
  /**
   * Links not drawn because they run against the chain (toward the internet side: app → web, anything → load
   * balancers but from the internet): a public load balancer admits everyone, and a reply is no new connection.
   */
  hidden: number;
}

/** Kinds without which effective paths cannot be drawn: then the diagram falls back to security-group rule text. */
const PATH_KINDS: ResourceKind[] = ['networkInterfaces', 'subnets', 'routeTables', 'networkAcls'];

/**
 * Why the diagram cannot be drawn from effective paths (`undefined` when it can): a scope lacks the network data
 * (snapshot version 1, raw describe-security-groups input, a collection that skipped it), or there is no interface.
 */
export function tierPathsUnavailable(graph: Graph): string | undefined {
  if (!graph.scopes.length) return 'nothing was collected';
  if (graph.scopes.some((s) => PATH_KINDS.some((k) => !s.collected.has(k)))) return 'network data not collected';
  if (!graph.scopes.some((s) => s.networkInterfaces.length)) return 'no network interfaces in the snapshot';
  return undefined;
}

const INTENDED: ReadonlySet<string> = new Set(['internet>lb', 'lb>web', 'web>app', 'app>data']);
const CHECKED: readonly [Tier, Tier][] = [
  ['lb', 'web'],
  ['web', 'app'],
  ['app', 'data'],
];

const PROTOCOL_ORDER = ['all', 'tcp', 'udp', 'icmp', 'icmpv6'];

/** `tcp 443, 8080`, `tcp 3000-4000`, `all traffic`, `icmp`: one string per protocol, at most `max` spans each. */
export function formatPortSpans(byProtocol: Map<string, PortSpan[]>, max = 4): string[] {
  if (byProtocol.has('all')) return ['all traffic'];
  // The lateral model splits an all-traffic permission by protocol: every TCP and UDP port and ICMP is all traffic.
  const full = (p: string) => mergeSpans(byProtocol.get(p) ?? []).some(([a, b]) => a <= 1 && b >= 65535);
  if (full('tcp') && full('udp') && byProtocol.has('icmp')) return ['all traffic'];
  const protocols = [...byProtocol.keys()].sort(
    (a, b) =>
      (PROTOCOL_ORDER.indexOf(a) + 1 || 99) - (PROTOCOL_ORDER.indexOf(b) + 1 || 99) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return protocols.map((p) => {
    const spans = mergeSpans(byProtocol.get(p)!);
    if (p === 'icmp' || p === 'icmpv6')
      return spans.some(([a]) => a === -1) ? p : `${p} type ${spans.map(([a]) => a).join(', ')}`;
    // Other IP protocols (ESP, GRE, …) have no ports.
    if (/^\d+$/.test(p)) return `protocol ${p}`;
    const name = p;
    if (spans.length === 1 && spans[0][0] <= 1 && spans[0][1] >= 65535) return `${name} all ports`;
    const shown = spans.slice(0, max).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
    return `${name} ${shown.join(', ')}${spans.length > max ? ` +${spans.length - max}` : ''}`;
  });
}

const covers = (protocol: string, ports: PortSpan[], port: number) =>
  protocol === 'all' || (protocol === 'tcp' && ports.some(([a, b]) => a <= port && port <= b));

/** A name a person recognises: the attached resource's, else the interface's description (not AWS's own). */
function nameOf(t: PathTarget, description?: string): string {
  if (t.attachedTo?.name) return t.attachedTo.name;
  if (description && !/^(ELB |RDSNetworkInterface$)/.test(description)) return description;
  return t.attachedTo?.id ?? t.id;
}

const ORDER: Record<TierBoxKey, number> = { internet: 0, lb: 1, web: 2, app: 3, data: 4, other: 5 };

/**
 * Drawn: from the internet to anything, along the chain, and from untagged interfaces into web, app or data (never
 * into untagged interfaces but from the internet).
 */
const drawnLink = (from: TierBoxKey, to: TierBoxKey) =>
  from === 'internet' || (to !== 'other' && (from === 'other' ? to !== 'lb' : ORDER[from] < ORDER[to]));

interface LinkAcc {
  ports: Map<string, PortSpan[]>;
  paths: number;
  violations: string[];
}

/**
 * How much the diagram reads before it gives up for the rule-text one. It enumerates every one-step path into each
 * tier interface (`inbound`), which decides the target against every interface of its VPC: a dense estate has far
 * too many pairs (the generated 1k-group estate: ~40,000 pairs, 6.5 s; 10k: ~2.9 million). A Markdown report must
 * not take minutes; the caption says why it fell back.
 */
export interface TierPathsBudget {
  /** Interface pairs to decide at most: for each tier interface, the interfaces of its VPC. */
  maxPairs: number;
  /** One-step paths read at most, over all of them. */
  maxPaths: number;
}

export const TIER_PATHS_BUDGET: TierPathsBudget = { maxPairs: 15_000, maxPaths: 50_000 };

const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * The tier diagram's boxes and links from the lateral model and the internet-exposure model of `graph`, or why it
 * was not drawn (over `budget`). `reach` and `exposure` are `analyseLateral(graph)` and `analyseExposure(graph)`
 * (given, so tests can drive it).
 */
export function tierPathsOf(
  graph: Graph,
  reach: LateralReach,
  exposure: InternetExposure,
  budget: TierPathsBudget = TIER_PATHS_BUDGET,
): TierPaths | string {
  const tiersById = new Map<string, TierBoxKey[]>();
  const descriptions = new Map<string, string>();
  const lbArnById = new Map<string, string>();
  const scopeOf = new Map<string, string>();
  const boxCount = new Map<TierBoxKey, number>();
  const internetFacing = new Set<string>();
  const enginePort = new Map<string, number>();
  const contexts = new Map(graph.scopes.map((s) => [s, new ScopeContext(s)]));
  for (const s of graph.scopes) {
    const ctx = contexts.get(s)!;
    for (const lb of s.loadBalancers) if (lb.lb.scheme === 'internet-facing') internetFacing.add(lb.lb.arn);
    for (const c of s.dbClusters)
      if (c.cluster.port !== undefined) enginePort.set(`${s.key}/db-cluster/${c.cluster.id}`, c.cluster.port);
    for (const d of s.dbInstances)
      if (d.instance.port !== undefined) enginePort.set(`${s.key}/db-instance/${d.instance.id}`, d.instance.port);
    for (const n of s.networkInterfaces) {
      // A load balancer's node (`ELB app/<name>/<id>`, as the exposure model matches it) is in the load-balancer box
      // even when nothing is tagged: it is one by what it is (tier-chain-broken counts any LB node upstream of web).
      const lbArn = ctx.loadBalancerOf(n)?.lb.arn;
      if (lbArn) lbArnById.set(n.eni.id, lbArn);
      const tiers = TIERS.filter((t) => reach.tiersOf(n.eni.id).includes(t) || (t === 'lb' && lbArn));
      const keys: TierBoxKey[] = tiers.length ? tiers : ['other'];
      tiersById.set(n.eni.id, keys);
      if (n.eni.description) descriptions.set(n.eni.id, n.eni.description);
      scopeOf.set(n.eni.id, s.key);
      for (const k of keys) boxCount.set(k, (boxCount.get(k) ?? 0) + 1);
    }
  }
  // Links into untagged interfaces are not drawn: only tier interfaces are read.
  const read = [...tiersById].filter(([, tiers]) => tiers[0] !== 'other').map(([id]) => id);
  const perVpc = new Map<string, number>();
  const vpcOf = new Map<string, string>();
  for (const sc of graph.scopes)
    for (const n of sc.networkInterfaces) {
      const vpc = `${sc.accountId}/${n.eni.vpcId ?? n.eni.subnetId ?? n.eni.id}`;
      vpcOf.set(n.eni.id, vpc);
      perVpc.set(vpc, (perVpc.get(vpc) ?? 0) + 1);
    }
  const pairs = read.reduce((k, id) => k + (perVpc.get(vpcOf.get(id)!) ?? 0), 0);
  const tooMany =
    `more than the diagram reads (${thousands(budget.maxPairs)} pairs, ${thousands(budget.maxPaths)} paths); ` +
    '`sg-audit paths --from TIER --to TIER` lists them';
  if (pairs > budget.maxPairs)
    return `${thousands(read.length)} tier interfaces, ${thousands(pairs)} interface pairs to decide: ${tooMany}`;
  const scopeKeyOf = new Map(graph.scopes.map((s) => [`${s.accountId}/${s.region}`, s.key]));
  const refs = new Map(TIERS.flatMap((t) => reach.interfacesOfTier(t)).map((r) => [r.eniId, r]));
  const tiersOf = (eniId: string): TierBoxKey[] => tiersById.get(eniId) ?? ['other'];

  const links = new Map<string, LinkAcc>();
  const addPath = (from: TierBoxKey, to: TierBoxKey, protocol: string, ports: PortSpan[], violation?: string) => {
    if (from === to) return; // inside a tier (replicas, clusters, a self reference): not a link between boxes
    const key = `${from}>${to}`;
    let l = links.get(key);
    if (!l) links.set(key, (l = { ports: new Map(), paths: 0, violations: [] }));
    l.paths++;
    const list = l.ports.get(protocol);
    if (list) list.push(...ports.map((p): PortSpan => [p[0], p[1]]));
    else
      l.ports.set(
        protocol,
        ports.map((p): PortSpan => [p[0], p[1]]),
      );
    if (violation && !l.violations.includes(violation)) l.violations.push(violation);
  };

  // Which upstream interfaces reach each tier interface (one step), for the broken-link counts.
  const reachedBy = new Map<string, { from: string; protocol: string; ports: PortSpan[] }[]>();
  const undecidedFrom = new Map<string, Set<string>>();
  const reachesData = new Set<string>();
  const undecided = new Set<string>();
  const noteReach = (to: string, from: string, protocol: string, ports: PortSpan[]) => {
    const list = reachedBy.get(to);
    if (list) list.push({ from, protocol, ports });
    else reachedBy.set(to, [{ from, protocol, ports }]);
  };

  // A load balancer node opens connections only to the targets registered in its target groups, on their ports
  // ("Target groups for your Application Load Balancers",
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html): any
  // other path from a node is no connection anyone makes (tier-skip reads it so too).
  const lbTargets = new Map<string, Map<string, number | undefined>>();
  for (const [s, ctx] of contexts) {
    for (const tg of s.net.targetGroups.values()) {
      for (const t of tg.targets) {
        const enis = ctx.targetInterfaces(tg, t.id);
        for (const lbArn of tg.loadBalancerArns) {
          let m = lbTargets.get(lbArn);
          if (!m) lbTargets.set(lbArn, (m = new Map<string, number | undefined>()));
          for (const n of enis) m.set(n.eni.id, t.port ?? tg.port);
        }
      }
    }
  }
  /** The ports a path from `from` to `to` is a connection on: all of them, or for an LB node its target port. */
  const forwarded = (from: string, to: string, protocol: string, ports: PortSpan[]): PortSpan[] => {
    const arn = lbArnById.get(from);
    if (!arn) return ports;
    const targets = lbTargets.get(arn);
    if (!targets?.has(to) || (protocol !== 'tcp' && protocol !== 'udp')) return [];
    const port = targets.get(to);
    return port === undefined ? ports : ports.some(([a, b]) => a <= port && port <= b) ? [[port, port]] : [];
  };

  const lateralPaths: { from: string; to: string; protocol: string; ports: PortSpan[] }[] = [];
  let pathsRead = 0;
  for (const id of read) {
    const found = reach.inbound(id);
    pathsRead += found.paths.length;
    if (pathsRead > budget.maxPaths)
      return `over ${thousands(budget.maxPaths)} one-step paths between tiers: ${tooMany}`;
    for (const u of found.undecided) {
      undecided.add(`${u.from}>${u.to}`);
      let set = undecidedFrom.get(id);
      if (!set) undecidedFrom.set(id, (set = new Set()));
      set.add(u.from);
    }
    for (const p of found.paths) {
      if (p.from === 'internet') continue; // one-step inbound paths start at an interface
      // Network-level, as tier-chain-broken reads an intended link: any path counts as reaching.
      noteReach(id, p.from.id, p.protocol, p.ports);
      const ports = forwarded(p.from.id, id, p.protocol, p.ports);
      if (!ports.length) continue;
      lateralPaths.push({ from: p.from.id, to: id, protocol: p.protocol, ports });
      if (tiersOf(id).includes('data')) reachesData.add(p.from.id);
    }
  }

  /** `from` is one of the initiator's boxes; an initiator that is also app (or data) tier skips nothing. */
  const violationOf = (from: TierBoxKey, to: TierBoxKey, fromEni?: string): string | undefined => {
    const all = fromEni ? tiersOf(fromEni) : [from];
    if (to === 'data' && !all.includes('app') && !all.includes('data')) {
      if (from === 'internet') return 'the internet reaches the data tier';
      if (from === 'other') return 'interfaces without a tier tag reach the data tier';
      return `the ${from === 'lb' ? 'load-balancer' : from} tier reaches the data tier, skipping the app tier`;
    }
    if (to === 'app' && from === 'internet') return 'the internet reaches the app tier directly';
    if (to === 'app' && from === 'lb' && fromEni) {
      const arn = lbArnById.get(fromEni);
      if (arn && internetFacing.has(arn)) return 'an internet-facing load balancer reaches the app tier';
    }
    if (to === 'web' && from === 'internet') return 'the internet reaches the web tier without a load balancer';
    return undefined;
  };

  for (const p of lateralPaths)
    for (const f of tiersOf(p.from))
      for (const t of tiersOf(p.to)) addPath(f, t, p.protocol, p.ports, violationOf(f, t, p.from));

  // Internet paths: direct ones from the internet; through a load balancer, from its node to the target.
  const viaLb = (p: ExposurePath) => p.hops.find((h) => h.type === 'network-interface')?.id;
  const internetReached = new Set<string>();
  for (const p of exposure.paths) {
    const to = p.target.id;
    internetReached.add(to);
    // A path to a load balancer's own node names its listener (`via`) and no node before it: a direct one.
    const node = p.via ? viaLb(p) : undefined;
    if (node && node !== to) {
      noteReach(to, node, p.protocol, p.ports);
      for (const f of tiersOf(node))
        for (const t of tiersOf(to)) addPath(f, t, p.protocol, p.ports, violationOf(f, t, node));
    } else {
      for (const t of tiersOf(to)) {
        // Untagged interfaces count only when they also reach a tier (below).
        addPath('internet', t, p.protocol, p.ports, violationOf('internet', t));
      }
    }
  }
  // An internet-reachable interface outside the intended chain (not a load balancer, not the web tier) that
  // reaches the data tier in one more step: the first leg of a blast-radius path (an exposed bastion).
  for (const id of internetReached) {
    if (!reachesData.has(id)) continue;
    for (const t of tiersOf(id)) {
      if (t === 'lb' || t === 'web' || t === 'data') continue;
      const l = links.get(`internet>${t}`);
      const why = 'internet-reachable interfaces here reach the data tier in one more step';
      if (l && !l.violations.includes(why)) l.violations.push(why);
    }
  }

  // Untagged interfaces are drawn only when they reach a tier (along a drawn link).
  const otherReaches = [...links.keys()].some((k) => k.startsWith('other>') && drawnLink('other', k.slice(6) as Tier));
  if (!otherReaches) links.delete('internet>other');

  // Intended links: downstream interfaces (where the upstream tier has interfaces) that nothing upstream reaches.
  const brokenOf = new Map<string, TierLinkBroken>();
  for (const [up, down] of CHECKED) {
    const upScopes = new Set<string>();
    for (const [id, tiers] of tiersById) if (tiers.includes(up)) upScopes.add(scopeOf.get(id)!);
    // An interface of both tiers is its own upstream: not checked.
    const checked = [...tiersById].filter(
      ([id, tiers]) => tiers.includes(down) && !tiers.includes(up) && upScopes.has(scopeOf.get(id)!),
    );
    if (!checked.length) continue;
    const b: TierLinkBroken = { of: checked.length, unreached: 0, unknown: 0, examples: [] };
    for (const [id] of checked) {
      const ref = refs.get(id);
      const attached = ref?.target.attachedTo;
      const port =
        down === 'data' && ref && attached
          ? enginePort.get(`${scopeKeyOf.get(`${ref.accountId}/${ref.region}`)}/${attached.type}/${attached.id}`)
          : undefined;
      const ok = (reachedBy.get(id) ?? []).some(
        (r) => tiersOf(r.from).includes(up) && (port === undefined || covers(r.protocol, r.ports, port)),
      );
      if (ok) continue;
      // `*`: the target itself could not be decided (its own subnet or addresses not collected).
      const undecidedUp = [...(undecidedFrom.get(id) ?? [])].some(
        (f) => f === '*' || (f !== 'internet' && tiersOf(f).includes(up)),
      );
      if (undecidedUp) {
        b.unknown++;
        continue;
      }
      b.unreached++;
      const name = ref ? nameOf(ref.target, descriptions.get(id)) : id;
      if (b.examples.length < 3 && !b.examples.includes(name)) b.examples.push(name);
    }
    if (b.unreached || b.unknown) brokenOf.set(`${up}>${down}`, b);
  }

  const order = (k: TierBoxKey) => TIER_BOXES.indexOf(k);
  const keys = new Set([...links.keys(), ...brokenOf.keys()]);
  let hidden = 0;
  for (const key of keys) {
    const [from, to] = key.split('>') as [TierBoxKey, TierBoxKey];
    if (drawnLink(from, to)) continue;
    keys.delete(key);
    hidden++;
  }
  const out: TierLink[] = [...keys]
    .map((key) => {
      const [from, to] = key.split('>') as [TierBoxKey, TierBoxKey];
      const l = links.get(key);
      const broken = brokenOf.get(key);
      return {
        from,
        to,
        ports: l ? formatPortSpans(l.ports) : [],
        paths: l?.paths ?? 0,
        intended: INTENDED.has(key),
        ...(l?.violations.length ? { violation: l.violations[0] } : {}),
        ...(broken ? { broken } : {}),
      };
    })
    .sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to));

  const drawn = new Set(out.flatMap((l) => [l.from, l.to]));
  const boxes: TierBox[] = TIER_BOXES.filter((k) =>
    k === 'internet' ? drawn.has(k) : k === 'other' ? drawn.has(k) : (boxCount.get(k) ?? 0) > 0,
  ).map((key) => ({ key, interfaces: key === 'internet' ? 0 : (boxCount.get(key) ?? 0) }));
  return { boxes, links: out, undecided: undecided.size, hidden };
}
