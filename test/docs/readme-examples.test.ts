/**
 * Issue #10 items 16 and 18: every example in the README works as written.
 *
 * - Every fenced `yaml`/`json` block is classified (settings file, suppressions file, GitHub Actions
 *   workflow, GitLab CI job, IAM policy) and checked with the real code: settings and suppressions go
 *   through the real loaders and a real scan; CI examples install from a pinned source and pass only
 *   options the CLI has. A block that fits no class fails the test.
 * - Every command of every ```sh block (README.md and fixtures/demo/README.md, which ships in the
 *   package) runs through a real shell, in a temp directory, with `sg-audit` on PATH mapped to the built
 *   dist/src/cli/bin.js, and must exit with the code listed in OFFLINE — or, for live ones, in LIVE, run
 *   against the fake AWS endpoint. Commands that need real AWS (aws-cli), the registry or minutes of CPU
 *   are listed as skipped tests named "needs AWS: …", "benchmark: …", never dropped silently; a command
 *   in no list fails the test.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { defaultRegistry } from '../../rules/index.js';
import { loadSettings } from '../../src/config/load.js';
import { isoDay, loadSuppressions } from '../../src/gate/suppressions.js';
import type { RegionSnapshot, Snapshot } from '../../src/snapshot/schema.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/server.js';
import { assertCliBuilt, CLI_BIN, runCli } from '../helpers/spawn-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', 'fixtures/demo/README.md'];
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };

interface Block {
  doc: string;
  line: number;
  lang: string;
  text: string;
}

function blocks(doc: string): Block[] {
  const text = readFileSync(path.join(ROOT, doc), 'utf8');
  const out: Block[] = [];
  for (const m of text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    out.push({ doc, line: text.slice(0, m.index).split('\n').length, lang: m[1], text: m[2] });
  }
  return out;
}
const all = DOCS.flatMap(blocks);
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

// ---------------------------------------------------------------------------------------------------------
// Shell examples

/** Commands of a ```sh block: `\` continuations joined, comment lines and trailing `# comments` dropped. */
function commands(b: Block): string[] {
  return b.text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Offline commands and the exit code the README documents for them (1: the demo estate has violations). */
const OFFLINE: Record<string, number> = {
  'sg-audit scan --input snapshot.json': 1,
  'sg-audit scan --input sgs.json': 1,
  'sg-audit rules': 0,
  'sg-audit rules world-open-unauthorized-ports': 0,
  'node dist/src/cli/bin.js scan --input fixtures/demo/estate.json': 1,
  'node dist/src/cli/bin.js scan --input fixtures/demo/estate.json -v': 1,
  'node dist/src/cli/bin.js scan --input fixtures/demo/describe-security-groups.json': 1,
  'node dist/src/cli/bin.js paths --input fixtures/demo/estate.json': 0,
  'node dist/src/cli/bin.js paths --input fixtures/demo/estate.json --to i-0a1b2c3d4e5f64011 --format json': 0,
  'node dist/src/cli/bin.js paths --input fixtures/demo/estate.json --from eni-0a1b2c3d4e5f61013 --to eni-0a1b2c3d4e5f61023': 0,
  'node dist/src/cli/bin.js paths --input fixtures/demo/estate.json --from eni-04d5e6f7a8b9c1003 --to batch-pg': 0,
  'node dist/src/cli/bin.js paths --input fixtures/demo/estate.json --from internet --to reporting-pg --max-hops 2': 0,
  'sg-audit paths --input snapshot.json': 0,
};

/** Why a command does not run here; shown in the name of the test that checks it without running it. */
function skipReason(cmd: string): string | undefined {
  if (/^sg-audit (scan|collect)\b/.test(cmd) && !/\s(--input|-i)\s/.test(cmd)) return 'needs AWS (live collection)';
  if (/^aws\s/.test(cmd)) return 'needs AWS (aws-cli)';
  if (cmd === 'npm ci && npm test') return 'installs from the registry and runs this suite (.ci/run does it)';
  if (cmd === 'npm run build') return 'the build (npm test builds before these tests)';
  if (cmd === 'npm run bench' || cmd.startsWith('node dist/bench/')) return 'benchmark: minutes of CPU';
  return undefined;
}

/**
 * What can be checked of a command that is not run here: it is valid shell, every npm script it names exists,
 * an `aws` call is a read-only one, an `sg-audit` command takes every flag it passes, and a benchmark file exists.
 */
function checkNotRun(cmd: string): void {
  expect(spawnSync('/bin/sh', ['-n', '-c', cmd]).status, `not valid shell: ${cmd}`).toBe(0);
  for (const m of cmd.matchAll(/\bnpm (?:run )?(\S+)/g)) {
    if (m[1] !== 'ci') expect(pkg.scripts[m[1]], `npm script ${m[1]}`).toBeDefined();
  }
  if (cmd.includes('npm test')) expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  const aws = /^aws (\S+) (\S+)/.exec(cmd);
  if (aws) expect(aws[2], `aws ${aws[1]} call`).toMatch(/^(describe|get|list)-/);
  const sg = /^sg-audit (scan|collect)\b(.*)$/.exec(cmd);
  if (sg) {
    const help = runCli([sg[1], '--help'], { cwd: ROOT }).stdout;
    for (const flag of sg[2].match(/(?<=\s|^)--?[a-z][\w-]*/g) ?? []) expect(help, `${sg[1]} ${flag}`).toContain(flag);
  }
  const bench = /^node (dist\/bench\/\S+)\.js/.exec(cmd);
  if (bench) expect(existsSync(path.join(ROOT, bench[1].replace(/^dist\//, '') + '.ts'))).toBe(true);
}

/** `npm ci && npm run demo`: npm ci is not run here (registry); the demo script is, minus its build. */
function quickStart(cmd: string): string | undefined {
  if (cmd !== 'npm ci && npm run demo') return undefined;
  expect(pkg.scripts.demo.startsWith('npm run build && ')).toBe(true);
  return pkg.scripts.demo.slice('npm run build && '.length);
}

/**
 * Live examples run against the fake AWS endpoint (support/fake-aws/server.ts: the real SDK over HTTP on
 * 127.0.0.1, through AWS_ENDPOINT_URL) serving the demo estate to account 111122223333 in us-east-1 and
 * eu-west-1, with their documented exit code: 1 where the demo's violations are scanned, 0 where only the
 * (empty) accounts of the README's role ARNs are. A live command missing here stays a skipped "needs AWS" test.
 */
const LIVE: Record<string, number> = {
  'sg-audit scan --regions all': 1,
  'sg-audit collect --regions all -o snapshot.json': 0,
  'sg-audit scan': 1,
  'sg-audit scan --regions us-east-1,eu-west-1': 1,
  'sg-audit scan --profile audit-sso --regions all': 1,
  'sg-audit scan --regions all --save-snapshot snapshot.json': 1,
  'sg-audit scan --regions all --role-arn arn:aws:iam::111111111111:role/SgAudit --role-arn arn:aws:iam::222222222222:role/SgAudit --external-id "$EXTERNAL_ID"': 0,
  'sg-audit collect --regions all --role-arns-file roles.txt -o org.json': 0,
  'sg-audit scan --format table --report sarif=sg-audit.sarif --report junit=sg-audit-junit.xml --report markdown=sg-audit.md --report json=sg-audit.json': 1,
  'sg-audit scan --format json --output sg-audit-baseline.json': 1,
  'sg-audit scan --baseline sg-audit-baseline.json --report markdown=sg-audit.md': 0,
};

/** Run one command through /bin/sh, asynchronously (the fake endpoint answers from this process). */
function sh(cmd: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('README shell examples', () => {
  let dir: string;
  let aws: FakeAws;
  beforeAll(async () => {
    assertCliBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-readme-'));
    // What the examples assume: a saved snapshot, raw aws-cli output, the demo fixtures, a build, a
    // named profile, a role ARNs file.
    copyFileSync(path.join(ROOT, 'fixtures/demo/estate.json'), path.join(dir, 'snapshot.json'));
    copyFileSync(path.join(ROOT, 'fixtures/demo/describe-security-groups.json'), path.join(dir, 'sgs.json'));
    mkdirSync(path.join(dir, 'fixtures/demo'), { recursive: true });
    for (const f of ['estate.json', 'describe-security-groups.json']) copyFileSync(path.join(ROOT, 'fixtures/demo', f), path.join(dir, 'fixtures/demo', f));
    symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin/sg-audit'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`);
    chmodSync(path.join(dir, 'bin/sg-audit'), 0o755);
    writeFileSync(path.join(dir, 'aws-config'), '[profile audit-sso]\nregion = eu-west-1\n');
    writeFileSync(path.join(dir, 'aws-credentials'), '[audit-sso]\naws_access_key_id = AKIAREADMEPROFILE001\naws_secret_access_key = readmeProfileSecret\n');
    writeFileSync(path.join(dir, 'roles.txt'), '# README example\narn:aws:iam::111111111111:role/SgAudit\narn:aws:iam::222222222222:role/SgAudit\n');
    const demo = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/demo/estate.json'), 'utf8')) as Snapshot;
    const estates = new Map(demo.regions.filter((r) => r.accountId === '111122223333').map((r) => [r.region, r] as [string, RegionSnapshot]));
    aws = await startFakeAws({ estates, accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'] });
  });
  afterAll(async () => {
    await aws?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seen = new Set<string>();
  for (const b of all.filter((x) => x.lang === 'sh')) {
    for (const cmd of commands(b)) {
      const where = `${b.doc}:${b.line}`;
      const live = LIVE[cmd];
      const reason = live === undefined ? skipReason(cmd) : undefined;
      if (reason) {
        it(`checked without running it (${reason}): ${cmd} (${where})`, () => checkNotRun(cmd));
        continue;
      }
      const name = `${cmd} (${where})`;
      if (seen.has(name)) continue;
      seen.add(name);
      it(`runs as written${live === undefined ? '' : ' (fake AWS endpoint)'}: ${name}`, async () => {
        const qs = quickStart(cmd);
        const run = qs ?? cmd;
        const expected = qs ? 1 : (live ?? OFFLINE[cmd]);
        expect(expected, `unclassified README command: add it to OFFLINE or LIVE (with its exit code) or to skipReason: ${cmd}`).toBeDefined();
        const env: Record<string, string> = {
          PATH: `${path.join(dir, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: dir,
          AWS_CONFIG_FILE: path.join(dir, live === undefined ? 'no-aws-config' : 'aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, live === undefined ? 'no-aws-credentials' : 'aws-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
        };
        if (live !== undefined) {
          Object.assign(env, { AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'us-east-1', EXTERNAL_ID: 'ext-42' });
          // A named profile brings its own credentials; the other examples use the environment's.
          if (!cmd.includes('--profile')) Object.assign(env, { AWS_ACCESS_KEY_ID: 'AKIAREADMEEXAMPLE001', AWS_SECRET_ACCESS_KEY: 'readmeExampleSecret' });
        }
        const r = await sh(run, dir, env);
        expect(r.status, r.stderr).toBe(expected);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        if (!/\s(-o|--output)\s/.test(run)) expect(r.stdout.length).toBeGreaterThan(0);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// yaml / json examples

type Kind = 'settings' | 'suppressions' | 'github-actions' | 'gitlab-ci' | 'iam-policy';

function parse(b: Block): unknown {
  return b.lang === 'json' ? JSON.parse(b.text) : YAML.parse(b.text);
}

function kind(doc: unknown): Kind | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const o = doc as Record<string, unknown>;
  const keys = Object.keys(o);
  if (o.Version === '2012-10-17' && Array.isArray(o.Statement)) return 'iam-policy';
  if ('jobs' in o && 'on' in o) return 'github-actions';
  if (keys.length === 1 && 'suppressions' in o) return 'suppressions';
  if (keys.length && keys.every((k) => ['tiers', 'ports', 'rules'].includes(k))) return 'settings';
  if (keys.length === 1 && typeof o[keys[0]] === 'object' && o[keys[0]] !== null && 'script' in (o[keys[0]] as object)) return 'gitlab-ci';
  return undefined;
}

const structured = all.filter((b) => b.lang === 'yaml' || b.lang === 'json').map((b) => ({ ...b, doc: parse(b), where: `${b.doc}:${b.line}` }));
const ofKind = (k: Kind) => structured.filter((b) => kind(b.doc) === k);

/** Options `sg-audit scan --help` lists: the CI examples may pass only these. */
function scanFlags(): Set<string> {
  const help = runCli(['scan', '--help'], { cwd: ROOT }).stdout;
  return new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
}

/** Shell lines a CI example runs: GitHub `run:` steps, GitLab `before_script`/`script`. */
function ciLines(doc: unknown): string[] {
  const out: string[] = [];
  const o = doc as Record<string, Record<string, unknown>>;
  if ('jobs' in o) {
    for (const job of Object.values(o.jobs as Record<string, { steps: { run?: string }[] }>)) {
      for (const s of job.steps) if (s.run) out.push(...s.run.replace(/\\\n\s*/g, ' ').split('\n'));
    }
  } else {
    for (const job of Object.values(o)) out.push(...[...((job.before_script as string[]) ?? []), ...((job.script as string[]) ?? [])]);
  }
  return out.map((l) => l.trim()).filter(Boolean);
}

const PINNED_INSTALL = [
  'curl -fsSL -o sg-audit.tgz "$SG_AUDIT_URL"',
  'echo "$SG_AUDIT_SHA256  sg-audit.tgz" | sha256sum --check --strict',
  'npm install -g --ignore-scripts ./sg-audit.tgz',
];

describe('README yaml/json examples', () => {
  beforeAll(() => assertCliBuilt());

  it('every fenced yaml/json block is a known kind of example', () => {
    expect(structured.filter((b) => !kind(b.doc)).map((b) => b.where)).toEqual([]);
    expect(ofKind('settings').length).toBeGreaterThanOrEqual(1);
    expect(ofKind('suppressions').length).toBeGreaterThanOrEqual(1);
    expect(ofKind('github-actions')).toHaveLength(1);
    expect(ofKind('gitlab-ci')).toHaveLength(1);
    expect(ofKind('iam-policy')).toHaveLength(1);
  });

  it('settings examples load with the real loader and drive a real scan (rule ids and options exist)', () => {
    for (const b of ofKind('settings')) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-readme-cfg-'));
      try {
        writeFileSync(path.join(dir, 'sg-audit.config.yaml'), b.text);
        const settings = loadSettings({ cwd: dir, catalog: defaultRegistry() });
        expect(settings.source, b.where).toBe('sg-audit.config.yaml');
        // Every rule option the example sets is one the rule has.
        for (const [id, o] of Object.entries(settings.rules)) {
          const rule = defaultRegistry().get(id);
          expect(rule, `${b.where}: rules.${id}`).toBeDefined();
          if (o.options) expect(Object.keys(o.options).every((k) => k in (rule!.options!.parse({}) as object)), `${b.where}: rules.${id}.options`).toBe(true);
        }
        const r = runCli(['scan', '--input', path.join(ROOT, 'fixtures/demo/estate.json')], { cwd: dir });
        expect(r.stderr, b.where).toBe('');
        expect(r.code, b.where).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('the documented config error lines are what an invalid file prints', () => {
    const block = /one line per problem, naming the file and the path:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1].trim().split('\n') ?? [];
    expect(block).toHaveLength(2);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-readme-bad-'));
    try {
      const bad = ['tiers:\n  data: [{ key: 1 }]\n', 'rules:\n  no-such-rule: { enabled: false }\n'];
      bad.forEach((text, i) => {
        writeFileSync(path.join(dir, 'sg-audit.config.yaml'), text);
        const r = runCli(['scan', '--input', path.join(ROOT, 'fixtures/demo/estate.json')], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')).toContain(block[i]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('suppression examples load with the real loader, and no expiry date is already past', () => {
    // The examples use 2099-12-31: far enough ahead that this test does not start failing next year.
    const today = isoDay(new Date());
    for (const b of ofKind('suppressions')) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-readme-sup-'));
      try {
        writeFileSync(path.join(dir, '.sg-audit-suppressions.yaml'), b.text);
        const sup = loadSuppressions({ cwd: dir });
        expect(sup?.entries.length, b.where).toBe((b.doc as { suppressions: unknown[] }).suppressions.length);
        for (const e of sup!.entries) if (e.expires) expect(e.expires >= today, `${b.where}: expires ${e.expires} is past`).toBe(true);
        const r = runCli(['scan', '--input', path.join(ROOT, 'fixtures/demo/estate.json'), '--format', 'json'], { cwd: dir });
        expect(r.code, r.stderr).toBe(1);
        const statuses = (JSON.parse(r.stdout) as { suppressions: { entries: { status: string }[] } }).suppressions.entries.map((e) => e.status);
        expect(statuses, b.where).not.toContain('expired');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('CI examples install sg-audit from a pinned tarball (sha256-checked), never with npx', () => {
    for (const k of ['github-actions', 'gitlab-ci'] as const) {
      const [b] = ofKind(k);
      expect(b.text, b.where).not.toMatch(/\bnpx\b/);
      const lines = ciLines(b.doc);
      expect(lines.filter((l) => PINNED_INSTALL.includes(l)), b.where).toEqual(PINNED_INSTALL);
      // The placeholders are marked as such, and the URL names this version's tarball.
      expect(b.text).toContain(`https://github.com/YOUR-ORG/sg-audit/releases/download/v${pkg.version}/sg-audit-${pkg.version}.tgz`);
      expect(b.text).toContain(`SG_AUDIT_SHA256: REPLACE-WITH-THE-SHA256-OF-sg-audit-${pkg.version}.tgz`);
    }
    // GitHub: installed before the job has AWS credentials.
    const gh = ofKind('github-actions')[0].doc as { jobs: { audit: { steps: { uses?: string; run?: string }[] } } };
    const steps = gh.jobs.audit.steps;
    const install = steps.findIndex((s) => s.run?.includes('npm install -g'));
    const creds = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(creds);
  });

  // Resolves the tarball's dependencies from the npm registry, which this machine and CI reach.
  it('the CI install lines work on a real tarball, and refuse a wrong hash', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-ci-install-'));
    try {
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, stdio: 'ignore' });
      const tgz = path.join(tmp, `sg-audit-${pkg.version}.tgz`);
      const sha = createHash('sha256').update(readFileSync(tgz)).digest('hex');
      const lines = ciLines(ofKind('github-actions')[0].doc).filter((l) => PINNED_INSTALL.includes(l));
      const job = (hash: string, prefix: string) =>
        spawnSync('/bin/sh', ['-ec', lines.join('\n')], {
          cwd: tmp,
          encoding: 'utf8',
          env: { ...process.env, SG_AUDIT_URL: `file://${tgz}`, SG_AUDIT_SHA256: hash, npm_config_prefix: path.join(tmp, prefix) },
        });
      const wrong = job('0'.repeat(64), 'bad');
      expect(wrong.status).not.toBe(0);
      expect(wrong.stdout + wrong.stderr).toMatch(/FAILED/);
      const ok = job(sha, 'good');
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stderr).not.toMatch(/prepare|tsc/);
      const scan = spawnSync(path.join(tmp, 'good/bin/sg-audit'), ['scan', '--input', path.join(ROOT, 'fixtures/demo/estate.json')], { cwd: tmp, encoding: 'utf8' });
      expect(scan.stderr).toBe('');
      expect(scan.status).toBe(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('CI examples pass only options that `sg-audit scan` has', () => {
    const flags = scanFlags();
    expect(flags.has('--fail-on')).toBe(true);
    for (const k of ['github-actions', 'gitlab-ci'] as const) {
      const [b] = ofKind(k);
      const scans = ciLines(b.doc).filter((l) => l.startsWith('sg-audit '));
      expect(scans.length, b.where).toBe(1);
      expect(scans[0]).toMatch(/^sg-audit scan /);
      const used = [...scans[0].matchAll(/\s(--[a-z][a-z-]*)/g)].map((m) => m[1]);
      expect(used.filter((f) => !flags.has(f)), b.where).toEqual([]);
    }
  });

  it('the IAM policy grants exactly the read-only actions of "What is called"', () => {
    const policy = ofKind('iam-policy')[0].doc as { Statement: { Effect: string; Action: string[]; Resource: string }[] };
    const granted = policy.Statement.flatMap((s) => s.Action).sort();
    const table = /### What is called\n([\s\S]*?)\n\n[A-Z]/.exec(readme)?.[1] ?? '';
    const called = [...new Set([...table.matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((m) => m[1]).filter((a) => !a.startsWith('sts:')))].sort();
    expect(called.length).toBeGreaterThan(5);
    expect(granted).toEqual(called);
    expect(granted.every((a) => /:(Describe|Get)[A-Za-z]+$/.test(a))).toBe(true);
    expect(policy.Statement.every((s) => s.Effect === 'Allow' && s.Resource === '*')).toBe(true);
  });
});
