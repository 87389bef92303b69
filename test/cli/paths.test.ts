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
  acl,
  collectedExcept,
  eni,
  instance,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  REGION,
  sg,
  snapshot,
  subnet,
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

// Lateral paths (issue #13): one VPC, three subnets on one allow-all ACL (acl-default, so ACLs are evaluated between
// subnets), the main table's local route. A bastion with a public address admitting SSH from anywhere; a web
// instance whose egress allows only tcp 443 (so it cannot reach the app's 8080: a broken chain); an app instance
// admitting 8080 from the web group; the orders database admitting 5432 from the app group and from the bastion's.
const lateralRegion = (collected?: ReturnType<typeof collectedExcept>) => {
  const r = region({
    groups: [
      sg('sg-bastion', { ingress: [tcp(22, '0.0.0.0/0')] }),
      sg('sg-web', { tier: 'web', ingress: [tcp(443, '0.0.0.0/0')], egress: [tcp(443, '0.0.0.0/0')] }),
      sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-web')] }),
      sg('sg-db', { tier: 'data', ingress: [tcp(5432, 'sg-app'), tcp(5432, 'sg-bastion')] }),
    ],
    enis: [
      eni('eni-bastion', {
        ...{ subnetId: 'subnet-pub', privateIp: '10.0.1.10', groups: ['sg-bastion'], publicIp: '198.51.100.10' },
        ...{ instanceId: 'i-bastion', deviceIndex: 0 },
      }),
      eni('eni-web', { subnetId: 'subnet-pub', privateIp: '10.0.1.20', groups: ['sg-web'], instanceId: 'i-web' }),
      eni('eni-app', { subnetId: 'subnet-app', privateIp: '10.0.2.10', groups: ['sg-app'], instanceId: 'i-app' }),
      eni('eni-db', {
        ...{ subnetId: 'subnet-db', privateIp: '10.0.3.10', groups: ['sg-db'] },
        ...{ description: 'RDSNetworkInterface', requesterManaged: true },
      }),
    ],
    instances: [instance('orders', ['sg-db'], { tier: 'data' })],
    ...network(publicSubnet(), {
      subnets: [subnet('subnet-app', { cidr: '10.0.2.0/24' }), subnet('subnet-db', { cidr: '10.0.3.0/24' })],
    }),
    ...(collected ? { collected } : {}),
  });
  r.networkAcls = [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-app', 'subnet-db'], isDefault: true })];
  return r;
};
const APP = { type: 'network-interface', id: 'eni-app', attachedTo: { type: 'instance', id: 'i-app' } };
const ORDERS = {
  type: 'network-interface',
  id: 'eni-db',
  attachedTo: { type: 'db-instance', id: 'orders', arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`, name: 'orders' },
};
/** eni-app → eni-db across subnets: egress, the app subnet's ACL out, the local route, the db subnet's ACL in. */
const APP_TO_DB_HOPS = [
  { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
  { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
  { type: 'route-table', id: 'rtb-main', route: 'local' },
  { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
  { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
];

interface LateralJson {
  paths: {
    from: string | { id: string };
    target: { id: string };
    steps: number;
    hops: { type: string; id: string }[];
  }[];
  undecided: { from: string; to: string; reason: string; accountId?: string }[];
  unreachable?: { from: string; to: string; reason: string }[];
  query: Record<string, unknown>;
}
const lateralRun = (args: string[], input = 'lateral.json') => {
  const r = run(['paths', '--input', input, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) as LateralJson };
};
const chains = (l: LateralJson) =>
  l.paths.map((p) =>
    [
      typeof p.from === 'string' ? p.from : p.from.id,
      ...p.hops.filter((h) => h.type === 'network-interface').map((h) => h.id),
      p.target.id,
    ].join(' → '),
  );

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
  write('lateral.json', snapshot(lateralRegion()));
  write('lateral-no-acls.json', snapshot(lateralRegion(collectedExcept('networkAcls'))));
});

describe('sg-audit paths', () => {
  it('--help shows the flags, the exit codes and an example', () => {
    const r = run(['paths', '--help']);
    expect(r.code).toBe(0);
    const flags = ['--input <file>', '--from <id|tier>', '--to <id|tier>', '--port <n>', '--max-hops <k>'];
    for (const flag of [...flags, '--format <format>']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('Exit codes: 0 listed');
    expect(r.stdout).toMatch(/--max-hops <k> +interface-to-interface steps a path may take, 1-5\s+\(default: 1,/);
    expect(r.stdout).toContain('sg-audit paths --input snapshot.json --to web --port 443');
    expect(r.stdout).toContain('sg-audit paths --input snapshot.json --from web --to data\n');
    expect(r.stdout).toContain('sg-audit paths --input snapshot.json --from internet --to data --max-hops 2\n');
    expect(run(['--help']).stdout).toMatch(/\n {2}paths \[options\] +list what the internet reaches/);
  });

  it.each([
    [['--port', '70000'], 'sg-audit: --port "70000": expected a port number 0-65535'],
    [['--port', 'ssh'], 'sg-audit: --port "ssh": expected a port number 0-65535'],
    [
      ['--from', 'sg-nothing'],
      'sg-audit: --from "sg-nothing": names nothing in the estate; expected a network interface, ' +
        'instance, load balancer (name or ARN), DB instance or cluster, or security group id, or a tier (lb, web, app, data)',
    ],
    [['--max-hops', '0'], 'sg-audit: --max-hops "0": expected an integer 1-5'],
    [['--max-hops', '6'], 'sg-audit: --max-hops "6": expected an integer 1-5'],
    [['--max-hops', 'two'], 'sg-audit: --max-hops "two": expected an integer 1-5'],
    [['--from', ''], 'sg-audit: --from "": expected internet, a resource id, load balancer name or ARN, or a tier'],
    [
      ['--to', 'internet'],
      'sg-audit: --to "internet": paths start at the internet (--from internet), they do not end there; expected ' +
        'a resource id, load balancer name or ARN, or a tier',
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
      [['--input', DEMO, '--from', 'sg-nothing'], /^sg-audit: --from "sg-nothing": names nothing in the estate; /],
      [['--input', DEMO, '--from', 'web', '--to', 'db-x'], /^sg-audit: --to "db-x": names nothing in the estate; /],
      [['--input', DEMO, '--from', 'web', '--max-hops', '9'], /^sg-audit: --max-hops "9": expected an integer 1-5$/],
      [['--input', RAW, '--to', 'i-0abc'], /^sg-audit: --to "i-0abc": names nothing the input holds: its network /],
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
    expect(examples.length).toBeGreaterThanOrEqual(2); // internet paths; lateral ones (issue #13) too
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

describe('sg-audit paths --from (lateral paths, issue #13)', () => {
  it('--from app --to data: the LateralPath contract (egress SG, ACL out, local route, ACL in, ingress SG), exit 0', () => {
    const { code, json } = lateralRun(['--from', 'app', '--to', 'data']);
    expect(code).toBe(0);
    expect(json).toEqual({
      paths: [
        {
          from: APP,
          target: ORDERS,
          protocol: 'tcp',
          ports: [[5432, 5432]],
          hops: APP_TO_DB_HOPS,
          accountId: ACCOUNT,
          region: REGION,
          steps: 1,
        },
      ],
      undecided: [],
      query: { from: 'app', to: 'data', maxHops: 1, fromInterfaces: 1, toInterfaces: 1 },
    });
  });

  it('--from and --to by instance, security group (its interfaces), database or interface: the same answer', () => {
    for (const [from, to] of [
      ['i-app', 'orders'],
      ['sg-app', 'eni-db'],
      ['eni-app', 'sg-db'],
    ]) {
      expect(chains(lateralRun(['--from', from, '--to', to]).json), `${from} → ${to}`).toEqual(['eni-app → eni-db']);
    }
    // The bastion's group is admitted too; without --to, every interface it reaches.
    expect(chains(lateralRun(['--from', 'i-bastion', '--to', 'data']).json)).toEqual(['eni-bastion → eni-db']);
    // (sg-web admits tcp 443 from 0.0.0.0/0, which holds the bastion's private address.)
    expect(chains(lateralRun(['--from', 'i-bastion']).json)).toEqual(['eni-bastion → eni-db', 'eni-bastion → eni-web']);
  });

  it('--port: only paths holding it; no path names what blocks the direct connection on tcp N', () => {
    expect(chains(lateralRun(['--from', 'app', '--to', 'data', '--port', '5432']).json)).toEqual(['eni-app → eni-db']);
    const ssh = lateralRun(['--from', 'app', '--to', 'data', '--port', '22']);
    expect(ssh.code).toBe(0);
    expect(ssh.json.paths).toEqual([]);
    expect(ssh.json.unreachable).toEqual([
      {
        from: 'eni-app',
        to: 'eni-db',
        reason: expect.stringMatching(/^sg-db admits nothing from sg-app on tcp 22 to eni-db/),
      },
    ]);
    expect(ssh.json.query).toEqual({
      from: 'app',
      to: 'data',
      port: 22,
      maxHops: 1,
      fromInterfaces: 1,
      toInterfaces: 1,
    });
  });

  it('a broken chain (web egress only tcp 443, app admits 8080): no path, exit 0, the blocking hop named', () => {
    const { code, json } = lateralRun(['--from', 'web', '--to', 'app']);
    expect(code).toBe(0);
    expect(json.paths).toEqual([]);
    expect(json.unreachable).toEqual([
      {
        from: 'eni-web',
        to: 'eni-app',
        reason: 'sg-web egress allows only tcp 443; sg-app admits tcp 8080 from sg-web',
      },
    ]);
    const table = run(['paths', '--input', 'lateral.json', '--from', 'web', '--to', 'app']);
    expect(table).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'sg-audit paths  from web (1 interface) to app (1 interface) within 1 step: 0 paths',
        '',
        'No path: nothing from web reaches app within 1 step.',
        'Not reachable (what blocks the direct connection):',
        '  eni-web → eni-app: sg-web egress allows only tcp 443; sg-app admits tcp 8080 from sg-web',
        '',
      ].join('\n'),
    });
  });

  it('--from internet --max-hops 2: internet → bastion → database with the network-interface hop', () => {
    const { code, json } = lateralRun(['--from', 'internet', '--to', 'data', '--max-hops', '2']);
    expect(code).toBe(0);
    expect(chains(json)).toEqual(['internet → eni-bastion → eni-db']);
    expect(json.paths[0]).toMatchObject({ from: 'internet', source: '0.0.0.0/0', target: ORDERS, steps: 2 });
    expect(json.paths[0].hops.map((h) => `${h.type} ${h.id}`)).toEqual([
      'internet-gateway igw-1',
      'route-table rtb-main',
      'network-acl acl-default',
      'network-acl acl-default',
      'security-group sg-bastion',
      'network-interface eni-bastion',
      'security-group sg-bastion',
      'network-acl acl-default',
      'route-table rtb-main',
      'network-acl acl-default',
      'security-group sg-db',
    ]);
    expect(json.query).toEqual({ from: 'internet', to: 'data', maxHops: 2, toInterfaces: 1 });
    // The web tier reaches nothing of the data tier, directly or in two steps (its egress is tcp 443 only).
    expect(lateralRun(['--from', 'web', '--to', 'data', '--max-hops', '2']).json.paths).toEqual([]);
  });

  it('--from internet in one step (the default, or --max-hops 1) is the internet listing, byte for byte', () => {
    const internet = run(['paths', '--input', 'lateral.json', '--to', 'data', '--format', 'json']);
    expect(Object.keys(JSON.parse(internet.stdout) as object)).toEqual(['paths', 'unknown', 'interfaces', 'query']);
    for (const extra of [
      ['--from', 'internet'],
      ['--max-hops', '1'],
      ['--from', 'internet', '--max-hops', '1'],
    ]) {
      expect(run(['paths', '--input', 'lateral.json', '--to', 'data', '--format', 'json', ...extra])).toEqual(internet);
    }
    for (const format of ['table', 'json', 'markdown']) {
      const args = ['paths', '--input', DEMO, '--format', format];
      expect(run([...args, '--from', 'internet', '--max-hops', '1']), format).toEqual(run(args));
    }
  });

  it('data not collected: the pairs it leaves undecided are listed, exit 3, never "no path"', () => {
    const { code, json } = lateralRun(['--from', 'app', '--to', 'data'], 'lateral-no-acls.json');
    expect(code).toBe(3);
    expect(json.paths).toEqual([]);
    expect(json.undecided).toEqual([{ from: 'eni-app', to: 'eni-db', reason: expect.stringMatching(/networkAcls/) }]);
    const table = run(['paths', '--input', 'lateral-no-acls.json', '--from', 'app', '--to', 'data']);
    expect(table.code).toBe(3);
    expect(table.stdout).toContain('No path found among the pairs that could be decided (see "Undecided").\n');
    expect(table.stdout).toContain('Reachability unknown (data not collected), not "not reachable":\n');
    expect(table.stdout).not.toContain('No path: nothing');
    // Same subnet: no ACL is crossed, so the bastion's web neighbour is decided without them.
    expect(lateralRun(['--from', 'i-bastion', '--to', 'eni-web'], 'lateral-no-acls.json').code).toBe(0);
  });

  it('raw describe-security-groups input: a tier is undecided in every account/region (exit 3); an id is exit 2', () => {
    const r = run(['paths', '--input', RAW, '--from', 'web', '--to', 'data', '--format', 'json']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as LateralJson;
    expect(json.paths).toEqual([]);
    expect(json.undecided.length).toBeGreaterThan(0);
    expect(
      json.undecided.every((u) => u.accountId && u.reason === 'network interfaces not collected' && u.from === 'web'),
    ).toBe(true);
    const id = run(['paths', '--input', RAW, '--from', 'i-0abc', '--to', 'data']);
    expect(id.code).toBe(2);
    expect(id.stderr).toMatch(
      /^sg-audit: --from "i-0abc": names nothing the input holds: its network interfaces were not collected \(\d{12}\/[a-z0-9-]+( and \d+ more)?; raw describe-security-groups input holds none\), so no interface, instance, load balancer or database can be found; a snapshot from 'sg-audit collect' holds them\n$/,
    );
  });

  it('--config: the tier tags a lateral --from TIER reads come from the settings file', () => {
    write('front.yaml', 'tiers:\n  web: [{ key: Layer, value: front }]\n');
    const tagged = snapshot(lateralRegion());
    const bastion = tagged.regions[0].networkInterfaces.find((e) => e.id === 'eni-bastion');
    if (bastion) bastion.tags = { Layer: 'front' };
    write('lateral-tagged.json', tagged);
    const args = ['--from', 'web', '--to', 'data'];
    expect(chains(lateralRun([...args, '--config', 'front.yaml'], 'lateral-tagged.json').json)).toEqual([
      'eni-bastion → eni-db',
    ]);
    expect(chains(lateralRun(args, 'lateral-tagged.json').json)).toEqual([]); // default matchers: Tier=web
  });

  it('-o writes the lateral listing (JSON written path by path) to a file: the same text as on stdout', () => {
    const args = ['paths', '--input', 'lateral.json', '--from', 'internet', '--max-hops', '2', '--format', 'json'];
    const shown = run(args);
    expect(run([...args, '-o', 'lateral-out.json'])).toEqual({ code: shown.code, stdout: '', stderr: '' });
    expect(readFileSync(path.join(dir, 'lateral-out.json'), 'utf8')).toBe(shown.stdout);
    expect((JSON.parse(shown.stdout) as LateralJson).paths.length).toBeGreaterThan(1);
  });

  it('table and Markdown: a row per path with the hop chain; Markdown draws it with Mermaid', () => {
    const table = run(['paths', '--input', 'lateral.json', '--from', 'app', '--to', 'data']);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      [
        'sg-audit paths  from app (1 interface) to data (1 interface) within 1 step: 1 path',
        '',
        '111111111111/us-east-1',
        '  FROM       TO          PORTS     STEPS',
        '  ec2 i-app  rds orders  tcp 5432  1',
        '      eni-app → sg-app egress perm#0 → acl-default out#100 → rtb-main local → acl-default in#100',
        '        → sg-db perm#0 → eni-db',
        '',
        'Every pair decided.',
        '',
      ].join('\n'),
    );
    const md = run(
      ['paths', '--input', 'lateral.json', '--from', 'internet', '--to', 'orders', '--max-hops', '2'].concat([
        '--format',
        'markdown',
      ]),
    );
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Lateral paths\n/);
    expect(md.stdout).toContain('  n1["eni-bastion<br/>instance i-bastion"]'); // the joined interface, named
    expect(md.stdout).toContain('  n1 -->|"tcp 5432"| n2');
  });

  it.each([
    ['web-data', ['--from', 'web', '--to', 'data']],
    ['internet-data-2', ['--from', 'internet', '--to', 'data', '--max-hops', '2']],
  ])(
    'the demo estate, lateral %s: golden files fixtures/golden/paths/demo-NAME.* (UPDATE_GOLDEN=1 rewrites them)',
    (name, args) => {
      const json = JSON.parse(run(['paths', '--input', DEMO, ...args, '--format', 'json']).stdout) as LateralJson;
      for (const [format, ext] of [
        ['table', 'table.txt'],
        ['json', 'json'],
        ['markdown', 'md'],
      ]) {
        const r = run(['paths', '--input', DEMO, ...args, '--format', format]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(json.undecided.length > 0 ? 3 : 0);
        expectGolden(`paths/demo-${name}.${ext}`, r.stdout);
      }
    },
  );
});
