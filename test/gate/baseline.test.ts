import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/gate/gate.js';
import type { Rule } from '../../src/engine/types.js';
import { loadBaseline, parseBaseline } from '../../src/gate/baseline.js';
import { jsonReporter } from '../../src/report/json.js';
import type { Report } from '../../src/report/model.js';
import { UsageError } from '../../src/util/errors.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { tempDir, usageMessage as usage, writeInput } from '../helpers/files.js';
import { adminPorts, estate, reportOf, STUB_RULES } from '../report/fixture.js';

const asBaseline = (report: Report, file = 'baseline.json') =>
  parseBaseline(JSON.parse(jsonReporter.render(report, { color: false })), file);

const states = (r: Report) =>
  r.findings
    .filter((f) => f.status === 'fail')
    .map((f) => [f.ruleId, f.resource.id, f.data?.ports ?? f.data?.source ?? '', f.baseline]);

describe('baseline', () => {
  it('marks findings new or unchanged and lists the fixed ones', () => {
    const before = reportOf(estate({ extraDataWorldPort: false, appSsh: true })).report;
    const now = reportOf(estate(), { baseline: asBaseline(before) }).report;
    expect(states(now)).toEqual([
      ['stub-data-tier', 'sg-0data', 'tcp 3306', 'unchanged'],
      ['stub-data-tier', 'sg-0data', 'tcp 3306', 'unchanged'],
      ['stub-data-tier', 'sg-0data', 'tcp 5432', 'new'],
      ['stub-world-ingress', 'sg-0data', 'tcp 3306', 'unchanged'],
      ['stub-world-ingress', 'sg-0data', 'tcp 5432', 'new'],
      ['stub-admin-ports', 'sg-0admin', '', 'unchanged'],
      ['stub-untagged', 'sg-0admin', '', 'unchanged'],
    ]);
    expect(now.baseline).toMatchObject({ file: 'baseline.json', new: 2, unchanged: 5 });
    expect(now.baseline!.fixed.map((f) => [f.ruleId, f.resource.id, f.message])).toEqual([
      ['stub-admin-ports', 'sg-0app', 'Security group sg-0app admits SSH from 0.0.0.0/0.'],
      ['stub-world-ingress', 'sg-0app', 'Security group sg-0app admits tcp 22 from 0.0.0.0/0.'],
    ]);
    expect(now.gate).toEqual({ failOn: 'info', blocking: 2 });
    expect(exitCodeFor(now)).toBe(1);
  });

  it('only new findings fail the build: an unchanged estate passes (errors still give 3)', () => {
    const before = reportOf(estate()).report;
    const again = reportOf(estate(), { baseline: asBaseline(before) }).report;
    expect(again.baseline).toMatchObject({ new: 0, unchanged: 7, fixed: [] });
    expect(exitCodeFor(again)).toBe(3); // the us-west-2 collection error
    const failing = snapshot(region({ groups: [sg('sg-0admin', { ingress: [tcp(22, '10.0.0.0/8')] })] }));
    const failingAgain = reportOf(failing, { baseline: asBaseline(reportOf(failing).report) }).report;
    expect(exitCodeFor(failingAgain)).toBe(0);
    expect(exitCodeFor(reportOf(failing).report)).toBe(1);
  });

  it('does not call findings fixed when they were not re-checked (rule not run, scope missing or errored)', () => {
    const before = reportOf(estate({ appSsh: true })).report;
    // Rule not run now.
    const noAdmin = reportOf(estate(), {
      rules: STUB_RULES.filter((r) => r !== adminPorts),
      baseline: asBaseline(before),
    }).report;
    expect(noAdmin.baseline!.fixed.map((f) => f.ruleId)).toEqual(['stub-world-ingress']);
    // Rule threw now.
    const broken: Rule = {
      ...adminPorts,
      check: () => {
        throw new Error('kaput');
      },
    };
    const errored = reportOf(estate(), {
      rules: STUB_RULES.map((r) => (r === adminPorts ? broken : r)),
      baseline: asBaseline(before),
    }).report;
    expect(errored.baseline!.fixed.map((f) => f.ruleId)).toEqual(['stub-world-ingress']);
    // Account/region failed to collect now.
    const snap = estate();
    snap.regions[0].errors.push({ api: 'ec2:DescribeSecurityGroups', code: 'Throttling', message: 'slow down' });
    expect(reportOf(snap, { baseline: asBaseline(before) }).report.baseline!.fixed).toEqual([]);
    // Account/region not scanned now.
    const other = snapshot(region({ region: 'eu-west-1', groups: [] }));
    expect(reportOf(other, { baseline: asBaseline(before) }).report.baseline!.fixed).toEqual([]);
  });

  it('recomputes fingerprints, so reports without them (or with edited ones) still match', () => {
    const before = JSON.parse(jsonReporter.render(reportOf(estate()).report, { color: false }));
    for (const f of before.findings) f.fingerprint = 'bogus';
    const now = reportOf(estate(), { baseline: parseBaseline(before, 'b.json') }).report;
    expect(now.baseline).toMatchObject({ new: 0, unchanged: 7 });
  });

  it('rejects anything but an sg-audit JSON report with exit 2 and the path', () => {
    const dir = tempDir('baseline');
    const write = (name: string, text: string) => (writeInput(dir, name, text), name);
    expect(usage(() => loadBaseline(write('a.json', '{"schemaVersion": 1,'), dir))).toMatch(
      /^a\.json: invalid JSON: .* \(the baseline is a report written with --format json\)$/,
    );
    expect(usage(() => loadBaseline('missing.json', dir))).toBe('missing.json: cannot read baseline (ENOENT)');
    expect(usage(() => loadBaseline(write('sarif.json', '{"version": "2.1.0", "runs": []}'), dir))).toBe(
      'sarif.json: not an sg-audit JSON report (write the baseline with --format json)',
    );
    expect(usage(() => loadBaseline(write('v9.json', '{"schemaVersion": 9, "findings": []}'), dir))).toBe(
      'v9.json: schemaVersion: unsupported report version 9 (this sg-audit reads version 1)',
    );
    const report = JSON.parse(jsonReporter.render(reportOf(estate()).report, { color: false }));
    report.findings[2].resource.id = 42;
    expect(usage(() => loadBaseline(write('bad.json', JSON.stringify(report)), dir))).toBe(
      'bad.json: findings[2].resource.id: expected string, got number',
    );
    const code = (() => {
      try {
        loadBaseline('bad.json', dir);
      } catch (err) {
        return (err as UsageError).exitCode;
      }
    })();
    expect(code).toBe(2);
  });
});
