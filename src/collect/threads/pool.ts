/**
 * Worker threads for live collection, each seen by the dispatcher as one collecting thread. They start
 * when the main thread decides it pays (../scopes.ts), each loading its own copy of the AWS SDK before it
 * asks for work. A worker that errors or exits on its own is reported lost (its
 * unfinished regions become errors); `stop()` terminates every worker at once (end of collection,
 * Ctrl-C, failure) and no worker starts after it. Free of SDK imports.
 */
import { Worker } from 'node:worker_threads';
import type { AwsCredentialIdentity } from '@smithy/types';
import { errorCode, errorMessage, type Scrubber } from '../aws/errors.js';
import type { CallCounters, CollectThread, Dispatcher, Unit } from './dispatch.js';
import { fromWire, toWire, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';

/** Resolved credentials of a scope (account), from the main thread's shared, refreshing provider. */
export type ScopeCredentials = (scope: number) => Promise<AwsCredentialIdentity>;

const ENTRY = new URL('./worker.js', import.meta.url);
/**
 * A worker's young generation (V8's default: 48 MB). Parsing 1,000-record XML pages makes short-lived
 * objects by the hundred megabytes; with the larger nursery garbage collection took ~13% of a worker's
 * CPU instead of ~23% (the main thread's, at the default size) in the fan-out benchmark.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

class WorkerThread implements CollectThread {
  counters: CallCounters = { calls: 0, retries: 0, failed: 0, pending: 0 };
  private readonly worker: Worker | undefined;
  private stopped = false;
  private gone = false;

  constructor(
    readonly name: string,
    init: WorkerInit,
    private readonly dispatcher: Dispatcher,
    private readonly scrubber: Scrubber,
    private readonly pool: WorkerPool,
  ) {
    dispatcher.register(this, true);
    try {
      this.worker = new Worker(ENTRY, {
        workerData: init,
        name,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
    } catch (err) {
      queueMicrotask(() => this.die(err));
      return;
    }
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.die(err));
    this.worker.on('messageerror', (err) => this.die(err));
    this.worker.on('exit', (code) =>
      this.die(Object.assign(new Error(`the worker thread exited with code ${code}`), { name: 'WorkerExited' })),
    );
  }

  assign(unit: Unit): void {
    void this.pool.credentials(unit.scope).then(
      (c) => this.post({ type: 'unit', unit, credentials: toWire(c) }),
      // The worker asks again when it needs them, and records the error per API then.
      () => this.post({ type: 'unit', unit }),
    );
  }

  release(): void {
    void this.stop();
  }

  ready(): boolean {
    return this.pool.ready();
  }

  stop(): Promise<unknown> {
    this.stopped = true;
    this.counters = { ...this.counters, pending: 0 };
    return this.worker?.terminate() ?? Promise.resolve();
  }

  private post(m: ToWorker): void {
    if (!this.gone && !this.stopped) this.worker?.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    if (this.gone || this.stopped) return;
    switch (m.type) {
      case 'want':
        this.dispatcher.want(this);
        break;
      case 'stats':
        this.counters = m.counters;
        break;
      case 'result':
        this.counters = m.counters;
        this.dispatcher.result(this, m.id, m.region);
        break;
      case 'failed':
        this.dispatcher.fail(fromWire(m.error));
        break;
      case 'credentials':
        this.pool.credentials(m.scope).then(
          (c) => this.post({ type: 'credentials', id: m.id, credentials: toWire(c) }),
          (err: unknown) =>
            this.post({
              type: 'credentials',
              id: m.id,
              error: { code: errorCode(err), message: errorMessage(err, this.scrubber) },
            }),
        );
        break;
    }
  }

  private die(err: unknown): void {
    if (this.gone || this.stopped) return;
    this.gone = true;
    this.counters = { ...this.counters, pending: 0 };
    this.dispatcher.lost(
      this,
      errorCode(err),
      `${this.name} stopped before this region was collected (${errorMessage(err, this.scrubber)}); nothing from ` +
        'it is known',
    );
    void this.worker?.terminate();
  }
}

export class WorkerPool {
  private threads: WorkerThread[] = [];
  private scopeCredentials: ScopeCredentials | undefined;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private gate: () => boolean = () => true;

  /** One worker per share, announced to the dispatcher now, started by `start()`. */
  constructor(
    private readonly shares: number[],
    private readonly init: Omit<WorkerInit, 'share'>,
    private readonly dispatcher: Dispatcher,
    private readonly scrubber: Scrubber,
  ) {
    dispatcher.reserve(shares.length);
  }

  /** Neither started nor stopped. */
  get idle(): boolean {
    return this.state === 'idle';
  }

  /**
   * Start the workers (once; never after `stop()`). `gate`: whether they may take work yet (the main
   * thread's calls beyond its share must finish first, so the total stays within --concurrency).
   */
  start(gate?: () => boolean): void {
    if (this.state !== 'idle') return;
    this.state = 'started';
    if (gate) this.gate = gate;
    this.threads = this.shares.map(
      (share, i) =>
        new WorkerThread(`worker thread ${i + 1}`, { ...this.init, share }, this.dispatcher, this.scrubber, this),
    );
  }

  /** Set once the accounts are known, before any unit is handed out. */
  setCredentials(fn: ScopeCredentials): void {
    this.scopeCredentials = fn;
  }

  ready(): boolean {
    return this.gate();
  }

  credentials(scope: number): Promise<AwsCredentialIdentity> {
    if (!this.scopeCredentials) return Promise.reject(new Error('no credentials for this account yet'));
    return this.scopeCredentials(scope);
  }

  stop(): Promise<unknown> {
    this.state = 'stopped';
    return Promise.all(this.threads.map((t) => t.stop()));
  }
}
