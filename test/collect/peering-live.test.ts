/**
 * Issue #13 end to end: VPC peering connections collected live through the real SDK stack (the BUILT modules in
 * dist/, as workers.test.ts: worker threads run dist/src/collect/threads/worker.js) against the fake endpoint on
 * 127.0.0.1. DescribeVpcPeeringConnections follows NextToken, worker threads collect the same snapshot as one
 * thread, a denied call leaves the kind not collected in that region only (unknown, never "no peering"), and the
 * snapshot read back gives the graph's peering indexes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type * as CollectModule from '../../src/collect/collect.js';
import { defaultSettings } from '../../src/config/schema.js';
import { buildGraph } from '../../src/graph/build.js';
import { parseInput } from '../../src/snapshot/load.js';
import { RESOURCE_KINDS, type RegionSnapshot, type ResourceKind, type Snapshot } from '../../src/snapshot/schema.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { useFakeAwsPerTest, useOfflineAwsEnv } from '../helpers/aws-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist/src/collect');
const ACCOUNT = '123456789012';
const KEY_ID = 'AKIASGAUDITPEERING01';
const SECRET = 'sgAuditPeeringSecret/0123456789+abcdefgh';
const REGIONS = ['ap-south-1', 'eu-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2'];
const NEEDS = new Set<ResourceKind>(['securityGroups', 'vpcs', 'routeTables', 'vpcPeeringConnections']);
const KINDS = RESOURCE_KINDS.filter((k) => NEEDS.has(k));

let collectLive: typeof CollectModule.collectLive;
beforeAll(async () => {
  if (!existsSync(path.join(DIST, 'threads/worker.js')))
    throw new Error(`${DIST}/threads/worker.js is missing: run 'npm run build' first (npm test does)`);
  ({ collectLive } = (await import(path.join(DIST, 'collect.js'))) as typeof CollectModule);
});
useOfflineAwsEnv(KEY_ID, SECRET);
const fake = useFakeAwsPerTest();

const run = (o: Partial<CollectModule.CollectOptions>) =>
  collectLive({
    regions: { mode: 'list', regions: REGIONS },
    needs: NEEDS,
    retryMode: 'standard',
    concurrency: 4,
    workers: 1,
    env: process.env,
    ...o,
  });
const estates = () => new Map(REGIONS.map((r) => [r, fixtureRegion(ACCOUNT, r)]));
const comparable = (s: Snapshot) => ({
  ...s,
  createdAt: '',
  regions: s.regions.map(({ collectedAt: _c, ...r }: RegionSnapshot) => r),
});

describe('VPC peering connections, live (built modules, fake endpoint)', () => {
  test('one record a page: DescribeVpcPeeringConnections follows NextToken; every field as the estate has it', async () => {
    const f = await fake({ estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]), pageSizeCap: 1 });
    const snap = await run({ regions: { mode: 'list', regions: ['us-east-1'] } });
    expect(snap.errors).toEqual([]);
    const [r] = snap.regions;
    const want = fixtureRegion(ACCOUNT, 'us-east-1');
    expect(r.errors).toEqual([]);
    expect(r.collected).toEqual(KINDS);
    // An active connection (both sides, every CIDR, IPv6, tags) and a pending one whose accepter has no CIDR yet.
    expect(want.vpcPeeringConnections.map((p) => p.status)).toEqual(['active', 'pending-acceptance']);
    expect(r.vpcPeeringConnections).toEqual(want.vpcPeeringConnections);
    for (const kind of RESOURCE_KINDS) if (!NEEDS.has(kind)) expect(r[kind], kind).toEqual([]);
    const calls = f.log.filter((q) => q.action === 'DescribeVpcPeeringConnections');
    expect(calls.map((q) => [q.params.MaxResults, q.params.NextToken === undefined])).toEqual([
      ['1000', true],
      ['1000', false],
    ]);
    expect(f.actions()).toEqual([
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs',
      'sts:GetCallerIdentity',
    ]);
  });

  test('--workers 2 collects the same snapshot as --workers 1, peering connections included', async () => {
    await fake({
      estates: estates(),
      // Resource calls take 80 ms and listings run over pages, so both threads get regions (workers.test.ts).
      latencyMs: (api) => (api.startsWith('sts:') ? 0 : 80),
      pageSizeCap: 1,
    });
    const sharded = await run({ workers: 2, concurrency: 4 });
    const single = await run({ workers: 1, concurrency: 4 });
    expect(comparable(sharded)).toEqual(comparable(single));
    expect(sharded.regions.map((r) => r.region)).toEqual(REGIONS);
    for (const r of sharded.regions) {
      expect(r.errors).toEqual([]);
      expect(r.collected).toEqual(KINDS);
      expect(r.vpcPeeringConnections).toEqual(fixtureRegion(ACCOUNT, r.region).vpcPeeringConnections);
    }
  });

  test('a denied DescribeVpcPeeringConnections: recorded, the kind not collected there (unknown), the rest whole', async () => {
    await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      failures: [
        {
          action: 'ec2:DescribeVpcPeeringConnections',
          region: 'eu-west-1',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        },
      ],
    });
    const snap = await run({ regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] } });
    const eu = snap.regions.find((r) => r.region === 'eu-west-1')!;
    const us = snap.regions.find((r) => r.region === 'us-east-1')!;
    expect(eu.collected).toEqual(KINDS.filter((k) => k !== 'vpcPeeringConnections'));
    expect(eu.vpcPeeringConnections).toEqual([]);
    expect(eu.errors).toEqual([
      {
        api: 'ec2:DescribeVpcPeeringConnections',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
      },
    ]);
    expect(us.collected).toEqual(KINDS);

    // Read back as `scan --input` reads it: the graph indexes what was collected; eu-west-1 says it was not.
    const graph = buildGraph(parseInput(JSON.parse(JSON.stringify(snap)), 'peering.json'), defaultSettings());
    const scope = (region: string) => graph.scopes.find((s) => s.region === region)!;
    expect(scope('eu-west-1').collected.has('vpcPeeringConnections')).toBe(false);
    expect(scope('eu-west-1').net.peeringConnections.size).toBe(0);
    expect(scope('us-east-1').collected.has('vpcPeeringConnections')).toBe(true);
    expect([...scope('us-east-1').net.peeringConnections.keys()]).toEqual(['pcx-0a1-useast1', 'pcx-0b2-useast1']);
    expect(graph.peeringConnections.get('pcx-0a1-useast1')!.connection.accepter.vpcId).toBe('vpc-0peer-useast1');
    // The main table's route to the peered VPC names the active connection.
    const main = scope('us-east-1')
      .net.routeTablesByVpc.get('vpc-0a1-useast1')!
      .find((t) => t.main)!;
    expect(main.routes.filter((x) => x.vpcPeeringConnectionId === 'pcx-0a1-useast1').map((x) => x.state)).toEqual([
      'active',
    ]);
  });
});
