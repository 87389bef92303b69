/**
 * Issue #12 end to end: the network data collected live because a selected rule needs it. The built CLI (dist/,
 * built by `npm test`) scans the fake endpoint on 127.0.0.1 (support/fake-aws) with `--rules internet-exposure`,
 * the rule that reads the network kinds: the saved snapshot is version 2 and holds every kind the rule needs (as
 * the fixture has them), nothing it does not; the new Describe calls follow NextToken/Marker; worker threads
 * collect the same; a failed DescribeRouteTables is recorded, leaves `routeTables` not collected (so exposure is
 * unknown there, never unreachable) and exits 3; `collect` then `scan --input` reports what the live scan does.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import { defaultSettings } from '../../src/config/schema.js';
import { analyseExposure } from '../../src/exposure/internet.js';
import { buildGraph } from '../../src/graph/build.js';
import { loadInputFile } from '../../src/snapshot/load.js';
import {
  NETWORK_KINDS,
  RESOURCE_KINDS,
  SNAPSHOT_SCHEMA_VERSION,
  type RegionSnapshot,
  type ResourceKind,
  type Snapshot,
} from '../../src/snapshot/schema.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions, type FakeRequest } from '../../support/fake-aws/server.js';
import { CLI_BIN, spawnCli, type CliRun } from '../helpers/spawn-cli.js';

const ACCOUNT = '123456789012';
const KEY_ID = 'AKIASGAUDITNETWORK42';
const SECRET = 'sgAuditNetworkSecret/DoNotPrint+0123456789';
const SECRETS = [KEY_ID, SECRET];
const RULE = 'internet-exposure';

let dir: string;
let aws: FakeAws | undefined;
const allRequests: FakeRequest[] = [];
const outputs: string[] = [];

function run(args: string[]): Promise<CliRun> {
  return spawnCli(args, { dir, credentials: { keyId: KEY_ID, secret: SECRET }, endpoint: aws?.url, outputs });
}

async function fake(o: FakeAwsOptions): Promise<FakeAws> {
  aws = await startFakeAws(o);
  return aws;
}

const read = (file: string): Snapshot => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  outputs.push(text);
  return JSON.parse(text) as Snapshot;
};

interface JsonReport {
  findings: {
    ruleId: string;
    status: string;
    region: string;
    resourceId?: string;
    data?: Record<string, unknown>;
    exposure?: { status: string; reason: string };
  }[];
  summary: unknown;
  scope: unknown;
}
const comparable = (r: JsonReport) => ({ findings: r.findings, summary: r.summary, scope: r.scope });
const sameSnapshot = (s: Snapshot) => ({
  ...s,
  createdAt: '',
  regions: s.regions.map(({ collectedAt: _c, ...r }: RegionSnapshot) => r),
});

/** What a scan with only the rule collects: the security groups and the rule's needs, in RESOURCE_KINDS order. */
function ruleKinds(): ResourceKind[] {
  const rule = defaultRegistry().get(RULE);
  if (!rule) throw new Error(`rule ${RULE} is not registered`);
  const needs = new Set<ResourceKind>(['securityGroups', ...rule.meta.needs]);
  return RESOURCE_KINDS.filter((k) => needs.has(k));
}

/** What `collect` collects: the security groups and what the rules on by default need, in RESOURCE_KINDS order. */
function defaultKinds(): ResourceKind[] {
  const rules = defaultRegistry().select(defaultSettings());
  const needs = new Set<ResourceKind>(['securityGroups', ...rules.flatMap((r) => r.meta.needs)]);
  return RESOURCE_KINDS.filter((k) => needs.has(k));
}

/** The exposure model over a saved snapshot, read back as `scan --input` reads it. */
const exposureOf = (file: string) =>
  analyseExposure(buildGraph(loadInputFile(path.join(dir, file)), defaultSettings()));

const REGIONS = ['ap-south-1', 'eu-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2'];

beforeAll(() => {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run 'npm run build' first (npm test does)`);
  dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-network-'));
});
afterEach(async () => {
  if (aws) {
    allRequests.push(...aws.log);
    await aws.close();
    aws = undefined;
  }
});

describe('network data, live (built CLI, fake endpoint)', () => {
  test(`scan --rules ${RULE} --save-snapshot: a v2 snapshot with every network kind; the new calls paginate`, async () => {
    const kinds = ruleKinds();
    // Every network kind but the peering connections (lateral paths, issue #13: the internet model reads none).
    const internetKinds = NETWORK_KINDS.filter((k) => k !== 'vpcPeeringConnections');
    expect(kinds).toEqual(expect.arrayContaining([...internetKinds, 'networkInterfaces', 'loadBalancers']));
    expect(kinds).not.toContain('vpcPeeringConnections');
    // One record a page: every listing of more than one record follows its NextToken / Marker.
    const f = await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      pageSizeCap: 1,
    });
    const live = await run([
      'scan',
      '--regions',
      'us-east-1,eu-west-1',
      '--rules',
      RULE,
      '--format',
      'json',
      '--save-snapshot',
      'net.json',
    ]);
    expect(live.stderr).toBe('');
    expect([0, 1]).toContain(live.code);
    const snap = read('net.json');
    expect(snap.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(snap.errors).toEqual([]);
    expect(snap.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
    for (const r of snap.regions) {
      const want = fixtureRegion(ACCOUNT, r.region);
      expect(r.errors).toEqual([]);
      expect(r.collected).toEqual(kinds);
      // Every kind collected is the estate's, field for field (deviceIndex, LB subnets included); the rest is empty.
      for (const kind of RESOURCE_KINDS) expect(r[kind], kind).toEqual(kinds.includes(kind) ? want[kind] : []);
    }
    // Only what the rule needs is called: no RDS.
    expect(f.actions().filter((a) => a.startsWith('rds:'))).toEqual([]);

    // Pagination: per region, one call per record (the last page has no token), each after the first with the
    // token of the page before.
    const calls = (action: string) => f.log.filter((q) => q.action === action && q.region === 'us-east-1');
    const est = fixtureRegion(ACCOUNT, 'us-east-1');
    const pages: [string, string, number][] = [
      ['DescribeVpcs', 'NextToken', est.vpcs.length],
      ['DescribeSubnets', 'NextToken', est.subnets.length],
      ['DescribeRouteTables', 'NextToken', est.routeTables.length],
      ['DescribeInternetGateways', 'NextToken', est.internetGateways.length],
      ['DescribeEgressOnlyInternetGateways', 'NextToken', est.egressOnlyInternetGateways.length],
      ['DescribeNetworkAcls', 'NextToken', est.networkAcls.length],
      ['DescribeTargetGroups', 'Marker', est.targetGroups.length],
    ];
    for (const [action, token, n] of pages) {
      const got = calls(action);
      expect(got.length, action).toBe(Math.max(1, n));
      expect(got[0].params[token], action).toBeUndefined();
      expect(got.slice(1).every((q) => q.params[token] !== undefined)).toBe(true);
      expect(new Set(got.map((q) => q.params[token])).size, action).toBe(got.length);
    }
    expect(est.routeTables.length).toBeGreaterThan(1);
    expect(est.networkAcls.length).toBeGreaterThan(1);
    // Listeners of the ALB (2) and rules of its HTTPS listener (2) over two pages each.
    const web = est.loadBalancers.find((lb) => lb.name === 'web')!.arn;
    expect(calls('DescribeListeners').filter((q) => q.params.LoadBalancerArn === web)).toHaveLength(2);
    const https = est.listeners.find((l) => l.protocol === 'HTTPS')!.arn;
    expect(calls('DescribeRules').filter((q) => q.params.ListenerArn === https)).toHaveLength(2);

    // The saved snapshot, scanned offline, reports what the live scan did.
    const offline = await run(['scan', '--input', 'net.json', '--rules', RULE, '--format', 'json']);
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(live.code);
    expect(comparable(JSON.parse(offline.stdout) as JsonReport)).toEqual(
      comparable(JSON.parse(live.stdout) as JsonReport),
    );

    // What was collected decides a path end to end: the ALB's node (public, 443 open) forwards to target group
    // `app`, whose instance target i-0app is reached on its primary interface (deviceIndex 0) on 8080.
    const x = exposureOf('net.json');
    const app = x.ofInterface('eni-app-us-east-1')!;
    expect(app.status).toBe('reachable');
    const viaLb = app.paths.filter((p) => p.via !== undefined);
    expect(viaLb.map((p) => [p.via, p.protocol, p.ports])).toContainEqual([
      { loadBalancer: est.loadBalancers.find((lb) => lb.name === 'web')!.arn, listener: 443 },
      'tcp',
      [[8080, 8080]],
    ]);
    expect(viaLb[0].hops.map((h) => h.type)).toEqual(
      expect.arrayContaining(['internet-gateway', 'load-balancer', 'target-group', 'security-group']),
    );
    expect(x.ofInterface('eni-rds-us-east-1')!.status).toBe('unreachable');
  });

  test('--workers 2 saves the same v2 snapshot as --workers 1, network data included', async () => {
    const kinds = ruleKinds();
    await fake({
      estates: new Map(REGIONS.map((r) => [r, fixtureRegion(ACCOUNT, r)])),
      regions: REGIONS,
      // Resource calls take 80 ms and listings run over pages, so both threads get regions (cli-workers.test.ts).
      latencyMs: (api) => (api.startsWith('sts:') ? 0 : 80),
      pageSizeCap: 5,
    });
    const common = ['--regions', 'all', '--rules', RULE, '--concurrency', '4', '--format', 'json'];
    const sharded = await run(['scan', ...common, '--workers', '2', '--save-snapshot', 'sharded.json']);
    const single = await run(['scan', ...common, '--workers', '1', '--save-snapshot', 'single.json']);
    for (const r of [sharded, single]) {
      expect(r.stderr).toBe('');
      expect([0, 1]).toContain(r.code);
    }
    expect(sharded.code).toBe(single.code);
    expect(comparable(JSON.parse(sharded.stdout) as JsonReport)).toEqual(
      comparable(JSON.parse(single.stdout) as JsonReport),
    );
    const a = read('sharded.json');
    expect(sameSnapshot(a)).toEqual(sameSnapshot(read('single.json')));
    expect(a.regions.map((r) => r.region)).toEqual(REGIONS);
    for (const r of a.regions) {
      const want = fixtureRegion(ACCOUNT, r.region);
      expect(r.errors).toEqual([]);
      expect(r.collected).toEqual(kinds);
      for (const kind of kinds) expect(r[kind], `${r.region} ${kind}`).toEqual(want[kind]);
    }
  });

  test('a failing DescribeRouteTables is recorded: routeTables not collected there, exposure unknown, exit 3', async () => {
    const kinds = ruleKinds();
    await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      failures: [
        {
          action: 'ec2:DescribeRouteTables',
          region: 'eu-west-1',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation. Request signed with {accessKeyId}.',
        },
      ],
    });
    const r = await run([
      'scan',
      '--regions',
      'us-east-1,eu-west-1',
      '--rules',
      RULE,
      '--format',
      'json',
      '--verbose',
      '--save-snapshot',
      'no-routes.json',
    ]);
    expect(r.stderr).toBe('');
    // Nothing fails on the fixture; the scan is incomplete.
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as JsonReport;
    const errors = report.findings.filter((f) => f.status === 'error');
    expect(errors.map((e) => [e.ruleId, e.region, e.data?.api, e.data?.code])).toEqual([
      ['collection-error', 'eu-west-1', 'ec2:DescribeRouteTables', 'UnauthorizedOperation'],
    ]);
    // No verdict of the rule in eu-west-1 (it cannot decide there): in particular no "not reachable" pass. The
    // passes are listed (--verbose): us-east-1 has its verdicts.
    expect(report.findings.filter((f) => f.ruleId === RULE && f.region === 'eu-west-1')).toEqual([]);
    expect(report.findings.some((f) => f.ruleId === RULE && f.region === 'us-east-1')).toBe(true);

    const snap = read('no-routes.json');
    const eu = snap.regions.find((x) => x.region === 'eu-west-1')!;
    const us = snap.regions.find((x) => x.region === 'us-east-1')!;
    expect(eu.collected).toEqual(kinds.filter((k) => k !== 'routeTables'));
    expect(eu.routeTables).toEqual([]);
    expect(eu.errors).toEqual([
      {
        api: 'ec2:DescribeRouteTables',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation. Request signed with [redacted].',
      },
    ]);
    const want = fixtureRegion(ACCOUNT, 'eu-west-1');
    for (const kind of eu.collected) expect(eu[kind], kind).toEqual(want[kind]);
    expect(us.collected).toEqual(kinds);

    // Read back, the model cannot decide the public instance's route there: unknown, never unreachable. An interface
    // without a public address is decided without routes; the other region is decided as before.
    const x = exposureOf('no-routes.json');
    const app = x.ofInterface('eni-app-eu-west-1')!;
    expect(app.status).toBe('unknown');
    expect(app.reason).toMatch(/routeTables/);
    expect(x.ofInterface('eni-alb-eu-west-1')!.status).toBe('unknown');
    expect(x.ofInterface('eni-rds-eu-west-1')!.status).toBe('unreachable');
    expect(x.ofInterface('eni-app-us-east-1')!.status).toBe('reachable');
  });

  test('collect, then scan --input of that snapshot, gives the findings of the live scan (default rules)', async () => {
    await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      pageSizeCap: 3,
    });
    const c = await run(['collect', '--regions', 'us-east-1,eu-west-1', '-o', 'collected.json']);
    expect([c.code, c.stdout, c.stderr]).toEqual([0, '', '']);
    const snap = read('collected.json');
    expect(snap.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    // What the default rules need (internet-exposure the network kinds; the tier-paths rules the peering
    // connections), no more.
    for (const r of snap.regions) expect(r.collected).toEqual(defaultKinds());

    const live = await run(['scan', '--regions', 'us-east-1,eu-west-1', '--format', 'json']);
    const offline = await run(['scan', '--input', 'collected.json', '--format', 'json']);
    expect([live.stderr, offline.stderr]).toEqual(['', '']);
    expect([0, 1]).toContain(live.code);
    expect(offline.code).toBe(live.code);
    const liveReport = JSON.parse(live.stdout) as JsonReport;
    expect(comparable(JSON.parse(offline.stdout) as JsonReport)).toEqual(comparable(liveReport));
    // The findings carry the exposure the network data decided. Every kind was collected, so nothing is unknown for
    // want of a kind; what stays unknown is the fixture's own gaps (internal load balancers listed without node
    // interfaces, one RDS interface for two instances), named as such.
    const exposures = liveReport.findings.flatMap((f) => (f.exposure ? [f.exposure] : []));
    expect(exposures.map((x) => x.status)).toContain('unreachable');
    const unknownReasons = exposures.filter((x) => x.status === 'unknown').map((x) => x.reason);
    for (const reason of unknownReasons) expect(reason).not.toMatch(/not collected/);
    for (const reason of unknownReasons) expect(reason).toMatch(/none of whose network interfaces is in the snapshot/);
  });

  test('a rule over lateral paths (issue #13) collects the peering connections, over pages, as the estate has them', async () => {
    const rule = defaultRegistry()
      .select(defaultSettings())
      .find((r) => r.meta.needs.includes('vpcPeeringConnections'));
    expect(rule, 'a default rule reads vpcPeeringConnections').toBeDefined();
    const f = await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      pageSizeCap: 1,
    });
    const args = ['--regions', 'us-east-1,eu-west-1', '--rules', rule!.meta.id, '--format', 'json'];
    const live = await run(['scan', ...args, '--save-snapshot', 'lateral.json']);
    expect(live.stderr).toBe('');
    expect([0, 1]).toContain(live.code);
    const snap = read('lateral.json');
    for (const r of snap.regions) {
      expect(r.errors).toEqual([]);
      expect(r.collected).toContain('vpcPeeringConnections');
      expect(r.vpcPeeringConnections).toEqual(fixtureRegion(ACCOUNT, r.region).vpcPeeringConnections);
      // Two connections, one a page: two calls, the second with the first page's token.
      const calls = f.log.filter((q) => q.action === 'DescribeVpcPeeringConnections' && q.region === r.region);
      expect(calls.map((q) => q.params.NextToken === undefined)).toEqual([true, false]);
    }
    const offline = await run(['scan', '--input', 'lateral.json', '--rules', rule!.meta.id, '--format', 'json']);
    expect(offline.code).toBe(live.code);
    expect(comparable(JSON.parse(offline.stdout) as JsonReport)).toEqual(
      comparable(JSON.parse(live.stdout) as JsonReport),
    );
  });

  test('read-only and secret-free: every Action sent in this file is a read; the network calls were made', () => {
    const actions = [...new Set(allRequests.map((r) => `${r.service}:${r.action}`))].sort();
    const allowed = (a: string) =>
      /^(ec2|elasticloadbalancing|rds):(Describe|Get|List)[A-Za-z]+$/.test(a) || a === 'sts:GetCallerIdentity';
    expect(actions.filter((a) => !allowed(a))).toEqual([]);
    expect(actions).toEqual(
      expect.arrayContaining([
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeRouteTables',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeEgressOnlyInternetGateways',
        'ec2:DescribeNetworkAcls',
        'ec2:DescribeNetworkInterfaces',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'ec2:DescribeVpcPeeringConnections',
      ]),
    );
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
