/**
 * blast-radius — a data-tier resource a few steps from the internet through something other than the intended
 * chain: an exposed bastion, a public instance. If that interface is compromised, the database is next.
 */
import { z } from 'zod';
import {
  analyseExposure,
  analyseLateral,
  dataPortsOf,
  decidableScopes,
  defineRule,
  describeProtocolPorts,
  entryInterface,
  type InterfaceNodeRef,
  type LateralReach,
  findingPaths,
  type InternetExposure,
  labelWith,
  internetLeg,
  LATERAL_NEEDS,
  type LateralPath,
  lateralPathText,
  LIMIT_NETWORK_ACCESS,
  listFirst,
  type PassDetails,
  type PathTarget,
  type ResourceRef,
  resourceKey,
  resourceText,
  scopeOf,
  SG_RULES_DOC,
  targetResources,
  tcpQuery,
  tierText,
  undecidedReport,
  uniqueRefs,
} from './lib/index.js';

const options = z
  .object({
    maxHops: z
      .number()
      .int()
      .min(2)
      .max(4)
      .default(2)
      .describe(
        'Most steps a path may take from the internet to the database: 2 is internet → exposed interface → ' +
          'database; each further step is one more interface in between (at most 4).',
      ),
  })
  .strict();

/** What the paths into one database interface showed. */
interface Found {
  /** Offending paths kept (at most three per interface: a finding carries three). */
  paths: LateralPath[];
  /** Offending paths in all. */
  count: number;
  /** The interfaces the offending paths enter at, by id, shortest paths first. */
  entries: Map<string, PathTarget>;
  undecided: string[];
}

/** One finding resource (a database, an instance…): what the paths into each of its interfaces showed, together. */
interface Item extends Found {
  accountId: string;
  region: string;
  resource: ResourceRef;
  enis: string[];
  ports: number[];
}

/** Paths a finding carries at most; the rest are counted. */
const KEEP = 3;

/** Related resources (the exposed interfaces' instances…) a finding lists at most, as tier-skip's. */
const MAX_RELATED = 10;

export const blastRadius = defineRule({
  meta: {
    id: 'blast-radius',
    title: 'No database is a few steps from the internet outside the intended tier chain',
    severity: 'high',
    category: 'tier-paths',
    tier: 'data',
    rationale:
      'An interface the internet reaches directly — a bastion with SSH open, a public instance — is the first one ' +
      'an attacker takes; whatever it can open a connection to is its blast radius. This rule fails a data-tier ' +
      'resource reachable on its database port (the RDS/Aurora endpoint port, else one of settings.ports.data) ' +
      'within maxHops steps from the internet: the internet leg as internet-exposure models it (public address, ' +
      'route to an internet gateway, network ACL both ways, an admitting security group), then lateral steps ' +
      '(egress and ingress security groups, routes within the VPC or over an active peering connection, network ' +
      'ACLs between subnets). The intended chain is not a blast radius: paths that enter through a load balancer ' +
      '(its listeners are the entry point), paths whose first interface is a load balancer node or web tier, and ' +
      'the database reachable from the internet itself (internet-exposure reports that) are left out. High when the ' +
      'path has at most 2 steps, medium beyond. One finding per resource names the exposed interfaces first and ' +
      'carries the shortest paths (at most three), internet → … → database. Without the network data (a v1 ' +
      'snapshot, raw describe-security-groups input) the rule reports missing data, never a pass; a path that ' +
      'cannot be decided is an error finding.',
    remediation:
      'Take the exposed interface off the internet (no public address, or admit only known ranges; use Session ' +
      'Manager instead of an SSH bastion), or stop it reaching the database: admit the database port only from ' +
      'the app tier’s security group and restrict the exposed interface’s egress.',
    references: [
      LIMIT_NETWORK_ACCESS,
      SG_RULES_DOC,
      {
        title: 'AWS Systems Manager Session Manager (shell access without inbound SSH)',
        url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
      },
    ],
    messages: {
      exposed:
        'Data-tier {{resource}} is {{steps}} steps from the internet: {{entries}}, which the internet reaches, can ' +
        'open {{ports}} to it. Shortest path: {{path}}.',
      unknown: 'Whether data-tier {{resource}} is within {{maxHops}} steps of the internet is unknown: {{reason}}.',
      contained:
        'Data-tier {{resource}} is not within {{maxHops}} steps of the internet outside the intended tier chain.',
    },
    needs: LATERAL_NEEDS,
  },
  options,
  check({ graph, settings, options: opts, report, pass }) {
    const scopes = decidableScopes(graph, blastRadius.meta.needs);
    if (scopes.size === 0) return;
    const reach = analyseLateral(graph);
    const exposure = analyseExposure(graph);
    const targets = reach.interfacesOfTier('data').filter((ref) => {
      const scope = scopeOf(graph, ref);
      return scope !== undefined && scopes.has(scope);
    });
    if (targets.length === 0) return;
    const portsOf = new Map(
      targets.map((t) => [t.eniId, dataPortsOf(scopeOf(graph, t), t.target, settings.ports.data)]),
    );
    /** Not the intended chain: a web-tier interface, or a load balancer node (it connects only to its targets). */
    const intendedMemo = new Map<string, boolean>();
    const intended = (eniId: string) => {
      let v = intendedMemo.get(eniId);
      if (v === undefined) {
        v =
          reach.tiersOf(eniId).includes('web') ||
          exposure.ofInterface(eniId)?.target.attachedTo?.type === 'load-balancer';
        intendedMemo.set(eniId, v);
      }
      return v;
    };
    const found = searched(reach, exposure, targets, portsOf, opts.maxHops, intended);

    const items = new Map<string, Item>();
    for (const ref of targets) {
      const ports = portsOf.get(ref.eniId)!;
      const f = found.get(ref.eniId);
      for (const resource of targetResources(ref.target)) {
        const k = resourceKey(ref.accountId, ref.region, resource);
        let item = items.get(k);
        if (!item) {
          item = {
            accountId: ref.accountId,
            region: ref.region,
            resource,
            enis: [],
            ports: [],
            paths: [],
            count: 0,
            entries: new Map(),
            undecided: [],
          };
          items.set(k, item);
        }
        if (!item.enis.includes(ref.eniId)) item.enis.push(ref.eniId);
        for (const p of ports) if (!item.ports.includes(p)) item.ports.push(p);
        if (!f) continue;
        item.paths.push(...f.paths);
        item.count += f.count;
        for (const [id, t] of f.entries) if (!item.entries.has(id)) item.entries.set(id, t);
        item.undecided.push(...f.undecided);
      }
    }

    for (const item of items.values()) {
      const base = { accountId: item.accountId, region: item.region, resource: item.resource };
      const resource = resourceText(item.resource);
      if (item.paths.length) {
        const paths = findingPaths(item.paths);
        const steps = paths[0].steps;
        const entries = [...item.entries.values()];
        report({
          ...base,
          status: 'fail',
          messageId: 'exposed',
          severity: steps <= 2 ? 'high' : 'medium',
          data: {
            resource,
            steps,
            entries: listFirst(entries.map((t) => labelWith(t, [tierText(reach.tiersOf(t.id))]))),
            entryCount: entries.length,
            ports: describeProtocolPorts('tcp', tcpQuery(item.ports).ports ?? []),
            path: lateralPathText(paths[0]),
            pathCount: item.count,
          },
          related: uniqueRefs(entries.flatMap(targetResources)).slice(0, MAX_RELATED),
          paths,
        });
        continue;
      }
      if (item.undecided.length) {
        report(undecidedReport(base, item.undecided, { resource, maxHops: opts.maxHops }));
        continue;
      }
      const details = (): PassDetails => ({
        ...base,
        data: { resource, maxHops: opts.maxHops, enis: item.enis.join(', ') },
      });
      pass('contained', details);
    }
  },
});

function foundOf(map: Map<string, Found>, eniId: string): Found {
  let f = map.get(eniId);
  if (!f) map.set(eniId, (f = { paths: [], count: 0, entries: new Map(), undecided: [] }));
  return f;
}

/**
 * The lateral model's search from the internet within `maxHops` steps (one per set of database ports: a search
 * restricts the last step, into the database, to its query); the paths that do not enter through the intended chain
 * are counted, the first three of each interface kept.
 */
function searched(
  reach: LateralReach,
  exposure: InternetExposure,
  targets: readonly InterfaceNodeRef[],
  portsOf: ReadonlyMap<string, number[]>,
  maxHops: number,
  intended: (eniId: string) => boolean,
): Map<string, Found> {
  const byPorts = new Map<string, string[]>();
  for (const t of targets) push(byPorts, portsOf.get(t.eniId)!.join(','), t.eniId);
  const out = new Map<string, Found>();
  for (const enis of byPorts.values()) {
    // Paths entering through the intended chain are not counted: not built either.
    const result = reach.search('internet', enis, {
      ...tcpQuery(portsOf.get(enis[0])!),
      maxSteps: maxHops,
      entries: (id) => !intended(id),
    });
    for (const p of result.paths) {
      const entry = entryInterface(p);
      if (entry === undefined || p.steps < 2 || intended(entry)) continue;
      if (internetLeg(p).some((h) => h.type === 'load-balancer' || h.type === 'target-group')) continue;
      const f = foundOf(out, p.target.id);
      f.count++;
      if (!f.entries.has(entry))
        f.entries.set(entry, exposure.ofInterface(entry)?.target ?? { type: 'network-interface', id: entry });
      if (f.paths.length < KEEP) f.paths.push(p);
    }
    for (const u of result.undecided) {
      // The database's own internet exposure undecided is internet-exposure's error, not a blast radius.
      const own = exposure.ofInterface(u.to);
      if (own?.status === 'unknown' && own.reason === u.reason) continue;
      foundOf(out, u.to).undecided.push(u.reason);
    }
  }
  return out;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
