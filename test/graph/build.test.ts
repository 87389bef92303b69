/**
 * The normaliser (snapshot → graph). A normaliser that loses data blinds every rule (defsec once built egress
 * from the ingress list), so every field that reaches the rules is checked here.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/config/schema.js';
import { buildGraph, normaliseProtocol } from '../../src/graph/build.js';
import type { RuleEntry } from '../../src/graph/model.js';
import { mergeSnapshots } from '../../src/snapshot/load.js';
import { RESOURCE_KINDS } from '../../src/snapshot/schema.js';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  all,
  cluster,
  eni,
  graphOf,
  groupNode,
  instance,
  lb,
  proto,
  region,
  sg,
  snapshot,
  tcp,
  udp,
} from '../helpers/estate.js';

/** Compact view of an entry: direction, protocol, ports, allPorts, source label, index. */
function view(e: RuleEntry): [string, string, number, number, boolean, string, number] {
  const s = e.source;
  const label =
    s.kind === 'cidr'
      ? s.cidr.cidr
      : s.kind === 'prefixList'
        ? s.prefixListId
        : `${s.userId ? `${s.userId}/` : ''}${s.groupId}`;
  return [e.direction, e.protocol, e.fromPort, e.toPort, e.allPorts, label, e.permissionIndex];
}

describe('normaliseProtocol', () => {
  it.each([
    ['-1', 'all'],
    ['6', 'tcp'],
    ['17', 'udp'],
    ['1', 'icmp'],
    ['58', 'icmpv6'],
    ['TCP', 'tcp'],
    ['Udp', 'udp'],
    ['icmpv6', 'icmpv6'],
    ['50', '50'],
  ])('%s → %s', (input, out) => expect(normaliseProtocol(input)).toBe(out));
});

describe('buildGraph: rule entries', () => {
  it('keeps ingress and egress separate, one entry per (permission, source), with indexes', () => {
    const g = groupNode('sg-a', {
      groups: [
        sg('sg-a', {
          ingress: [tcp(443, '0.0.0.0/0', '::/0'), udp([1000, 2000], 'sg-b', 'pl-1')],
          egress: [tcp(5432, '10.0.0.0/16')],
        }),
        sg('sg-b'),
      ],
    });
    expect(g.ingress.map(view)).toEqual([
      ['ingress', 'tcp', 443, 443, false, '0.0.0.0/0', 0],
      ['ingress', 'tcp', 443, 443, false, '::/0', 0],
      ['ingress', 'udp', 1000, 2000, false, 'pl-1', 1],
      ['ingress', 'udp', 1000, 2000, false, 'sg-b', 1],
    ]);
    expect(g.egress.map(view)).toEqual([['egress', 'tcp', 5432, 5432, false, '10.0.0.0/16', 0]]);
    expect(g.ingress.every((e) => e.group === g)).toBe(true);
  });

  it('a group with egress only has no ingress entries, and the reverse', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [
            sg('sg-out', { egress: [all('0.0.0.0/0')] }),
            sg('sg-in', { ingress: [all('0.0.0.0/0')], egress: [] }),
          ],
        }),
      ),
    );
    expect(graph.groupsById.get('sg-out')!.ingress).toEqual([]);
    expect(graph.groupsById.get('sg-out')!.egress.map(view)).toEqual([
      ['egress', 'all', 0, 65535, true, '0.0.0.0/0', 0],
    ]);
    expect(graph.groupsById.get('sg-in')!.egress).toEqual([]);
    expect(graph.groupsById.get('sg-in')!.ingress.map(view)).toEqual([
      ['ingress', 'all', 0, 65535, true, '0.0.0.0/0', 0],
    ]);
  });

  it('ports: -1 is all traffic; tcp without ports or 0/1-65535 is every port; -1 bounds widen; icmp keeps type/code', () => {
    const g = groupNode('sg-a', {
      groups: [
        sg('sg-a', {
          ingress: [
            all('10.0.0.0/8'),
            proto('tcp', undefined, undefined, '10.0.0.0/8'),
            tcp([0, 65535], '10.0.0.0/8'),
            tcp([1, 65535], '10.0.0.0/8'),
            tcp([2, 65535], '10.0.0.0/8'),
            proto('udp', -1, -1, '10.0.0.0/8'),
            proto('icmp', 8, 0, '10.0.0.0/8'),
            proto('icmpv6', -1, -1, '::/0'),
            proto('58', undefined, undefined, '::/0'),
          ],
        }),
      ],
    });
    expect(g.ingress.map((e) => [e.protocol, e.fromPort, e.toPort, e.allPorts])).toEqual([
      ['all', 0, 65535, true],
      ['tcp', 0, 65535, true],
      ['tcp', 0, 65535, true],
      ['tcp', 1, 65535, true],
      ['tcp', 2, 65535, false],
      ['udp', 0, 65535, true],
      ['icmp', 8, 0, false],
      ['icmpv6', -1, -1, false],
      ['icmpv6', -1, -1, false],
    ]);
  });

  it('IPv4 and IPv6 sources are classified; descriptions are kept', () => {
    const snap = snapshot(region({ groups: [sg('sg-a', { ingress: [tcp(22, '203.0.113.0/24', '2001:db8::/32')] })] }));
    snap.regions[0].securityGroups[0].ingress[0].ipv4[0].description = 'office';
    const [v4, v6] = graphOf(snap).groupsById.get('sg-a')!.ingress;
    expect(v4.source).toMatchObject({
      kind: 'cidr',
      description: 'office',
      cidr: { cidr: '203.0.113.0/24', family: 4, public: true },
    });
    expect(v6.source).toMatchObject({ kind: 'cidr', cidr: { cidr: '2001:db8::/32', family: 6, public: true } });
  });
});

describe('buildGraph: group references', () => {
  it('self references and same-account references resolve; referencedBy is filled', () => {
    const graph = graphOf(
      snapshot(region({ groups: [sg('sg-a', { ingress: [all('sg-a'), tcp(3306, 'sg-b')] }), sg('sg-b')] })),
    );
    const a = graph.groupsById.get('sg-a')!;
    const b = graph.groupsById.get('sg-b')!;
    expect(a.ingress[0].source).toMatchObject({ kind: 'group', self: true, crossAccount: false, target: a });
    expect(a.ingress[1].source).toMatchObject({ kind: 'group', self: false, crossAccount: false, target: b });
    expect(a.referencedBy).toEqual([a.ingress[0]]);
    expect(b.referencedBy).toEqual([a.ingress[1]]);
    expect(graph.unresolvedReferences.size).toBe(0);
  });

  it('cross-account reference resolves when the other account is in the merged inputs', () => {
    const mine = snapshot(region({ groups: [sg('sg-data', { ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-app`)] })] }));
    const theirs = snapshot(region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-app', { tier: 'app' })] }));
    const graph = buildGraph(mergeSnapshots([mine, theirs]), defaultSettings());
    const app = graph.groupsById.get('sg-app')!;
    const [e] = graph.groupsById.get('sg-data')!.ingress;
    expect(app.accountId).toBe(OTHER_ACCOUNT);
    expect(e.source).toMatchObject({
      kind: 'group',
      userId: OTHER_ACCOUNT,
      crossAccount: true,
      self: false,
      target: app,
    });
    expect(app.referencedBy).toEqual([e]);
    expect(graph.unresolvedReferences.size).toBe(0);
  });

  it('cross-account reference stays unresolved (no target) when the other account is absent', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [sg('sg-data', { ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-app`), tcp(5432, 'sg-deleted')] })],
        }),
      ),
    );
    const [cross, stale] = graph.groupsById.get('sg-data')!.ingress;
    expect(cross.source).toMatchObject({ kind: 'group', crossAccount: true, target: undefined });
    expect(stale.source).toMatchObject({ kind: 'group', crossAccount: false, target: undefined });
    expect([...graph.unresolvedReferences.entries()]).toEqual([
      ['sg-app', [cross]],
      ['sg-deleted', [stale]],
    ]);
  });

  it("a group's account is its OwnerId when given, else the snapshot entry's account", () => {
    const graph = graphOf(snapshot(region({ groups: [sg('sg-own', { ownerId: OTHER_ACCOUNT }), sg('sg-plain')] })));
    expect(graph.groupsById.get('sg-own')!.accountId).toBe(OTHER_ACCOUNT);
    expect(graph.groupsById.get('sg-plain')!.accountId).toBe(ACCOUNT);
  });

  it('the same group in two inputs is one node (first wins)', () => {
    const graph = graphOf(
      snapshot(
        region({ groups: [sg('sg-a', { name: 'first' })] }),
        region({ region: 'eu-west-1', groups: [sg('sg-a', { name: 'second' })] }),
      ),
    );
    expect(graph.groups.map((g) => [g.id, g.name, g.region])).toEqual([['sg-a', 'first', 'us-east-1']]);
  });
});

describe('buildGraph: prefix lists', () => {
  it('resolve to their entries when known, stay unknown when not collected', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [sg('sg-a', { ingress: [tcp(443, 'pl-known', 'pl-empty', 'pl-unknown')] })],
          prefixLists: [
            { id: 'pl-known', name: 'corp', entries: [{ cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }] },
            { id: 'pl-empty', entries: [] },
          ],
        }),
      ),
    );
    const [known, empty, unknown] = graph.groupsById.get('sg-a')!.ingress;
    expect(known.source).toMatchObject({ kind: 'prefixList', prefixListId: 'pl-known', name: 'corp' });
    expect(known.source.kind === 'prefixList' && known.source.entries?.map((c) => [c.cidr, c.private])).toEqual([
      ['10.0.0.0/8', true],
      ['2001:db8::/32', false],
    ]);
    expect(empty.source).toMatchObject({ kind: 'prefixList', entries: [] });
    expect(unknown.source).toMatchObject({ kind: 'prefixList', prefixListId: 'pl-unknown' });
    expect(unknown.source.kind === 'prefixList' && unknown.source.entries).toBeUndefined();
  });

  it('resolve once, at build: the world entries a list holds and whether AWS manages it (issue #10)', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [
            sg('sg-a', { ingress: [tcp(443, 'pl-world', 'pl-aws', 'pl-unknown')] }),
            sg('sg-b', { ingress: [tcp(22, 'pl-world')] }),
          ],
          prefixLists: [
            {
              id: 'pl-world',
              name: 'oops',
              entries: [{ cidr: '10.0.0.0/8' }, { cidr: '::/0' }, { cidr: '0.0.0.0/0' }],
            },
            { id: 'pl-aws', name: 'com.amazonaws.global.cloudfront.origin-facing' },
          ],
        }),
      ),
    );
    const [world, aws, unknown] = graph.groupsById.get('sg-a')!.ingress;
    const [again] = graph.groupsById.get('sg-b')!.ingress;
    const pl = (e: typeof world) => (e.source.kind === 'prefixList' ? e.source : undefined)!;
    expect(pl(world).worldEntries.map((c) => c.cidr)).toEqual(['::/0', '0.0.0.0/0']);
    expect(pl(world).awsManaged).toBe(false);
    // Shared between every reference to the list.
    expect(pl(again).worldEntries).toBe(pl(world).worldEntries);
    expect([pl(aws).awsManaged, pl(aws).worldEntries]).toEqual([true, []]);
    expect([pl(unknown).awsManaged, pl(unknown).worldEntries, pl(unknown).entries]).toEqual([false, [], undefined]);
  });

  it("a list known only in another scope's input is used; a local copy without entries does not hide it", () => {
    const graph = graphOf(
      snapshot(
        region({ groups: [sg('sg-a', { ingress: [tcp(443, 'pl-shared')] })], prefixLists: [{ id: 'pl-shared' }] }),
        region({
          region: 'eu-west-1',
          prefixLists: [{ id: 'pl-shared', name: 'shared', entries: [{ cidr: '192.168.0.0/16' }] }],
        }),
      ),
    );
    const [e] = graph.groupsById.get('sg-a')!.ingress;
    expect(e.source.kind === 'prefixList' && e.source.entries?.map((c) => c.cidr)).toEqual(['192.168.0.0/16']);
  });
});

describe('buildGraph: tiers and attachments', () => {
  it('indexes groups and resources by tier, and attaches resources to their groups', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [
            sg('sg-alb', { tier: 'lb' }),
            sg('sg-web', { tier: 'web' }),
            sg('sg-app', { tier: 'app' }),
            sg('sg-data', { tier: 'data' }),
            sg('sg-none'),
          ],
          lbs: [lb('alb', ['sg-alb'], { tier: 'lb' })],
          enis: [
            eni('eni-web', ['sg-web'], { tier: 'web', attachment: { instanceId: 'i-web' } }),
            eni('eni-app', ['sg-app', 'sg-missing']),
          ],
          clusters: [cluster('orders', ['sg-data'], { tier: 'data' })],
          instances: [instance('orders-1', ['sg-data'], { clusterId: 'orders' })],
        }),
      ),
    );
    const [scope] = graph.scopes;
    const ids = (gs: { id: string }[]) => gs.map((g) => g.id);
    expect(ids(graph.groupsByTier.lb)).toEqual(['sg-alb']);
    expect(ids(scope.groupsByTier.web)).toEqual(['sg-web']);
    expect(ids(scope.groupsByTier.app)).toEqual(['sg-app']);
    expect(ids(scope.groupsByTier.data)).toEqual(['sg-data']);
    expect(
      Object.fromEntries(
        Object.entries(scope.resourcesByTier).map(([t, rs]) => [t, rs.map((r) => `${r.kind}:${r.id}`)]),
      ),
    ).toEqual({
      lb: ['loadBalancers:alb'],
      web: ['networkInterfaces:eni-web'],
      app: [],
      data: ['dbClusters:orders'],
    });
    expect(graph.groupsById.get('sg-web')!.attachments).toEqual([
      { kind: 'networkInterfaces', id: 'eni-web', name: 'i-web', tiers: ['web'] },
    ]);
    expect(graph.groupsById.get('sg-data')!.attachments.map((a) => `${a.kind}:${a.id}`)).toEqual([
      'dbClusters:orders',
      'dbInstances:orders-1',
    ]);
    expect(graph.groupsById.get('sg-alb')!.attachments[0]).toMatchObject({
      kind: 'loadBalancers',
      id: 'alb',
      arn: expect.stringContaining(':loadbalancer/app/alb/'),
    });
    expect(graph.groupsById.get('sg-none')!.attachments).toEqual([]);
    // A resource's unknown group is skipped, the known one still attached.
    expect(scope.networkInterfaces.find((n) => n.eni.id === 'eni-app')!.groups.map((g) => g.id)).toEqual(['sg-app']);
  });

  it('tier matchers come from settings: custom key/value and key-only', () => {
    const settings: Settings = {
      ...defaultSettings(),
      tiers: {
        lb: [],
        web: [],
        app: [{ key: 'role', value: 'api' }, { key: 'service' }],
        data: [{ key: 'Tier', value: 'data' }],
      },
    };
    const graph = buildGraph(
      snapshot(
        region({
          groups: [
            sg('sg-1', { tags: { role: 'api' } }),
            sg('sg-2', { tags: { service: '' } }),
            sg('sg-3', { tags: { role: 'web' } }),
            sg('sg-4', { tier: 'lb' }),
          ],
        }),
      ),
      settings,
    );
    expect(graph.groupsByTier.app.map((g) => g.id)).toEqual(['sg-1', 'sg-2']);
    expect(graph.groupsById.get('sg-3')!.tiers).toEqual([]);
    expect(graph.groupsById.get('sg-4')!.tiers).toEqual([]);
  });

  it('a group can carry several tiers; default group detected by name', () => {
    const graph = graphOf(
      snapshot(region({ groups: [sg('sg-x', { tags: { Tier: 'app' } }), sg('sg-d', { name: 'default' })] })),
    );
    expect(graph.groupsById.get('sg-d')!.isDefault).toBe(true);
    expect(graph.groupsById.get('sg-x')!.isDefault).toBe(false);
  });

  it('scopes keep account, region, collected kinds and collection errors', () => {
    const graph = graphOf(
      snapshot(
        region({
          collected: ['securityGroups'],
          errors: [{ api: 'rds:DescribeDBClusters', code: 'AccessDenied', message: 'no' }],
        }),
        region({ accountId: OTHER_ACCOUNT, region: 'eu-west-1' }),
      ),
    );
    expect(graph.scopes.map((s) => [s.key, [...s.collected].length, s.snapshot.errors.length])).toEqual([
      [`${ACCOUNT}/us-east-1`, 1, 1],
      [`${OTHER_ACCOUNT}/eu-west-1`, RESOURCE_KINDS.length, 0],
    ]);
  });
});
