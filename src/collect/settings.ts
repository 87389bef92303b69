/**
 * What a live collection is asked to do, and its defaults: the interface between src/cli/ (which parses
 * the flags, live-options.ts) and the collector. Types and plain values only, free of SDK imports (the
 * CLI loads the SDK only to collect); collect.ts and scopes.ts both read it, so neither imports the other.
 */
import type { ResourceKind } from '../snapshot/schema.js';
import type { CollectStats } from './runner.js';

/** Defaults of the live options. */
export const DEFAULTS = {
  concurrency: 32,
  /**
   * `standard`, chosen from the fan-out benchmark (README, Performance): with 20% of calls throttled the
   * small estate took 2.5× the unthrottled time in standard mode and 7.7× in adaptive mode, whose client-side
   * rate limiter keeps slowing every call of the client down after a throttle. `--retry-mode adaptive` stays available.
   */
  retryMode: 'standard' as 'standard' | 'adaptive',
  maxAttempts: 5,
  requestTimeoutMs: 60_000,
  /** Used for STS and DescribeRegions with `--regions all` when no region is configured. */
  fallbackHomeRegion: 'us-east-1',
};

export type RegionSelection =
  /** The profile's / environment's region. */
  | { mode: 'default' }
  /** Every region enabled for each account (DescribeRegions, skipping not-opted-in). */
  | { mode: 'all' }
  | { mode: 'list'; regions: string[] };

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** Account id of a role ARN, or undefined when it is not an IAM role ARN. */
export function roleAccount(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[1];
}

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
  /** Calls in flight at once, over every thread (split between them). */
  concurrency?: number;
  retryMode?: 'standard' | 'adaptive';
  maxAttempts?: number;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  /** Values listed here (AWS_* credential variables) are scrubbed from every message. */
  env?: NodeJS.ProcessEnv;
  progress?: ProgressSink;
  /**
   * One-line notices (no `sg-audit:` prefix, no newline), printed before collection starts; default:
   * `sg-audit: warning: …` on stderr.
   */
  warn?: (line: string) => void;
  /**
   * Threads that collect: 1 (the default here) = everything in this thread; N = this thread and N-1
   * worker threads (dist/src/collect/threads/worker.js); 'auto' (the CLI's default) = one per CPU core.
   * Never more threads than account×region units or `concurrency` slots.
   */
  workers?: number | 'auto';
}
