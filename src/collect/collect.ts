/**
 * Live collection: accounts × regions × APIs, concurrently under one bounded limit, into exactly the
 * snapshot that `--input` files hold. Read-only: Describe*, Get* and STS GetCallerIdentity/AssumeRole.
 *
 * Failures that concern one region or API are recorded in the snapshot (the engine turns them into
 * `error` findings) and everything else completes; failures that mean nothing can be scanned (no
 * region, no valid credentials) are usage errors; an interruption rejects with exit code 130.
 *
 * Large collections are CPU-bound (the SDK's XML deserialisation): with `workers` > 1 the account×region
 * units are spread over the main thread and worker threads (threads/: dispatch, pool, worker), each
 * running the same per-region code under its share of the call limit.
 *
 * This module loads no AWS SDK code itself (scopes.ts does, once the options are checked; with a
 * profile, aws/profiles.ts first reads the shared config files with the SDK's small file reader).
 */
import { setMaxListeners } from 'node:events';
import { isRegionName } from '../snapshot/aws-values.js';
import type { Snapshot } from '../snapshot/schema.js';
import { EXIT, SgAuditError, UsageError } from '../util/errors.js';
import { errorCode, errorMessage, InterruptedError, Scrubber, SECRET_ENV_VARS } from './aws/errors.js';
import { assertProfileExists, chosenProfile, profileOverridesEnvNotice } from './aws/profiles.js';
import { DEFAULTS, roleAccount, type CollectOptions, type ProgressSink } from './settings.js';
import { Dispatcher, planThreads, splitConcurrency } from './threads/dispatch.js';
import { WorkerPool } from './threads/pool.js';

export type { CollectOptions, ProgressSink };

export async function collectLive(opts: CollectOptions): Promise<Snapshot> {
  if (opts.regions.mode === 'list') {
    const bad = opts.regions.regions.find((r) => !isRegionName(r));
    if (bad !== undefined) throw new UsageError(`--regions: '${bad}' is not a region name`);
    if (opts.regions.regions.length === 0) throw new UsageError('--regions: no region given');
  }
  for (const arn of opts.roleArns ?? []) {
    if (roleAccount(arn) === undefined) throw new UsageError(`--role-arn: '${arn}' is not an IAM role ARN`);
  }
  if (opts.signal?.aborted) throw new InterruptedError();
  // The profile is decided once, here, from what the SDK will read (process.env): it must exist, and
  // it wins over environment keys, with one line saying so (aws/profiles.ts).
  const profile = chosenProfile(opts.profile, process.env);
  if (profile) {
    await assertProfileExists(profile);
    const notice = profileOverridesEnvNotice(profile, process.env);
    if (notice) (opts.warn ?? ((line: string) => process.stderr.write(`sg-audit: warning: ${line}\n`)))(notice);
  }

  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  // Units are account×region; with --regions all their number is only known after DescribeRegions.
  const accounts = Math.max(1, opts.roleArns?.length ?? 0);
  const maxUnits =
    opts.regions.mode === 'all'
      ? Infinity
      : opts.regions.mode === 'list'
        ? opts.regions.regions.length * accounts
        : accounts;
  const shares = splitConcurrency(concurrency, planThreads(opts.workers ?? 1, maxUnits, concurrency));
  // Every in-flight SDK request listens on the signal: use an internal one sized for that, linked to
  // the caller's (Node warns past 10 listeners on a signal).
  const controller = new AbortController();
  setMaxListeners(concurrency * 2 + 16, controller.signal);
  const signal = opts.signal ? controller.signal : undefined;
  const env = opts.env ?? process.env;
  const scrubber = new Scrubber(env);
  const dispatcher = new Dispatcher();
  // Worker threads start only when it pays (see scopes.ts): small estates never load the SDK again.
  const pool =
    shares.length > 1
      ? new WorkerPool(
          shares.slice(1),
          {
            needs: [...opts.needs],
            profile: opts.profile,
            retryMode: opts.retryMode ?? DEFAULTS.retryMode,
            maxAttempts: opts.maxAttempts ?? DEFAULTS.maxAttempts,
            requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
            secretEnv: Object.fromEntries(SECRET_ENV_VARS.map((k) => [k, env[k]])),
          },
          dispatcher,
          scrubber,
        )
      : undefined;
  // Ctrl-C: in-flight calls of this thread are aborted, worker threads terminated.
  const forwardAbort = () => {
    controller.abort();
    void pool?.stop();
  };
  opts.signal?.addEventListener('abort', forwardAbort, { once: true });

  let ok = false;
  opts.progress?.start(dispatcher.stats);
  try {
    // The AWS SDK takes a second or two to load: only now (this module does not import it).
    const work = import('./scopes.js').then(({ collectScopes }) =>
      collectScopes({ opts, concurrency, share: shares[0], dispatcher, pool, scrubber, signal }),
    );
    work.catch(() => {}); // when the abort wins the race below, the work's own rejection is expected
    const snapshot = await untilAborted(work, signal);
    ok = true;
    return snapshot;
  } catch (err) {
    if (err instanceof SgAuditError) throw err;
    // Unexpected: still one scrubbed line, never a credential in a stack or message.
    throw new SgAuditError(
      `live collection failed: ${errorCode(err)}: ${errorMessage(err, scrubber)}`,
      EXIT.INCOMPLETE,
      { cause: err },
    );
  } finally {
    opts.signal?.removeEventListener('abort', forwardAbort);
    await pool?.stop();
    opts.progress?.stop({ ok });
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
