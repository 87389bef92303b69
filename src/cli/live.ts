/**
 * Live-collection options shared by `scan` (without --input) and `collect`: parse and
 * validate the flags (before any AWS call), then hand over to src/collect. The core calls
 * `collectFromOptions` through its injected `collectLive`, once its own checks have passed.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import path from 'node:path';
import { DEFAULTS } from '../collect/settings.js';
import type { ResourceKind, Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import type { CliIO } from './io.js';
import { parseIntOption, parseRegions, parseRoleArns } from './live-options.js';
import { ProgressLine, progressEnabled } from './progress.js';

export interface LiveCliOptions {
  regions?: string;
  profile?: string;
  roleArn?: string[];
  roleArnsFile?: string;
  externalId?: string;
  concurrency?: string;
  retryMode?: string;
  maxAttempts?: string;
  timeout?: string;
  workers?: string;
  quiet?: boolean;
}

const repeat = (v: string, prev: string[] = []) => [...prev, v];

function intArg(min: number, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return v.trim();
  };
}

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option(
      '--regions <list>',
      "'all' (every enabled region) or a comma-separated list (default: the profile's region)",
    )
    .option(
      '--profile <name>',
      'AWS profile (SSO and assume-role profiles included; default: the SDK credential chain)',
    )
    .option('--role-arn <arn>', 'role to assume per account, read-only (repeatable)', repeat)
    .option('--role-arns-file <file>', 'file with one role ARN per line')
    .option('--external-id <id>', 'external id for --role-arn')
    .option(
      '--concurrency <n>',
      `AWS calls in flight at once, over all threads (default: ${DEFAULTS.concurrency})`,
      intArg(1, 1000),
    )
    .addOption(
      new Option('--retry-mode <mode>', `SDK retry mode (default: ${DEFAULTS.retryMode})`).choices([
        'adaptive',
        'standard',
      ]),
    )
    .option(
      '--max-attempts <n>',
      `attempts per call, retries included (default: ${DEFAULTS.maxAttempts})`,
      intArg(1, 20),
    )
    .option(
      '--timeout <seconds>',
      `per-request timeout (default: ${DEFAULTS.requestTimeoutMs / 1000})`,
      intArg(1, 3600),
    )
    .option(
      '--workers <n>',
      'threads collecting regions, --concurrency split between them (default: one per CPU core; 1 = no worker threads)',
      intArg(1, 256),
    )
    .option('-q, --quiet', 'no progress line on stderr');
}

/** Flags that only steer live collection (`--quiet` is harmless anywhere: CI scripts pass it always). */
const LIVE_ONLY = [
  'regions',
  'profile',
  'roleArn',
  'roleArnsFile',
  'externalId',
  'concurrency',
  'retryMode',
  'maxAttempts',
  'timeout',
  'workers',
];

/**
 * The live-only flags given on the command line (`--regions`, `--profile`…), which a scan with `--input`
 * would drop: the core turns them into a usage error naming the flag to use.
 */
export function liveFlagsGiven(cmd: Command): string[] {
  const given = (key: string) => cmd.getOptionValueSource(key) === 'cli' || cmd.getOptionValueSource(key) === 'env';
  const flag = (key: string) => cmd.options.find((o) => o.attributeName() === key)?.long ?? key;
  return LIVE_ONLY.filter(given).map(flag);
}

export async function collectFromOptions(
  opts: LiveCliOptions,
  ctx: { needs: Set<ResourceKind>; io: CliIO },
): Promise<Snapshot> {
  const { io } = ctx;
  // Everything that can be wrong with the flags is reported before any AWS call.
  const regions = parseRegions(opts.regions);
  const roleArns = parseRoleArns(opts.roleArn, opts.roleArnsFile, (f) => path.resolve(io.cwd, f));
  if (opts.externalId !== undefined && roleArns.length === 0) {
    throw new UsageError('--external-id needs --role-arn or --role-arns-file');
  }
  const concurrency = parseIntOption('--concurrency', opts.concurrency, DEFAULTS.concurrency, 1, 1000);
  const maxAttempts = parseIntOption('--max-attempts', opts.maxAttempts, DEFAULTS.maxAttempts, 1, 20);
  const timeoutSeconds = parseIntOption('--timeout', opts.timeout, DEFAULTS.requestTimeoutMs / 1000, 1, 3600);
  const workers = opts.workers === undefined ? 'auto' : parseIntOption('--workers', opts.workers, 1, 1, 256);

  // The SDK warns once per process that future releases need Node 22; that is for maintainers, not
  // for someone reading an audit report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  // The AWS SDK takes a second or two to load: only live scans pay for it.
  const { collectLive } = await import('../collect/collect.js');
  return collectLive({
    regions,
    needs: ctx.needs,
    profile: opts.profile,
    roleArns,
    externalId: opts.externalId,
    concurrency,
    retryMode: (opts.retryMode as 'standard' | 'adaptive' | undefined) ?? DEFAULTS.retryMode,
    maxAttempts,
    requestTimeoutMs: timeoutSeconds * 1000,
    workers,
    signal: io.signal,
    env: io.env,
    progress: progressEnabled(io.stderr, io.env, opts.quiet) ? new ProgressLine(io.stderr) : undefined,
    warn: (line) => io.stderr.write(`sg-audit: warning: ${line}\n`),
  });
}
