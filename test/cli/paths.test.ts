/**
 * `sg-audit paths` end to end: the built binary (dist/) on test snapshots, the raw aws-cli fixture and the demo
 * estate; bad flags are one line and exit 2; input without network data lists every interface as undecided and
 * exits 3, never an empty "no paths".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/schema.js';
import {
  ACCOUNT,
  eni,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  REGION,
  sg,
  snapshot,
  target,
  targetGroup,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';
import { DEMO_ESTATE as DEMO, RAW_DESCRIBE as RAW, ROOT, tempDir, writeInput } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';
import { expectGolden } from '../report/fixture.js';

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

// A public subnet (igw-1, main table rtb-main 0.0.0.0/0 → igw-1, default ACL): a bastion with a public address
// admitting SSH from anywhere, an internet-facing ALB on 443 forwarding to an app instance on 8080 (admitting the
// ALB's group), and a private instance (no public address) admitting SSH from anywhere: not reachable.
const alb = loadBalancer('public-alb', { groups: ['sg-alb'], tier: 'lb' });
const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-app')] });
const v2 = snapshot(
  region({
    groups: [
      sg('sg-bastion', { ingress: [tcp(22, '0.0.0.0/0')] }),
      sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }),
      sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-alb')] }),
      sg('sg-private', { ingress: [tcp(22, '0.0.0.0/0')] }),
    ],
    enis: [
      eni('eni-bastion', {
        subnetId: 'subnet-pub',
        groups: ['sg-bastion'],
        publicIp: '198.51.100.10',
        instanceId: 'i-bastion',
        deviceIndex: 0,
      }),
      lbEni('eni-alb-a', alb, { publicIp: '198.51.100.20' }),
      eni('eni-app', { subnetId: 'subnet-pub', groups: ['sg-app'], instanceId: 'i-app', deviceIndex: 0 }),
      eni('eni-private', { subnetId: 'subnet-pub', groups: ['sg-private'], instanceId: 'i-private', deviceIndex: 0 }),
    ],
    lbs: [alb],
    ...network(publicSubnet(), { listeners: [listener(alb, 443, [tg.arn])], targetGroups: [tg] }),
  }),
);
const PUBLIC_HOPS = [
  { type: 'internet-gateway', id: 'igw-1' },
  { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
  { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
  { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
];

interface Listing {
  paths: { target: { id: string }; protocol: string; ports: number[][]; hops: { type: string; id: string }[] }[];
  unknown: unknown[];
  interfaces: Record<string, number>;
}
const listed = (args: string[]) => {
  const r = run(['paths', '--input', 'v2.json', '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) as Listing };
};
const summary = (l: Listing) =>
  l.paths.map((p) => `${p.target.id} ${p.protocol} ${p.ports.map((s) => s.join('-')).join(',')}`);

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('cli-paths');
  write('v1.json', v1);
  write('v2.json', v2);
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

  it('a v2 snapshot: every internet-reachable interface with its path, exit 0', () => {
    const { code, json } = listed([]);
    expect(code).toBe(0);
    expect(json.unknown).toEqual([]);
    expect(json.interfaces).toEqual({ reachable: 3, unreachable: 1, unknown: 0 });
    expect(summary(json)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080', 'eni-bastion tcp 22-22']);
    expect(json.paths[2]).toEqual({
      from: 'internet',
      source: '0.0.0.0/0',
      target: { type: 'network-interface', id: 'eni-bastion', attachedTo: { type: 'instance', id: 'i-bastion' } },
      protocol: 'tcp',
      ports: [[22, 22]],
      hops: [...PUBLIC_HOPS, { type: 'security-group', id: 'sg-bastion', permissionIndex: 0 }],
      accountId: ACCOUNT,
      region: REGION,
    });
    // Through the load balancer: its listener and target group before the target.
    const types = json.paths[1].hops.map((h) => h.type);
    expect(types).toContain('load-balancer');
    expect(types.indexOf('target-group')).toBeGreaterThan(types.indexOf('load-balancer'));
    expect(json.paths[1].hops.at(-1)).toEqual({ type: 'security-group', id: 'sg-app', permissionIndex: 0 });
  });

  it('--to selects by interface, instance, load balancer (name or ARN), security group or tier; --port by port', () => {
    expect(summary(listed(['--to', 'eni-bastion']).json)).toEqual(['eni-bastion tcp 22-22']);
    expect(summary(listed(['--to', 'i-app']).json)).toEqual(['eni-app tcp 8080-8080']);
    for (const lb of ['public-alb', alb.arn])
      expect(summary(listed(['--to', lb]).json)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080']);
    expect(summary(listed(['--to', 'sg-alb']).json)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080']);
    expect(summary(listed(['--to', 'app']).json)).toEqual([]); // sg-app's tier tag: not the interface's own
    expect(summary(listed(['--to', 'lb']).json)).toEqual(['eni-alb-a tcp 443-443']);
    expect(summary(listed(['--port', '22']).json)).toEqual(['eni-bastion tcp 22-22']);
    // Not reachable is a listing too: the private instance exists, nothing reaches it, exit 0.
    const none = listed(['--to', 'i-private']);
    expect(none).toEqual({
      code: 0,
      json: {
        paths: [],
        unknown: [],
        interfaces: { reachable: 0, unreachable: 1, unknown: 0 },
        query: expect.anything(),
      },
    });
  });

  it('the table: a row per path, the hop chain under it, within 100 columns', () => {
    const r = run(['paths', '--input', 'v2.json', '--to', 'eni-bastion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'sg-audit paths  from the internet to eni-bastion: 1 path to 1 network interface',
        '',
        '111111111111/us-east-1',
        '  TARGET       ATTACHED TO    PORTS   SOURCE     VIA',
        '  eni-bastion  ec2 i-bastion  tcp 22  0.0.0.0/0  direct',
        '      igw-1 → rtb-main 0.0.0.0/0 → acl-default in#100 out#100 → sg-bastion perm#0',
        '',
        'Interfaces: 1 reachable, 0 not reachable, 0 undecided',
        '',
      ].join('\n'),
    );
  });

  it('--config: the tier tags --to TIER reads come from the settings file', () => {
    write('layers.yaml', 'tiers:\n  web: [{ key: Layer, value: front }]\n');
    const tagged: Snapshot = {
      ...v2,
      regions: v2.regions.map((r) => ({
        ...r,
        networkInterfaces: r.networkInterfaces.map((e) =>
          e.id === 'eni-bastion' ? { ...e, tags: { Layer: 'front' } } : e,
        ),
      })),
    };
    write('tagged.json', tagged);
    const args = ['paths', '--input', 'tagged.json', '--to', 'web', '--format', 'json'];
    const withConfig = run([...args, '--config', 'layers.yaml']);
    expect(withConfig.code).toBe(0);
    expect(summary(JSON.parse(withConfig.stdout) as Listing)).toEqual(['eni-bastion tcp 22-22']);
    expect(summary(JSON.parse(run(args).stdout) as Listing)).toEqual([]); // default matchers: Tier=web
  });

  it('several --input files merge into one estate', () => {
    write('us.json', v2);
    write('eu.json', snapshot(region({ region: 'eu-west-1', groups: [sg('sg-eu')], collected: ['securityGroups'] })));
    const r = run(['paths', '--input', 'us.json', '--input', 'eu.json', '--format', 'json']);
    expect(r.code).toBe(3); // eu-west-1's interfaces were not collected
    const json = JSON.parse(r.stdout) as Listing;
    expect(summary(json)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080', 'eni-bastion tcp 22-22']);
    expect(json.unknown).toEqual([
      { accountId: ACCOUNT, region: 'eu-west-1', reason: 'network interfaces not collected' },
    ]);
  });

  it('colour only on a terminal (FORCE_COLOR forces it, NO_COLOR wins); never in -o files', () => {
    expect(run(['paths', '--input', 'v2.json']).stdout).not.toMatch(/\x1b\[/);
    expect(run(['paths', '--input', 'v2.json'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
    expect(run(['paths', '--input', 'v2.json'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(
      /\x1b\[/,
    );
    run(['paths', '--input', 'v2.json', '-o', 'colour.txt'], { env: { FORCE_COLOR: '1' } });
    expect(readFileSync(path.join(dir, 'colour.txt'), 'utf8')).not.toMatch(/\x1b\[/);
  });

  it('--account for raw input is checked as scan checks it', () => {
    const r = run(['paths', '--input', RAW, '--account', '12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sg-audit: --account: expected a 12-digit AWS account id (got "12")\n');
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

  it('bad flags and inputs: one line naming what was expected, exit 2, nothing on stdout', () => {
    write('not-json.json', '{');
    write('not-a-snapshot.json', '{"foo": 1}');
    const cases: [string[], RegExp][] = [
      [['--input', 'not-json.json'], /^sg-audit: .*not-json\.json: invalid JSON/],
      [['--input', 'not-a-snapshot.json'], /^sg-audit: .*not-a-snapshot\.json: not an sg-audit snapshot/],
      [['--input', DEMO, '--format', 'bogus'], /^sg-audit: --format bogus: expected one of table, json, markdown$/],
      [['--input', 'not-json.json', '-o', 'not-json.json'], /^sg-audit: -o not-json\.json: is also read as --input/],
      [['--input', DEMO, '--to', 'i-nothing'], /^sg-audit: --to "i-nothing": names nothing in the estate; expected /],
      [['--input', DEMO, '--port', '70000'], /^sg-audit: --port "70000": expected a port number 0-65535$/],
      [['--input', DEMO, '--port', 'https'], /^sg-audit: --port "https": expected a port number 0-65535$/],
      [['--input', DEMO, '--from', 'sg-web'], /^sg-audit: --from "sg-web": only 'internet' is modelled/],
    ];
    for (const [args, message] of cases) {
      const r = run(['paths', ...args]);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
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

  it('README: the paths examples show the real output on the demo estate (rerun them when it changes)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const examples = [
      ...readme.matchAll(/```sh\n(node dist\/src\/cli\/bin\.js (paths [^\n]*))\n```\n\n```text\n([\s\S]*?)```/g),
    ];
    expect(examples).toHaveLength(2);
    for (const [, cmd, args, shown] of examples) {
      expect(runCli(args.split(' '), { cwd: ROOT }).stdout, `README output of ${cmd}`).toBe(shown);
    }
  });

  it.each([
    ['table', 'table.txt'],
    ['json', 'json'],
    ['markdown', 'md'],
  ])(
    'the demo estate as %s: the golden file fixtures/golden/paths/demo.%s (UPDATE_GOLDEN=1 rewrites it)',
    (format, ext) => {
      const r = run(['paths', '--input', DEMO, '--format', format]);
      expect(r.stderr).toBe('');
      const json = JSON.parse(run(['paths', '--input', DEMO, '--format', 'json']).stdout) as Listing;
      expect(r.code).toBe(json.unknown.length > 0 ? 3 : 0);
      expectGolden(`paths/demo.${ext}`, r.stdout);
    },
  );
});
