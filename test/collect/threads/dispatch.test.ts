/**
 * The sharding logic of live collection (src/collect/threads/dispatch.ts) with scripted threads: who gets which
 * account×region unit, the assembly order, and what a dead worker leaves behind. The real worker
 * threads are exercised end to end in workers.test.ts and cli-workers.test.ts.
 */
import { describe, expect, test, vi } from 'vitest';
import {
  Dispatcher,
  planThreads,
  splitConcurrency,
  WORKER_API,
  type CallCounters,
  type CollectThread,
  type Unit,
} from '../../../src/collect/threads/dispatch.js';
import { evaluateRules } from '../../../src/engine/evaluate.js';
import { buildGraph } from '../../../src/graph/build.js';
import { defaultSettings } from '../../../src/config/schema.js';
import { emptyRegion, newSnapshot, type RegionSnapshot } from '../../../src/snapshot/schema.js';

class ScriptedThread implements CollectThread {
  counters: CallCounters = { calls: 0, retries: 0, failed: 0, pending: 0 };
  readonly got: Unit[] = [];
  released = 0;
  constructor(readonly name: string) {}
  assign(unit: Unit): void {
    this.got.push(unit);
  }
  release(): void {
    this.released++;
  }
}

const region = (u: Unit, sgs = 1): RegionSnapshot => ({
  ...emptyRegion(u.accountId, u.region),
  collected: ['securityGroups'],
  securityGroups: Array.from({ length: sgs }, (_, i) => ({
    groupId: `sg-${u.region}-${i}`,
    groupName: `g${i}`,
    description: '',
    vpcId: 'vpc-1',
    ownerId: u.accountId,
    tags: {},
    ingress: [],
    egress: [],
  })),
});

/** A dispatcher with a scripted thread per name, registered in this order. */
function dispatcher(...names: string[]): [Dispatcher, ...ScriptedThread[]] {
  const d = new Dispatcher();
  const threads = names.map((n) => new ScriptedThread(n));
  for (const t of threads) d.register(t);
  return [d, ...threads];
}

/** Run `fn` under vitest's fake timers. */
function withFakeTimers(fn: () => void): void {
  vi.useFakeTimers();
  try {
    fn();
  } finally {
    vi.useRealTimers();
  }
}

const units = (accountId: string, ...regions: string[]) => regions.map((r) => ({ scope: 0, accountId, region: r }));
const keys = (rs: RegionSnapshot[]) => rs.map((r) => `${r.accountId}/${r.region}`);

describe('Dispatcher', () => {
  test('units go to threads as they ask; the snapshot order does not depend on who finished first', async () => {
    const [d, a, b] = dispatcher('a', 'b');
    d.want(a); // asking before there is work: served when units arrive
    d.add(units('222222222222', 'us-west-2', 'eu-west-1'));
    d.add(units('111111111111', 'us-east-1', 'ap-south-1'));
    expect(a.got.map((u) => u.region)).toEqual(['us-west-2']);
    expect(b.got).toEqual([]);
    d.want(b);
    d.want(b); // a second ask while served is one more unit
    d.want(a);
    expect(b.got.map((u) => u.region)).toEqual(['eu-west-1', 'us-east-1']);
    expect(a.got.map((u) => u.region)).toEqual(['us-west-2', 'ap-south-1']);
    d.close();
    expect(d.stats.regionsTotal).toBe(4);
    // Completion order: reversed, mixed threads.
    d.result(a, a.got[1].id, region(a.got[1]));
    d.result(b, b.got[1].id, region(b.got[1]));
    d.result(b, b.got[0].id, region(b.got[0]));
    expect(d.stats.regionsDone).toBe(3);
    d.result(a, a.got[0].id, region(a.got[0]));
    expect(keys(await d.finished)).toEqual([
      '111111111111/ap-south-1',
      '111111111111/us-east-1',
      '222222222222/eu-west-1',
      '222222222222/us-west-2',
    ]);
  });

  test('a result for a unit the thread does not hold is ignored (no double count)', async () => {
    const [d, a, b] = dispatcher('a', 'b');
    d.add(units('111111111111', 'us-east-1'));
    d.want(a);
    d.close();
    const u = a.got[0];
    d.result(b, u.id, region(u, 5)); // not b's unit
    expect(d.stats.regionsDone).toBe(0);
    d.result(a, u.id, region(u, 1));
    d.result(a, u.id, region(u, 9)); // duplicate
    const out = await d.finished;
    expect(out.map((r) => r.securityGroups.length)).toEqual([1]);
  });

  test('a dead worker: its unfinished units become error regions, the queue goes to the others, no hang', async () => {
    const [d, w, main] = dispatcher('worker thread 1', 'main thread');
    let lostCalls = 0;
    d.onThreadLost = () => lostCalls++;
    d.add(units('111111111111', 'eu-west-1', 'us-east-1', 'us-west-2', 'ap-south-1'));
    d.want(w);
    d.want(w);
    d.want(main);
    d.close();
    expect(w.got.map((u) => u.region)).toEqual(['eu-west-1', 'us-east-1']);
    d.result(w, w.got[0].id, region(w.got[0]));
    d.lost(w, 'ERR_WORKER_OUT_OF_MEMORY', 'worker thread 1 stopped before this region was collected (out of memory)');
    expect(lostCalls).toBe(1);
    // A dead thread's late messages change nothing; it is never served again.
    d.result(w, w.got[1].id, region(w.got[1]));
    d.want(w);
    expect(w.got).toHaveLength(2);
    // The rest of the queue goes to the main thread.
    d.want(main);
    d.want(main);
    expect(main.got.map((u) => u.region)).toEqual(['us-west-2', 'ap-south-1']);
    for (const u of main.got) d.result(main, u.id, region(u));
    const out = await d.finished;
    expect(out.map((r) => [r.region, r.collected, r.securityGroups.length, r.errors])).toEqual([
      ['ap-south-1', ['securityGroups'], 1, []],
      ['eu-west-1', ['securityGroups'], 1, []],
      [
        'us-east-1',
        [],
        0,
        [
          {
            api: WORKER_API,
            code: 'ERR_WORKER_OUT_OF_MEMORY',
            message: 'worker thread 1 stopped before this region was collected (out of memory)',
          },
        ],
      ],
      ['us-west-2', ['securityGroups'], 1, []],
    ]);

    // Unknown is never a pass: the engine turns the lost region into an error finding.
    const findings = evaluateRules(buildGraph(newSnapshot(out), defaultSettings()), []).findings;
    expect(findings.map((f) => [f.status, f.ruleId, f.region, f.data?.api, f.data?.code])).toEqual([
      ['error', 'collection-error', 'us-east-1', WORKER_API, 'ERR_WORKER_OUT_OF_MEMORY'],
    ]);
  });

  test('a worker lost before it ever got work loses nothing; the last thread standing is alone', async () => {
    const [d, w, main] = dispatcher('worker thread 1', 'main thread');
    expect(d.alone(main)).toBe(false);
    d.lost(w, 'WorkerExited', 'gone');
    expect(d.alone(main)).toBe(true);
    d.add(units('111111111111', 'us-east-1'));
    d.want(main);
    d.close();
    d.result(main, main.got[0].id, region(main.got[0]));
    expect((await d.finished).map((r) => r.errors)).toEqual([[]]);
  });

  test('once every unit is handed out and no more can come, idle threads are released (once)', () => {
    const [d, busy, idle, late] = dispatcher('busy', 'idle', 'late'); // late: e.g. a worker still loading the SDK, never asked
    d.add(units('111111111111', 'us-east-1'));
    d.want(busy);
    d.want(idle);
    expect([busy.released, idle.released, late.released]).toEqual([0, 0, 0]);
    d.close();
    expect([busy.released, idle.released, late.released]).toEqual([0, 1, 1]);
    d.result(busy, busy.got[0].id, region(busy.got[0]));
    expect([busy.released, idle.released, late.released]).toEqual([1, 1, 1]);
  });

  test('an unexpected failure rejects the collection; an empty collection resolves at close', async () => {
    const d = new Dispatcher();
    d.register(new ScriptedThread('a'));
    d.add(units('111111111111', 'us-east-1'));
    d.fail(new Error('boom'));
    await expect(d.finished).rejects.toThrow('boom');

    const empty = new Dispatcher();
    empty.close();
    expect(await empty.finished).toEqual([]);
  });

  test('progress counters are the sum over threads, read live', () => {
    const d = new Dispatcher();
    const a = new ScriptedThread('a');
    const b = new ScriptedThread('b');
    d.register(a);
    const stats = d.stats;
    a.counters = { calls: 3, retries: 1, failed: 0, pending: 2 };
    d.register(b);
    b.counters = { calls: 4, retries: 0, failed: 2, pending: 5 };
    expect({ ...stats }).toEqual({ calls: 7, retries: 1, failed: 2, pending: 7, regionsTotal: 0, regionsDone: 0 });
  });
});

describe('thread planning', () => {
  test('auto: one thread per core, never more than units or call slots; explicit counts are capped the same way', () => {
    expect(planThreads('auto', Infinity, 32, 2)).toBe(2);
    expect(planThreads('auto', 1, 32, 8)).toBe(1);
    expect(planThreads('auto', 17, 32, 8)).toBe(8);
    expect(planThreads('auto', 17, 3, 8)).toBe(3);
    expect(planThreads(1, 17, 32, 8)).toBe(1);
    expect(planThreads(4, 17, 32, 2)).toBe(4);
    expect(planThreads(4, 2, 32, 2)).toBe(2);
  });

  test('--concurrency is split exactly, every thread gets a slot', () => {
    expect(splitConcurrency(32, 1)).toEqual([32]);
    expect(splitConcurrency(32, 2)).toEqual([16, 16]);
    expect(splitConcurrency(10, 3)).toEqual([4, 3, 3]);
    expect(splitConcurrency(3, 3)).toEqual([1, 1, 1]);
  });
});

describe('starting worker threads only when it pays', () => {
  test('the start check runs as soon as units wait for a thread, again every 100 ms while they wait, until it acts', () =>
    withFakeTimers(() => {
      const [d, main] = dispatcher('main thread');
      let checks = 0;
      let evidence = false;
      d.onBacklog = () => (checks++, evidence);
      d.add(units('111111111111', 'us-east-1', 'eu-west-1', 'us-west-2'));
      d.want(main); // takes one, two wait
      expect(d.queued).toBe(2);
      vi.advanceTimersByTime(0);
      expect(checks).toBe(1);
      vi.advanceTimersByTime(300);
      expect(checks).toBe(4);
      evidence = true;
      vi.advanceTimersByTime(100);
      expect(checks).toBe(5);
      vi.advanceTimersByTime(1000);
      expect(checks).toBe(5); // acted: never again
    }));

  test('no check while every unit finds a thread at once; the rechecks stop when the queue drains', () =>
    withFakeTimers(() => {
      const [d, main] = dispatcher('main thread');
      let checks = 0;
      d.onBacklog = () => (checks++, false);
      d.want(main);
      d.add(units('111111111111', 'us-east-1')); // taken at once
      vi.advanceTimersByTime(500);
      expect(checks).toBe(0);
      d.add(units('222222222222', 'us-east-1', 'eu-west-1')); // these wait
      vi.advanceTimersByTime(150);
      expect(checks).toBe(2);
      d.want(main);
      d.want(main); // queue drained
      vi.advanceTimersByTime(1000);
      expect(checks).toBe(2);
    }));

  test('threads announced but not started keep the main thread from taking everything; closing writes them off', () => {
    const d = new Dispatcher();
    const main = new ScriptedThread('main thread');
    d.reserve(1);
    d.register(main);
    expect(d.alone(main)).toBe(false);
    const w = new ScriptedThread('worker thread 1');
    d.register(w, true);
    d.lost(w, 'WorkerExited', 'gone');
    expect(d.alone(main)).toBe(true);

    const d2 = new Dispatcher();
    const main2 = new ScriptedThread('main thread');
    d2.reserve(1);
    d2.register(main2);
    d2.close();
    expect(d2.alone(main2)).toBe(true);
  });
});

test('with a per-thread limit, units wait in the queue for the first thread below it (a thread alone is not limited)', () => {
  const [d, a, b] = dispatcher('a', 'b');
  d.maxActive = 2;
  d.add(units('111111111111', 'us-east-1', 'us-east-2', 'us-east-3', 'us-east-4', 'us-east-5', 'us-east-6'));
  for (let i = 0; i < 4; i++) d.want(a);
  expect(a.got.map((u) => u.region)).toEqual(['us-east-1', 'us-east-2']);
  d.want(b);
  expect(b.got.map((u) => u.region)).toEqual(['us-east-3']);
  d.result(a, a.got[0].id, region(a.got[0])); // a is below the limit again and still asking
  expect(a.got.map((u) => u.region)).toEqual(['us-east-1', 'us-east-2', 'us-east-4']);
  d.lost(b, 'WorkerExited', 'gone'); // a alone: no limit
  d.want(a);
  d.want(a);
  expect(a.got.map((u) => u.region)).toEqual(['us-east-1', 'us-east-2', 'us-east-4', 'us-east-5', 'us-east-6']);
});

test('a thread that is not ready yet is offered the work again shortly, and gets it once ready', () =>
  withFakeTimers(() => {
    const d = new Dispatcher();
    const main = new ScriptedThread('main thread');
    const w = Object.assign(new ScriptedThread('worker thread 1'), { isReady: false, ready: () => w.isReady });
    d.register(main);
    d.register(w);
    d.add(units('111111111111', 'us-east-1', 'eu-west-1'));
    d.want(w);
    expect(w.got).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(w.got).toEqual([]);
    w.isReady = true;
    vi.advanceTimersByTime(20);
    expect(w.got.map((u) => u.region)).toEqual(['us-east-1']);
    d.want(main);
    expect(main.got.map((u) => u.region)).toEqual(['eu-west-1']);
  }));
