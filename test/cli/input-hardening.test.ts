/**
 * End-to-end (built binary): hostile or awkward input files are exit 2 with one line per problem, never an
 * internal error or unbounded memory. Issue #10, items 5, 6 and "a config with two problems".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBaseline } from '../../src/gate/baseline.js';
import { loadSuppressions } from '../../src/gate/suppressions.js';
import { formatSize, YAML_MAX_ALIAS_COUNT } from '../../src/util/fs.js';
import { DEMO_ESTATE as DEMO, RAW_DESCRIBE as RAW, tempDir, usageMessage } from '../helpers/files.js';
import { aliasBomb } from '../helpers/hostile-input.js';
import { assertCliBuilt, CLI_BIN, runCli } from '../helpers/spawn-cli.js';

const bombLine = (file: string) =>
  `sg-audit: ${file}: YAML aliases expand too far (more than ${YAML_MAX_ALIAS_COUNT} alias uses, an alias bomb?); write the values out\n`;

beforeAll(() => assertCliBuilt());

describe('scan: input files', () => {
  it('--input /dev/zero stops at the documented 256 MB limit with one line, exit 2 (it grew to 20 GB)', () => {
    const dir = tempDir('hard-zero');
    // Memory is capped too: the read never holds much more than the limit.
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', CLI_BIN, 'scan', '--input', '/dev/zero'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe(
      'sg-audit: /dev/zero: more than 256 MB is over the 256 MB input limit; collect per account or region and pass several --input\n',
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('UTF-16 input (PowerShell `>`) gives the same report as the UTF-8 file', () => {
    const dir = tempDir('hard-u16');
    const u16 = path.join(dir, 'sgs-utf16.json');
    writeFileSync(u16, Buffer.from('\ufeff' + readFileSync(RAW, 'utf8'), 'utf16le'));
    const args = (f: string) => ['scan', '--input', f, '--region', 'eu-west-1', '--format', 'json'];
    const strip = (s: string) => s.replace(/"(generatedAt|snapshotCreatedAt)": "[^"]*"/g, '').replaceAll(u16, RAW);
    const want = runCli(args(RAW), { cwd: dir });
    const got = runCli(args(u16), { cwd: dir });
    expect(got.stderr).toBe(want.stderr);
    expect(got.code).toBe(want.code);
    expect(strip(got.stdout)).toBe(strip(want.stdout));
    expect(got.stdout.length).toBeGreaterThan(1000);
  });
});

describe('scan: settings and suppressions files', () => {
  it('a YAML alias bomb in the config is exit 2 naming the file (it was exit 3, internal error)', () => {
    const dir = tempDir('hard-bomb', { 'sg-audit.config.yaml': aliasBomb() });
    const r = runCli(['scan', '--input', DEMO], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', bombLine('sg-audit.config.yaml')]);
  });

  it('a YAML alias bomb in the suppressions file is exit 2 naming the file', () => {
    const dir = tempDir('hard-bomb-sup', { '.sg-audit-suppressions.yaml': aliasBomb('suppressions') });
    const r = runCli(['scan', '--input', DEMO], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', bombLine('.sg-audit-suppressions.yaml')]);
  });

  it('a suppressions file over the 10 MB settings limit is exit 2 naming file, size and limit', () => {
    const entry = '  - rule: world-open-admin-ports\n    resource: sg-0123456789abcdef0\n    reason: accepted\n';
    const text = 'suppressions:\n' + entry.repeat(Math.ceil(10_500_000 / entry.length));
    const dir = tempDir('hard-big-sup', { '.sg-audit-suppressions.yaml': text });
    const r = runCli(['scan', '--input', DEMO], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `sg-audit: .sg-audit-suppressions.yaml: ${formatSize(text.length)} is over the 10 MB limit for a settings file\n`,
    ]);
  });

  it('a config with several problems reports every one on its own line, exit 2', () => {
    const dir = tempDir('hard-config', {
      'sg-audit.config.yaml': 'tiers:\n  web: x\nports:\n  data: [70000]\nrules:\n  no-such-rule: {enabled: false}\n',
    });
    const r = runCli(['scan', '--input', DEMO], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'sg-audit: sg-audit.config.yaml: tiers.web: expected array, got string',
      'sg-audit: sg-audit.config.yaml: ports.data[0]: expected a number <= 65535',
      "sg-audit: sg-audit.config.yaml: rules.no-such-rule: unknown rule id (see 'sg-audit rules')",
      '',
    ]);
  });
});

describe('suppressions and baseline files: encodings', () => {
  it('suppressions with a UTF-8 BOM or in UTF-16 are read; Latin-1 is rejected by name', () => {
    const yaml = 'suppressions:\n  - rule: world-open-*\n    resource: sg-1\n    reason: Café VPN, SEC-42\n';
    const dir = tempDir('hard-sup-enc');
    writeFileSync(path.join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]));
    writeFileSync(path.join(dir, 'u16.yaml'), Buffer.from('\ufeff' + yaml.replace(/\n/g, '\r\n'), 'utf16le'));
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from(yaml, 'latin1'));
    for (const f of ['bom.yaml', 'u16.yaml']) {
      expect(loadSuppressions({ cwd: dir, file: f })?.entries).toEqual([
        { rule: 'world-open-*', resource: 'sg-1', reason: 'Café VPN, SEC-42' },
      ]);
    }
    expect(usageMessage(() => loadSuppressions({ cwd: dir, file: 'latin1.yaml' }))).toBe(
      'latin1.yaml: not UTF-8 text (invalid byte 0xe9 on line 4); save it as UTF-8',
    );
  });

  it('a baseline with a UTF-8 BOM or in UTF-16 is read like the UTF-8 file', () => {
    const dir = tempDir('hard-base-enc');
    const r = runCli(['scan', '--input', DEMO, '--format', 'json', '--output', 'report.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const text = readFileSync(path.join(dir, 'report.json'), 'utf8');
    writeFileSync(path.join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    writeFileSync(path.join(dir, 'u16.json'), Buffer.from('\ufeff' + text, 'utf16le'));
    const want = loadBaseline('report.json', dir);
    expect(want.failing.size).toBeGreaterThan(0);
    for (const f of ['bom.json', 'u16.json']) expect({ ...loadBaseline(f, dir), file: 'report.json' }).toEqual(want);
  });
});
