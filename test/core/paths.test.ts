/**
 * `paths` in core: `--to` resolved against the estate (ENI, instance, load balancer name or ARN, DB instance or
 * cluster, security group, tier), `--port`, `--from`, and undecided interfaces (never dropped, never "not
 * reachable"). The exposure is hand-built here (the model's own tests prove its verdicts); runPaths runs the model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnds, parsePort, runPaths, selectPaths } from '../../src/core/paths.js';
import type { ExposurePath, InterfaceExposure, InternetExposure, PathTarget } from '../../src/exposure/types.js';
import {
  ACCOUNT,
  cluster,
  eni,
  graphOf,
  instance,
  lbEni,
  loadBalancer,
  region,
  REGION,
  sg,
  snapshot,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';
import { tempDir, usageMessage, writeInput } from '../helpers/files.js';

const alb = loadBalancer('public-alb', { groups: ['sg-alb'], tier: 'lb' });
const estate = snapshot(
  region({
    groups: [
      sg('sg-bastion', { ingress: [tcp(22, '0.0.0.0/0')] }),
      sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }),
      sg('sg-app', { ingress: [tcp(8080, 'sg-alb')] }),
      sg('sg-db', { ingress: [tcp(5432, '0.0.0.0/0')] }),
    ],
    enis: [
      eni('eni-bastion', { subnetId: 'subnet-pub', groups: ['sg-bastion'], instanceId: 'i-bastion', tier: 'web' }),
      lbEni('eni-alb-a', alb),
      eni('eni-app', { subnetId: 'subnet-pub', groups: ['sg-app'], instanceId: 'i-app' }),
      eni('eni-db', { subnetId: 'subnet-pub', groups: ['sg-db'], description: 'RDSNetworkInterface' }),
      eni('eni-odd', { subnetId: 'subnet-pub', groups: ['sg-app'], tier: 'app' }),
    ],
    lbs: [alb],
    clusters: [cluster('orders', ['sg-db'], { members: ['orders-1'], tier: 'data' })],
    instances: [instance('orders-1', ['sg-db'], { clusterId: 'orders' })],
  }),
  region({ region: 'eu-west-1', groups: [sg('sg-eu')], collected: ['securityGroups'] }),
);
const graph = graphOf(estate);

const hopsTo = (groupId: string) => [
  { type: 'internet-gateway' as const, id: 'igw-1' },
  { type: 'route-table' as const, id: 'rtb-main', route: '0.0.0.0/0' },
  { type: 'security-group' as const, id: groupId, permissionIndex: 0 },
];
const target = (id: string, attachedTo?: PathTarget['attachedTo']): PathTarget => ({
  type: 'network-interface',
  id,
  ...(attachedTo ? { attachedTo } : {}),
});
const path_ = (t: PathTarget, protocol: string, ports: [number, number][], o: Partial<ExposurePath> = {}) =>
  ({
    from: 'internet',
    source: '0.0.0.0/0',
    target: t,
    protocol,
    ports,
    hops: hopsTo('sg-x'),
    accountId: ACCOUNT,
    region: REGION,
    ...o,
  }) as ExposurePath;

const bastion22 = path_(target('eni-bastion', { type: 'instance', id: 'i-bastion' }), 'tcp', [[22, 22]], {
  hops: hopsTo('sg-bastion'),
});
const bastionIcmp = path_(target('eni-bastion', { type: 'instance', id: 'i-bastion' }), 'icmp', [[-1, -1]], {
  hops: hopsTo('sg-bastion'),
});
const albNode = path_(
  target('eni-alb-a', { type: 'load-balancer', id: 'public-alb', arn: alb.arn }),
  'tcp',
  [[443, 443]],
  {
    hops: hopsTo('sg-alb'),
  },
);
const app8080 = path_(target('eni-app', { type: 'instance', id: 'i-app' }), 'tcp', [[8080, 8080]], {
  hops: [
    ...hopsTo('sg-alb'),
    { type: 'load-balancer', id: alb.arn, listener: 443 },
    { type: 'network-interface', id: 'eni-alb-a' },
    { type: 'security-group', id: 'sg-app', permissionIndex: 0 },
  ],
  via: { loadBalancer: alb.arn, listener: 443 },
});
const db5432 = path_(target('eni-db', { type: 'db-instance', id: 'orders-1' }), 'tcp', [[5432, 5432]], {
  hops: hopsTo('sg-db'),
});
const odd = path_(target('eni-odd'), 'all', [[0, 65535]], { hops: hopsTo('sg-app') });
const PATHS = [albNode, app8080, bastion22, bastionIcmp, db5432, odd];

function iface(t: PathTarget, status: InterfaceExposure['status'], reason: string = status): InterfaceExposure {
  return { eniId: t.id, accountId: ACCOUNT, region: REGION, target: t, status, reason, paths: [] };
}
const INTERFACES = [
  iface(bastion22.target, 'reachable'),
  iface(albNode.target, 'reachable'),
  iface(app8080.target, 'reachable'),
  iface(db5432.target, 'reachable'),
  iface(target('eni-odd'), 'unknown', 'network ACLs not collected'),
];
const exposure: InternetExposure = {
  paths: PATHS,
  interfaces: INTERFACES,
  ofPermissions: () => ({ status: 'unknown', reason: 'n/a', paths: [] }),
  ofInterface: (id) => INTERFACES.find((i) => i.eniId === id),
};

const ids = (ps: ExposurePath[]) =>
  ps.map((p) => `${p.target.id} ${p.protocol} ${p.ports.map((s) => s.join('-')).join(',')}`);
const select = (to?: string, port?: number) => selectPaths(graph, exposure, { to, port });
const EU_UNKNOWN = { accountId: ACCOUNT, region: 'eu-west-1', reason: 'network interfaces not collected' };
const ODD_UNKNOWN = {
  accountId: ACCOUNT,
  region: REGION,
  target: target('eni-odd'),
  reason: 'network ACLs not collected',
};

describe('selectPaths', () => {
  it('no query: every path; undecided interfaces and accounts/regions without interfaces listed', () => {
    const l = select();
    expect(l.paths).toEqual(PATHS);
    expect(l.unknown).toEqual([EU_UNKNOWN, ODD_UNKNOWN]);
    expect(l.interfaces).toEqual({ reachable: 4, unreachable: 0, unknown: 1 });
    expect(l.query).toEqual({ from: 'internet' });
  });

  it('--to an ENI id: its paths, and paths passing through it (a load balancer node)', () => {
    expect(ids(select('eni-bastion').paths)).toEqual(['eni-bastion tcp 22-22', 'eni-bastion icmp -1--1']);
    expect(ids(select('eni-alb-a').paths)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080']);
    expect(select('eni-bastion').unknown).toEqual([]);
    expect(select('eni-odd').unknown).toEqual([ODD_UNKNOWN]);
  });

  it('--to an instance id: the paths to its interfaces', () => {
    expect(ids(select('i-app').paths)).toEqual(['eni-app tcp 8080-8080']);
    expect(select('i-app').interfaces).toEqual({ reachable: 1, unreachable: 0, unknown: 0 });
  });

  it('--to a load balancer by name or ARN: paths to its nodes and through it', () => {
    const expected = ['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080'];
    expect(ids(select('public-alb').paths)).toEqual(expected);
    expect(ids(select(alb.arn).paths)).toEqual(expected);
  });

  it('--to a DB instance, or its cluster (the member instances)', () => {
    expect(ids(select('orders-1').paths)).toEqual(['eni-db tcp 5432-5432']);
    expect(ids(select('orders').paths)).toEqual(['eni-db tcp 5432-5432']);
  });

  it('--to a DB or its tier: an interface several databases could own counts for each', () => {
    const shared = path_(
      target('eni-db', {
        type: 'db-instance',
        id: 'other-db',
        alternatives: [{ type: 'db-instance', id: 'orders-1' }],
      }),
      'tcp',
      [[5432, 5432]],
    );
    const x = { ...exposure, paths: [shared] };
    expect(ids(selectPaths(graph, x, { to: 'orders-1' }).paths)).toEqual(['eni-db tcp 5432-5432']);
    expect(ids(selectPaths(graph, x, { to: 'orders' }).paths)).toEqual(['eni-db tcp 5432-5432']);
    // The tier of an alternative owner (the cluster orders carries Tier=data).
    const inCluster = path_(
      target('eni-db', { type: 'db-instance', id: 'other-db', alternatives: [{ type: 'db-cluster', id: 'orders' }] }),
      'tcp',
      [[3306, 3306]],
    );
    expect(ids(selectPaths(graph, { ...exposure, paths: [inCluster] }, { to: 'data' }).paths)).toEqual([
      'eni-db tcp 3306-3306',
    ]);
  });

  it('--to a security group: paths through one of its permissions; undecided interfaces it is attached to', () => {
    expect(ids(select('sg-app').paths)).toEqual(['eni-app tcp 8080-8080', 'eni-odd all 0-65535']);
    expect(select('sg-app').unknown).toEqual([ODD_UNKNOWN]);
    expect(ids(select('sg-alb').paths)).toEqual(['eni-alb-a tcp 443-443', 'eni-app tcp 8080-8080']);
    // A group of an account/region whose interfaces were not collected: that region is undecided.
    expect(select('sg-eu')).toMatchObject({ paths: [], unknown: [EU_UNKNOWN] });
  });

  it('--to a tier: targets whose interface or attached resource carries the tag', () => {
    expect(ids(select('web').paths)).toEqual(['eni-bastion tcp 22-22', 'eni-bastion icmp -1--1']);
    expect(ids(select('lb').paths)).toEqual(['eni-alb-a tcp 443-443']);
    expect(ids(select('data').paths)).toEqual([]); // orders-1 itself carries no tag; its cluster does
    expect(ids(select('app').paths)).toEqual(['eni-odd all 0-65535']);
    expect(select('app').unknown).toEqual([EU_UNKNOWN, ODD_UNKNOWN]);
  });

  it('--to naming nothing in the estate is a usage error naming it', () => {
    expect(usageMessage(() => select('i-nothing'))).toBe(
      '--to "i-nothing": names nothing in the estate; expected a network interface, instance, load balancer ' +
        '(name or ARN), DB instance or cluster, or security group id, or a tier (lb, web, app, data)',
    );
  });

  it('--port keeps tcp/udp paths whose ranges include it and all-traffic paths; ICMP types are not ports', () => {
    expect(ids(select(undefined, 22).paths)).toEqual(['eni-bastion tcp 22-22', 'eni-odd all 0-65535']);
    expect(ids(select('eni-bastion', 443).paths)).toEqual([]);
    expect(select(undefined, 22).query).toEqual({ from: 'internet', port: 22 });
  });
});

describe('flags', () => {
  it('--port: 0-65535', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort(undefined)).toBeUndefined();
    for (const bad of ['65536', '-1', 'ssh', '', '2.5', '1e3']) {
      expect(usageMessage(() => parsePort(bad))).toBe(`--port ${JSON.stringify(bad)}: expected a port number 0-65535`);
    }
  });

  it('--from and --to: not empty; internet starts paths, never ends them (lateral --from: test/core/paths-lateral)', () => {
    expect(() => checkEnds('internet', 'web')).not.toThrow();
    expect(() => checkEnds('sg-web', undefined)).not.toThrow();
    expect(usageMessage(() => checkEnds(' ', undefined))).toBe(
      '--from "": expected internet, a resource id, load balancer name or ARN, or a tier',
    );
    expect(usageMessage(() => checkEnds(undefined, 'internet'))).toMatch(/^--to "internet": paths start at the /);
  });
});

describe('runPaths', () => {
  const out = () => {
    const chunks: string[] = [];
    return { chunks, stdout: { write: (s: string) => chunks.push(s) } };
  };

  it('a snapshot without network data: every interface undecided, exit 3, never an empty "no paths"', () => {
    const dir = tempDir('paths-v1');
    const v1 = snapshot(
      region({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [eni('eni-1', ['sg-1'])],
        collected: WITHOUT_NETWORK,
      }),
    );
    writeInput(dir, 'v1.json', v1);
    const o = out();
    const r = runPaths({ inputs: ['v1.json'], format: 'json' }, { cwd: dir, stdout: o.stdout });
    expect(r.exitCode).toBe(3);
    const json = JSON.parse(o.chunks.join('')) as { paths: unknown[]; unknown: { target: PathTarget }[] };
    expect(json.paths).toEqual([]);
    expect(json.unknown.map((u) => u.target.id)).toEqual(['eni-1']);
  });

  it('-o writes the file (nothing on stdout); the output may not be an input', () => {
    const dir = tempDir('paths-out');
    writeInput(dir, 'snap.json', estate);
    const o = out();
    runPaths({ inputs: ['snap.json'], format: 'markdown', output: 'paths.md' }, { cwd: dir, stdout: o.stdout });
    expect(o.chunks).toEqual([]);
    expect(readFileSync(path.join(dir, 'paths.md'), 'utf8')).toMatch(/^## Internet paths\n/);
    expect(
      usageMessage(() =>
        runPaths({ inputs: ['snap.json'], format: 'json', output: 'snap.json' }, { cwd: dir, stdout: o.stdout }),
      ),
    ).toBe('-o snap.json: is also read as --input snap.json; write the output to another file');
  });

  it('bad flags fail before any input is read', () => {
    const io = { cwd: tempDir('paths-flags'), stdout: out().stdout };
    expect(usageMessage(() => runPaths({ inputs: ['missing.json'], format: 'sarif' }, io))).toBe(
      '--format sarif: expected one of table, json, markdown',
    );
    expect(usageMessage(() => runPaths({ inputs: ['missing.json'], format: 'json', port: '70000' }, io))).toBe(
      '--port "70000": expected a port number 0-65535',
    );
    expect(usageMessage(() => runPaths({ inputs: [], format: 'json' }, io))).toMatch(/^no input: pass --input FILE/);
  });
});
