/**
 * Live collection through the real SDK stack (serialization, signing, retries, pagination, endpoint
 * resolution from AWS_ENDPOINT_URL) against the fake endpoint on 127.0.0.1.
 */
import { describe, expect, test } from 'vitest';
import { collectLive, type CollectOptions, type ProgressSink } from '../../src/collect/collect.js';
import type { CollectStats } from '../../src/collect/runner.js';
import { NETWORK_KINDS, RESOURCE_KINDS, type RegionSnapshot, type ResourceKind } from '../../src/snapshot/schema.js';
import { SgAuditError } from '../../src/util/errors.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { useFakeAwsPerTest, useOfflineAwsEnv } from '../helpers/aws-env.js';

const ACCOUNT = '123456789012';
const KEY_ID = 'AKIASGAUDITSTACK0001';
const SECRET = 'sgAuditStackSecret/0123456789+abcdefghij';

useOfflineAwsEnv(KEY_ID, SECRET);
const fake = useFakeAwsPerTest();

/** Captures the collection counters through the progress hook. */
function statsProbe(): ProgressSink & { stats?: Readonly<CollectStats> } {
  const probe: ProgressSink & { stats?: Readonly<CollectStats> } = {
    start(s) {
      probe.stats = s;
    },
    stop() {},
  };
  return probe;
}

const ALL = new Set<ResourceKind>(RESOURCE_KINDS);
const run = (o: Partial<CollectOptions> = {}) =>
  collectLive({
    regions: { mode: 'list', regions: ['us-east-1'] },
    needs: ALL,
    retryMode: 'standard',
    env: process.env,
    ...o,
  });

const strip = ({ collectedAt: _c, ...rest }: RegionSnapshot) => rest;

describe('real SDK against the fake endpoint', () => {
  test('round trip: estate → EC2/ELBv2/RDS/STS wire → snapshot equals the estate, with small pages', async () => {
    const estates = new Map([
      ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
      ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
    ]);
    const f = await fake({ estates, pageSizeCap: 2 });
    const snap = await run({ regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] } });
    expect(snap.errors).toEqual([]);
    expect(snap.regions.map(strip)).toEqual([estates.get('eu-west-1')!, estates.get('us-east-1')!]);
    expect(snap.regions.every((r) => typeof r.collectedAt === 'string')).toBe(true);
    // Pagination really happened, and tag batches stayed within 20 ARNs.
    expect(f.stats.byAction['ec2:DescribeSecurityGroups']).toBe(2 * 3);
    expect(f.stats.byAction['elasticloadbalancing:DescribeLoadBalancers']).toBe(2 * 13);
    expect(
      f.log
        .filter((r) => r.action === 'DescribeTags')
        .every((r) => Object.keys(r.params).filter((k) => k.startsWith('ResourceArns.')).length <= 20),
    ).toBe(true);
    expect(f.log.every((r) => r.accessKeyId === KEY_ID)).toBe(true);
    expect(f.log.find((r) => r.action === 'DescribeSecurityGroups')!.params.MaxResults).toBe('1000');
    // Issue #12: the network data went over the wire too (two route tables, ACLs, subnets: one page of 2 each).
    expect(snap.regions.every((r) => NETWORK_KINDS.every((k) => r.collected.includes(k) && r[k].length > 0))).toBe(
      true,
    );
    for (const api of ['DescribeVpcs', 'DescribeSubnets', 'DescribeRouteTables', 'DescribeInternetGateways']) {
      expect(f.stats.byAction[`ec2:${api}`]).toBe(2);
    }
    expect(f.stats.byAction['ec2:DescribeEgressOnlyInternetGateways']).toBe(2);
    expect(f.stats.byAction['ec2:DescribeNetworkAcls']).toBe(2);
    expect(f.log.find((r) => r.action === 'DescribeRouteTables')!.params.MaxResults).toBe('100');
  });

  test('listeners and target groups alone: DescribeLoadBalancers for the ARNs, rules of HTTP(S) listeners only', async () => {
    const estate = fixtureRegion(ACCOUNT, 'us-east-1');
    const f = await fake({ estates: new Map([['us-east-1', estate]]), pageSizeCap: 1 });
    const snap = await run({ needs: new Set<ResourceKind>(['listeners', 'targetGroups']) });
    expect(snap.errors).toEqual([]);
    const r = snap.regions[0];
    expect(r.errors).toEqual([]);
    expect(r.collected).toEqual(['listeners', 'targetGroups']);
    expect(r.listeners).toEqual(estate.listeners);
    expect(r.targetGroups).toEqual(estate.targetGroups);
    expect(r.loadBalancers).toEqual([]);
    // 25 load balancers, one a page; listeners: web has 2 (2 pages), nlb 1, the 23 others none (1 empty page each).
    expect(f.stats.byAction['elasticloadbalancing:DescribeLoadBalancers']).toBe(25);
    expect(f.stats.byAction['elasticloadbalancing:DescribeListeners']).toBe(2 + 1 + 23);
    expect(f.stats.byAction['elasticloadbalancing:DescribeTags']).toBeUndefined();
    // HTTPS: 2 rules (2 pages), HTTP: its default rule; the NLB's TCP listener is not asked.
    const rules = f.log.filter((q) => q.action === 'DescribeRules');
    expect(rules.map((q) => q.params.ListenerArn.split('/').at(-2)).sort()).toEqual(['http', 'https', 'https']);
    expect(rules.every((q) => q.params.PageSize === '400')).toBe(true);
    expect(f.stats.byAction['elasticloadbalancing:DescribeTargetGroups']).toBe(4);
    expect(
      f.log
        .filter((q) => q.action === 'DescribeTargetHealth')
        .map((q) => q.params.TargetGroupArn.split('/').at(-2))
        .sort(),
    ).toEqual(['app', 'app-ip', 'db', 'orphan']);
  });

  test('a failed DescribeTargetHealth drops the target groups (not collected), the listeners are complete', async () => {
    const estate = fixtureRegion(ACCOUNT, 'us-east-1');
    await fake({
      estates: new Map([['us-east-1', estate]]),
      failures: [{ action: 'DescribeTargetHealth', code: 'AccessDenied', message: 'no' }],
    });
    const snap = await run({ needs: new Set<ResourceKind>(['loadBalancers', 'listeners', 'targetGroups']) });
    const r = snap.regions[0];
    expect(r.collected).toEqual(['loadBalancers', 'listeners']);
    expect(r.targetGroups).toEqual([]);
    expect(r.listeners).toEqual(estate.listeners);
    expect(r.errors.map((e) => e.api)).toEqual(Array<string>(4).fill('elasticloadbalancing:DescribeTargetHealth'));
  });

  test('throttled first attempts are retried by the SDK and the collection is complete', async () => {
    // Adaptive mode (the default) also slows the client down after throttling: keep the estate small.
    const f = await fake({
      estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]),
      throttleRate: 0.2,
      seed: 3,
    });
    const probe = statsProbe();
    const snap = await run({ progress: probe, retryMode: 'adaptive' });
    expect(snap.regions.map((r) => r.errors)).toEqual([[]]);
    expect(strip(snap.regions[0])).toEqual(fixtureRegion(ACCOUNT, 'us-east-1'));
    expect(f.stats.throttled).toBeGreaterThan(0);
    expect(probe.stats!.retries).toBe(f.stats.throttled);
    expect(probe.stats!.failed).toBe(0);
    expect(probe.stats!.calls).toBe(f.stats.requests - f.stats.throttled);
  });

  test('a 5xx that clears on retry is invisible; one that persists is recorded after --max-attempts', async () => {
    const f = await fake({
      estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]),
      failures: [
        {
          action: 'DescribeNetworkInterfaces',
          status: 500,
          code: 'InternalError',
          message: 'An internal error has occurred',
          times: 1,
        },
        {
          action: 'rds:DescribeDBClusters',
          status: 503,
          code: 'ServiceUnavailable',
          message: 'Service is unavailable',
        },
      ],
    });
    const snap = await run({ maxAttempts: 3 });
    const r = snap.regions[0];
    expect(r.errors).toEqual([
      { api: 'rds:DescribeDBClusters', code: 'ServiceUnavailable', message: 'Service is unavailable' },
    ]);
    expect(r.collected).toEqual(RESOURCE_KINDS.filter((k) => k !== 'dbClusters'));
    expect(r.networkInterfaces).toHaveLength(3);
    expect(f.stats.byAction['rds:DescribeDBClusters']).toBe(3);
    expect(f.stats.byAction['ec2:DescribeNetworkInterfaces']).toBe(2);
  });

  test('--regions all skips not-opted-in regions; an explicitly named disabled region records AuthFailure per API', async () => {
    const f = await fake({
      estates: new Map([
        ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
        ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
      ]),
      optedOutRegions: ['me-south-1'],
    });
    const needs = new Set<ResourceKind>(['securityGroups', 'loadBalancers', 'dbInstances']);
    const all = await run({ regions: { mode: 'all' }, needs });
    expect(all.regions.map((r) => [r.region, r.errors.length])).toEqual([
      ['eu-west-1', 0],
      ['us-east-1', 0],
    ]);
    expect(f.log.some((r) => r.region === 'me-south-1')).toBe(false);
    expect(f.log.filter((r) => r.action === 'DescribeRegions').map((r) => r.params.AllRegions)).toEqual(['true']);

    const named = await run({ regions: { mode: 'list', regions: ['us-east-1', 'me-south-1'] }, needs });
    const me = named.regions.find((r) => r.region === 'me-south-1')!;
    expect(me.collected).toEqual([]);
    expect(me.errors).toEqual([
      {
        api: 'ec2:DescribeSecurityGroups',
        code: 'AuthFailure',
        message: 'AWS was not able to validate the provided access credentials',
      },
      {
        api: 'elasticloadbalancing:DescribeLoadBalancers',
        code: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      },
      {
        api: 'rds:DescribeDBInstances',
        code: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      },
    ]);
    expect(named.regions.find((r) => r.region === 'us-east-1')!.errors).toEqual([]);
  });

  test('multi-line error messages from the wire are recorded as one line each (collect prints one per line), scrubbed', async () => {
    await fake({
      estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]),
      failures: [
        {
          action: 'DescribeSecurityGroups',
          code: 'UnauthorizedOperation',
          message: 'You are not authorized.\r\n  Encoded message:\n\tsigned with {accessKeyId}\n',
        },
        {
          action: 'DescribeDBClusters',
          code: 'AccessDenied',
          message: 'User is not authorized\nto perform: rds:DescribeDBClusters',
        },
      ],
    });
    const r = (await run()).regions[0];
    expect(r.errors).toEqual([
      {
        api: 'ec2:DescribeSecurityGroups',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized. Encoded message: signed with [redacted]',
      },
      {
        api: 'rds:DescribeDBClusters',
        code: 'AccessDenied',
        message: 'User is not authorized to perform: rds:DescribeDBClusters',
      },
    ]);
  });

  test('a request that never answers becomes a TimeoutError for its API; the rest completes', async () => {
    await fake({
      estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]),
      failures: [{ action: 'DescribeDBInstances', hang: true }],
    });
    const t0 = Date.now();
    const snap = await run({ requestTimeoutMs: 300, maxAttempts: 2 });
    const r = snap.regions[0];
    expect(r.errors.map((e) => [e.api, e.code])).toEqual([['rds:DescribeDBInstances', 'TimeoutError']]);
    expect(r.collected).toEqual(RESOURCE_KINDS.filter((k) => k !== 'dbInstances'));
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test('multi-account: AssumeRole over HTTP (external id, session name), each account read with its own keys', async () => {
    const estates = new Map([
      ['222222222222/us-east-1', fixtureRegion('222222222222', 'us-east-1')],
      ['333333333333/us-east-1', fixtureRegion('333333333333', 'us-east-1')],
      ['333333333333/eu-west-1', fixtureRegion('333333333333', 'eu-west-1')],
    ]);
    const f = await fake({
      estates,
      regions: ['us-east-1', 'eu-west-1'],
      deniedRoles: ['arn:aws:iam::444444444444:role/Audit'],
    });
    const snap = await run({
      regions: { mode: 'all' },
      needs: new Set(['securityGroups']),
      roleArns: [
        'arn:aws:iam::222222222222:role/Audit',
        'arn:aws:iam::333333333333:role/Audit',
        'arn:aws:iam::444444444444:role/Audit',
      ],
      externalId: 'sg-audit-ext',
    });
    expect(snap.regions.map((r) => [r.accountId, r.region, r.securityGroups.length, r.errors])).toEqual([
      ['222222222222', 'eu-west-1', 0, []],
      ['222222222222', 'us-east-1', 5, []],
      ['333333333333', 'eu-west-1', 5, []],
      ['333333333333', 'us-east-1', 5, []],
    ]);
    expect(snap.errors.map((e) => [e.accountId, e.api, e.code])).toEqual([
      ['444444444444', 'sts:AssumeRole', 'AccessDenied'],
    ]);
    const assume = f.log.filter((r) => r.action === 'AssumeRole');
    expect(assume.map((r) => [r.params.RoleArn, r.params.ExternalId, r.params.RoleSessionName]).sort()).toEqual([
      ['arn:aws:iam::222222222222:role/Audit', 'sg-audit-ext', 'sg-audit'],
      ['arn:aws:iam::333333333333:role/Audit', 'sg-audit-ext', 'sg-audit'],
      ['arn:aws:iam::444444444444:role/Audit', 'sg-audit-ext', 'sg-audit'],
    ]);
    // Every resource call was signed with the assumed role's keys of the right account.
    const resourceCalls = f.log.filter((r) => r.service !== 'sts');
    expect(resourceCalls.length).toBeGreaterThan(0);
    expect(resourceCalls.every((r) => r.accessKeyId.startsWith(`ASIAFAKE${r.accountId}`))).toBe(true);
    expect(JSON.stringify(snap)).not.toContain('fakeSecretFor');
  });

  test('expired base credentials: one line, exit 2, nothing but GetCallerIdentity sent', async () => {
    const f = await fake({ rejectedKeys: { [KEY_ID]: 'ExpiredToken' } });
    const err = await run().catch((e: unknown) => e);
    expect((err as SgAuditError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(
      /^AWS credentials are missing, expired or invalid \(ExpiredToken: The security token included in the request is expired\); /,
    );
    expect((err as Error).message).not.toContain(KEY_ID);
    expect(f.actions()).toEqual(['sts:GetCallerIdentity']);
  });

  test('Ctrl-C while requests are in flight: rejects promptly with exit code 130', async () => {
    await fake({ estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]), latencyMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t0 = Date.now();
    const err = await run({ signal: controller.signal }).catch((e: unknown) => e);
    expect((err as SgAuditError).exitCode).toBe(130);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

test('the listing clients leave out the SDK logger middleware (it copies every page for a no-op logger); STS keeps its stack', async () => {
  const { ec2Client, elbClient, rdsClient, makeRequestHandler, stsClient } =
    await import('../../src/collect/aws/clients.js');
  const handler = makeRequestHandler(1, 1000);
  const settings = { retryMode: 'standard' as const, maxAttempts: 1, requestHandler: handler };
  const creds = async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' });
  for (const client of [
    ec2Client('us-east-1', creds, settings),
    elbClient('us-east-1', creds, settings),
    rdsClient('us-east-1', creds, settings),
  ]) {
    expect(client.middlewareStack.identify().filter((m) => m.startsWith('loggerMiddleware'))).toEqual([]);
    expect(client.middlewareStack.identify().some((m) => m.startsWith('retryMiddleware'))).toBe(true);
  }
  expect(
    stsClient('us-east-1', creds, settings)
      .middlewareStack.identify()
      .some((m) => m.startsWith('loggerMiddleware')),
  ).toBe(true);
  handler.destroy();
});
