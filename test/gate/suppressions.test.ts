import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/gate/gate.js';
import { loadSuppressions, parseSuppressions, suppressionWarnings } from '../../src/gate/suppressions.js';
import { tempDir, usageMessage as usage } from '../helpers/files.js';
import { estate, reportOf } from '../report/fixture.js';

const tmp = (files: Record<string, string>) => tempDir('sup', files);

/** [ruleId, resource, suppressed-by index] for failing findings. */
function marks(report: ReturnType<typeof reportOf>['report']) {
  return report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => [f.ruleId, f.resource.id, f.suppression?.index ?? null]);
}

describe('suppressions file', () => {
  it('loads the default file from the working directory, YAML dates stay strings', () => {
    const dir = tmp({
      '.sg-audit-suppressions.yaml': [
        'suppressions:',
        '  - rule: stub-admin-ports',
        '    resource: sg-0admin',
        '    account: "111111111111"',
        '    reason: Bastion, VPN only',
        '    expires: 2026-06-30',
      ].join('\n'),
    });
    expect(loadSuppressions({ cwd: dir })).toEqual({
      file: '.sg-audit-suppressions.yaml',
      entries: [
        {
          rule: 'stub-admin-ports',
          resource: 'sg-0admin',
          account: '111111111111',
          reason: 'Bastion, VPN only',
          expires: '2026-06-30',
        },
      ],
    });
    expect(loadSuppressions({ cwd: dir, file: false })).toBeUndefined();
    expect(loadSuppressions({ cwd: tmp({}) })).toBeUndefined();
  });

  it('accepts JSON and a top-level list', () => {
    const dir = tmp({ 's.json': JSON.stringify([{ rule: 'x', resource: 'y', reason: 'z' }]) });
    expect(loadSuppressions({ cwd: dir, file: 's.json' })!.entries).toEqual([
      { rule: 'x', resource: 'y', reason: 'z' },
    ]);
  });

  it('rejects invalid entries with file and path, one line each', () => {
    const dir = tmp({
      '.sg-audit-suppressions.yaml': [
        'suppressions:',
        '  - { rule: a, resource: b, reason: ok }',
        '  - { rule: a, resource: b, reason: ok, expires: 2026-02-30 }',
        '  - { rule: a, resource: b }',
        '  - { rule: a, resource: b, reason: "  " }',
        '  - { rule: a, resource: b, reason: r, account: 111111111111 }',
        '  - { rule: a, resource: b, reason: r, until: 2026-01-01 }',
      ].join('\n'),
    });
    expect(usage(() => loadSuppressions({ cwd: dir })).split('\n')).toEqual([
      '.sg-audit-suppressions.yaml: suppressions[1].expires: expected a date YYYY-MM-DD',
      '.sg-audit-suppressions.yaml: suppressions[2].reason: expected string, got nothing',
      '.sg-audit-suppressions.yaml: suppressions[3].reason: expected a non-empty reason',
      '.sg-audit-suppressions.yaml: suppressions[4].account: expected string, got number',
      ".sg-audit-suppressions.yaml: suppressions[5]: unknown key 'until'",
    ]);
    expect(usage(() => loadSuppressions({ cwd: tmp({ 'bad.yaml': 'suppressions: [' }), file: 'bad.yaml' }))).toMatch(
      /^bad\.yaml:\d+:\d+:? invalid YAML: /,
    );
    expect(usage(() => loadSuppressions({ cwd: tmp({}), file: 'missing.yaml' }))).toBe(
      'missing.yaml: cannot read file (ENOENT)',
    );
    expect(usage(() => parseSuppressions({ entries: [] }, 'f.yaml'))).toBe(
      "f.yaml: suppressions: expected array, got nothing\nf.yaml: (root): unknown key 'entries'",
    );
  });
});

describe('applying suppressions', () => {
  const now = new Date('2026-03-01T23:59:59Z');

  it('matches rule and resource globs, resource ARNs, account and region; first matching entry wins', () => {
    const sup = parseSuppressions(
      [
        { rule: 'stub-*-ports', resource: 'sg-0adm*', reason: 'first' },
        { rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'second (shadowed)' },
        {
          rule: 'stub-world-ingress',
          resource: 'arn:aws:ec2:us-east-1:*:security-group/sg-0data',
          region: 'us-*',
          account: '1111*',
          reason: 'by ARN',
        },
        { rule: 'stub-untagged', resource: '*', region: 'eu-*', reason: 'other region' },
      ],
      's.yaml',
    );
    const { report } = reportOf(estate(), { suppressions: sup, now });
    expect(marks(report)).toEqual([
      ['stub-data-tier', 'sg-0data', null],
      ['stub-data-tier', 'sg-0data', null],
      ['stub-data-tier', 'sg-0data', null],
      ['stub-world-ingress', 'sg-0data', 2],
      ['stub-world-ingress', 'sg-0data', 2],
      ['stub-admin-ports', 'sg-0admin', 0],
      ['stub-untagged', 'sg-0admin', null],
    ]);
    expect(report.suppressions!.entries.map((e) => [e.index, e.status, e.matched])).toEqual([
      [0, 'active', 1],
      [1, 'active', 1],
      [2, 'active', 2],
      [3, 'stale', 0],
    ]);
    expect(report.summary.suppressed).toBe(3);
    expect(report.summary.fail).toBe(7);
    expect(report.gate).toEqual({ failOn: 'info', blocking: 4 });
  });

  it('never suppresses errors (unknown is not a pass)', () => {
    const sup = parseSuppressions([{ rule: '*', resource: '*', reason: 'everything' }], 's.yaml');
    const { report } = reportOf(estate(), { suppressions: sup, now });
    expect(report.findings.filter((f) => f.suppression).every((f) => f.status === 'fail')).toBe(true);
    expect(report.findings.some((f) => f.status === 'error' && !f.suppression)).toBe(true);
    // Every failure suppressed, the collection error remains: exit 3, not 0.
    expect(exitCodeFor(report)).toBe(3);
  });

  it('an entry applies through its expiry day (UTC) and no longer after it', () => {
    const sup = parseSuppressions(
      [{ rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'r', expires: '2026-03-01' }],
      's.yaml',
    );
    const on = reportOf(estate(), { suppressions: sup, now: new Date('2026-03-01T23:59:59Z') }).report;
    const after = reportOf(estate(), { suppressions: sup, now: new Date('2026-03-02T00:00:00Z') }).report;
    expect(on.findings.find((f) => f.ruleId === 'stub-admin-ports')!.suppression).toEqual({
      file: 's.yaml',
      index: 0,
      reason: 'r',
      expires: '2026-03-01',
    });
    expect(on.suppressions!.entries[0].status).toBe('active');
    expect(after.findings.find((f) => f.ruleId === 'stub-admin-ports')!.suppression).toBeUndefined();
    expect(after.suppressions!.entries[0]).toMatchObject({ status: 'expired', matched: 1 });
  });

  it('expired and stale entries become warnings naming the file and entry', () => {
    const sup = parseSuppressions(
      [
        { rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'r', expires: '2026-01-01' },
        { rule: 'stub-admin-ports', resource: 'sg-gone', reason: 'r', expires: '2025-01-01' },
        { rule: 'stub-nope', resource: '*', reason: 'r' },
        { rule: 'stub-untagged', resource: '*', reason: 'r' },
      ],
      '.sg-audit-suppressions.yaml',
    );
    const { report } = reportOf(estate(), { suppressions: sup, now });
    expect(suppressionWarnings(report.suppressions!.file, report.suppressions!.entries)).toEqual([
      '.sg-audit-suppressions.yaml: suppressions[0] (rule stub-admin-ports, resource sg-0admin) expired on 2026-01-01; 1 finding(s) it covered fail again',
      '.sg-audit-suppressions.yaml: suppressions[1] (rule stub-admin-ports, resource sg-gone) expired on 2025-01-01; it matches nothing any more: remove it',
      '.sg-audit-suppressions.yaml: suppressions[2] (rule stub-nope, resource *) matches no failing finding: remove it',
    ]);
  });
});
