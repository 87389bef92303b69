/**
 * Live collection with worker threads, in this process, through the BUILT modules (dist/, built by
 * `npm test`): worker threads run dist/src/collect/threads/worker.js, which vitest's TypeScript source cannot
 * provide. The real SDK stack talks to the fake endpoint on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type * as CollectModule from '../../src/collect/collect.js';
import type * as DispatchModule from '../../src/collect/threads/dispatch.js';
import type { CollectStats } from '../../src/collect/runner.js';
import { RESOURCE_KINDS, type RegionSnapshot, type ResourceKind, type Snapshot } from '../../src/snapshot/schema.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { useFakeAwsPerTest, useOfflineAwsEnv } from '../helpers/aws-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist/src/collect');
const ACCOUNT = '123456789012';
const KEY_ID = 'AKIASGAUDITWORKER001';
const SECRET = 'sgAuditWorkerSecret/0123456789+abcdefghij';
const REGIONS = [
  'ap-northeast-1',
  'ap-south-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'sa-east-1',
  'us-east-1',
  'us-west-2',
];

let collectLive: typeof CollectModule.collectLive;
let Dispatcher: typeof DispatchModule.Dispatcher;

beforeAll(async () => {
  if (!existsSync(path.join(DIST, 'threads/worker.js')))
    throw new Error(`${DIST}/threads/worker.js is missing: run 'npm run build' first (npm test does)`);
  ({ collectLive } = (await import(path.join(DIST, 'collect.js'))) as typeof CollectModule);
  ({ Dispatcher } = (await import(path.join(DIST, 'threads/dispatch.js'))) as typeof DispatchModule);
});
useOfflineAwsEnv(KEY_ID, SECRET);
// Worker threads inherit the environment: the endpoint override reaches them too.
const fake = useFakeAwsPerTest();
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.AWS_CREDENTIAL_EXPIRATION;
});

const ALL = new Set<ResourceKind>(RESOURCE_KINDS);
const estates = () => new Map(REGIONS.map((r) => [r, fixtureRegion(ACCOUNT, r)]));
/** Each resource call takes 80 ms; STS answers at once. */
const latency = (api: string) => (api.startsWith('sts:') ? 0 : 80);

/**
 * Two threads with two call slots each: the main thread takes one region at a time, so units wait; with
 * listings beyond one page (pageSizeCap), the worker thread starts and gets the rest once it has
 * loaded the SDK.
 */
function run(o: Partial<CollectModule.CollectOptions> = {}) {
  return collectLive({
    regions: { mode: 'list', regions: REGIONS },
    needs: ALL,
    retryMode: 'standard',
    concurrency: 4,
    workers: 2,
    env: process.env,
    ...o,
  });
}

/** Which thread delivered each region. */
function deliveries(): Map<string, string> {
  const by = new Map<string, string>();
  const original = Dispatcher.prototype.result;
  vi.spyOn(Dispatcher.prototype, 'result').mockImplementation(function (
    this: DispatchModule.Dispatcher,
    thread,
    id,
    region,
  ) {
    by.set(region.region, thread.name);
    return original.call(this, thread, id, region);
  });
  return by;
}

const comparable = (s: Snapshot) => ({
  ...s,
  createdAt: '',
  regions: s.regions.map(({ collectedAt: _c, ...r }: RegionSnapshot) => r),
});

describe('worker threads (built modules, fake endpoint)', () => {
  test('the snapshot is the one a single thread collects; worker and main thread both collected; counters add up', async () => {
    const f = await fake({ estates: estates(), latencyMs: latency, pageSizeCap: 5 });
    const by = deliveries();
    let stats: Readonly<CollectStats> | undefined;
    const sharded = await run({ progress: { start: (s) => (stats = s), stop() {} } });
    const threads = new Set(by.values());
    expect(threads).toEqual(new Set(['main thread', 'worker thread 1']));
    expect(stats!.calls).toBe(f.stats.requests);
    expect({
      done: stats!.regionsDone,
      total: stats!.regionsTotal,
      pending: stats!.pending,
      failed: stats!.failed,
    }).toEqual({
      done: REGIONS.length,
      total: REGIONS.length,
      pending: 0,
      failed: 0,
    });

    const single = await run({ workers: 1, concurrency: 8 });
    expect(comparable(sharded)).toEqual(comparable(single));
    expect(sharded.regions.map((r) => r.region)).toEqual(REGIONS);
    for (const r of sharded.regions) {
      const { collectedAt: _c, ...got } = r;
      expect(got).toEqual(fixtureRegion(ACCOUNT, r.region));
    }
  });

  test('a worker that crashes mid-collection: its region is an error entry, every other region is complete, no hang', async () => {
    await fake({ estates: estates(), latencyMs: latency, pageSizeCap: 5 });
    const by = deliveries();
    // Fault injection from the test: the first unit handed to a worker arrives malformed, so the
    // worker's message handler throws and the thread dies with an uncaught TypeError.
    let crashed: string | undefined;
    const post = Worker.prototype.postMessage;
    vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (
      this: Worker,
      m: unknown,
      ...rest: unknown[]
    ) {
      const msg = m as { type?: string; unit?: { region: string } };
      if (crashed === undefined && msg.type === 'unit') {
        crashed = msg.unit!.region;
        return post.call(this, { type: 'unit' });
      }
      return post.call(this, m, ...(rest as []));
    });
    const t0 = Date.now();
    const snap = await run();
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(crashed).toBeDefined();
    expect(snap.regions.map((r) => r.region)).toEqual(REGIONS);
    for (const r of snap.regions) {
      if (r.region === crashed) {
        expect(r.collected).toEqual([]);
        expect(r.securityGroups).toEqual([]);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0].api).toBe('sg-audit:CollectRegion');
        expect(r.errors[0].code).toBe('TypeError');
        expect(r.errors[0].message).toMatch(
          /^worker thread 1 stopped before this region was collected \(.+\); nothing from it is known$/,
        );
      } else {
        const { collectedAt: _c, ...got } = r;
        expect(got).toEqual(fixtureRegion(ACCOUNT, r.region));
        expect(by.get(r.region)).toBe('main thread');
      }
    }
  });

  test('credentials about to expire: the worker asks the main thread for fresh ones instead of using them blindly', async () => {
    // The environment's credentials expire in 2 minutes: inside the refresh margin from the start.
    process.env.AWS_CREDENTIAL_EXPIRATION = new Date(Date.now() + 2 * 60_000).toISOString();
    const f = await fake({ estates: estates(), latencyMs: latency, pageSizeCap: 5 });
    const by = deliveries();
    const replies: string[] = [];
    const post = Worker.prototype.postMessage;
    vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (
      this: Worker,
      m: unknown,
      ...rest: unknown[]
    ) {
      const msg = m as { type?: string; credentials?: { accessKeyId: string } };
      if (msg.type === 'credentials') replies.push(msg.credentials?.accessKeyId ?? 'error');
      return post.call(this, m, ...(rest as []));
    });
    const snap = await run();
    expect(new Set(by.values())).toEqual(new Set(['main thread', 'worker thread 1']));
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies)).toEqual(new Set([KEY_ID]));
    expect(snap.regions.flatMap((r) => r.errors)).toEqual([]);
    expect(f.log.every((r) => r.accessKeyId === KEY_ID)).toBe(true);
    expect(f.actions().filter((a) => a.startsWith('sts:'))).toEqual(['sts:GetCallerIdentity']);
    expect(f.stats.byAction['sts:GetCallerIdentity']).toBe(1);
  });

  test('aborting terminates the workers and rejects promptly with exit code 130', async () => {
    // Security groups come quickly, in pages of two (the worker threads start); the rest hangs.
    const quick = ['sts:', 'ec2:DescribeSecurityGroups', 'ec2:DescribeManagedPrefixLists'];
    await fake({
      estates: estates(),
      pageSizeCap: 2,
      latencyMs: (api) => (quick.some((q) => api.startsWith(q)) ? 0 : 10_000),
    });
    const by = deliveries();
    const controller = new AbortController();
    const original = Dispatcher.prototype.want;
    let armed = false;
    vi.spyOn(Dispatcher.prototype, 'want').mockImplementation(function (this: DispatchModule.Dispatcher, thread) {
      // Abort once the worker is up and has work (its calls then hang for 10 s).
      if (!armed && thread.name === 'worker thread 1') {
        armed = true;
        setTimeout(() => controller.abort(), 500);
      }
      return original.call(this, thread);
    });
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const t0 = Date.now();
    const err = await run({ signal: controller.signal, concurrency: 4 }).catch((e: unknown) => e);
    expect((err as { exitCode?: number }).exitCode).toBe(130);
    expect(Date.now() - t0).toBeLessThan(9_000);
    expect(armed).toBe(true);
    expect(terminate).toHaveBeenCalled();
    expect(by.size).toBe(0);
  });
});
