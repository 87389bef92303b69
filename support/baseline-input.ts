/**
 * The eval benchmark's baseline input (bench/eval.ts, docs/performance.md "Internet exposure"): here, not in bench/,
 * so that its test may import it (test/support/boundaries.test.ts: nothing under test/ imports from bench/).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * Snapshot kinds newer than the baseline build (d3b5747, issue #12's contract): its schema rejects a region that
 * lists them as collected. The baseline reads the `with` input without them (`baselineInputFile`).
 */
export const KINDS_AFTER_BASELINE = ['vpcPeeringConnections'] as const;

/** The `with` input without `KINDS_AFTER_BASELINE` (records and `collected`), for the baseline build; cached. */
export function baselineInputFile(file: string): string {
  const out = file.replace(/\.json$/, '.baseline-input.json');
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(file).mtimeMs) return out;
  const snap = JSON.parse(readFileSync(file, 'utf8')) as { regions: Record<string, unknown>[] };
  for (const r of snap.regions) {
    for (const k of KINDS_AFTER_BASELINE) delete r[k];
    r.collected = (r.collected as string[]).filter((k) => !(KINDS_AFTER_BASELINE as readonly string[]).includes(k));
  }
  writeFileSync(out, JSON.stringify(snap));
  return out;
}
