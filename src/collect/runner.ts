/**
 * One bounded limit for every AWS call of a collection (accounts × regions × APIs × pages), plus the
 * counters the progress line shows. A slot is held for one request only, never while waiting on another
 * call, so nested fan-out cannot deadlock.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { InterruptedError, isAbortError } from './aws/errors.js';

export interface CollectStats {
  /** Requests completed (successful or failed), SDK retries not included. */
  calls: number;
  /** Extra attempts the SDK made (throttling, 5xx, timeouts). */
  retries: number;
  /** Calls that failed after the SDK's retries. */
  failed: number;
  regionsTotal: number;
  regionsDone: number;
  /** Calls waiting for a slot or in flight. */
  pending: number;
}

interface Metadata {
  $metadata?: { attempts?: number };
}

export class CallRunner {
  readonly stats: CollectStats = { calls: 0, retries: 0, failed: 0, regionsTotal: 0, regionsDone: 0, pending: 0 };
  /** Called after every call settles (the collecting thread uses it to decide when to take more work). */
  onSettle: (() => void) | undefined;
  /** Answers that announced another page (NextToken / Marker / NextMarker): listings beyond one page. */
  morePages = 0;
  /** Called when an answer announces another page. */
  onMorePages: (() => void) | undefined;
  private readonly limit: LimitFunction;

  constructor(
    concurrency: number,
    readonly signal?: AbortSignal,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** Calls running now (not waiting for a slot). */
  get active(): number {
    return this.limit.activeCount;
  }

  /** Change the limit: lowering it never cancels running calls, new ones wait until they fit. */
  setConcurrency(n: number): void {
    this.limit.concurrency = n;
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw new InterruptedError();
  }

  /** Run one request under the limit; `fn` receives the abort signal to pass to the SDK. */
  run<T>(fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    this.stats.pending++;
    return this.limit(async () => {
      try {
        this.throwIfAborted();
        const out = await fn(this.signal);
        this.stats.calls++;
        if (announcesMore(out)) {
          this.morePages++;
          this.onMorePages?.();
        }
        this.stats.retries += attemptsOf(out) - 1;
        return out;
      } catch (err) {
        if (this.signal?.aborted || isAbortError(err)) throw new InterruptedError();
        this.stats.calls++;
        this.stats.failed++;
        this.stats.retries += attemptsOf(err) - 1;
        throw err;
      } finally {
        this.stats.pending--;
        this.onSettle?.();
      }
    });
  }
}

function announcesMore(x: unknown): boolean {
  if (!x || typeof x !== 'object') return false;
  const page = x as { NextToken?: unknown; Marker?: unknown; NextMarker?: unknown };
  return Boolean(page.NextToken || page.Marker || page.NextMarker);
}

function attemptsOf(x: unknown): number {
  const n = x && typeof x === 'object' ? (x as Metadata).$metadata?.attempts : undefined;
  return typeof n === 'number' && n >= 1 ? n : 1;
}
