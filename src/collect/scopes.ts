/**
 * The main thread's side of a live collection (loaded with the AWS SDK, after the worker threads were
 * started): home region, credentials checked once with STS, one scope per account (AssumeRole), the
 * regions of each account (DescribeRegions for `--regions all`), handed to the dispatcher as units as
 * soon as they are known. The main thread collects units itself too, under its share of the limit.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { isRegionName } from '../snapshot/aws-values.js';
import { newSnapshot, type Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import {
  defaultRegion,
  ec2Client,
  makeRequestHandler,
  requestTarget,
  stsClient,
  type SdkSettings,
} from './aws/clients.js';
import { baseCredentials, roleCredentials } from './aws/credentials.js';
import {
  errorCode,
  errorMessage,
  isAbortError,
  isCredentialError,
  isNetworkError,
  networkErrorTarget,
  Scrubber,
  toCollectionError,
} from './aws/errors.js';
import { ec2Sdk, stsSdk } from './aws/sdk.js';
import { CallRunner } from './runner.js';
import { DEFAULTS, roleAccount, type CollectOptions } from './settings.js';
import { UNITS_PER_THREAD_WITH_WORKERS, type CollectThread, type Dispatcher } from './threads/dispatch.js';
import type { WorkerPool } from './threads/pool.js';
import { RegionThread } from './threads/thread.js';

interface Scope {
  accountId: string;
  credentials: AwsCredentialIdentityProvider;
  roleArn?: string;
}

export interface MainThreadJob {
  opts: CollectOptions;
  /** The whole --concurrency: the main thread's limit until worker threads start. */
  concurrency: number;
  /** The main thread's share of it once worker threads run. */
  share: number;
  dispatcher: Dispatcher;
  pool?: WorkerPool;
  scrubber: Scrubber;
  signal?: AbortSignal;
}

export async function collectScopes(job: MainThreadJob): Promise<Snapshot> {
  const { opts, concurrency, share, dispatcher, pool, scrubber, signal } = job;
  const runner = new CallRunner(concurrency, signal);
  const requestHandler = makeRequestHandler(concurrency, opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs);
  const sdk: SdkSettings = {
    profile: opts.profile,
    retryMode: opts.retryMode ?? DEFAULTS.retryMode,
    maxAttempts: opts.maxAttempts ?? DEFAULTS.maxAttempts,
    requestHandler,
  };
  const scopes: Scope[] = [];

  const main: CollectThread = { name: 'main thread', counters: runner.stats, assign: (unit) => local.assign(unit) };
  const local = new RegionThread({
    runner,
    share: concurrency,
    sdk,
    scrubber,
    needs: opts.needs,
    credentials: (scope) => scopes[scope].credentials,
    want: () => dispatcher.want(main),
    done: (unit, region) => dispatcher.result(main, unit.id, region),
    failed: (_unit, err) => dispatcher.fail(err),
    greedy: () => dispatcher.alone(main),
  });
  dispatcher.register(main);
  dispatcher.onThreadLost = () => local.schedule();
  if (pool) {
    pool.setCredentials((scope) => scopes[scope].credentials());
    // Worker threads start when it pays: as soon as units wait for a thread and a listing has run
    // beyond one page (say more than 1,000 groups in a region: parsing, not the network, then limits
    // this thread). Small estates never see a worker (each would load its own copy of the SDK:
    // ~0.6 s of CPU). Until then this thread has the whole call limit; from then on its share, and
    // the workers take work only while the total stays within the limit.
    const startWorkers = (): boolean => {
      if (!pool.idle) return true;
      if (runner.morePages === 0 || dispatcher.queued === 0) return false;
      runner.setConcurrency(share);
      local.share = share;
      dispatcher.maxActive = UNITS_PER_THREAD_WITH_WORKERS;
      pool.start(() => runner.active <= share);
      return true;
    };
    runner.onMorePages = startWorkers;
    dispatcher.onBacklog = startWorkers;
  }
  local.pump();

  try {
    const accountErrors = await resolveScopes(opts, sdk, runner, scrubber, dispatcher, scopes);
    dispatcher.close();
    const snapshot = newSnapshot(await dispatcher.finished);
    snapshot.errors = accountErrors;
    return snapshot;
  } finally {
    requestHandler.destroy();
  }
}

async function resolveScopes(
  opts: CollectOptions,
  sdk: SdkSettings,
  runner: CallRunner,
  scrubber: Scrubber,
  dispatcher: Dispatcher,
  scopes: Scope[],
): Promise<Snapshot['errors']> {
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
      `no region: ${opts.profile ? `profile '${opts.profile}' sets none and ` : ''}AWS_REGION is not set; pass ` +
        '--regions us-east-1,... or --regions all',
    );
  }

  // Base credentials, checked once with STS GetCallerIdentity (needs no permission): missing, expired
  // or wrong credentials stop here with one line instead of one error per region.
  const base = baseCredentials(opts.profile, scrubber);
  let callerAccount: string;
  const sts = stsClient(home, base, sdk);
  const target = requestTarget(sts);
  try {
    const id = await runner.run((abortSignal) =>
      sts.send(new (stsSdk().GetCallerIdentityCommand)({}), { abortSignal }),
    );
    if (!id.Account)
      throw Object.assign(new Error('GetCallerIdentity returned no account'), { code: 'InvalidResponse' });
    callerAccount = id.Account;
  } catch (err) {
    if (isAbortError(err)) throw err;
    if (isNetworkError(err))
      throw unreachableUsageError(err, target() ?? networkErrorTarget(err), opts.requestTimeoutMs, scrubber);
    throw credentialUsageError(err, opts.profile, scrubber);
  }

  const roleArns = opts.roleArns ?? [];
  scopes.push(
    ...(roleArns.length === 0
      ? [{ accountId: callerAccount, credentials: base }]
      : roleArns.map((arn) => ({
          accountId: roleAccount(arn)!,
          roleArn: arn,
          credentials: roleCredentials(arn, opts.externalId, base, home, sdk, scrubber),
        }))),
  );

  const accountErrors: Snapshot['errors'] = [];
  await Promise.all(
    scopes.map((scope, i) => queueAccount(scope, i, opts, home, sdk, runner, scrubber, dispatcher, accountErrors)),
  );
  return accountErrors;
}

/** Resolve one account's credentials and regions, and queue its regions. */
async function queueAccount(
  scope: Scope,
  index: number,
  opts: CollectOptions,
  home: string,
  sdk: SdkSettings,
  runner: CallRunner,
  scrubber: Scrubber,
  dispatcher: Dispatcher,
  accountErrors: Snapshot['errors'],
): Promise<void> {
  const record = (api: string, err: unknown, region?: string) => {
    if (isAbortError(err)) throw err;
    accountErrors.push({
      accountId: scope.accountId,
      ...(region ? { region } : {}),
      ...toCollectionError(api, err, scrubber),
    });
  };

  if (scope.roleArn) {
    try {
      await runner.run(() => scope.credentials());
    } catch (err) {
      record('sts:AssumeRole', err);
      return;
    }
  }

  let regions: string[];
  if (opts.regions.mode === 'all') {
    try {
      const ec2 = ec2Client(home, scope.credentials, sdk);
      const out = await runner.run((abortSignal) =>
        ec2.send(new (ec2Sdk().DescribeRegionsCommand)({ AllRegions: true }), { abortSignal }),
      );
      regions = (out.Regions ?? [])
        .filter((r) => r.RegionName && r.OptInStatus !== 'not-opted-in')
        .map((r) => r.RegionName!)
        .sort();
    } catch (err) {
      record('ec2:DescribeRegions', err, home);
      return;
    }
  } else if (opts.regions.mode === 'list') {
    regions = opts.regions.regions;
  } else {
    regions = [home];
  }
  dispatcher.add(regions.map((region) => ({ scope: index, accountId: scope.accountId, region })));
}

function credentialUsageError(err: unknown, profile: string | undefined, scrubber: Scrubber): UsageError {
  const code = errorCode(err);
  const msg = errorMessage(err, scrubber);
  const fix = profile
    ? `check profile '${profile}' (for SSO: aws sso login --profile ${profile})`
    : 'configure credentials (environment, ~/.aws/credentials, aws sso login) or pass --profile NAME';
  if (isCredentialError(err))
    return new UsageError(`AWS credentials are missing, expired or invalid (${code}: ${msg}); ${fix}`);
  return new UsageError(`cannot verify AWS credentials with STS GetCallerIdentity (${code}: ${msg}); ${fix}`);
}

/** Variables that set the STS endpoint, in the SDK's order (service-specific first). */
const ENDPOINT_VARS = ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'];

/**
 * The STS check could not reach its endpoint (refused, no such host, timed out…): that is about the
 * network or the endpoint setting, not credentials. Names the host:port the SDK tried and the variable
 * that chose it (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
function unreachableUsageError(
  err: unknown,
  target: string | undefined,
  timeoutMs: number | undefined,
  scrubber: Scrubber,
): UsageError {
  const code = errorCode(err);
  const what = `${code}: ${errorMessage(err, scrubber)}`;
  const ignored = process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const variable = ignored ? undefined : ENDPOINT_VARS.find((k) => process.env[k]);
  const timeout =
    code === 'TimeoutError' || code === 'ETIMEDOUT'
      ? `, or raise --timeout (now ${(timeoutMs ?? DEFAULTS.requestTimeoutMs) / 1000} s)`
      : '';
  const fix = variable
    ? `${variable} points there: check that the endpoint is up and the variable is right, then any proxy, firewall ` +
      `or network in between${timeout}`
    : 'check network access, DNS and any proxy or firewall in between (or AWS_ENDPOINT_URL for a custom ' +
      `endpoint)${timeout}`;
  return new UsageError(
    `cannot reach the AWS endpoint ${target ?? '(unknown host)'} for STS GetCallerIdentity (${what}); ${fix}`,
  );
}
