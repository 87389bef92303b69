/**
 * Issue #10 (CLI items 3, 4, 11, 12 and the CLI papercuts of 20): stdout failures, internal errors, rule
 * selections that check nothing, JUnit not changing the other formats, colours, parser errors, flags that
 * the chosen mode would drop. Real child processes of the built CLI (dist/, built by `npm test`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { colorEnabled, guardStream, type CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { EXIT } from '../../src/util/errors.js';
import { DEMO_ESTATE, RAW_DESCRIBE, tempDir } from '../helpers/files.js';
import { assertCliBuilt, CLI_BIN, runCli } from '../helpers/spawn-cli.js';

let dir: string;
const run = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env });

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('hardening');
});

const expectUsage = (r: ReturnType<typeof run>, line: RegExp | string) => {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
};

/** `cli ARGS | reader` in bash: the CLI's exit code and stderr (the reader's output is dropped). */
function piped(args: string[], reader: string) {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const err = path.join(dir, `stderr-${Math.random().toString(36).slice(2)}.txt`);
  const cmd = `${q(process.execPath)} ${q(CLI_BIN)} ${args.map(q).join(' ')} 2>${q(err)} | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"`;
  const r = spawnSync('bash', ['-c', cmd], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir },
  });
  return { code: Number(r.stdout.trim()), stderr: readFileSync(err, 'utf8') };
}

describe('stdout failures never print a stack (item 3)', () => {
  it('a reader that closes early (EPIPE) ends the output quietly; the exit code stays the gate verdict', () => {
    // ~400 KB of JSON: far beyond a pipe buffer, so the CLI is still writing when `head` exits.
    const scan = piped(['scan', '--input', DEMO_ESTATE, '-f', 'json', '-v'], 'head -c 10');
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(EXIT.FINDINGS);
    // The reader closes its end before the CLI has even started writing.
    const rules = piped(['rules'], '{ exec 0<&-; sleep 0.5; }');
    expect(rules.stderr).toBe('');
    expect(rules.code).toBe(0);
  });

  it('ENOSPC (> /dev/full) is one line and exit 2, for scan and rules', () => {
    for (const args of [['scan', '--input', DEMO_ESTATE], ['rules']]) {
      const r = spawnSync('bash', ['-c', `"$0" "$@" > /dev/full`, process.execPath, CLI_BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('sg-audit: stdout: cannot write (ENOSPC)\n');
      expect(r.status).toBe(EXIT.USAGE);
    }
  });

  it('guardStream reports the first failure once, thrown or emitted, and drops later writes', () => {
    const failures: string[] = [];
    let listener: ((err: NodeJS.ErrnoException) => void) | undefined;
    let writes = 0;
    const out = guardStream(
      {
        write: () => {
          writes++;
          throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        },
        on: (_e, l) => (listener = l),
      },
      (err) => failures.push(err.code!),
    );
    out.write('a');
    out.write('b');
    listener!(Object.assign(new Error('broken'), { code: 'EPIPE' }));
    expect([failures, writes]).toEqual([['ENOSPC'], 1]);
  });
});

describe('internal errors (item 4)', () => {
  const io = (stderr: string[]): CliIO => ({
    stdout: {
      write: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    },
    stderr: { write: (s: string) => stderr.push(s) },
    env: {},
    cwd: dir,
  });

  it('exit 4 (not 3: incomplete scan) and say how to report the bug', async () => {
    const stderr: string[] = [];
    expect(await main(['rules'], io(stderr))).toBe(EXIT.INTERNAL);
    expect(EXIT.INTERNAL).toBe(4);
    const lines = stderr.join('').trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^sg-audit: internal error \(a bug in sg-audit \d+\.\d+\.\d+\): TypeError: cannot read properties of undefined$/,
      ),
      'sg-audit: please report it with the output of the same command run with --debug',
    ]);
  });

  it('--debug adds the stack', async () => {
    const stderr: string[] = [];
    expect(await main(['rules', '--debug'], io(stderr))).toBe(EXIT.INTERNAL);
    const text = stderr.join('');
    expect(text).toMatch(/\n\s+at /);
    expect(text.trimEnd().split('\n').at(-1)).toBe('sg-audit: please report it with this output');
  });
});

describe('a scan that would evaluate no rule is a usage error (item 11)', () => {
  it('--skip-rules that leaves nothing, --rules or --skip-rules given an empty list', () => {
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--skip-rules', '*']),
      'sg-audit: --skip-rules *: leaves no rule to run; a scan that checks nothing cannot pass',
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--rules', '']),
      `sg-audit: --rules "": expected rule ids or globs, comma-separated (see 'sg-audit rules')`,
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--rules', ' , ']),
      /^sg-audit: --rules " , ": expected rule ids or globs/,
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--skip-rules', '']),
      /^sg-audit: --skip-rules "": expected rule ids or globs/,
    );
    expectUsage(run(['collect', '-o', 'x.json', '--rules', '']), /^sg-audit: --rules "": expected rule ids or globs/);
  });

  it('every rule disabled in the settings', () => {
    const ids = JSON.parse(run(['rules', '--format', 'json']).stdout) as Array<{ id: string }>;
    const cfg = path.join(
      tempDir('all-off', {
        'off.json': JSON.stringify({ rules: Object.fromEntries(ids.map((r) => [r.id, { enabled: false }])) }),
      }),
      'off.json',
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--config', cfg]),
      /: every rule is disabled; a scan that checks nothing cannot pass$/,
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--config', cfg, '--rules', 'data-tier-sg']),
      /^sg-audit: --rules data-tier-sg: every rule it selects is disabled in /,
    );
  });
});

describe('JUnit does not change the other formats (item 12)', () => {
  it('the JSON, SARIF and table outputs of a run with JUnit are those of a run without', () => {
    const strip = (s: string) =>
      s.replace(/"(generatedAt|timestamp|endTimeUtc)":\s*"[^"]*"/g, '').replace(/timestamp="[^"]*"/g, '');
    const read = (f: string) => strip(readFileSync(path.join(dir, f), 'utf8'));
    const alone = run([
      'scan',
      '--input',
      DEMO_ESTATE,
      '-f',
      'json',
      '--report',
      'sarif=alone.sarif',
      '--report',
      'table=alone.txt',
    ]);
    const withJunit = run([
      'scan',
      '--input',
      DEMO_ESTATE,
      '-f',
      'json',
      '--report',
      'junit=j.xml',
      '--report',
      'sarif=j.sarif',
      '--report',
      'table=j.txt',
    ]);
    const json = JSON.parse(withJunit.stdout);
    expect(json.summary.passesListed).toBe(false);
    expect(json.findings.some((f: { status: string }) => f.status === 'pass')).toBe(false);
    expect(strip(withJunit.stdout)).toBe(strip(alone.stdout));
    expect(read('j.sarif')).toBe(read('alone.sarif'));
    expect(read('j.txt')).toBe(read('alone.txt'));
    // JUnit still has every (rule, resource) as a test case: the same as asked for on its own.
    const junitAlone = run(['scan', '--input', DEMO_ESTATE, '-f', 'junit']);
    expect(read('j.xml')).toBe(strip(junitAlone.stdout));
    expect(junitAlone.stdout.match(/<testcase /g)!.length).toBeGreaterThan(json.findings.length);
  });

  it('--verbose still lists passes in every format', () => {
    const json = JSON.parse(
      run(['scan', '--input', DEMO_ESTATE, '-f', 'json', '-v', '--report', 'junit=v.xml']).stdout,
    );
    expect(json.summary.passesListed).toBe(true);
    expect(json.findings.filter((f: { status: string }) => f.status === 'pass').length).toBe(json.summary.pass);
  });
});

describe('papercuts (item 20)', () => {
  it('FORCE_COLOR=0 (or false) turns colours off, even on a terminal', () => {
    const tty = (env: NodeJS.ProcessEnv): CliIO => ({
      stdout: { write: () => true, isTTY: true },
      stderr: { write: () => true },
      env,
      cwd: dir,
    });
    const pipe = (env: NodeJS.ProcessEnv): CliIO => ({ ...tty(env), stdout: { write: () => true, isTTY: false } });
    expect(colorEnabled(tty({ TERM: 'xterm-256color', FORCE_COLOR: '0' }))).toBe(false);
    expect(colorEnabled(tty({ TERM: 'xterm-256color', FORCE_COLOR: 'false' }))).toBe(false);
    expect(colorEnabled(tty({ TERM: 'xterm-256color' }))).toBe(true);
    expect(colorEnabled(tty({ TERM: 'xterm-256color', NO_COLOR: '1' }))).toBe(false);
    expect(colorEnabled(tty({ TERM: 'xterm-256color', NO_COLOR: '' }))).toBe(true);
    expect(colorEnabled(pipe({ FORCE_COLOR: '1' }))).toBe(true);
    expect(colorEnabled(pipe({ FORCE_COLOR: '1', NO_COLOR: '1' }))).toBe(false);
    expect(colorEnabled(pipe({}))).toBe(false);
    expect(run(['scan', '--input', DEMO_ESTATE], { FORCE_COLOR: '0' }).stdout).not.toMatch(/\x1b\[/);
  });

  it('option-parser errors are one line with the sg-audit: prefix', () => {
    expectUsage(run(['scan', '--bogus']), "sg-audit: unknown option '--bogus' (run with --help for usage)");
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--concurrency', 'x']),
      /^sg-audit: option '--concurrency <n>' argument 'x' is invalid\. expected an integer from 1 to 1000/,
    );
    expectUsage(
      run(['scan', '--input', DEMO_ESTATE, '--fail-on', 'urgent']),
      /^sg-audit: option '--fail-on <severity>' argument 'urgent' is invalid\. Allowed choices are /,
    );
    expectUsage(run(['sacn']), "sg-audit: unknown command 'sacn' (Did you mean scan?)");
    expectUsage(
      run(['collect']),
      "sg-audit: required option '-o, --output <file>' not specified (run with --help for usage)",
    );
  });

  it('live flags with --input are usage errors naming the flag to use', () => {
    expectUsage(
      run(['scan', '--input', RAW_DESCRIBE, '--regions', 'eu-west-1']),
      /^sg-audit: --regions: only for live scans, .*use --region; drop --input to scan live\)$/,
    );
    for (const args of [
      ['--profile', 'prod'],
      ['--role-arn', 'arn:aws:iam::111122223333:role/a'],
      ['--workers', '2'],
      ['--timeout', '5'],
      ['--retry-mode', 'adaptive'],
    ]) {
      expectUsage(
        run(['scan', '--input', DEMO_ESTATE, ...args]),
        new RegExp(
          `^sg-audit: ${args[0]}: only for live scans, and --input reads files instead \\(drop --input to scan live\\)$`,
        ),
      );
    }
    // --quiet is harmless with files (CI scripts pass it always).
    expect(run(['scan', '--input', DEMO_ESTATE, '-q']).code).toBe(1);
  });

  it('--region and --account on a live scan are usage errors naming the flag to use, before any AWS call', () => {
    // No credentials and no endpoint: reaching AWS would fail differently.
    expectUsage(
      run(['scan', '--region', 'eu-west-1']),
      'sg-audit: --region: only labels raw aws-cli --input files; a live scan takes --regions',
    );
    expectUsage(
      run(['scan', '--account', '111122223333']),
      /^sg-audit: --account: only labels raw aws-cli --input files; a live scan takes its accounts from/,
    );
  });
});
