/**
 * Sharding a live collection across threads. The unit of work is one account×region; the
 * collecting threads (the main thread and, for large collections, worker threads) take units from one
 * queue whenever they have a free call slot, so a thread that starts late or finishes early does not
 * hold up the others. Each unit's RegionSnapshot comes back here and the snapshot is assembled in the
 * same deterministic order whichever thread collected what.
 *
 * Worker threads are started only when units wait for a thread and the estate turns out CPU-heavy
 * (the policy is in ../scopes.ts, `onBacklog` here); from then on each thread holds a few units at a time.
 *
 * A worker that dies (crash, out of memory) turns each unit it had not finished into a region entry
 * with nothing collected and one error: unknown is never a pass, and nothing waits for it.
 *
 * Free of SDK imports.
 */
import { availableParallelism } from 'node:os';
import { emptyRegion, type RegionSnapshot } from '../../snapshot/schema.js';
import type { CollectStats } from '../runner.js';

/** One account×region to collect. `scope` indexes the account (its credentials) in the collection. */
export interface Unit {
  id: number;
  scope: number;
  accountId: string;
  region: string;
}

/** The call counters a thread reports (its share of the progress line). */
export type CallCounters = Pick<CollectStats, 'calls' | 'retries' | 'failed' | 'pending'>;

/** A collecting thread as the dispatcher sees it. */
export interface CollectThread {
  readonly name: string;
  readonly counters: Readonly<CallCounters>;
  /** Start collecting this unit; the thread answers with `Dispatcher.result` (or dies). */
  assign(unit: Unit): void;
  /** No unit will ever be offered again: a worker thread may stop (the main thread ignores it). */
  release?(): void;
  /** False while the thread must not get work yet (asked again shortly). */
  ready?(): boolean;
}

/** The `api` of the error recorded for a region whose worker thread died before finishing it. */
export const WORKER_API = 'sg-audit:CollectRegion';

/**
 * Once worker threads run (the estate is CPU-heavy), units in progress per thread: enough to keep a
 * thread busy, few enough that the rest stay queued for whichever thread is free first, so the
 * threads finish together instead of one working through a hoard while the other idles.
 */
export const UNITS_PER_THREAD_WITH_WORKERS = 3;
/** While units keep waiting, how often the start condition is checked again. */
const BACKLOG_RECHECK_MS = 100;
/** How soon a thread that was not ready is offered work again. */
const NOT_READY_RECHECK_MS = 20;

/** `--workers auto`: one thread per core, never more threads than units or call slots. */
export function planThreads(
  requested: number | 'auto',
  maxUnits: number,
  concurrency: number,
  cores = availableParallelism(),
): number {
  const wanted = requested === 'auto' ? cores : requested;
  return Math.max(1, Math.min(wanted, maxUnits, concurrency));
}

/** Split the one call limit across threads: every thread gets at least one slot, the total is exact. */
export function splitConcurrency(total: number, threads: number): number[] {
  const base = Math.floor(total / threads);
  return Array.from({ length: threads }, (_, i) => base + (i < total % threads ? 1 : 0));
}

export class Dispatcher {
  /** Counters of every thread plus region progress: what the progress line shows. */
  readonly stats: Readonly<CollectStats>;
  /** Every unit's region, sorted by account then region; rejects on an unexpected failure. */
  readonly finished: Promise<RegionSnapshot[]>;
  /** Called when a thread dies (the main thread may then stop sharing). */
  onThreadLost: (() => void) | undefined;
  /**
   * Called as soon as units wait for a thread, then every 100 ms while they keep waiting, until it
   * returns true (it decides whether to start the worker threads).
   */
  onBacklog: (() => boolean) | undefined;
  /** Units in progress per thread at most (a thread alone is never limited). */
  maxActive = Infinity;

  private readonly threads: CollectThread[] = [];
  private readonly live = new Set<CollectThread>();
  private readonly waiting = new Set<CollectThread>();
  private readonly active = new Map<CollectThread, Map<number, Unit>>();
  private readonly released = new Set<CollectThread>();
  private readonly queue: Unit[] = [];
  private head = 0;
  private readonly results: RegionSnapshot[] = [];
  /** Threads that may still start (worker threads not started yet). */
  private reserved = 0;
  private backlogTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private total = 0;
  private done = 0;
  private closed = false;
  private settled = false;
  private resolve!: (regions: RegionSnapshot[]) => void;
  private reject!: (err: unknown) => void;

  constructor() {
    this.finished = new Promise<RegionSnapshot[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Awaited by the collection; when the collection fails first nobody awaits it, and that is fine.
    this.finished.catch(() => {});
    const sum = (k: keyof CallCounters) => this.threads.reduce((n, t) => n + t.counters[k], 0);
    const regions = () => ({ total: this.total, done: this.done });
    this.stats = {
      get calls() {
        return sum('calls');
      },
      get retries() {
        return sum('retries');
      },
      get failed() {
        return sum('failed');
      },
      get pending() {
        return sum('pending');
      },
      get regionsTotal() {
        return regions().total;
      },
      get regionsDone() {
        return regions().done;
      },
    };
  }

  /** `n` more threads may register later: until they do or are written off, nobody is alone. */
  reserve(n: number): void {
    this.reserved += n;
  }

  /** A thread joins (`reserved`: one announced by `reserve`). */
  register(thread: CollectThread, reserved = false): void {
    if (reserved) this.reserved = Math.max(0, this.reserved - 1);
    this.threads.push(thread);
    this.live.add(thread);
    this.active.set(thread, new Map());
  }

  /** True when no other thread is alive or may still start to share the work with. */
  alone(thread: CollectThread): boolean {
    return this.live.size === 1 && this.live.has(thread) && this.reserved === 0;
  }

  /** Units waiting for a thread. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queue units (an account's regions, as soon as they are known). */
  add(units: Omit<Unit, 'id'>[]): void {
    if (this.closed) throw new Error('dispatcher: units added after close');
    for (const u of units) this.queue.push({ ...u, id: this.total++ });
    this.serve();
  }

  /** No more units will be added. */
  close(): void {
    this.closed = true;
    this.serve();
    this.check();
  }

  /** The thread has capacity for one more unit: it gets one now, or when one is added. */
  want(thread: CollectThread): void {
    if (!this.live.has(thread)) return;
    this.waiting.add(thread);
    this.serve();
  }

  result(thread: CollectThread, id: number, region: RegionSnapshot): void {
    const units = this.active.get(thread);
    if (!units?.delete(id)) return; // not this thread's, or already written off
    this.results.push(region);
    this.done++;
    this.serve();
    this.check();
  }

  /** The thread died: its unfinished units become error regions, the queue goes to the others. */
  lost(thread: CollectThread, code: string, message: string): void {
    if (!this.live.delete(thread)) return;
    this.waiting.delete(thread);
    const units = this.active.get(thread)!;
    for (const u of units.values()) {
      const r = emptyRegion(u.accountId, u.region);
      r.errors.push({ api: WORKER_API, code, message });
      this.results.push(r);
      this.done++;
    }
    units.clear();
    this.onThreadLost?.();
    this.serve();
    this.check();
  }

  /** An unexpected failure (not an AWS error, those are recorded): the collection fails. */
  fail(err: unknown): void {
    if (this.settled) return;
    this.settle();
    this.reject(err);
  }

  private settle(): void {
    this.settled = true;
    this.onBacklog = undefined;
    clearTimeout(this.backlogTimer);
    clearTimeout(this.retryTimer);
  }

  private serve(): void {
    let served = true;
    let notReady = false;
    while (served && this.head < this.queue.length) {
      served = false;
      for (const t of [...this.waiting]) {
        if (this.head >= this.queue.length) break;
        if (this.active.get(t)!.size >= this.maxActive && !this.alone(t)) continue;
        if (t.ready?.() === false) {
          notReady = true;
          continue;
        }
        served = true;
        const unit = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as Unit; // let it go
        this.waiting.delete(t);
        this.active.get(t)!.set(unit.id, unit);
        t.assign(unit);
      }
    }
    const backlog = this.head < this.queue.length;
    if (backlog && notReady && !this.retryTimer && !this.settled) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.serve();
      }, NOT_READY_RECHECK_MS).unref();
    }
    if (backlog && !this.backlogTimer && this.onBacklog) {
      const tick = () => {
        if (this.onBacklog?.()) this.onBacklog = undefined;
        else this.backlogTimer = setTimeout(tick, BACKLOG_RECHECK_MS).unref();
      };
      this.backlogTimer = setTimeout(tick, 0).unref();
    } else if (!backlog && this.backlogTimer) {
      clearTimeout(this.backlogTimer);
      this.backlogTimer = undefined;
    }
    if (this.closed && !backlog) {
      // Nothing left to hand out: threads without work can go (a worker still loading the SDK, too),
      // threads not started yet never will be.
      this.reserved = 0;
      for (const t of this.live) {
        if (this.active.get(t)!.size === 0 && !this.released.has(t)) {
          this.released.add(t);
          t.release?.();
        }
      }
    }
  }

  private check(): void {
    if (this.settled || !this.closed || this.done < this.total) return;
    this.settle();
    this.resolve(
      this.results.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region)),
    );
  }
}
