/**
 * tier-skip — the tier chain (internet → load balancer → web → app → data) skipped: a data-tier resource that an
 * interface outside the app tier can open a connection to, or an app-tier resource the internet reaches through
 * an internet-facing load balancer. Effective paths (src/exposure/lateral.ts), not security-group rule text.
 */
import {
  admittingEntries,
  analyseLateral,
  crossings,
  dataPortsOf,
  decidableScopes,
  defineRule,
  describeProtocolPorts,
  findingPaths,
  labelWith,
  elbName,
  LATERAL_NEEDS,
  lateralPathText,
  type LateralPath,
  LIMIT_NETWORK_ACCESS,
  listFirst,
  type PassDetails,
  type PortQuery,
  type ResourceRef,
  resourceKey,
  resourceText,
  revokeCommands,
  type RuleEntry,
  scopeOf,
  SG_RULES_DOC,
  targetResources,
  tcpQuery,
  type Tier,
  tierText,
  undecidedReport,
  uniqueRefs,
} from './lib/index.js';

/** Tiers that may open connections to the data tier: the app tier, and the data tier itself (replication). */
const DATA_SOURCES: readonly Tier[] = ['app', 'data'];

type Kind = 'data' | 'app';

/** Related resources a finding lists at most (as a group finding's `relatedOf`): a world-open DB has thousands. */
const MAX_RELATED = 10;

/** One finding resource (a database, an instance…) and what its interfaces showed. */
interface Item {
  kind: Kind;
  accountId: string;
  region: string;
  resource: ResourceRef;
  enis: string[];
  /** Offending paths, from every interface of the resource. */
  paths: LateralPath[];
  /** Ports asked about (data tier). */
  ports: number[];
  /** What could not be decided, from sources that would offend. */
  undecided: string[];
}

export const tierSkip = defineRule({
  meta: {
    id: 'tier-skip',
    title: 'Only the app tier reaches the data tier, and the internet reaches the app tier only through the web tier',
    severity: 'high',
    category: 'tier-paths',
    rationale:
      'The tier chain is internet → load balancer → web → app → data, and each tier should be reachable only from ' +
      'the one in front of it. This rule reads effective paths, not rule text: a path exists when the initiator’s ' +
      'security groups let the packet out, the route tables route it (same VPC, or an active VPC peering ' +
      'connection routed both ways; a transit gateway is taken on trust and said so), the network ACLs of both ' +
      'subnets admit it and its reply when the subnets differ, and the target’s security groups admit it. A ' +
      'data-tier resource fails when an interface that is not app tier can open a connection to it on its database ' +
      'port (the endpoint port of the RDS/Aurora database, else one of settings.ports.data): the web tier directly, ' +
      'an untagged instance, an interface in a peered VPC. Data-tier interfaces reaching each other (replication, ' +
      'cluster members) are allowed, as data-tier-sg allows a self reference. An app-tier interface in a peered VPC ' +
      'is app tier: the tier tags decide, the finding shows the peering when a path crosses one. An app-tier ' +
      'resource fails when it is a target of an internet-facing load balancer that the internet reaches it through ' +
      '(the web tier skipped); internal load balancers between the web and app tiers are the intended chain, and a ' +
      'load balancer node opens connections only to its registered targets, so a group rule that would merely admit ' +
      'a load balancer node is not a path. An app-tier interface reachable from the internet directly is reported ' +
      'by internet-exposure (one problem, one finding), not here. One finding per resource names the first ' +
      'offending sources and carries up to three paths. Without the network data (a v1 snapshot, raw ' +
      'describe-security-groups input) the rule reports missing data, never a pass; a path that cannot be decided ' +
      'is an error finding.',
    remediation:
      'Admit the database port only from the app tier’s security group (revoke references to other groups and ' +
      'address ranges that hold other interfaces; each finding lists the revoke commands for group references), ' +
      'or restrict the source’s egress. Put app servers behind the web tier or an internal load balancer, not ' +
      'behind an internet-facing one (deregister them from its target groups).',
    references: [
      LIMIT_NETWORK_ACCESS,
      SG_RULES_DOC,
      {
        title: 'Amazon VPC Peering Guide: update your security groups to reference peer security groups',
        url: 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html',
      },
      {
        title: 'Amazon VPC User Guide: network ACLs (stateless, evaluated when traffic leaves or enters a subnet)',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
      },
    ],
    messages: {
      dataSkip:
        'Data-tier {{resource}} is reachable on {{ports}} from outside the app tier: {{sources}}. Shortest path: ' +
        '{{path}}.',
      appSkip:
        'App-tier {{resource}} is reachable from the internet through internet-facing load balancer {{lbs}} on ' +
        '{{ports}}, skipping the web tier. Shortest path: {{path}}.',
      unknown: 'Whether anything outside the {{allowed}} reaches {{tier}}-tier {{resource}} is unknown: {{reason}}.',
      dataCompliant: 'Data-tier {{resource}} is reachable on {{ports}} only from the app tier and the data tier.',
      appCompliant: 'App-tier {{resource}} is not reachable from the internet through a load balancer.',
    },
    needs: LATERAL_NEEDS,
  },
  check({ graph, settings, report, pass }) {
    const scopes = decidableScopes(graph, tierSkip.meta.needs);
    if (scopes.size === 0) return;
    const reach = analyseLateral(graph);
    const items = new Map<string, Item>();
    const itemsOf = (kind: Kind, ref: { eniId: string; accountId: string; region: string }, resources: ResourceRef[]) =>
      resources.map((resource) => {
        const k = `${kind}|${resourceKey(ref.accountId, ref.region, resource)}`;
        let item = items.get(k);
        if (!item) {
          item = {
            kind,
            accountId: ref.accountId,
            region: ref.region,
            resource,
            enis: [],
            paths: [],
            ports: [],
            undecided: [],
          };
          items.set(k, item);
        }
        if (!item.enis.includes(ref.eniId)) item.enis.push(ref.eniId);
        return item;
      });
    // A load balancer node opens connections only to its registered targets (and health checks): it is no source
    // of a lateral path; what it forwards is the internet path through it, below.
    const isLbNode = (p: LateralPath) => p.from !== 'internet' && p.from.attachedTo?.type === 'load-balancer';
    const allowedMemo = new Map<string, boolean>();
    const allowed = (eniId: string) => {
      let ok = allowedMemo.get(eniId);
      if (ok === undefined) allowedMemo.set(eniId, (ok = reach.tiersOf(eniId).some((t) => DATA_SOURCES.includes(t))));
      return ok;
    };
    /**
     * Paths from the internet through an internet-facing load balancer to the interface (the exposure model forms
     * them for internet-facing ones only); a path without one is the interface's own exposure, internet-exposure's.
     */
    const throughLb = (eniId: string, query?: PortQuery) => {
      const found = reach.search('internet', [eniId], { ...query, maxSteps: 1 });
      const paths = found.paths.filter((p) => p.steps === 1 && p.hops.some((h) => h.type === 'load-balancer'));
      return { paths, undecided: found.undecided.map((u) => u.reason) };
    };

    for (const ref of reach.interfacesOfTier('data')) {
      const scope = scopeOf(graph, ref);
      if (!scope || !scopes.has(scope)) continue;
      const ports = dataPortsOf(scope, ref.target, settings.ports.data);
      const query = tcpQuery(ports);
      // Initiators of the app and data tiers are allowed: not decided at all (their paths and undecided are ignored).
      const found = reach.inbound(ref.eniId, query, { initiators: (id) => !allowed(id) });
      const lateral = found.paths.filter((p) => p.from !== 'internet' && !isLbNode(p) && !allowed(p.from.id));
      const internet = throughLb(ref.eniId, query);
      const undecided = found.undecided.filter((u) => u.from === 'internet' || !allowed(u.from)).map((u) => u.reason);
      for (const item of itemsOf('data', ref, targetResources(ref.target))) {
        item.paths.push(...internet.paths, ...lateral);
        item.undecided.push(...internet.undecided, ...undecided);
        for (const p of ports) if (!item.ports.includes(p)) item.ports.push(p);
      }
    }

    const app = reach.interfacesOfTier('app').filter((ref) => !reach.tiersOf(ref.eniId).includes('data'));
    for (const ref of app) {
      const scope = scopeOf(graph, ref);
      if (!scope || !scopes.has(scope)) continue;
      const internet = throughLb(ref.eniId);
      for (const item of itemsOf('app', ref, targetResources(ref.target))) {
        item.paths.push(...internet.paths);
        item.undecided.push(...internet.undecided);
      }
    }

    for (const item of items.values()) {
      const base = { accountId: item.accountId, region: item.region, resource: item.resource };
      const resource = resourceText(item.resource);
      const ports = describeProtocolPorts('tcp', tcpQuery(item.ports).ports ?? []);
      if (item.paths.length) {
        const paths = findingPaths(item.paths);
        const sourceIds = distinct(item.paths.map((p) => (p.from === 'internet' ? 'internet' : p.from.id)));
        const data: Record<string, string | number> = {
          resource,
          enis: item.enis.join(', '),
          path: lateralPathText(paths[0]),
          pathCount: item.paths.length,
          sourceCount: sourceIds.length,
        };
        const assumptions = distinct(paths.flatMap((p) => p.assumptions ?? []));
        if (assumptions.length) data.assumptions = assumptions.join('; ');
        let related: ResourceRef[];
        let remediation: string[] = [];
        if (item.kind === 'data') {
          data.ports = ports;
          data.sources = listFirst(sourceLabels(item.paths, (id) => reach.tiersOf(id)));
          const sources = item.paths.flatMap((p) => (p.from === 'internet' ? [] : targetResources(p.from)));
          related = uniqueRefs(sources).slice(0, MAX_RELATED);
          remediation = revokeCommands(revocable(byAdmission(item.paths).flatMap((p) => admittingEntries(graph, p))));
        } else {
          const lbs = distinct(
            item.paths.flatMap((p) => p.hops.flatMap((h) => (h.type === 'load-balancer' ? [h.id] : []))),
          );
          data.lbs = listFirst(lbs.map((arn) => elbName(arn)));
          data.ports = distinct(item.paths.map((p) => describeProtocolPorts(p.protocol, p.ports))).join(', ');
          related = lbs
            .slice(0, MAX_RELATED)
            .map((arn) => ({ type: 'load-balancer', id: elbName(arn), arn, name: elbName(arn) }));
        }
        report({
          ...base,
          status: 'fail',
          messageId: item.kind === 'data' ? 'dataSkip' : 'appSkip',
          data,
          related,
          remediation,
          paths,
        });
        continue;
      }
      if (item.undecided.length) {
        const allowedText = item.kind === 'data' ? 'app and data tiers' : 'web tier';
        report(undecidedReport(base, item.undecided, { resource, tier: item.kind, allowed: allowedText }));
        continue;
      }
      const details = (): PassDetails => ({ ...base, data: { resource, ports, enis: item.enis.join(', ') } });
      pass(item.kind === 'data' ? 'dataCompliant' : 'appCompliant', details);
    }
  },
});

function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * `eni-9 (instance i-9, untagged)`, `eni-p (instance i-p, untagged, via pcx-1)`, `the internet through load balancer
 * front`: each source once, in path order.
 */
function sourceLabels(paths: readonly LateralPath[], tiersOf: (eniId: string) => Tier[]): string[] {
  const out = new Map<string, string>();
  for (const p of paths) {
    if (p.from === 'internet') {
      for (const h of p.hops) {
        if (h.type !== 'load-balancer' || out.has(h.id)) continue;
        out.set(h.id, `the internet through load balancer ${elbName(h.id)}`);
      }
      continue;
    }
    if (out.has(p.from.id)) continue;
    const via = crossings(p);
    out.set(
      p.from.id,
      labelWith(p.from, [tierText(tiersOf(p.from.id)), ...(via.length ? [`via ${via.join(', ')}`] : [])]),
    );
  }
  return [...out.values()];
}

/**
 * One path per (initiator, admitting permission), in first-seen order: the admitting entries of the others are the
 * same (admittingEntries reads only the initiator and the path's last ingress hop).
 */
function byAdmission(paths: readonly LateralPath[]): LateralPath[] {
  const seen = new Set<string>();
  const out: LateralPath[] = [];
  for (const p of paths) {
    let hop: LateralPath['hops'][number] | undefined;
    for (const h of p.hops) if (h.type === 'security-group' && h.direction !== 'egress') hop = h;
    const k =
      p.from === 'internet' || hop?.type !== 'security-group'
        ? undefined
        : `${p.from.id}|${hop.id}|${hop.permissionIndex}`;
    if (k === undefined) continue; // admittingEntries: nothing
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

/**
 * The admitting entries safe to revoke: references to a group that is not tagged for the app or data tier (a range
 * or prefix list may hold the app tier too: narrowing it is the reader's call, the finding names the path).
 */
function revocable(entries: readonly RuleEntry[]): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const e of entries) {
    if (e.source.kind !== 'group' || out.includes(e)) continue;
    const tiers = e.source.target?.tiers ?? [];
    if (!tiers.some((t) => DATA_SOURCES.includes(t))) out.push(e);
  }
  return out;
}
