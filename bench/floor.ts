/**
 * The I/O floor of one evaluation: what a process needs just to read and `JSON.parse` the snapshot and to
 * `JSON.stringify` + write a report of the same content, with no graph, no rules and no report building
 * (the evaluation benchmark's counterpart of the fan-out benchmark's latency floor). Run as its own
 * process by `bench/eval.ts`:
 *
 *   node dist/bench/floor.js SNAPSHOT REPORT OUT   →  one JSON line { parseMs, renderMs, ... }
 *
 * REPORT is a JSON report sg-audit wrote for SNAPSHOT; it is parsed untimed and written back timed
 * (`JSON.stringify(report, null, 2)`, the same text sg-audit writes).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface Floor {
  /** Read + UTF-8 decode + JSON.parse of the snapshot. */
  parseMs: number;
  /** JSON.stringify of the report + write to OUT. */
  renderMs: number;
  totalMs: number;
  snapshotBytes: number;
  reportBytes: number;
}

function main(argv: string[]): void {
  const [snapshotFile, reportFile, outFile] = argv;
  if (!snapshotFile || !reportFile || !outFile) throw new Error('usage: floor.js SNAPSHOT REPORT OUT');
  let t = performance.now();
  // Buffer + toString: the faster way to decode a large file on Node 20 (as src/snapshot/load.ts does).
  const text = readFileSync(snapshotFile).toString('utf8');
  // The parsed snapshot is not used: parsing it is what is measured.
  JSON.parse(text);
  const parseMs = performance.now() - t;
  const snapshotBytes = Buffer.byteLength(text);
  const report: unknown = JSON.parse(readFileSync(reportFile, 'utf8'));
  t = performance.now();
  const out = JSON.stringify(report, null, 2) + '\n';
  writeFileSync(outFile, out);
  const renderMs = performance.now() - t;
  rmSync(outFile, { force: true });
  const floor: Floor = {
    parseMs: Math.round(parseMs),
    renderMs: Math.round(renderMs),
    totalMs: Math.round(parseMs + renderMs),
    snapshotBytes,
    reportBytes: Buffer.byteLength(out),
  };
  process.stdout.write(JSON.stringify(floor) + '\n');
}

main(process.argv.slice(2));
