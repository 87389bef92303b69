/**
 * `sg-audit paths` end to end: the built binary (dist/) on test snapshots, the raw aws-cli fixture and the demo
 * estate; bad flags are one line and exit 2; input without network data lists every interface as undecided and
 * exits 3, never an empty "no paths".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { eni, region, sg, snapshot, tcp, WITHOUT_NETWORK } from '../helpers/estate.js';
import { DEMO_ESTATE as DEMO, RAW_DESCRIBE as RAW, tempDir, writeInput } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

let dir: string;
const run = (args: string[], o: { env?: Record<string, string> } = {}) => runCli(args, { cwd: dir, ...o });
const write = (name: string, content: string | Snapshot) => writeInput(dir, name, content);

const v1 = snapshot(
  region({
    groups: [sg('sg-web', { ingress: [tcp(22, '0.0.0.0/0')] })],
    enis: [eni('eni-web', ['sg-web'])],
    collected: WITHOUT_NETWORK,
  }),
);

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('cli-paths');
  write('v1.json', v1);
});

describe('sg-audit paths', () => {
  it('--help shows the flags, the exit codes and an example', () => {
    const r = run(['paths', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--input <file>', '--from <source>', '--to <id|tier>', '--port <n>', '--format <format>'])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('Exit codes: 0 listed');
    expect(r.stdout).toContain('sg-audit paths --input snapshot.json --to web --port 443');
    expect(run(['--help']).stdout).toMatch(/\n {2}paths \[options\] +list what the internet reaches/);
  });

  it.each([
    [['--port', '70000'], 'sg-audit: --port "70000": expected a port number 0-65535'],
    [['--port', 'ssh'], 'sg-audit: --port "ssh": expected a port number 0-65535'],
    [
      ['--from', 'sg-web'],
      'sg-audit: --from "sg-web": only \'internet\' is modelled; lateral paths (from a security group, subnet or ' +
        'tier) are not modelled yet',
    ],
    [['--format', 'sarif'], 'sg-audit: --format sarif: expected one of table, json, markdown'],
    [
      ['--to', 'i-nothing'],
      'sg-audit: --to "i-nothing": names nothing in the estate; expected a network interface, ' +
        'instance, load balancer (name or ARN), DB instance or cluster, or security group id, or a tier (lb, web, app, data)',
    ],
    [['-o', 'v1.json'], 'sg-audit: -o v1.json: is also read as --input v1.json; write the output to another file'],
  ])('%j: one line, exit 2, nothing on stdout', (args, line) => {
    const r = run(['paths', '--input', 'v1.json', ...args]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('without --input, or with an unreadable one: one line, exit 2', () => {
    const none = run(['paths']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      "sg-audit: required option '-i, --input <file>' not specified (run with --help for usage)\n",
    );
    const missing = run(['paths', '--input', 'missing.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^sg-audit: .*missing\.json/);
  });

  it('a v1 snapshot: every interface undecided, said so, exit 3', () => {
    const r = run(['paths', '--input', 'v1.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Undecided: 1 network interface.');
    expect(r.stdout).toContain('Reachability unknown (data not collected), not "not reachable":');
    expect(r.stdout).toContain('eni-web');
    expect(r.stdout).not.toContain('No internet path');
  });

  it('raw describe-security-groups input: every account/region undecided (no interfaces collected), exit 3', () => {
    const r = run(['paths', '--input', RAW, '--format', 'json']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as { paths: unknown[]; unknown: { target?: unknown; reason: string }[] };
    expect(json.paths).toEqual([]);
    expect(json.unknown.length).toBeGreaterThan(0);
    expect(json.unknown.every((u) => u.target === undefined && u.reason === 'network interfaces not collected')).toBe(
      true,
    );
  });

  it('-o writes the listing atomically to a file, nothing on stdout', () => {
    const r = run(['paths', '--input', 'v1.json', '--format', 'markdown', '-o', 'paths.md']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(readFileSync(path.join(dir, 'paths.md'), 'utf8')).toMatch(/^## Internet paths\n/);
  });

  it('the demo estate lists (exit 0, or 3 while some interfaces are undecided), in every format', () => {
    for (const format of ['table', 'json', 'markdown']) {
      const r = run(['paths', '--input', DEMO, '--format', format]);
      expect([0, 3]).toContain(r.code);
      expect(r.stderr).toBe('');
      if (format === 'json') {
        const json = JSON.parse(r.stdout) as { paths: unknown[]; unknown: unknown[] };
        expect(r.code).toBe(json.unknown.length > 0 ? 3 : 0);
      }
    }
  });
});
