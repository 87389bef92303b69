/**
 * The performance changes of issue #6 must not change behaviour: each fast path is checked against the
 * straightforward version it replaced.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import { generateEstate } from '../../bench/generate.js';
import { evaluateSnapshot, prepare } from '../../src/core/scan.js';
import { classifyCidr } from '../../src/graph/net.js';
import { jsonReporter, renderJsonChunks } from '../../src/report/json.js';
import type { Report } from '../../src/report/model.js';
import { writeFileAtomic } from '../../src/snapshot/load.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-perf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('classifyCidr IPv4 fast path', () => {
  // What net.ts did before: ipaddr.parseCIDR (IPv6 first, then IPv4).
  const reference = (cidr: string): [string, number] | 'invalid' => {
    try {
      const [addr, len] = cidr.includes('/') ? ipaddr.parseCIDR(cidr) : [ipaddr.parse(cidr), -1];
      return [addr.toString(), len];
    } catch {
      return 'invalid';
    }
  };
  const inputs = [
    '0.0.0.0/0', '10.0.0.0/8', '10.1.2.3/32', '192.168.1.0/24', '8.8.8.8/32', '100.64.0.0/10', '172.16.5.0/33',
    '1.2.3/24', '010.1.1.1/8', '0x0a.0.0.1/8', '4294967295/32', '10.0.0.0/', '/8', '10.0.0.0/-1', 'abcd/16',
    'ffff/16', '1234/8', '::/0', '::ffff:10.0.0.1/128', '2600:1f18::/56', 'fd00::/8', 'fe80::1%eth0/64',
    'not-a-cidr', '', '10.0.0.0/08', '256.0.0.0/8', '1.1.1.1', '::1', '10.0.0.0/8/8',
  ];
  it.each(inputs)('%s classifies as before', (cidr) => {
    const ref = reference(cidr);
    const info = classifyCidr(cidr);
    expect(info.valid).toBe(ref !== 'invalid');
    if (ref !== 'invalid' && cidr.includes('/') && !cidr.startsWith('::ffff:')) expect(info.prefixLength).toBe(ref[1]);
  });
});

describe('chunked JSON report', () => {
  const registry = defaultRegistry();
  const prepared = prepare(registry, { cwd: tmp });
  const snap = generateEstate({ sgs: 400, regions: 3, seed: 5 });
  const { report } = evaluateSnapshot(snap, prepared, { generatedAt: '2026-01-01T00:00:00.000Z' });
  const whole = JSON.stringify(report, null, 2) + '\n';

  it('is byte-identical to JSON.stringify(report, null, 2), across several chunks', () => {
    const chunks = [...renderJsonChunks(report)];
    expect(report.findings.length).toBeGreaterThan(1000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(whole);
    expect(jsonReporter.render(report, { color: false })).toBe(whole);
  });

  it('matches JSON.stringify for empty arrays, absent keys and odd values', () => {
    const odd = {
      ...report,
      findings: [],
      rules: [],
      baseline: undefined,
      extra: [1, 'a\nb', { x: undefined, y: [null] }, undefined],
      // Longer than one batch, with elements JSON renders as null.
      long: Array.from({ length: 4500 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? { a: [i], s: 'x\ny' } : () => i)),
      fn: () => 1,
      nested: { a: [], b: {} },
    } as unknown as Report;
    expect([...renderJsonChunks(odd)].join('')).toBe(JSON.stringify(odd, null, 2) + '\n');
    expect([...renderJsonChunks({} as Report)].join('')).toBe(JSON.stringify({}, null, 2) + '\n');
  });

  it('writeFileAtomic writes chunked content like a string', () => {
    const a = path.join(tmp, 'a.json');
    const b = path.join(tmp, 'b.json');
    writeFileAtomic(a, renderJsonChunks(report));
    writeFileAtomic(b, whole);
    expect(readFileSync(a, 'utf8')).toBe(whole);
    expect(readFileSync(b, 'utf8')).toBe(whole);
    // Multi-byte characters split across chunks survive.
    writeFileAtomic(a, ['é→', '✓', '']);
    expect(readFileSync(a, 'utf8')).toBe('é→✓');
  });
});
