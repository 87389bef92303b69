/**
 * End-to-end: the built CLI (dist/, built by `npm test` or `npx tsc -p .`) with --report, --fail-on,
 * --suppressions and --baseline, on snapshots written here. Uses real rules:
 * world-open-admin-ports (high) and public-address-ingress (low).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { exposureUnknown } from '../helpers/exposure.js';
import { tempDir, writeInput } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

const RULES = ['--rules', 'world-open-admin-ports,public-address-ingress'];

let dir: string;

const run = (args: string[], cwd = dir) => runCli(args, { cwd });
const write = (name: string, content: string | Snapshot, base = dir) => writeInput(base, name, content);

/**
 * SSH from the world (high) and HTTPS from one public address (low). Interfaces not collected: reachability
 * is unknown, so the rules' own severities gate (lowering is tested in test/rules/exposure.test.ts).
 */
const both = exposureUnknown(
  snapshot(
    region({
      groups: [
        sg('sg-ssh', { tier: 'app', ingress: [tcp(22, '0.0.0.0/0')], egress: [] }),
        sg('sg-pub', { tier: 'web', ingress: [tcp(443, '198.51.100.7/32')], egress: [] }),
      ],
    }),
  ),
);
const lowOnly = exposureUnknown(
  snapshot(region({ groups: [sg('sg-pub', { tier: 'web', ingress: [tcp(443, '198.51.100.7/32')], egress: [] })] })),
);

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('report');
});

describe('--report FORMAT=FILE', () => {
  it('writes every report beside the main output', () => {
    const sub = mkdtempSync(path.join(dir, 'multi-'));
    mkdirSync(path.join(sub, 'out'));
    const input = write('both.json', both, sub);
    const r = run(
      [
        'scan',
        '-i',
        input,
        ...RULES,
        '--report',
        'sarif=out/sg.sarif',
        '--report',
        'junit=junit.xml',
        '--report',
        'markdown=summary.md',
        '--report',
        'json=report.json',
      ],
      sub,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^sg-audit \d/); // the table, on stdout
    expect(r.stdout).not.toMatch(/\x1b\[/);

    const sarif = JSON.parse(readFileSync(path.join(sub, 'out/sg.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level])).toEqual([
      ['world-open-admin-ports', 'error'],
      ['public-address-ingress', 'note'],
    ]);
    const xml = readFileSync(path.join(sub, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect([junit.testsuites.tests, junit.testsuites.failures]).toEqual(['4', '2']);
    const md = readFileSync(path.join(sub, 'summary.md'), 'utf8');
    expect(md).toMatch(/^## sg-audit: ❌ 2 failing findings fail the build/);
    expect(md).toContain('```mermaid');
    const json = JSON.parse(readFileSync(path.join(sub, 'report.json'), 'utf8'));
    expect(json.findings.filter((f: { status: string }) => f.status === 'fail')).toHaveLength(2);
    // No temp files left behind.
    expect(readdirSync(sub).sort()).toEqual(['both.json', 'junit.xml', 'out', 'report.json', 'summary.md']);
  });

  it('rejects bad --report values and unwritable targets before scanning, writing nothing', () => {
    const sub = mkdtempSync(path.join(dir, 'bad-'));
    const input = write('both.json', both, sub);
    const cases: Array<[string[], RegExp]> = [
      [['--report', 'sarif'], /--report sarif: expected FORMAT=FILE/],
      [
        ['--report', 'yaml=x.yaml'],
        /--report yaml=x\.yaml: unknown format 'yaml', expected one of table, json, sarif, junit, markdown/,
      ],
      [['--report', 'sarif=a.sarif', '--report', 'json=a.sarif'], /a\.sarif is already the target of another --report/],
      [['--report', 'sarif=a.sarif', '--report', 'junit=missing/j.xml'], /missing\/j\.xml: cannot write \(ENOENT\)/],
    ];
    for (const [args, message] of cases) {
      const r = run(['scan', '-i', input, ...RULES, ...args], sub);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    // A broken input: exit 2 and the report file is not created.
    const broken = write('broken.json', '{"schemaVersion": 1,', sub);
    expect(run(['scan', '-i', broken, '--report', 'sarif=a.sarif'], sub).code).toBe(2);
    expect(readdirSync(sub).sort()).toEqual(['both.json', 'broken.json']);
  });
});

describe('--fail-on', () => {
  it('gates exit 1 on severity', () => {
    const input = write('both.json', both);
    const low = write('low.json', lowOnly);
    expect(run(['scan', '-i', input, ...RULES]).code).toBe(1);
    expect(run(['scan', '-i', input, ...RULES, '--fail-on', 'high']).code).toBe(1);
    expect(run(['scan', '-i', input, ...RULES, '--fail-on', 'critical']).code).toBe(0);
    expect(run(['scan', '-i', low, ...RULES]).code).toBe(1);
    expect(run(['scan', '-i', low, ...RULES, '--fail-on', 'medium']).code).toBe(0);
    expect(run(['scan', '-i', input, ...RULES, '--fail-on', 'none']).code).toBe(0);
    const bad = run(['scan', '-i', input, ...RULES, '--fail-on', 'severe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on <severity>' argument 'severe' is invalid/);
  });

  it('errors still exit 3 when no failing finding crosses the threshold', () => {
    const partial = snapshot(
      region({
        groups: [sg('sg-pub', { tier: 'web', ingress: [tcp(443, '198.51.100.7/32')], egress: [] })],
      }),
      region({
        region: 'eu-west-1',
        errors: [{ api: 'ec2:DescribeSecurityGroups', code: 'UnauthorizedOperation', message: 'denied' }],
      }),
    );
    const input = write('partial.json', partial);
    expect(run(['scan', '-i', input, ...RULES]).code).toBe(1);
    expect(run(['scan', '-i', input, ...RULES, '--fail-on', 'high']).code).toBe(3);
  });
});

describe('--suppressions', () => {
  it('suppressed findings do not fail the build; expired and stale entries warn on stderr', () => {
    const sub = mkdtempSync(path.join(dir, 'sup-'));
    const input = write('both.json', both, sub);
    write(
      'accepted.yaml',
      [
        'suppressions:',
        '  - rule: world-open-admin-ports',
        '    resource: sg-ssh',
        '    reason: Bastion behind the VPN (SEC-42)',
        '    expires: 2999-12-31',
        '  - rule: public-address-*',
        '    resource: "arn:aws:ec2:*:*:security-group/sg-pub"',
        '    reason: Partner office',
        '  - rule: public-address-ingress',
        '    resource: sg-pub',
        '    reason: Partner office',
        '  - rule: world-open-*',
        '    resource: sg-gone',
        '    reason: Deleted last year',
        '    expires: 2001-01-01',
      ].join('\n'),
      sub,
    );
    const r = run(['scan', '-i', input, ...RULES, '--suppressions', 'accepted.yaml', '-f', 'json'], sub);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'sg-audit: warning: accepted.yaml: suppressions[3] (rule world-open-*, resource sg-gone) expired on 2001-01-01; it matches nothing any more: remove it',
    ]);
    const report = JSON.parse(r.stdout);
    const fails = report.findings.filter((f: { status: string }) => f.status === 'fail');
    expect(
      fails.map((f: { resource: { id: string }; suppression: { index: number; reason: string } }) => [
        f.resource.id,
        f.suppression.index,
        f.suppression.reason,
      ]),
    ).toEqual([
      ['sg-ssh', 0, 'Bastion behind the VPN (SEC-42)'],
      ['sg-pub', 1, 'Partner office'],
    ]);
    // Entry 1 names sg-pub by ARN and wins; entry 2 matches the same finding (counted, not stale).
    expect(report.suppressions.entries.map((e: { status: string; matched: number }) => [e.status, e.matched])).toEqual([
      ['active', 1],
      ['active', 1],
      ['active', 1],
      ['expired', 0],
    ]);
  });

  it('picks up .sg-audit-suppressions.yaml from the working directory unless --no-suppressions', () => {
    const sub = mkdtempSync(path.join(dir, 'default-'));
    const input = write('both.json', both, sub);
    write('.sg-audit-suppressions.yaml', 'suppressions:\n  - { rule: "*", resource: "sg-*", reason: accepted }\n', sub);
    expect(run(['scan', '-i', input, ...RULES], sub).code).toBe(0);
    expect(run(['scan', '-i', input, ...RULES, '--no-suppressions'], sub).code).toBe(1);
  });

  it('an invalid suppressions file exits 2 naming the file and path', () => {
    const sub = mkdtempSync(path.join(dir, 'invalid-'));
    const input = write('both.json', both, sub);
    write(
      '.sg-audit-suppressions.yaml',
      'suppressions:\n  - { rule: a, resource: b, reason: ok }\n  - { rule: a, resource: b }\n',
      sub,
    );
    const r = run(['scan', '-i', input, ...RULES, '--report', 'sarif=x.sarif'], sub);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sg-audit: .sg-audit-suppressions.yaml: suppressions[1].reason: expected string, got nothing\n',
    );
    expect(existsSync(path.join(sub, 'x.sarif'))).toBe(false);
  });
});

describe('--baseline', () => {
  it('only findings new since the baseline fail the build', () => {
    const sub = mkdtempSync(path.join(dir, 'baseline-'));
    const low = write('low.json', lowOnly, sub);
    const input = write('both.json', both, sub);
    // Record the baseline: the low finding fails.
    expect(run(['scan', '-i', low, ...RULES, '-f', 'json', '-o', 'baseline.json'], sub).code).toBe(1);
    // Same estate: nothing new.
    expect(run(['scan', '-i', low, ...RULES, '--baseline', 'baseline.json'], sub).code).toBe(0);
    // SSH opened since: new, exit 1; the markdown says which is new.
    const r = run(['scan', '-i', input, ...RULES, '--baseline', 'baseline.json', '-f', 'markdown'], sub);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\| high \| `world-open-admin-ports` \| `sg-ssh`.*\| 🆕 new \|/);
    expect(r.stdout).toMatch(/\| low \| `public-address-ingress` \| `sg-pub`.*\| unchanged \|/);
    // Fixed: baseline recorded with both, now only the low one.
    expect(run(['scan', '-i', input, ...RULES, '-f', 'json', '-o', 'both-baseline.json'], sub).code).toBe(1);
    const fixed = run(['scan', '-i', low, ...RULES, '--baseline', 'both-baseline.json', '-f', 'json'], sub);
    expect(fixed.code).toBe(0);
    expect(
      JSON.parse(fixed.stdout).baseline.fixed.map((f: { ruleId: string; resource: { id: string } }) => [
        f.ruleId,
        f.resource.id,
      ]),
    ).toEqual([['world-open-admin-ports', 'sg-ssh']]);
  });

  it('a malformed baseline exits 2', () => {
    const sub = mkdtempSync(path.join(dir, 'bad-baseline-'));
    const input = write('both.json', both, sub);
    write('snapshot-as-baseline.json', both, sub);
    const r = run(['scan', '-i', input, ...RULES, '--baseline', 'snapshot-as-baseline.json'], sub);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sg-audit: snapshot-as-baseline.json: not an sg-audit JSON report (write the baseline with --format json)\n',
    );
    expect(run(['scan', '-i', input, ...RULES, '--baseline', 'nope.json'], sub).stderr).toBe(
      'sg-audit: nope.json: cannot read baseline (ENOENT)\n',
    );
  });
});
