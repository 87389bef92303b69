/**
 * Live collection: accounts × regions × APIs, concurrently under one bounded limit, into exactly the
 * snapshot that `--input` files hold. Read-only: Describe*, Get* and STS GetCallerIdentity/AssumeRole.
 *
 * Failures that concern one region or API are recorded in the snapshot (the engine turns them into
 * `error` findings) and everything else completes; failures that mean nothing can be scanned (no
 * region, no valid credentials) are usage errors; an interruption rejects with exit code 130.
 */
import { setMaxListeners } from 'node:events';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { newSnapshot, type RegionSnapshot, type ResourceKind, type Snapshot } from '../snapshot/schema.js';
import { EXIT, SgAuditError, UsageError } from '../util/errors.js';
import {
  baseCredentials,
  defaultRegion,
  ec2Client,
  makeRequestHandler,
  roleCredentials,
  stsClient,
  type SdkSettings,
} from './aws.js';
import {
  errorCode,
  errorMessage,
  InterruptedError,
  isAbortError,
  isCredentialError,
  Scrubber,
  toCollectionError,
} from './errors.js';
import { DEFAULTS, isRegionName, roleAccount, type RegionSelection } from './options.js';
import { collectRegion } from './region.js';
import { CallRunner, type CollectStats } from './runner.js';

export { DEFAULTS };

export interface ProgressSink {
  start(stats: Readonly<CollectStats>): void;
  stop(result?: { ok: boolean }): void;
}

export interface CollectOptions {
  regions: RegionSelection;
  /** Resource kinds the selected rules need; security groups are always collected. */
  needs: Set<ResourceKind>;
  profile?: string;
  /** One role per account to assume; empty = the caller's own account. */
  roleArns?: string[];
  externalId?: string;
  concurrency?: number;
  retryMode?: 'standard' | 'adaptive';
  maxAttempts?: number;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  /** Values listed here (AWS_* credential variables) are scrubbed from every message. */
  env?: NodeJS.ProcessEnv;
  progress?: ProgressSink;
}

interface Scope {
  accountId: string;
  credentials: AwsCredentialIdentityProvider;
  roleArn?: string;
}

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

  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  // Every in-flight SDK request listens on the signal: use an internal one sized for that, linked to
  // the caller's (Node warns past 10 listeners on a signal).
  const controller = new AbortController();
  setMaxListeners(concurrency * 2 + 16, controller.signal);
  const forwardAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', forwardAbort, { once: true });
  const signal = opts.signal ? controller.signal : undefined;
  const scrubber = new Scrubber(opts.env ?? process.env);
  const runner = new CallRunner(concurrency, signal);
  const requestHandler = makeRequestHandler(concurrency, opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs);
  const sdk: SdkSettings = {
    profile: opts.profile,
    retryMode: opts.retryMode ?? DEFAULTS.retryMode,
    maxAttempts: opts.maxAttempts ?? DEFAULTS.maxAttempts,
    requestHandler,
  };

  let ok = false;
  opts.progress?.start(runner.stats);
  try {
    const work = run(opts, sdk, runner, scrubber);
    work.catch(() => {}); // when the abort wins the race below, the work's own rejection is expected
    const snapshot = await untilAborted(work, signal);
    ok = true;
    return snapshot;
  } catch (err) {
    if (err instanceof SgAuditError) throw err;
    // Unexpected: still one scrubbed line, never a credential in a stack or message.
    throw new SgAuditError(`live collection failed: ${errorCode(err)}: ${errorMessage(err, scrubber)}`, EXIT.INCOMPLETE, { cause: err });
  } finally {
    opts.signal?.removeEventListener('abort', forwardAbort);
    opts.progress?.stop({ ok });
    requestHandler.destroy();
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

async function run(opts: CollectOptions, sdk: SdkSettings, runner: CallRunner, scrubber: Scrubber): Promise<Snapshot> {
  const configured = await defaultRegion(opts.profile);
  if (configured !== undefined && !isRegionName(configured) && opts.regions.mode === 'default') {
    throw new UsageError(`the configured region '${configured}' is not a region name; pass --regions`);
  }
  const usable = configured !== undefined && isRegionName(configured) ? configured : undefined;
  // Home region: where STS (and DescribeRegions for --regions all) is called.
  let home: string;
  if (usable) home = usable;
  else if (opts.regions.mode === 'list') home = opts.regions.regions[0];
  else if (opts.regions.mode === 'all') home = DEFAULTS.fallbackHomeRegion;
  else {
    throw new UsageError(
      `no region: ${opts.profile ? `profile '${opts.profile}' sets none and ` : ''}AWS_REGION is not set; pass --regions us-east-1,... or --regions all`,
    );
  }

  // Base credentials, checked once with STS GetCallerIdentity (needs no permission): missing, expired
  // or wrong credentials stop here with one line instead of one error per region.
  const base = baseCredentials(opts.profile, scrubber);
  let callerAccount: string;
  try {
    const sts = stsClient(home, base, sdk);
    const id = await runner.run((abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }));
    if (!id.Account) throw Object.assign(new Error('GetCallerIdentity returned no account'), { code: 'InvalidResponse' });
    callerAccount = id.Account;
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw credentialUsageError(err, opts.profile, scrubber);
  }

  const roleArns = opts.roleArns ?? [];
  const scopes: Scope[] =
    roleArns.length === 0
      ? [{ accountId: callerAccount, credentials: base }]
      : roleArns.map((arn) => ({
          accountId: roleAccount(arn)!,
          roleArn: arn,
          credentials: roleCredentials(arn, opts.externalId, base, home, sdk, scrubber),
        }));

  const accountErrors: Snapshot['errors'] = [];
  const perScope = await Promise.all(
    scopes.map((scope) => collectAccount(scope, opts, home, sdk, runner, scrubber, accountErrors)),
  );
  const regions = perScope.flat().sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  const snapshot = newSnapshot(regions);
  snapshot.errors = accountErrors;
  return snapshot;
}

async function collectAccount(
  scope: Scope,
  opts: CollectOptions,
  home: string,
  sdk: SdkSettings,
  runner: CallRunner,
  scrubber: Scrubber,
  accountErrors: Snapshot['errors'],
): Promise<RegionSnapshot[]> {
  const record = (api: string, err: unknown, region?: string) => {
    if (isAbortError(err)) throw err;
    accountErrors.push({ accountId: scope.accountId, ...(region ? { region } : {}), ...toCollectionError(api, err, scrubber) });
  };

  if (scope.roleArn) {
    try {
      await runner.run(() => scope.credentials());
    } catch (err) {
      record('sts:AssumeRole', err);
      return [];
    }
  }

  let regions: string[];
  if (opts.regions.mode === 'all') {
    try {
      const ec2 = ec2Client(home, scope.credentials, sdk);
      const out = await runner.run((abortSignal) => ec2.send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal }));
      regions = (out.Regions ?? [])
        .filter((r) => r.RegionName && r.OptInStatus !== 'not-opted-in')
        .map((r) => r.RegionName!)
        .sort();
    } catch (err) {
      record('ec2:DescribeRegions', err, home);
      return [];
    }
  } else if (opts.regions.mode === 'list') {
    regions = opts.regions.regions;
  } else {
    regions = [home];
  }

  runner.stats.regionsTotal += regions.length;
  return Promise.all(
    regions.map((region) =>
      collectRegion({
        accountId: scope.accountId,
        region,
        credentials: scope.credentials,
        needs: opts.needs,
        sdk,
        runner,
        scrubber,
      }).finally(() => {
        runner.stats.regionsDone++;
      }),
    ),
  );
}

function credentialUsageError(err: unknown, profile: string | undefined, scrubber: Scrubber): UsageError {
  const code = errorCode(err);
  const msg = errorMessage(err, scrubber);
  const fix = profile
    ? `check profile '${profile}' (for SSO: aws sso login --profile ${profile})`
    : 'configure credentials (environment, ~/.aws/credentials, aws sso login) or pass --profile NAME';
  if (isCredentialError(err)) return new UsageError(`AWS credentials are missing, expired or invalid (${code}: ${msg}); ${fix}`);
  return new UsageError(`cannot verify AWS credentials with STS GetCallerIdentity (${code}: ${msg}); ${fix}`);
}
