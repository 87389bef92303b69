/**
 * Messages between the main thread and the collection worker threads (worker.ts), and the settings a
 * worker starts with. Free of SDK imports.
 *
 * Credentials: the main thread resolves them (default chain, profile, AssumeRole per account) and hands
 * the resolved values to a worker with each unit, in memory; a worker asks again when the ones it has
 * are about to expire, and the main thread answers from its own refreshing provider.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RegionSnapshot, ResourceKind } from '../../snapshot/schema.js';
import type { RetryMode } from '../aws/clients.js';
import type { CallCounters, Unit } from './dispatch.js';

export interface WorkerInit {
  /** This worker's share of `--concurrency`: its call limit and HTTP socket pool size. */
  share: number;
  needs: ResourceKind[];
  profile?: string;
  retryMode: RetryMode;
  maxAttempts: number;
  requestTimeoutMs: number;
  /** The AWS_* credential variables of the caller's environment, for the worker's secret scrubber. */
  secretEnv: Record<string, string | undefined>;
}

/** Credential fields that cross the thread boundary (structured clone keeps the Date). */
export interface WireCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  credentialScope?: string;
  accountId?: string;
}

/** An error as `errorCode` / `errorMessage` (scrubbed) see it; `fromWire` rebuilds an equivalent one. */
export interface WireError {
  code: string;
  message: string;
}

export function fromWire(e: WireError): Error {
  return Object.assign(new Error(e.message), { name: e.code });
}

export type ToWorker =
  | { type: 'unit'; unit: Unit; credentials?: WireCredentials }
  | { type: 'credentials'; id: number; credentials?: WireCredentials; error?: WireError };

export type FromWorker =
  /** Free capacity for one more unit. */
  | { type: 'want' }
  | { type: 'stats'; counters: CallCounters }
  | { type: 'result'; id: number; region: RegionSnapshot; counters: CallCounters }
  /** An unexpected failure (not an AWS error: those are recorded in the region). */
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'credentials'; id: number; scope: number };

/** Credentials are refreshed this long before they expire (the SDK's own margin). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export function credentialsFresh(c: { expiration?: Date } | undefined, now = Date.now()): boolean {
  return c !== undefined && (c.expiration === undefined || c.expiration.getTime() - now > REFRESH_MARGIN_MS);
}

export function toWire(c: AwsCredentialIdentity): WireCredentials {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
    ...(c.credentialScope !== undefined ? { credentialScope: c.credentialScope } : {}),
    ...(c.accountId !== undefined ? { accountId: c.accountId } : {}),
  };
}
