/**
 * The eval benchmark's exposure variants (issue #12 "Tests and figures"): the `without` input is the same
 * estate with the network kinds not collected, and the results say what exposure adds.
 */
import { describe, expect, it } from 'vitest';
import {
  exposureTarget,
  formatEval,
  notCollectedFile,
  type EvalResults,
  type EvalSize,
  type EvalVariant,
} from '../../bench/eval.js';
import { withoutNetworkCollected } from '../../bench/generate.js';
import { defaultSettings } from '../../src/config/schema.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import { buildGraph } from '../../src/graph/build.js';
import { NETWORK_KINDS, RESOURCE_KINDS } from '../../src/snapshot/schema.js';
import { generateEstate } from '../../support/estate/index.js';

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

  it('is written beside the estate', () => {
    expect(notCollectedFile('/x/bench/out/estate-1000-r17-s1-g2.json')).toBe(
      '/x/bench/out/estate-1000-r17-s1-g2.network-not-collected.json',
    );
  });
});

describe('formatEval with variants', () => {
  const variant = (name: EvalVariant['name'], wallMs: number, cpuMs: number): EvalVariant => ({
    name,
    command: `node dist/src/cli/bin.js scan (${name})`,
    runs: [{ wallMs, cpuMs, maxRssMB: 100, exitCode: 1 }],
    median: { wallMs, cpuMs, maxRssMB: 100 },
    ok: true,
  });
  const size = (sgs: number, w: EvalVariant, wo: EvalVariant, added: EvalSize['exposureAdded']): EvalSize => ({
    sgs,
    regions: 17,
    seed: 1,
    snapshotFile: 'f',
    snapshotBytes: 1000,
    runs: w.runs,
    median: w.median,
    ok: true,
    variants: [w, wo],
    exposureAdded: added,
  });
  const results = (addedPct: number): EvalResults => ({
    kind: 'eval',
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'X', memoryGB: 8, node: 'v20', platform: 'linux', release: '6' } as never,
    method: 'gnu-time',
    command: 'c',
    repeat: 1,
    rules: ['a'],
    sizes: [
      size(10_000, variant('with', 2200, 3000), variant('without', 2000, 2800), { wallPct: 10, cpuPct: 7.1 }),
      size(100_000, variant('with', 11250, 15000), variant('without', 10000, 14000), { wallPct: 12.5, cpuPct: 7.1 }),
    ],
    growthRatio: 5.11,
    growthByVariant: { with: 5.11, without: 5 },
    targets: { size: 100_000, wallMs: 3000, maxRssMB: 1536, growthRatio: 12, met: {} },
    exposureTarget: { size: 100_000, maxAddedPct: 20, addedPct, against: 'without', met: addedPct <= 20 },
  });

  it('shows each variant, the added share per size, the growth of each and the 20% target', () => {
    const text = formatEval(results(12.5));
    const row = text.split('\n').find((l) => l.startsWith('100,000') && l.includes('12.5%'));
    expect(row).toMatch(/11\.3 s \(11\.3 s\).*10\.0 s \(10\.0 s\).*12\.5%\s+7\.1%$/);
    expect(text).toContain('growth wall(100k)/wall(10k): with 5.11, without 5');
    expect(text).toContain('exposure adds 12.5% wall at 100k SGs (vs without) (target ≤ 20%: met)');
    expect(formatEval(results(25))).toContain('exposure adds 25% wall at 100k SGs (vs without) (target ≤ 20%: MISSED)');
  });

  it('measures the 20% target against the baseline build when it ran, else against without', () => {
    const sizes = results(12.5).sizes;
    expect(exposureTarget(sizes)).toMatchObject({ addedPct: 12.5, against: 'without', met: true });
    const withBase = sizes.map((s) =>
      s.sgs === 100_000 ? { ...s, exposureAddedVsBaseline: { wallPct: 31.2, cpuPct: 25 } } : s,
    );
    expect(exposureTarget(withBase)).toMatchObject({ addedPct: 31.2, against: 'baseline', met: false });
    expect(exposureTarget(sizes.filter((s) => s.sgs !== 100_000))).toMatchObject({ addedPct: undefined });
  });
});
