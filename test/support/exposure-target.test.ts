/**
 * The eval benchmark's exposure variants (issue #12 "Tests and figures"): the `without` input is the same
 * estate with the network kinds not collected, and the 20% target is checked against the right variant.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import { buildGraph } from '../../src/graph/build.js';
import { NETWORK_KINDS, RESOURCE_KINDS } from '../../src/snapshot/schema.js';
import { generateEstate, withoutNetworkCollected } from '../../support/estate/index.js';
import { added, exposureTarget } from '../../support/exposure-target.js';

describe('the without-exposure input', () => {
  const snap = generateEstate({ sgs: 400, regions: 2, seed: 3 });
  const twin = withoutNetworkCollected(snap);

  it('keeps every record and lists only the network kinds as not collected', () => {
    expect(twin.regions.map((r) => r.collected)).toEqual(
      snap.regions.map(() => RESOURCE_KINDS.filter((k) => !(NETWORK_KINDS as readonly string[]).includes(k))),
    );
    expect(twin.regions.map((r) => ({ ...r, collected: [] }))).toEqual(
      snap.regions.map((r) => ({ ...r, collected: [] })),
    );
    // The estate itself is left as it was.
    expect(snap.regions.every((r) => r.collected.length === RESOURCE_KINDS.length)).toBe(true);
  });

  it('proves no path (the network is not read), where the full estate has some', () => {
    const twinExposure = analyseExposure(buildGraph(twin, defaultSettings()));
    expect(twinExposure.interfaces.length).toBe(400);
    expect(twinExposure.paths).toEqual([]);
    expect(twinExposure.interfaces.filter((i) => i.status === 'reachable')).toEqual([]);
    // What needs the network is unknown (never unreachable); what is decided is decided without it.
    expect(twinExposure.interfaces.some((i) => i.status === 'unknown')).toBe(true);
    for (const i of twinExposure.interfaces)
      if (i.status === 'unreachable') expect(i.reason).not.toMatch(/route|rtb-|acl-|igw-|gateway|subnet/i);
    const full = analyseExposure(buildGraph(snap, defaultSettings()));
    expect(full.paths.length).toBeGreaterThan(0);
  });
});

describe('the exposure target', () => {
  const sizes = [
    { sgs: 10_000, exposureAdded: added({ wallMs: 2200, cpuMs: 3000 }, { wallMs: 2000, cpuMs: 2800 }) },
    { sgs: 100_000, exposureAdded: added({ wallMs: 11250, cpuMs: 15000 }, { wallMs: 10000, cpuMs: 14000 }) },
  ];

  it('is what exposure adds in %, one decimal', () => {
    expect(sizes.map((s) => s.exposureAdded)).toEqual([
      { wallPct: 10, cpuPct: 7.1 },
      { wallPct: 12.5, cpuPct: 7.1 },
    ]);
  });

  it('is measured at 100k against the baseline build when it ran, else against without', () => {
    expect(exposureTarget(sizes)).toEqual({
      size: 100_000,
      maxAddedPct: 20,
      addedPct: 12.5,
      against: 'without',
      met: true,
    });
    const withBase = sizes.map((s) =>
      s.sgs === 100_000 ? { ...s, exposureAddedVsBaseline: { wallPct: 31.2, cpuPct: 25 } } : s,
    );
    expect(exposureTarget(withBase)).toMatchObject({ addedPct: 31.2, against: 'baseline', met: false });
    expect(exposureTarget(sizes.filter((s) => s.sgs !== 100_000))).toMatchObject({
      addedPct: undefined,
      met: undefined,
    });
  });
});
