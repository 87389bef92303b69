/**
 * The collecting side of one thread, the same in the main thread and in a worker: it runs
 * `collectRegion` for each unit it is given, under the thread's own call limit, and asks for another
 * unit whenever that limit has a free slot and nothing queued (so the work spreads over the threads
 * by their actual speed).
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { RegionSnapshot, ResourceKind } from '../../snapshot/schema.js';
import type { SdkSettings } from '../aws/clients.js';
import type { Scrubber } from '../aws/errors.js';
import { collectRegion } from '../region.js';
import type { CallRunner } from '../runner.js';
import type { Unit } from './dispatch.js';

export interface RegionThreadOptions {
  /** This thread's call limit (its share of --concurrency). */
  runner: CallRunner;
  /** The runner's limit: the thread asks for more work while fewer calls are pending. */
  share: number;
  sdk: SdkSettings;
  scrubber: Scrubber;
  needs: Set<ResourceKind>;
  credentials(scope: number): AwsCredentialIdentityProvider;
  /** Ask for one more unit; the answer is a later `assign` (possibly synchronous, possibly never). */
  want(): void;
  done(unit: Unit, region: RegionSnapshot): void;
  /** `collectRegion` rejected: an interruption, or a bug (AWS errors are recorded in the region). */
  failed(unit: Unit, err: unknown): void;
  /** Take every unit offered, busy or not: no other thread to share them with. */
  greedy?(): boolean;
}

export class RegionThread {
  /** Follows the runner's limit when it changes (the main thread's, once worker threads start). */
  share: number;
  private wanting = false;
  private scheduled = false;

  constructor(private readonly o: RegionThreadOptions) {
    this.share = o.share;
    o.runner.onSettle = () => this.schedule();
  }

  assign(unit: Unit): void {
    this.wanting = false;
    const { runner, sdk, scrubber, needs } = this.o;
    collectRegion({
      accountId: unit.accountId,
      region: unit.region,
      credentials: this.o.credentials(unit.scope),
      needs,
      sdk,
      runner,
      scrubber,
    }).then(
      (region) => this.o.done(unit, region),
      (err: unknown) => this.o.failed(unit, err),
    );
    this.schedule();
  }

  /** Ask for units while there is room. Called on start, after each settled call and each assignment. */
  pump(): void {
    this.scheduled = false;
    while (!this.wanting && this.hungry()) {
      this.wanting = true;
      this.o.want();
    }
  }

  private hungry(): boolean {
    return this.o.greedy?.() === true || this.o.runner.stats.pending < this.share;
  }

  /** Pump after the current I/O callbacks (so the chains of a settled call have queued their next page). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }
}
