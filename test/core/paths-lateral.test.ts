/**
 * `paths --from` in core (issue #13): what `--from` and `--to` name, resolved to interfaces (an ENI, an instance's
 * interfaces, a load balancer's nodes, a database's interfaces — also as one of several possible owners —, a
 * security group's interfaces, a tier by the lateral model's `tiersOf`), the query handed to
 * `LateralReach.search` (`--max-hops` steps, `--port`), and the undecided list (accounts/regions whose interfaces
 * were not collected, then the model's pairs). The lateral model is a recording fake here: its own tests prove its
 * verdicts; the CLI tests run the real one.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_HOPS,
  MAX_EXPLAINED_PAIRS,
  parseMaxHops,
  selectLateral,
  type LateralPathsQuery,
} from '../../src/core/paths.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import type {
  InterfaceNodeRef,
  LateralEnd,
  LateralPath,
  LateralQuery,
  LateralReach,
  LateralSearch,
  LateralVerdict,
  PortQuery,
} from '../../src/exposure/types.js';
import type { Tier } from '../../src/config/schema.js';
import {
  ACCOUNT,
  eni,
  graphOf,
  instance,
  lbEni,
  loadBalancer,
  network,
  publicSubnet,
  region,
  REGION,
  sg,
  snapshot,
  tcp,
} from '../helpers/estate.js';
import { usageMessage } from '../helpers/files.js';

const alb = loadBalancer('public-alb', { groups: ['sg-alb'] });
const estate = snapshot(
  region({
    groups: [
      sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }),
      sg('sg-web', { ingress: [tcp(8080, 'sg-alb')] }),
      sg('sg-db', { ingress: [tcp(5432, 'sg-web')] }),
    ],
    enis: [
      lbEni('eni-alb-a', alb),
      lbEni('eni-alb-b', alb),
      eni('eni-web', { subnetId: 'subnet-pub', groups: ['sg-web'], instanceId: 'i-web' }),
      eni('eni-web2', { subnetId: 'subnet-pub', groups: ['sg-web'], instanceId: 'i-web2' }),
      eni('eni-db', { subnetId: 'subnet-pub', groups: ['sg-db'], description: 'RDSNetworkInterface' }),
    ],
    lbs: [alb],
    // Two databases on the same groups: the RDS interface could be either's (attachedTo.alternatives).
    instances: [instance('orders', ['sg-db']), instance('orders-b', ['sg-db'])],
    ...network(publicSubnet()),
  }),
  region({ region: 'eu-west-1', groups: [sg('sg-eu')], collected: ['securityGroups'] }),
);
const graph = graphOf(estate);
const exposure = analyseExposure(graph);

const ref = (id: string): InterfaceNodeRef => {
  const i = exposure.ofInterface(id);
  if (!i) throw new Error(id);
  return { eniId: id, accountId: ACCOUNT, region: REGION, vpcId: 'vpc-1', subnetId: 'subnet-pub', target: i.target };
};

/**
 * A LateralReach that records each search and answers with `answer`; tiers from `tiers`; `between` records its
 * questions and answers from `verdicts` (default: unreachable, "X blocks Y").
 */
function recording(
  answer: LateralSearch = { paths: [], undecided: [] },
  tiers: Record<string, Tier[]> = {},
  verdicts: Record<string, LateralVerdict> = {},
) {
  const calls: { from: LateralEnd; to: LateralEnd; query?: LateralQuery }[] = [];
  const asked: { from: string; to: string; query?: PortQuery }[] = [];
  const reach: LateralReach = {
    tiersOf: (id) => tiers[id] ?? [],
    interfacesOfTier: (tier) =>
      Object.keys(tiers)
        .filter((id) => tiers[id].includes(tier))
        .map(ref),
    between: (from, to, query) => {
      asked.push({ from, to, ...(query ? { query } : {}) });
      return verdicts[`${from} ${to}`] ?? { status: 'unreachable', reason: `${from} blocks ${to}`, paths: [] };
    },
    inbound: () => ({ paths: [], undecided: [] }),
    search: (from, to, query) => {
      calls.push({ from, to, query });
      return answer;
    },
  };
  return { reach, calls, asked };
}

const select = (q: Partial<LateralPathsQuery> & { from: string }, fake = recording()) => {
  const listing = selectLateral(graph, exposure, fake.reach, { maxHops: 2, ...q });
  return { listing, calls: fake.calls };
};

const EU = { accountId: ACCOUNT, region: 'eu-west-1', reason: 'network interfaces not collected' };

const dbPath = (protocol: string, ports: [number, number][]): LateralPath => ({
  from: ref('eni-web').target,
  target: ref('eni-db').target,
  protocol,
  ports,
  hops: [],
  accountId: ACCOUNT,
  region: REGION,
  steps: 1,
});

describe('--from and --to name interfaces', () => {
  it.each([
    ['eni-web', ['eni-web']],
    ['i-web2', ['eni-web2']],
    ['public-alb', ['eni-alb-a', 'eni-alb-b']],
    [alb.arn, ['eni-alb-a', 'eni-alb-b']],
    ['orders', ['eni-db']],
    ['orders-b', ['eni-db']], // one of the databases that could own the RDS interface
    ['sg-web', ['eni-web', 'eni-web2']], // a security group: its interfaces
  ])('%s → %j, for --from and for --to', (name, ids) => {
    const from = select({ from: name, to: 'eni-db' });
    expect(from.calls.map((c) => c.from)).toEqual([ids]);
    const to = select({ from: 'eni-web', to: name });
    expect(to.calls.map((c) => c.to)).toEqual([ids]);
    expect(to.listing.query).toEqual({
      from: 'eni-web',
      to: name,
      maxHops: 2,
      fromInterfaces: 1,
      toInterfaces: ids.length,
    });
  });

  it("a tier is the lateral model's interfacesOfTier (tiersOf), not only the interface's own tag", () => {
    const fake = recording(undefined, { 'eni-web2': ['web'], 'eni-db': ['data'] });
    const { calls, listing } = select({ from: 'web', to: 'data' }, fake);
    expect(calls).toEqual([{ from: ['eni-web2'], to: ['eni-db'], query: { protocol: 'all', maxSteps: 2 } }]);
    // eu-west-1's interfaces were not collected: some of the tier may be there, unseen.
    expect(listing.undecided).toEqual([{ from: 'web', to: 'data', ...EU }]);
  });

  it('an id the estate does not hold is a usage error naming the flag', () => {
    expect(usageMessage(() => select({ from: 'i-nothing', to: 'eni-db' }))).toBe(
      '--from "i-nothing": names nothing in the estate; expected a network interface, instance, load balancer ' +
        '(name or ARN), DB instance or cluster, or security group id, or a tier (lb, web, app, data)',
    );
    expect(usageMessage(() => select({ from: 'eni-web', to: 'db-nothing' }))).toMatch(
      /^--to "db-nothing": names nothing in the estate; /,
    );
  });

  it('raw input (no interfaces collected anywhere): says the input holds no network interfaces', () => {
    const raw = graphOf(snapshot(region({ groups: [sg('sg-1')], collected: ['securityGroups'] })));
    expect(
      usageMessage(() =>
        selectLateral(raw, analyseExposure(raw), recording().reach, { from: 'i-web', to: 'data', maxHops: 2 }),
      ),
    ).toBe(
      '--from "i-web": names nothing the input holds: its network interfaces were not collected (111111111111/' +
        'us-east-1; raw describe-security-groups input holds none), so no interface, instance, load balancer or ' +
        "database can be found; a snapshot from 'sg-audit collect' holds them",
    );
  });
});

describe('the search', () => {
  it('--from internet: the internet end, --max-hops as maxSteps, --port on any protocol; no fromInterfaces', () => {
    const { calls, listing } = select({ from: 'internet', to: 'orders', port: 5432, maxHops: 3 });
    expect(calls).toEqual([
      { from: 'internet', to: ['eni-db'], query: { protocol: 'all', ports: [[5432, 5432]], maxSteps: 3 } },
    ]);
    expect(listing.query).toEqual({ from: 'internet', to: 'orders', port: 5432, maxHops: 3, toInterfaces: 1 });
  });

  it('without --to: every interface of the estate, and every account/region not collected is undecided', () => {
    const { calls, listing } = select({ from: 'eni-web' });
    expect(calls.map((c) => c.to)).toEqual([['eni-alb-a', 'eni-alb-b', 'eni-web', 'eni-web2', 'eni-db']]);
    expect(listing.undecided).toEqual([{ from: 'eni-web', to: '*', ...EU }]);
    expect(listing.query.toInterfaces).toBe(5);
  });

  it('--port keeps tcp, udp and all-traffic paths holding the port (ICMP types are not ports)', () => {
    const answer = {
      paths: [dbPath('tcp', [[5432, 5432]]), dbPath('icmp', [[-1, -1]]), dbPath('all', [[0, 65535]])],
      undecided: [],
    };
    const { listing } = select({ from: 'eni-web', to: 'eni-db', port: 5432 }, recording(answer));
    expect(listing.paths.map((p) => p.protocol)).toEqual(['tcp', 'all']);
    expect(select({ from: 'eni-web', to: 'eni-db' }, recording(answer)).listing.paths).toHaveLength(3);
  });

  it("a path from the internet through a load balancer keeps the internet listing's via, after region", () => {
    const lbHop = { type: 'load-balancer' as const, id: alb.arn, listener: 443 };
    const { target, protocol, ports, accountId } = dbPath('tcp', [[5432, 5432]]);
    const hops = [lbHop, { type: 'network-interface' as const, id: 'eni-web' }];
    const fromInternet: LateralPath = {
      ...{ from: 'internet', source: '0.0.0.0/0', target, protocol, ports, hops, accountId, region: REGION },
      steps: 2,
    };
    const lateralOnly = dbPath('tcp', [[5432, 5432]]);
    const { listing } = select(
      { from: 'internet', to: 'eni-db' },
      recording({ paths: [fromInternet, lateralOnly], undecided: [] }),
    );
    expect(listing.paths[0]).toEqual({ ...fromInternet, via: { loadBalancer: alb.arn, listener: 443 } });
    expect(Object.keys(listing.paths[0])).toEqual([
      'from',
      'source',
      'target',
      'protocol',
      'ports',
      'hops',
      'accountId',
      'region',
      'via',
      'steps',
    ]);
    expect(listing.paths[1]).toBe(lateralOnly);
  });

  it("the model's undecided pairs follow the accounts/regions not collected; nothing is dropped", () => {
    const pair = { from: 'eni-web', to: 'eni-db', reason: 'networkAcls not collected in 111111111111/us-east-1' };
    const { listing } = select(
      { from: 'web', to: 'orders' },
      recording({ paths: [], undecided: [pair] }, { 'eni-web': ['web'] }),
    );
    expect(listing.undecided).toEqual([{ from: 'web', to: 'orders', ...EU }, pair]);
  });

  it('an end that selects no interface: no search, an empty decided listing that counts 0 interfaces', () => {
    const { calls, listing } = select({ from: 'web', to: 'eni-db' });
    expect(calls).toEqual([]);
    expect(listing).toEqual({
      paths: [],
      undecided: [{ from: 'web', to: 'eni-db', ...EU }],
      query: { from: 'web', to: 'eni-db', maxHops: 2, fromInterfaces: 0, toInterfaces: 1 },
    });
  });
});

describe('what blocks a pair without a path (few pairs: LateralReach.between)', () => {
  it('each pair with no path and not undecided, once; --port asks about tcp on it', () => {
    const answer = { paths: [dbPath('tcp', [[5432, 5432]])], undecided: [] };
    const fake = recording(answer);
    const { listing } = select({ from: 'sg-web', to: 'eni-db', port: 5432 }, fake);
    // eni-web reaches eni-db (a path); eni-web2 does not: its blocking hop is asked on tcp 5432.
    expect(fake.asked).toEqual([{ from: 'eni-web2', to: 'eni-db', query: { protocol: 'tcp', ports: [[5432, 5432]] } }]);
    expect(listing.unreachable).toEqual([{ from: 'eni-web2', to: 'eni-db', reason: 'eni-web2 blocks eni-db' }]);
    expect(Object.keys(listing)).toEqual(['paths', 'undecided', 'unreachable', 'query']);
  });

  it('a pair the model cannot decide joins undecided, never unreachable; an undecided pair is not asked', () => {
    const pending = { status: 'unknown' as const, reason: 'subnets not collected', paths: [] };
    const pair = { from: 'eni-web', to: 'eni-db', reason: 'networkAcls not collected' };
    const fake = recording({ paths: [], undecided: [pair] }, {}, { 'eni-web2 eni-db': pending });
    const { listing } = select({ from: 'sg-web', to: 'eni-db' }, fake);
    expect(fake.asked).toEqual([{ from: 'eni-web2', to: 'eni-db' }]);
    expect(listing.undecided).toEqual([pair, { from: 'eni-web2', to: 'eni-db', reason: 'subnets not collected' }]);
    expect(listing.unreachable).toBeUndefined();
  });

  it('not asked from the internet, for an interface and itself, or for more than 25 pairs', () => {
    const none = (q: Partial<LateralPathsQuery> & { from: string }) => {
      const fake = recording();
      const { listing } = select(q, fake);
      return { asked: fake.asked, unreachable: listing.unreachable };
    };
    expect(none({ from: 'internet', to: 'eni-db' })).toEqual({ asked: [], unreachable: undefined });
    expect(none({ from: 'eni-db', to: 'eni-db' })).toEqual({ asked: [], unreachable: undefined });
    expect(none({ from: 'eni-web' }).asked).toHaveLength(4); // every other interface: 4 pairs
    // Six interfaces of one group to every interface: 6 × 5 = 30 pairs, over the 25 asked about.
    expect(MAX_EXPLAINED_PAIRS).toBe(25);
    const six = graphOf(
      snapshot(
        region({
          groups: [sg('sg-many')],
          enis: [1, 2, 3, 4, 5, 6].map((i) => eni(`eni-${i}`, { subnetId: 'subnet-pub', groups: ['sg-many'] })),
          ...network(publicSubnet()),
        }),
      ),
    );
    const fake = recording();
    const listing = selectLateral(six, analyseExposure(six), fake.reach, { from: 'sg-many', maxHops: 1 });
    expect([fake.asked, listing.unreachable]).toEqual([[], undefined]);
    const five = selectLateral(six, analyseExposure(six), fake.reach, { from: 'eni-1', maxHops: 1 });
    expect(five.unreachable).toHaveLength(5);
  });
});

describe('--max-hops', () => {
  it('an integer 1-5; default 1 (from the internet: the internet listing; otherwise direct connections)', () => {
    expect([parseMaxHops('1'), parseMaxHops('5'), parseMaxHops(undefined)]).toEqual([1, 5, undefined]);
    for (const bad of ['0', '6', '-1', 'two', '', '1.5', '10']) {
      expect(usageMessage(() => parseMaxHops(bad))).toBe(`--max-hops ${JSON.stringify(bad)}: expected an integer 1-5`);
    }
    expect(DEFAULT_MAX_HOPS).toBe(1);
  });
});
