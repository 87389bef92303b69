/**
 * End-to-end: spawn the built binary (dist/, built by `npm test`) on fixtures and temp files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeSnapshot } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { cluster, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { DEMO_ESTATE as DEMO, RAW_DESCRIBE as RAW, ROOT, tempDir, writeInput } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

let dir: string;

const run = (args: string[], o: { env?: Record<string, string> } = {}) => runCli(args, { cwd: dir, ...o });
const write = (name: string, content: string | Snapshot) => writeInput(dir, name, content);

// A data-tier group admitting MySQL only from the app tier, protecting an Aurora cluster.
const compliant = snapshot(
  region({
    groups: [sg('sg-app', { tier: 'app' }), sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })],
    clusters: [cluster('orders', ['sg-data'], { tier: 'data' })],
  }),
);
const failing = snapshot(
  region({
    groups: [sg('sg-app', { tier: 'app' }), sg('sg-data', { tier: 'data', ingress: [tcp(3306, '0.0.0.0/0')] })],
  }),
);

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('cli');
});

describe('sg-audit CLI', () => {
  it('prints its version and help with exit 0', () => {
    const v = run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = run(['scan', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--input <file>');
  });

  it('scans the demo estate as a plain table (not a TTY) and exits 1', () => {
    const r = run(['scan', '--input', DEMO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('data-tier-sg');
    expect(r.stdout).toMatch(/Summary: \d+ failed/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('colours the table only when forced and NO_COLOR is unset', () => {
    expect(run(['scan', '--input', DEMO], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
    expect(run(['scan', '--input', DEMO], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
  });

  it('prints the JSON report with a schema version', () => {
    const r = run(['scan', '--input', DEMO, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.scope.accounts).toEqual(['111122223333', '444455556666']);
    expect(report.scope.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(report.summary.fail).toBeGreaterThan(0);
    expect(report.findings.every((f: { ruleId: string; status: string }) => f.ruleId && f.status)).toBe(true);
  });

  it('exits 0 when every finding passes', () => {
    const r = run([
      'scan',
      '--input',
      write('ok.json', compliant),
      '--rules',
      'data-tier-sg',
      '--format',
      'json',
      '--verbose',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { status: string; resource: { id: string } }) => [f.status, f.resource.id])).toEqual(
      [['pass', 'sg-data']],
    );
    expect(report.summary.passesListed).toBe(true);
  });

  it('counts passes without listing them unless --verbose', () => {
    const r = run(['scan', '--input', write('ok.json', compliant), '--rules', 'data-tier-sg', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({
      pass: 1,
      fail: 0,
      error: 0,
      total: 1,
      passesListed: false,
      byRule: { 'data-tier-sg': { pass: 1, fail: 0, error: 0 } },
    });
  });

  it('exits 1 on a failing finding', () => {
    expect(run(['scan', '--input', write('bad.json', failing), '--rules', 'data-tier-sg']).code).toBe(1);
  });

  it('exits 3 when collection was incomplete and nothing failed', () => {
    const s = structuredClone(compliant);
    s.regions[0].errors.push({ api: 'rds:DescribeDBClusters', code: 'AccessDenied', message: 'not authorized' });
    const r = run(['scan', '--input', write('partial.json', s), '--rules', 'data-tier-sg']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('AccessDenied');
  });

  it('merges several inputs into one graph', () => {
    const a = snapshot(
      region({
        accountId: '111111111111',
        groups: [sg('sg-data', { tier: 'data', ingress: [tcp(3306, '222222222222/sg-app')] })],
      }),
    );
    const b = snapshot(region({ accountId: '222222222222', groups: [sg('sg-app', { tier: 'app' })] }));
    const r = run([
      'scan',
      '-i',
      write('a.json', a),
      '-i',
      write('b.json', b),
      '--rules',
      'data-tier-sg',
      '-f',
      'json',
      '-v',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.scope.accounts).toEqual(['111111111111', '222222222222']);
    expect(
      report.findings
        .filter((f: { resource: { id: string } }) => f.resource.id === 'sg-data')
        .map((f: { status: string }) => f.status),
    ).toEqual(['pass']);
  });

  it('reads raw `aws ec2 describe-security-groups` output', () => {
    const r = run(['scan', '--input', RAW, '--region', 'eu-west-1', '--format', 'json']);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout);
    expect(report.scope.regions).toEqual(['eu-west-1']);
    expect(report.scope.securityGroups).toBeGreaterThan(0);
    expect(report.scope.accounts).not.toContain('unknown');
  });

  it('marks rules whose data raw aws-cli input lacks as not evaluated, never as passing', () => {
    const json = JSON.parse(run(['scan', '--input', RAW, '--region', 'eu-west-1', '--format', 'json']).stdout);
    const unused = json.rules.find((r: { id: string }) => r.id === 'unused-sg');
    expect(unused.missingData).toEqual(['networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances']);
    expect(json.summary.byRule['unused-sg']).toEqual({ pass: 0, fail: 0, error: 0 });
    expect(json.rules.find((r: { id: string }) => r.id === 'sg-rule-count').missingData).toBeUndefined();
    // The world-open rules read prefix-list entries (a list holding 0.0.0.0/0 is the world), which raw input lacks.
    expect(json.rules.find((r: { id: string }) => r.id === 'world-open-icmp').missingData).toEqual(['prefixLists']);
    const table = run(['scan', '--input', RAW, '--region', 'eu-west-1']).stdout;
    expect(table).toMatch(
      /unused-sg .* not evaluated \(networkInterfaces, loadBalancers, dbClusters, dbInstances not collected\)/,
    );
    const full = JSON.parse(run(['scan', '--input', DEMO, '--format', 'json']).stdout);
    expect(full.rules.every((r: { missingData?: string[] }) => r.missingData === undefined)).toBe(true);
  });

  it('writes the report to --output and nothing to stdout', () => {
    const out = path.join(dir, 'report.json');
    const r = run(['scan', '--input', DEMO, '-f', 'json', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
  });

  describe('bad input: one line, exit 2, no stack trace, nothing written', () => {
    const expectUsage = (r: ReturnType<typeof run>, line: string | RegExp) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };

    it('invalid settings name file and path', () => {
      write('sg-audit.config.yaml', 'tiers:\n  data:\n    - key: 7\n');
      try {
        expectUsage(
          run(['scan', '--input', DEMO]),
          'sg-audit: sg-audit.config.yaml: tiers.data[0].key: expected string, got number',
        );
      } finally {
        write('sg-audit.config.yaml', '{}\n');
      }
    });

    it('a malformed snapshot names the first bad field', () => {
      const s = JSON.parse(serializeSnapshot(failing));
      s.regions[0].securityGroups[1].ingress[0].fromPort = 'x';
      const f = write('malformed.json', JSON.stringify(s));
      expectUsage(
        run(['scan', '--input', f]),
        /malformed\.json: regions\[0\]\.securityGroups\[1\]\.ingress\[0\]\.fromPort: expected number, got string$/,
      );
    });

    it('invalid JSON, missing file, unknown format, unknown rule', () => {
      expectUsage(
        run(['scan', '--input', write('broken.json', '{"schemaVersion": 1,')]),
        /broken\.json: invalid JSON: /,
      );
      expectUsage(run(['scan', '--input', 'nope.json']), /nope\.json: cannot read input \(ENOENT\)/);
      expectUsage(run(['scan', '--input', DEMO, '--format', 'yaml']), /--format yaml: expected one of table, json/);
      expectUsage(run(['scan', '--input', DEMO, '--rules', 'no-such-rule']), /--rules no-such-rule: matches no rule/);
    });

    it('an unwritable --output leaves no partial file', () => {
      const target = path.join(dir, 'missing-dir', 'report.json');
      expectUsage(run(['scan', '--input', DEMO, '-o', target]), /report\.json: cannot write \(ENOENT\)/);
      expect(existsSync(path.dirname(target))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('--debug adds the stack trace', () => {
      const r = run(['scan', '--input', 'nope.json', '--debug']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\n\s+at /);
    });
  });

  it('lists rules and prints the README rules table', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+SEVERITY\s+CATEGORY/);
    expect(r.stdout).toContain('data-tier-sg');
    const md = run(['rules', '--format', 'markdown']);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(md.stdout.trim());
  });
});
