/**
 * The core calls behind the CLI, run in-process with injected IO: no commander, no TTY, no process.
 * The CLI tests (test/cli) prove the command line around them behaves as before.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import { runCollect } from '../../src/core/collect.js';
import { runRules } from '../../src/core/rules.js';
import {
  checkScanMode,
  evaluateSnapshot,
  loadInputs,
  prepare,
  runScan,
  withoutListedPasses,
  type ScanIO,
} from '../../src/core/scan.js';
import { reporterFor } from '../../src/report/index.js';
import { rulesCommandOutput } from '../../src/report/rules-doc.js';
import { serializeSnapshot } from '../../src/snapshot/load.js';
import type { ResourceKind, Snapshot } from '../../src/snapshot/schema.js';
import { EXIT, UsageError } from '../../src/util/errors.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { DEMO_ESTATE, ROOT, tempDir, usageMessage } from '../helpers/files.js';

/** An IO that records stdout and every live collection asked for. */
function fakeIO(cwd: string, live: Snapshot = snapshot(region({ groups: [sg('sg-1')] }))) {
  const out: string[] = [];
  const collected: Set<ResourceKind>[] = [];
  const io: ScanIO = {
    cwd,
    stdout: { write: (s: string) => out.push(s) },
    collectLive: async (needs) => {
      collected.push(needs);
      return live;
    },
  };
  return { io, out, collected };
}

describe('runScan', () => {
  it('writes the report the evaluation path renders, and returns its exit code', async () => {
    const { io, out, collected } = fakeIO(tempDir('core-scan'));
    const { report, exitCode, warnings } = await runScan({ inputs: [DEMO_ESTATE], format: 'json' }, io);
    const prepared = prepare(defaultRegistry(), { cwd: io.cwd });
    const expected = evaluateSnapshot(loadInputs([DEMO_ESTATE]), prepared, { keepPasses: false }).report;
    const render = (r: typeof report) => reporterFor('json').render({ ...r, generatedAt: 'T' }, { color: false });
    expect(render(report)).toBe(render(expected));
    expect(out.join('')).toBe(reporterFor('json').render(report, { color: false }));
    expect(exitCode).toBe(EXIT.FINDINGS);
    expect(warnings).toEqual([]);
    expect(collected).toEqual([]);
  });

  it('keeps passes in the returned report for JUnit, and out of the other outputs', async () => {
    const dir = tempDir('core-junit');
    const { io, out } = fakeIO(dir);
    const { report } = await runScan({ inputs: [DEMO_ESTATE], format: 'json', reports: ['junit=r.xml'] }, io);
    expect(report.findings.some((f) => f.status === 'pass')).toBe(true);
    expect(out.join('')).toBe(reporterFor('json').render(withoutListedPasses(report), { color: false }));
    expect(existsSync(path.join(dir, 'r.xml'))).toBe(true);
  });

  it('collects live (only what the selected rules need) when there is no input', async () => {
    const { io, out, collected } = fakeIO(tempDir('core-live'));
    const { exitCode } = await runScan({ format: 'json', rules: ['world-open-admin-ports'] }, io);
    const { needs } = prepare(defaultRegistry(), { cwd: io.cwd, rules: ['world-open-admin-ports'] });
    expect(collected).toEqual([needs]);
    expect(needs.has('dbInstances')).toBe(false);
    expect(JSON.parse(out.join('')).summary).toMatchObject({ pass: 1, fail: 0, error: 0 });
    expect(exitCode).toBe(EXIT.OK);
  });

  it('checks flags, settings and outputs before any collection, and writes nothing then', async () => {
    const dir = tempDir('core-early', { 'c.yaml': 'rules: {}\n' });
    const { io, collected } = fakeIO(dir);
    const failures = [
      { format: 'bogus' },
      { format: 'json', reports: ['nope'] },
      { format: 'json', rawDefaults: { region: 'us-east-1' } },
      { format: 'json', rules: ['no-such-rule'] },
      { format: 'json', configPath: 'c.yaml', output: 'c.yaml' },
      { format: 'json', output: 'r.json', reports: ['sarif=./r.json'] },
    ];
    for (const opts of failures) await expect(runScan(opts, io)).rejects.toBeInstanceOf(UsageError);
    expect(collected).toEqual([]);
    expect(readdirSync(dir)).toEqual(['c.yaml']);
  });

  it('writes -o, every --report and --save-snapshot; stdout stays empty', async () => {
    const dir = tempDir('core-files');
    const live = snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })] }));
    const { io, out } = fakeIO(dir, live);
    const opts = { format: 'table', output: 'r.txt', reports: ['sarif=r.sarif'], saveSnapshot: 's.json', color: true };
    const { exitCode } = await runScan(opts, io);
    expect(exitCode).toBe(EXIT.FINDINGS);
    expect(out).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['r.sarif', 'r.txt', 's.json']);
    expect(readFileSync(path.join(dir, 's.json'), 'utf8')).toBe(serializeSnapshot(live));
    // Colours only ever go to stdout.
    expect(readFileSync(path.join(dir, 'r.txt'), 'utf8')).not.toContain('\u001b[');
  });

  it('returns suppression warnings for the caller to print', async () => {
    const dir = tempDir('core-warn', {
      's.yaml': 'suppressions:\n  - rule: no-such-rule\n    resource: sg-*\n    reason: test\n',
    });
    const { io } = fakeIO(dir);
    const { warnings } = await runScan({ inputs: [DEMO_ESTATE], format: 'json', suppressions: 's.yaml' }, io);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('checkScanMode', () => {
  it('names the flag the chosen mode would drop', () => {
    expect(usageMessage(() => checkScanMode(true, ['--regions', '--profile'], {}))).toBe(
      '--regions: only for live scans, and --input reads files instead ' +
        '(to label raw aws-cli input use --region; drop --input to scan live)',
    );
    expect(usageMessage(() => checkScanMode(true, ['--profile'], {}))).toBe(
      '--profile: only for live scans, and --input reads files instead (drop --input to scan live)',
    );
    expect(usageMessage(() => checkScanMode(false, [], { accountId: '111111111111' }))).toBe(
      '--account: only labels raw aws-cli --input files; ' +
        'a live scan takes its accounts from the credentials or --role-arn',
    );
    expect(() => checkScanMode(true, [], { region: 'us-east-1' })).not.toThrow();
    expect(() => checkScanMode(false, ['--regions'], {})).not.toThrow();
  });
});

describe('runCollect', () => {
  it('writes the snapshot; collection errors are exit 3 with one line each', async () => {
    const dir = tempDir('core-collect');
    const live = snapshot(region({ groups: [sg('sg-1')] }));
    live.errors.push({ accountId: '222222222222', api: 'sts:AssumeRole', code: 'AccessDenied', message: 'no\n  way' });
    const { io } = fakeIO(dir, live);
    const { exitCode, errors } = await runCollect({ output: 'snap.json' }, io);
    expect(exitCode).toBe(EXIT.INCOMPLETE);
    expect(errors).toEqual(['collection error: 222222222222/*: sts:AssumeRole: AccessDenied: no way']);
    expect(readFileSync(path.join(dir, 'snap.json'), 'utf8')).toBe(serializeSnapshot(live));
  });

  it('an output that is also read is a usage error before collecting', async () => {
    const dir = tempDir('core-collect-clash', { 'roles.txt': '' });
    const { io, collected } = fakeIO(dir);
    await expect(runCollect({ output: 'roles.txt', roleArnsFile: 'roles.txt' }, io)).rejects.toBeInstanceOf(UsageError);
    expect(collected).toEqual([]);
  });
});

describe('runRules', () => {
  it('writes the rule list to stdout', () => {
    const out: string[] = [];
    const stdout = { write: (s: string) => out.push(s) };
    expect(runRules({ ids: [], format: 'table' }, { stdout })).toEqual({ exitCode: 0 });
    expect(out.join('')).toBe(rulesCommandOutput(defaultRegistry().rules, [], 'table'));
  });
});

describe('nothing below src/cli knows about commander, TTYs or the process', () => {
  it('no module outside src/cli imports commander or looks at a TTY', () => {
    const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.startsWith(`cli${path.sep}`),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, 'src', file), 'utf8');
      expect(text, file).not.toMatch(/from 'commander'|isTTY|node:tty/);
    }
  });

  it('src/core does not touch the process either', () => {
    const dir = path.join(ROOT, 'src/core');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/from 'commander'|\bprocess\.|isTTY|node:tty/);
    }
  });
});
