/**
 * The tier diagram's data from effective paths (src/report/tier-diagram.ts, issue #13): boxes per tier with their
 * interface counts, links aggregated from one-step lateral paths and internet paths, violations of the tier model,
 * intended links that miss some interface of the next tier (broken, or undecided when data was not collected), and
 * when the diagram falls back to rule text. The lateral and exposure models are stubbed here so each aggregation
 * rule is checked on its own; test/report/mermaid.test.ts draws the demo estate with the real models.
 */
import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/config/schema.js';
import type {
  ExposurePath,
  InternetExposure,
  LateralPath,
  LateralReach,
  PathTarget,
  PortSpan,
} from '../../src/exposure/types.js';
import type { Graph } from '../../src/graph/model.js';
import {
  formatPortSpans,
  TIER_PATHS_BUDGET,
  tierPathsOf,
  tierPathsUnavailable,
  type TierLink,
} from '../../src/report/tier-diagram.js';
import {
  ACCOUNT,
  eni,
  graphOf,
  instance,
  lbEni,
  loadBalancer,
  region,
  REGION,
  snapshot,
  target,
  targetGroup,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';

/** The diagram, which these small estates are well within the budget for. */
function drawnOf(...args: Parameters<typeof tierPathsOf>) {
  const r = tierPathsOf(...args);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

interface Step {
  from: string;
  to: string;
  protocol?: string;
  ports?: PortSpan[];
}

/** A lateral model answering from a table: tiers per interface, one-step paths, undecided pairs. */
function stubReach(
  graph: Graph,
  tiers: Record<string, Tier[]>,
  steps: Step[],
  undecided: { from: string; to: string }[] = [],
  attached: Record<string, PathTarget['attachedTo']> = {},
): LateralReach {
  const where = new Map(graph.scopes.flatMap((s) => s.networkInterfaces.map((n) => [n.eni.id, s] as const)));
  const target = (id: string): PathTarget => ({
    type: 'network-interface',
    id,
    ...(attached[id] ? { attachedTo: attached[id] } : {}),
  });
  const path = (s: Step): LateralPath => ({
    from: target(s.from),
    target: target(s.to),
    protocol: s.protocol ?? 'tcp',
    ports: s.ports ?? [[8080, 8080]],
    hops: [],
    accountId: where.get(s.to)!.accountId,
    region: where.get(s.to)!.region,
    steps: 1,
  });
  return {
    tiersOf: (id) => tiers[id] ?? [],
    interfacesOfTier: (t) =>
      [...where]
        .filter(([id]) => (tiers[id] ?? []).includes(t))
        .map(([id, s]) => ({ eniId: id, accountId: s.accountId, region: s.region, target: target(id) })),
    between: () => {
      throw new Error('not used');
    },
    inbound: (to) => ({
      paths: steps.filter((s) => s.to === to).map(path),
      undecided: undecided.filter((u) => u.to === to).map((u) => ({ ...u, reason: 'subnets not collected' })),
    }),
    search: () => {
      throw new Error('not used');
    },
  };
}

function stubExposure(paths: ExposurePath[]): InternetExposure {
  return {
    paths,
    interfaces: [],
    ofPermissions: () => {
      throw new Error('not used');
    },
    ofInterface: () => undefined,
  };
}

const direct = (to: string, ports: PortSpan[] = [[443, 443]]): ExposurePath => ({
  from: 'internet',
  source: '0.0.0.0/0',
  target: { type: 'network-interface', id: to },
  protocol: 'tcp',
  ports,
  hops: [],
  accountId: ACCOUNT,
  region: REGION,
});
const throughLb = (node: string, to: string, lbArn: string, port: number): ExposurePath => ({
  ...direct(to, [[port, port]]),
  hops: [
    { type: 'load-balancer', id: lbArn, listener: 443 },
    { type: 'network-interface', id: node },
  ],
  via: { loadBalancer: lbArn, listener: 443 },
});

/** `from>to ports [violation] [broken …]` per link: what the diagram draws. */
const show = (links: TierLink[]) =>
  links.map(
    (l) =>
      `${l.from}>${l.to} ${l.ports.join('; ') || '-'}` +
      (l.violation ? ` RED ${l.violation}` : '') +
      (l.broken
        ? ` BROKEN ${l.broken.unreached}/${l.broken.of} unknown ${l.broken.unknown} [${l.broken.examples.join(',')}]`
        : ''),
  );

const alb = loadBalancer('public', { tier: 'lb' });
const internal = loadBalancer('inner', { scheme: 'internal', lbId: 'fedcba9876543210' });

describe('tier diagram from effective paths: links', () => {
  const snap = snapshot(
    region({
      enis: [
        lbEni('eni-lb', alb),
        lbEni('eni-ilb', internal),
        eni('eni-web1', ['sg-w'], { description: 'web-1', attachment: { instanceId: 'i-web1', deviceIndex: 0 } }),
        eni('eni-web2', ['sg-w'], { description: 'web-2', attachment: { instanceId: 'i-web2', deviceIndex: 0 } }),
        eni('eni-app1', ['sg-a'], { description: 'app-1', attachment: { instanceId: 'i-app1', deviceIndex: 0 } }),
        eni('eni-app2', ['sg-a'], { description: 'app-2', attachment: { instanceId: 'i-app2', deviceIndex: 0 } }),
        eni('eni-db', ['sg-d'], { description: 'RDSNetworkInterface' }),
        eni('eni-bastion', ['sg-b'], { description: 'bastion' }),
        eni('eni-cache', ['sg-c'], { description: 'cache' }),
      ],
      lbs: [alb, internal],
      instances: [instance('orders', ['sg-d'], { tier: 'data', port: 5432 })],
      // What each load balancer forwards to: the public one to the web tier (443) and to app-2 (8080, a skip); the
      // internal one to app-1.
      targetGroups: [
        targetGroup('web', { port: 443, lbs: [alb], targets: [target('i-web1'), target('i-web2')] }),
        targetGroup('pub-app', { port: 8080, lbs: [alb], targets: [target('i-app2')] }),
        targetGroup('app', { port: 8080, lbs: [internal], targets: [target('i-app1')] }),
      ],
    }),
  );
  const graph = graphOf(snap);
  const tiers: Record<string, Tier[]> = {
    'eni-lb': ['lb'],
    'eni-ilb': ['lb'],
    'eni-web1': ['web'],
    'eni-web2': ['web'],
    'eni-app1': ['app'],
    'eni-app2': ['app'],
    'eni-db': ['data'],
  };
  const attached = { 'eni-db': { type: 'db-instance' as const, id: 'orders' } };

  it('aggregates ports over interface pairs, draws intended links plain, and red what breaks the tier model', () => {
    const reach = stubReach(
      graph,
      tiers,
      [
        { from: 'eni-lb', to: 'eni-web1', ports: [[443, 443]] },
        { from: 'eni-lb', to: 'eni-web2', ports: [[443, 443]] },
        { from: 'eni-web1', to: 'eni-app1', ports: [[8080, 8080]] },
        { from: 'eni-web2', to: 'eni-app2', ports: [[8443, 8443]] },
        { from: 'eni-web2', to: 'eni-app2', ports: [[8080, 8081]] },
        { from: 'eni-app1', to: 'eni-db', ports: [[5432, 5432]] },
        { from: 'eni-web1', to: 'eni-db', ports: [[5432, 5432]] },
        { from: 'eni-bastion', to: 'eni-db', ports: [[5432, 5432]] },
        // Inside a tier (replication) and against the chain (app → public LB): not drawn.
        { from: 'eni-web1', to: 'eni-web2', ports: [[443, 443]] },
        { from: 'eni-app1', to: 'eni-lb', ports: [[443, 443]] },
        // An internal LB in front of the app tier is the intended chain (it forwards to app-1 on 8080 only).
        { from: 'eni-ilb', to: 'eni-app1', ports: [[8000, 9000]] },
        // A load balancer node opens connections only to its registered targets: these are no connection.
        { from: 'eni-lb', to: 'eni-db', ports: [[5432, 5432]] },
        { from: 'eni-ilb', to: 'eni-app2', ports: [[8080, 8080]] },
      ],
      [],
      attached,
    );
    const tp = drawnOf(
      graph,
      reach,
      stubExposure([
        direct('eni-lb'),
        direct('eni-bastion', [[22, 22]]),
        throughLb('eni-lb', 'eni-web1', alb.arn, 8080),
      ]),
    );
    expect(show(tp.links)).toEqual([
      'internet>lb tcp 443',
      'internet>other tcp 22 RED internet-reachable interfaces here reach the data tier in one more step',
      'lb>web tcp 443, 8080',
      'lb>app tcp 8080',
      'web>app tcp 8080-8081, 8443',
      'web>data tcp 5432 RED the web tier reaches the data tier, skipping the app tier',
      'app>data tcp 5432',
      'other>data tcp 5432 RED interfaces without a tier tag reach the data tier',
    ]);
    expect(tp.links.filter((l) => l.intended).map((l) => `${l.from}>${l.to}`)).toEqual([
      'internet>lb',
      'lb>web',
      'web>app',
      'app>data',
    ]);
    expect(tp.links.find((l) => l.from === 'web' && l.to === 'app')!.paths).toBe(3);
    expect(tp.hidden).toBe(1); // app → lb
    expect(tp.undecided).toBe(0);
    expect(tp.boxes).toEqual([
      { key: 'internet', interfaces: 0 },
      { key: 'lb', interfaces: 2 },
      { key: 'web', interfaces: 2 },
      { key: 'app', interfaces: 2 },
      { key: 'data', interfaces: 1 },
      { key: 'other', interfaces: 2 },
    ]);
  });

  it('an internet-facing load balancer reaching the app tier is red; the internet straight to web, app, data too', () => {
    const reach = stubReach(graph, tiers, [{ from: 'eni-lb', to: 'eni-app2' }], [], attached);
    const tp = drawnOf(
      graph,
      reach,
      stubExposure([
        direct('eni-web1', [[80, 80]]),
        direct('eni-app2', [[8080, 8080]]),
        direct('eni-db', [[5432, 5432]]),
        // A path to the node itself names its listener and no node before it: internet → load balancer.
        { ...direct('eni-lb', [[5000, 5000]]), via: { loadBalancer: alb.arn, listener: 5000 } },
      ]),
    );
    expect(show(tp.links.filter((l) => l.ports.length))).toEqual([
      'internet>lb tcp 5000',
      'internet>web tcp 80 RED the internet reaches the web tier without a load balancer',
      'internet>app tcp 8080 RED the internet reaches the app tier directly',
      'internet>data tcp 5432 RED the internet reaches the data tier',
      'lb>app tcp 8080 RED an internet-facing load balancer reaches the app tier',
    ]);
  });

  it('untagged interfaces are a box only when they reach a tier; an internet path to one alone is not drawn', () => {
    const reach = stubReach(graph, tiers, [{ from: 'eni-cache', to: 'eni-bastion' }], [], attached);
    const tp = drawnOf(graph, reach, stubExposure([direct('eni-bastion', [[22, 22]])]));
    expect(tp.links.some((l) => l.from === 'other' || l.to === 'other')).toBe(false);
    expect(tp.boxes.map((b) => b.key)).not.toContain('other');
    // Nothing reaches from the internet at all: no internet box either.
    expect(tp.boxes.map((b) => b.key)).toEqual(['lb', 'web', 'app', 'data']);
  });

  it('an intended link that misses an interface of the next tier is broken, naming it; undecided is not broken', () => {
    const reach = stubReach(
      graph,
      tiers,
      [
        { from: 'eni-lb', to: 'eni-web1', ports: [[443, 443]] },
        { from: 'eni-web1', to: 'eni-app1' },
        // The app tier reaches the database, but not on its engine port (5432).
        { from: 'eni-app1', to: 'eni-db', ports: [[3306, 3306]] },
      ],
      [
        { from: 'eni-web1', to: 'eni-app2' },
        // `*`: the target itself could not be decided.
        { from: '*', to: 'eni-web2' },
      ],
      attached,
    );
    const tp = drawnOf(graph, reach, stubExposure([]));
    expect(show(tp.links)).toEqual([
      'lb>web tcp 443 BROKEN 0/2 unknown 1 []',
      'web>app tcp 8080 BROKEN 0/2 unknown 1 []',
      'app>data tcp 3306 BROKEN 1/1 unknown 0 [orders]',
    ]);
    expect(tp.undecided).toBe(2);
  });

  it('an intended link with no path at all is a broken link without ports', () => {
    const tp = drawnOf(graph, stubReach(graph, tiers, [], [], attached), stubExposure([]));
    expect(show(tp.links)).toEqual([
      'lb>web - BROKEN 2/2 unknown 0 [web-1,web-2]',
      'web>app - BROKEN 2/2 unknown 0 [app-1,app-2]',
      'app>data - BROKEN 1/1 unknown 0 [orders]',
    ]);
  });

  it('a link is checked only where the upstream tier has interfaces in the same account and region', () => {
    const two = snapshot(
      region({ enis: [eni('eni-web', ['sg-w']), eni('eni-app', ['sg-a'])] }),
      region({ region: 'eu-west-1', enis: [eni('eni-app-eu', ['sg-a2'])] }),
    );
    const g = graphOf(two);
    const reach = stubReach(g, { 'eni-web': ['web'], 'eni-app': ['app'], 'eni-app-eu': ['app'] }, [
      { from: 'eni-web', to: 'eni-app' },
    ]);
    const tp = drawnOf(g, reach, stubExposure([]));
    expect(show(tp.links)).toEqual(['web>app tcp 8080']);
    expect(tp.boxes).toEqual([
      { key: 'web', interfaces: 1 },
      { key: 'app', interfaces: 2 },
    ]);
  });

  it('an interface of two tiers counts in both boxes and links from both; as app tier it skips nothing', () => {
    const g = graphOf(snapshot(region({ enis: [eni('eni-wa', ['sg-1']), eni('eni-db', ['sg-2'])] })));
    const reach = stubReach(g, { 'eni-wa': ['web', 'app'], 'eni-db': ['data'] }, [
      { from: 'eni-wa', to: 'eni-db', ports: [[5432, 5432]] },
    ]);
    const tp = drawnOf(g, reach, stubExposure([]));
    // Not checked as a web → app link either: it is its own upstream.
    expect(show(tp.links)).toEqual(['web>data tcp 5432', 'app>data tcp 5432']);
    expect(tp.boxes.map((b) => `${b.key} ${b.interfaces}`)).toEqual(['web 1', 'app 1', 'data 1']);
  });
});

describe('tier diagram: a budget, so a dense estate falls back to the rule-text diagram instead of taking minutes', () => {
  const inVpc = { vpcId: 'vpc-1' };
  const g = graphOf(
    snapshot(
      region({
        enis: [eni('eni-web', ['sg-w'], inVpc), eni('eni-app', ['sg-a'], inVpc), eni('eni-app2', ['sg-a'], inVpc)],
      }),
    ),
  );
  const tiers: Record<string, Tier[]> = { 'eni-web': ['web'], 'eni-app': ['app'], 'eni-app2': ['app'] };
  const reach = stubReach(g, tiers, [
    { from: 'eni-web', to: 'eni-app' },
    { from: 'eni-web', to: 'eni-app2' },
  ]);
  it('more interface pairs to decide than it reads (3 tier interfaces × 3 in their VPC): says so, and where to look', () => {
    expect(tierPathsOf(g, reach, stubExposure([]), { maxPairs: 8, maxPaths: 100 })).toBe(
      '3 tier interfaces, 9 interface pairs to decide: more than the diagram reads (8 pairs, 100 paths); ' +
        '`sg-audit paths --from TIER --to TIER` lists them',
    );
  });
  it('more one-step paths than it reads', () => {
    expect(tierPathsOf(g, reach, stubExposure([]), { maxPairs: 9, maxPaths: 1 })).toMatch(
      /^over 1 one-step paths between tiers: more than the diagram reads /,
    );
  });
  it('within both: drawn', () => {
    expect(tierPathsOf(g, reach, stubExposure([]), { maxPairs: 9, maxPaths: 2 })).toMatchObject({
      links: [{ from: 'web', to: 'app', ports: ['tcp 8080'] }],
    });
  });
  it('the default budget draws the demo estate: test/report/mermaid.test.ts', () => {
    expect(TIER_PATHS_BUDGET).toEqual({ maxPairs: 15_000, maxPaths: 50_000 });
  });
});

describe('tier diagram: port labels', () => {
  const f = (entries: [string, PortSpan[]][]) => formatPortSpans(new Map(entries));
  it('merges spans per protocol, in a fixed protocol order, and says all traffic for all of it', () => {
    expect(
      f([
        ['udp', [[53, 53]]],
        [
          'tcp',
          [
            [8080, 8080],
            [443, 443],
            [444, 450],
            [8081, 8081],
          ],
        ],
      ]),
    ).toEqual(['tcp 443-450, 8080-8081', 'udp 53']);
    expect(f([['all', [[0, 65535]]]])).toEqual(['all traffic']);
    expect(
      f([
        ['tcp', [[0, 65535]]],
        ['udp', [[0, 65535]]],
        ['icmp', [[-1, -1]]],
      ]),
    ).toEqual(['all traffic']);
    expect(f([['tcp', [[0, 65535]]]])).toEqual(['tcp all ports']);
    expect(f([['icmp', [[-1, -1]]]])).toEqual(['icmp']);
    expect(f([['icmp', [[8, 8]]]])).toEqual(['icmp type 8']);
    expect(f([['47', [[0, 65535]]]])).toEqual(['protocol 47']);
    expect(
      f([
        [
          'tcp',
          [
            [1, 1],
            [3, 3],
            [5, 5],
            [7, 7],
            [9, 9],
            [11, 11],
          ],
        ],
      ]),
    ).toEqual(['tcp 1, 3, 5, 7 +2']);
  });
});

describe('tier diagram: when it cannot be drawn from effective paths', () => {
  it('network data not collected (a version-1 snapshot, raw describe-security-groups input)', () => {
    const g = graphOf(snapshot(region({ enis: [eni('eni-1', ['sg-1'])], collected: WITHOUT_NETWORK })));
    expect(tierPathsUnavailable(g)).toBe('network data not collected');
  });
  it('one region without it is enough: the diagram would be silently partial', () => {
    const g = graphOf(
      snapshot(region({ enis: [eni('eni-1', ['sg-1'])] }), region({ region: 'eu-west-1', collected: WITHOUT_NETWORK })),
    );
    expect(tierPathsUnavailable(g)).toBe('network data not collected');
  });
  it('no network interface at all', () => {
    expect(tierPathsUnavailable(graphOf(snapshot(region({}))))).toBe('no network interfaces in the snapshot');
    expect(tierPathsUnavailable(graphOf(snapshot()))).toBe('nothing was collected');
  });
  it('everything collected, with interfaces: drawn from effective paths', () => {
    expect(tierPathsUnavailable(graphOf(snapshot(region({ enis: [eni('eni-1', ['sg-1'])] }))))).toBeUndefined();
  });
});

describe('tier diagram: a load balancer forwards to the target interfaces the exposure model names', () => {
  it("an instance target's interface without a device index next to its primary one is no target", () => {
    const snap = snapshot(
      region({
        enis: [
          lbEni('eni-lb', alb),
          eni('eni-web1', ['sg-w'], { attachment: { instanceId: 'i-web1', deviceIndex: 0 } }),
          eni('eni-web1b', ['sg-w'], { attachment: { instanceId: 'i-web1' } }),
        ],
        lbs: [alb],
        targetGroups: [targetGroup('web', { port: 443, lbs: [alb], targets: [target('i-web1')] })],
      }),
    );
    const graph = graphOf(snap);
    const tiers: Record<string, Tier[]> = { 'eni-lb': ['lb'], 'eni-web1b': ['web'] };
    const reach = stubReach(graph, tiers, [{ from: 'eni-lb', to: 'eni-web1b', ports: [[443, 443]] }]);
    const d = drawnOf(graph, reach, { paths: [], unknown: [] } as unknown as InternetExposure);
    const link = d.links.find((l) => l.from === 'lb' && l.to === 'web');
    expect(link?.paths ?? 0).toBe(0);
  });
});
