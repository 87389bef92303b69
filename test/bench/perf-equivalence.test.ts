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
import { generateEstate } from '../../support/estate/index.js';
import { evaluateSnapshot, prepare } from '../../src/core/scan.js';
import { evaluateRules, formatMessage } from '../../src/engine/evaluate.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { sortFindings } from '../../src/report/build.js';
import { fingerprints, identityHash } from '../../src/gate/fingerprint.js';
import { Prng } from '../../support/estate/prng.js';
import { createHash } from 'node:crypto';
import { classifyCidr } from '../../src/graph/net.js';
import { jsonReporter, renderJsonChunks } from '../../src/report/json.js';
import type { Report } from '../../src/report/model.js';
import { writeFileAtomic } from '../../src/util/fs.js';

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
    '0.0.0.0/0',
    '10.0.0.0/8',
    '10.1.2.3/32',
    '192.168.1.0/24',
    '8.8.8.8/32',
    '100.64.0.0/10',
    '172.16.5.0/33',
    '1.2.3/24',
    '010.1.1.1/8',
    '0x0a.0.0.1/8',
    '4294967295/32',
    '10.0.0.0/',
    '/8',
    '10.0.0.0/-1',
    'abcd/16',
    'ffff/16',
    '1234/8',
    '::/0',
    '::ffff:10.0.0.1/128',
    '2600:1f18::/56',
    'fd00::/8',
    'fe80::1%eth0/64',
    'not-a-cidr',
    '',
    '10.0.0.0/08',
    '256.0.0.0/8',
    '1.1.1.1',
    '::1',
    '10.0.0.0/8/8',
  ];
  it.each(inputs)('%s classifies as before', (cidr) => {
    const ref = reference(cidr);
    const info = classifyCidr(cidr);
    expect(info.valid).toBe(ref !== 'invalid');
    if (ref !== 'invalid' && cidr.includes('/') && !cidr.startsWith('::ffff:')) expect(info.prefixLength).toBe(ref[1]);
  });
});

describe('formatMessage with compiled templates', () => {
  // What evaluate.ts did before: one regex replace per message.
  const reference = (template: string, data: Record<string, string | number> | undefined) =>
    template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => (data && k in data ? String(data[k]) : `{{${k}}}`));
  const cases: Array<[string, Record<string, string | number> | undefined]> = [
    ['{{a}} and {{ b }} and {{c}}', { a: 1, b: 'x' }],
    ['', {}],
    ['no placeholders', undefined],
    ['{{a}}{{a}}{{ a}}', { a: '$&' }],
    ['{{toString}} {x} {{ }} {{a-b}} {{\ta\n}}', { a: 2 }],
    ['{{{a}}}', { a: 'A' }],
    ['{{a}}', undefined],
  ];
  it.each(cases)('%j formats as before', (template, data) => {
    expect(formatMessage(template, data)).toBe(reference(template, data));
    expect(formatMessage(template, data)).toBe(reference(template, data)); // from the cache
  });
});

describe('report ordering and fingerprints', () => {
  const prepared = prepare(defaultRegistry(), { cwd: tmp });
  const snap = generateEstate({ sgs: 300, regions: 2, seed: 9 });
  snap.regions[0].errors.push({ api: 'ec2:DescribeNetworkInterfaces', code: 'Throttling', message: 'Rate exceeded' });
  const findings = evaluateRules(buildGraph(snap, prepared.settings), prepared.rules).findings;
  // Shuffled deterministically, so the sort has real work and ties to keep stable.
  const rng = new Prng(3);
  const shuffled = [...findings];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }

  it('sortFindings orders exactly like the comparator it replaced', () => {
    const STATUS_ORDER = { fail: 0, error: 1, pass: 2 } as const;
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const reference = (fs: Finding[], rules: Rule[]) => {
      const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
      const idx = (id: string) => ruleIndex.get(id) ?? -1;
      return [...fs].sort(
        (a, b) =>
          idx(a.ruleId) - idx(b.ruleId) ||
          cmp(a.ruleId, b.ruleId) ||
          STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
          cmp(a.accountId, b.accountId) ||
          cmp(a.region, b.region) ||
          cmp(a.resource.id, b.resource.id) ||
          cmp(a.messageId, b.messageId) ||
          cmp(a.message, b.message),
      );
    };
    expect(findings.some((f) => f.ruleId === 'collection-error')).toBe(true);
    const sorted = sortFindings(shuffled, prepared.rules);
    expect(sorted.length).toBe(findings.length);
    // Same objects in the same order (identity, so ties keep their input order).
    const ref = reference(shuffled, prepared.rules);
    expect(sorted.every((f, i) => f === ref[i])).toBe(true);
  });

  it('fingerprints match the createHash/array-per-identity version', () => {
    const STATUS_RANK = { fail: 0, error: 1, pass: 2 } as const;
    const stableJson = (d: Finding['data']) =>
      d
        ? JSON.stringify(
            Object.keys(d)
              .sort()
              .map((k) => [k, d[k]]),
          )
        : '';
    const hash = (f: Finding) =>
      createHash('sha256')
        .update(['v1', f.ruleId, f.accountId, f.region, f.resource.id, f.messageId].join('\u0000'))
        .digest('hex')
        .slice(0, 32);
    const reference = (fs: Finding[]) => {
      const groups = new Map<string, number[]>();
      fs.forEach((f, i) => {
        const h = hash(f);
        const list = groups.get(h);
        if (list) list.push(i);
        else groups.set(h, [i]);
      });
      const out = new Array<string>(fs.length);
      for (const [h, idxs] of groups) {
        const tie = (i: number) => `${STATUS_RANK[fs[i].status]}\u0000${fs[i].message}\u0000${stableJson(fs[i].data)}`;
        idxs.sort((a, b) => (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : a - b));
        idxs.forEach((i, n) => (out[i] = `${h}:${n + 1}`));
      }
      return out;
    };
    const fps = fingerprints(shuffled);
    // Some identities repeat (one finding per open port or source), so the numbering is exercised.
    expect(fps.some((f) => !f.endsWith(':1'))).toBe(true);
    expect(fps).toEqual(reference(shuffled));
    expect(identityHash(shuffled[0])).toBe(hash(shuffled[0]));
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
      long: Array.from({ length: 4500 }, (_, i) =>
        i % 3 === 0 ? undefined : i % 3 === 1 ? { a: [i], s: 'x\ny' } : () => i,
      ),
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
