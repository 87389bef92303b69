import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIONS, estateStats, generateEstate, PARTNER_ACCOUNT } from '../../support/estate/index.js';
import { Prng } from '../../support/estate/prng.js';
import { defaultSettings } from '../../src/config/schema.js';
import { buildGraph } from '../../src/graph/build.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';

describe('Prng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const seq = (seed: number) => {
      const r = new Prng(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(seq(7)).toEqual(seq(7));
    expect(seq(7)).not.toEqual(seq(8));
    for (const x of seq(3)) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('generateEstate', () => {
  const opts = { sgs: 600, regions: 4, seed: 42 };

  it('is deterministic from the seed', () => {
    expect(generateEstate(opts)).toEqual(generateEstate(opts));
    expect(generateEstate({ ...opts, seed: 43 })).not.toEqual(generateEstate(opts));
  });

  it('produces the requested counts', () => {
    const snap = generateEstate(opts);
    const st = estateStats(snap);
    expect(snap.regions.map((r) => r.region)).toEqual(DEFAULT_REGIONS.slice(0, 4));
    expect(snap.regions.map((r) => r.securityGroups.length)).toEqual([150, 150, 150, 150]);
    expect(st.securityGroups).toBe(600);
    // ~6 permission entries per group, about one ENI per group, and some LBs and databases per region.
    expect(st.permissions / st.securityGroups).toBeGreaterThan(5);
    expect(st.permissions / st.securityGroups).toBeLessThan(7);
    expect(st.networkInterfaces).toBe(600);
    for (const r of snap.regions) {
      expect(r.loadBalancers.length).toBeGreaterThan(0);
      expect(r.dbClusters.length).toBeGreaterThan(0);
      expect(r.dbInstances.length).toBeGreaterThan(r.dbClusters.length);
    }
    expect(estateStats(generateEstate({ sgs: 100, regions: 2, seed: 1, enisPerSg: 2 })).networkInterfaces).toBe(200);
    // Uneven split: the remainder goes to the first regions.
    expect(generateEstate({ sgs: 10, regions: 3, seed: 1 }).regions.map((r) => r.securityGroups.length)).toEqual([
      4, 3, 3,
    ]);
    // Group ids are unique across the estate.
    const ids = snap.regions.flatMap((r) => r.securityGroups.map((g) => g.groupId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('passes the snapshot schema unchanged (nothing the schema would strip or default) but protocol numbers, read as names', () => {
    const snap = generateEstate(opts);
    const parsed = SnapshotSchema.safeParse(JSON.parse(JSON.stringify(snap)));
    expect(parsed.success).toBe(true);
    // The generator also writes tcp as protocol "6"; the schema reads it as `tcp` (issue #10 item 7).
    expect(JSON.stringify(snap)).toContain('"protocol":"6"');
    expect(parsed.data).toEqual(
      JSON.parse(JSON.stringify(snap), (k, v: unknown) => (k === 'protocol' && v === '6' ? 'tcp' : v)),
    );
  });

  it('contains the rule shapes the rules reason about', () => {
    const snap = generateEstate(opts);
    const groups = snap.regions.flatMap((r) => r.securityGroups);
    const perms = groups.flatMap((g) => [...g.ingress, ...g.egress]);
    const pairs = perms.flatMap((p) => p.groups);
    expect(perms.some((p) => p.protocol === '-1')).toBe(true);
    expect(perms.some((p) => p.protocol === 'icmp' || p.protocol === 'icmpv6')).toBe(true);
    expect(perms.some((p) => p.protocol === 'tcp' && p.fromPort !== p.toPort)).toBe(true);
    expect(perms.some((p) => p.ipv4.some((c) => c.cidr === '0.0.0.0/0'))).toBe(true);
    expect(perms.some((p) => p.ipv6.some((c) => c.cidr === '::/0'))).toBe(true);
    expect(perms.some((p) => p.ipv6.some((c) => c.cidr !== '::/0'))).toBe(true);
    expect(perms.some((p) => p.prefixLists.length > 0)).toBe(true);
    expect(pairs.some((g) => g.userId === PARTNER_ACCOUNT)).toBe(true);
    for (const tier of ['lb', 'web', 'app', 'data']) expect(groups.some((g) => g.tags.Tier === tier)).toBe(true);
    expect(groups.filter((g) => g.groupName === 'default').length).toBeGreaterThanOrEqual(4);
    expect(
      snap.regions.flatMap((r) => [...r.loadBalancers, ...r.dbClusters, ...r.dbInstances]).some((x) => x.tags.Tier),
    ).toBe(true);
  });

  it('references resolve inside the estate, except the partner account', () => {
    const snap = generateEstate({ ...opts, accounts: 2 });
    const graph = buildGraph(snap, defaultSettings());
    expect(graph.groups.length).toBe(600);
    const unresolvedOwners = new Set(
      [...graph.unresolvedReferences.values()].flat().map((e) => (e.source.kind === 'group' ? e.source.userId : '')),
    );
    expect([...unresolvedOwners]).toEqual([PARTNER_ACCOUNT]);
    // With two accounts, some references cross into the other account of the estate.
    const crossInEstate = graph.groups
      .flatMap((g) => g.ingress)
      .filter((e) => e.source.kind === 'group' && e.source.crossAccount && e.source.target);
    expect(crossInEstate.length).toBeGreaterThan(0);
    // Every attachment points at a known group.
    for (const r of snap.regions)
      for (const eni of r.networkInterfaces) for (const id of eni.groups) expect(graph.groupsById.has(id)).toBe(true);
  });

  it('rejects bad sizes', () => {
    expect(() => generateEstate({ sgs: 0, regions: 1, seed: 1 })).toThrow(/sgs/);
    expect(() => generateEstate({ sgs: 10, regions: 40, seed: 1 })).toThrow(/regions/);
  });
});
