import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/types.js';
import { renderSarif, sarifLevel, sarifReporter } from '../../src/report/sarif.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { estate, reportOf, ROOT, STUB_RULES } from './fixture.js';

// ajv-formats is CommonJS: its default export arrives as module.exports under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Sarif = any;

let validate: ValidateFunction;

beforeAll(() => {
  // The official OASIS schema (draft-07), copied into fixtures so CI does not depend on ../shared.
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 for a plain report and for one with suppressions, baseline and errors', () => {
    const { report } = reportOf(estate());
    expectValid(JSON.parse(sarifReporter.render(report, { color: false })));
    const suppressions = parseSuppressions(
      [
        { rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'VPN only' },
        { rule: 'stub-untagged', resource: 'nothing', reason: 'stale', expires: '2020-01-01' },
      ],
      'sup.yaml',
    );
    const gated = reportOf(estate(), { suppressions });
    expectValid(renderSarif(gated.report));
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const doc: Sarif = renderSarif(reportOf(estate()).report);
    delete doc.runs[0].results[0].message;
    expect(validate(doc)).toBe(false);
  });

  it('reports failing findings only, with levels from severity and a location GitHub accepts', () => {
    const { report } = reportOf(estate());
    const run: Sarif = (renderSarif(report) as Sarif).runs[0];
    const fails = report.findings.filter((f) => f.status === 'fail');
    expect(run.results).toHaveLength(fails.length);
    expect(
      run.results.map((r: Sarif) => [r.ruleId, r.level, r.kind, r.locations[0].physicalLocation.artifactLocation.uri]),
    ).toEqual(
      fails.map((f) => [f.ruleId, sarifLevel(f.severity), 'fail', `aws/${f.accountId}/${f.region}/${f.resource.id}`]),
    );
    expect(run.results.map((r: Sarif) => r.level)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'error',
      'warning',
      'note',
    ]);
    for (const r of run.results) {
      // No region/line: upload-sarif must not hash a repository file; no URI scheme, no uriBaseId.
      expect(r.locations[0].physicalLocation.region).toBeUndefined();
      expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/:\/\//);
      expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBeUndefined();
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(sarifLevel('critical')).toBe('error');
    expect(sarifLevel('high')).toBe('error');
    expect(sarifLevel('medium')).toBe('warning');
    expect(sarifLevel('low')).toBe('note');
    expect(sarifLevel('info')).toBe('note');
  });

  it('describes every rule that ran with help text, helpUri and security-severity', () => {
    const run: Sarif = (renderSarif(reportOf(estate()).report) as Sarif).runs[0];
    expect(run.tool.driver.rules.map((r: Sarif) => r.id)).toEqual(STUB_RULES.map((r) => r.meta.id));
    const world = run.tool.driver.rules[1];
    expect(world.help.markdown).toContain('**Remediation.** Replace 0.0.0.0/0');
    expect(world.help.markdown).toContain(
      '[CIS AWS Foundations Benchmark](https://www.cisecurity.org/benchmark/amazon_web_services) — CIS 5.2',
    );
    expect(world.helpUri).toBe('https://www.cisecurity.org/benchmark/amazon_web_services');
    expect(run.tool.driver.rules.map((r: Sarif) => r.properties['security-severity'])).toEqual([
      '9.5',
      '8.0',
      '5.5',
      '3.0',
    ]);
    expect(run.tool.driver.rules[2].helpUri).toBeUndefined();
  });

  it('fingerprints are stable across runs and input order, distinct within a run', () => {
    const a: Sarif = renderSarif(reportOf(estate()).report);
    const reversed = estate();
    reversed.regions[0].securityGroups.reverse();
    const b: Sarif = renderSarif(reportOf(reversed).report);
    const fp = (doc: Sarif) => doc.runs[0].results.map((r: Sarif) => r.partialFingerprints['sgAuditFinding/v1']).sort();
    expect(fp(a)).toEqual(fp(b));
    expect(new Set(fp(a)).size).toBe(fp(a).length);
    for (const r of a.runs[0].results)
      expect(r.partialFingerprints.primaryLocationLineHash).toBe(r.partialFingerprints['sgAuditFinding/v1']);
    // Two world-open ports on one group: same identity, numbered by message.
    const data = a.runs[0].results
      .filter((r: Sarif) => r.ruleId === 'stub-world-ingress')
      .map((r: Sarif) => r.partialFingerprints['sgAuditFinding/v1']);
    expect(data).toHaveLength(2);
    expect(data[0].split(':')[0]).toBe(data[1].split(':')[0]);
    expect(data.map((f: string) => f.split(':')[1]).sort()).toEqual(['1', '2']);
  });

  it('a fingerprint does not change when the message wording or severity changes', () => {
    const reword: Rule[] = STUB_RULES.map((r) =>
      r.meta.id === 'stub-admin-ports'
        ? { ...r, meta: { ...r.meta, severity: 'critical', messages: { ssh: 'SSH open on {{groupId}} to {{cidr}}!' } } }
        : r,
    );
    const fp = (rules?: Rule[]) =>
      (renderSarif(reportOf(estate(), { rules }).report) as Sarif).runs[0].results.find(
        (r: Sarif) => r.ruleId === 'stub-admin-ports',
      ).partialFingerprints;
    expect(fp(reword)).toEqual(fp());
  });

  it('marks suppressed results with an external suppression and the reason', () => {
    const suppressions = parseSuppressions(
      [{ rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'VPN only' }],
      'sup.yaml',
    );
    const run: Sarif = (renderSarif(reportOf(estate(), { suppressions }).report) as Sarif).runs[0];
    const suppressed = run.results.filter((r: Sarif) => r.suppressions);
    expect(suppressed.map((r: Sarif) => [r.ruleId, r.suppressions])).toEqual([
      ['stub-admin-ports', [{ kind: 'external', status: 'accepted', justification: 'VPN only' }]],
    ]);
  });

  it('errors are tool execution notifications and mark the run unsuccessful; rule errors name their rule', () => {
    const boom: Rule = {
      ...STUB_RULES[2],
      check: () => {
        throw new Error('kaput');
      },
    };
    const { report } = reportOf(estate(), { rules: [STUB_RULES[0], boom] });
    const doc: Sarif = renderSarif(report);
    expectValid(doc);
    const inv = doc.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications.map((n: Sarif) => [n.level, n.descriptor.id, n.associatedRule?.id])).toEqual([
      ['error', 'collection-error', undefined],
      ['error', 'rule-error', 'stub-admin-ports'],
    ]);
    expect(doc.runs[0].results.every((r: Sarif) => r.ruleId !== 'stub-admin-ports')).toBe(true);
  });

  it('notification descriptors carry fullDescription and help like rule descriptors (GitHub SARIF check GH2012)', () => {
    const suppressions = parseSuppressions(
      [{ rule: 'stub-untagged', resource: 'nothing', reason: 'stale', expires: '2020-01-01' }],
      'sup.yaml',
    );
    const doc: Sarif = renderSarif(reportOf(estate(), { suppressions }).report);
    expectValid(doc);
    const descriptors = doc.runs[0].tool.driver.notifications;
    expect(descriptors.map((d: Sarif) => [d.id, d.name, d.defaultConfiguration.level])).toEqual([
      ['collection-error', 'CollectionError', 'error'],
      ['rule-error', 'RuleError', 'error'],
      ['suppression-expired', 'SuppressionExpired', 'warning'],
      ['suppression-stale', 'SuppressionStale', 'warning'],
    ]);
    for (const d of descriptors) {
      expect(d.shortDescription.text).toMatch(/\.$/);
      expect(d.fullDescription.text.length).toBeGreaterThan(d.shortDescription.text.length);
      expect(d.help.text).toContain(d.fullDescription.text);
      expect(d.help.markdown).toContain('**What to do.**');
    }
    // Notifications still point at their descriptor by id and index.
    const inv = doc.runs[0].invocations[0];
    for (const n of [...inv.toolExecutionNotifications, ...inv.toolConfigurationNotifications])
      expect(descriptors[n.descriptor.index].id).toBe(n.descriptor.id);
  });

  it('a clean estate gives an empty, successful run', () => {
    const clean = snapshot(region({ groups: [sg('sg-a', { tier: 'app', ingress: [tcp(8443, '10.0.0.0/8')] })] }));
    const doc: Sarif = renderSarif(reportOf(clean).report);
    expectValid(doc);
    expect(doc.runs[0].results).toEqual([]);
    expect(doc.runs[0].invocations[0]).toEqual({ executionSuccessful: true, endTimeUtc: '2026-03-01T12:00:00.000Z' });
  });
});
