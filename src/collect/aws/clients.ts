/**
 * SDK plumbing for live collection: the shared HTTP handler, retries, client construction (credential
 * providers: credentials.ts). Everything honours the SDK's own configuration (AWS_ENDPOINT_URL*, profiles, SSO,
 * config files): sg-audit adds no endpoint logic of its own.
 */
import http from 'node:http';
import https from 'node:https';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { STSClient } from '@aws-sdk/client-sts';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ec2Sdk, elbSdk, httpSdk, rdsSdk, retrySdk, stsSdk } from './sdk.js';

export type RetryMode = 'standard' | 'adaptive';

export interface SdkSettings {
  profile?: string;
  retryMode: RetryMode;
  maxAttempts: number;
  requestHandler: NodeHttpHandler;
  /**
   * Parse DescribeSecurityGroups / DescribeNetworkInterfaces bodies with sg-audit's one-pass parser
   * (fast-xml/; default on). Off: the SDK's own deserialisation, then conversion (the reference
   * the equivalence tests compare with).
   */
  fastXml?: boolean;
}

export const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * One handler for every client: keep-alive agents whose socket pool matches the call limit (the SDK's
 * default handler caps at 50 sockets), and timeouts so a hung endpoint becomes a recorded error.
 */
export function makeRequestHandler(concurrency: number, requestTimeoutMs: number): NodeHttpHandler {
  const agent = { keepAlive: true, maxSockets: concurrency };
  return new (httpSdk().NodeHttpHandler)({
    httpAgent: new http.Agent(agent),
    httpsAgent: new https.Agent(agent),
    connectionTimeout: Math.min(10_000, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    // Sockets are bounded by the call limit; the handler's capacity warnings would only be noise.
    logger: silentLogger,
  });
}

/**
 * Back-off before retry `attempt` (2 = the first retry) in standard mode: full jitter over an
 * exponential ceiling of 100 ms × 2^(attempt-2), at most 20 s — the SDK's own formula, with a 100 ms base
 * for every retryable error. The SDK's standard strategy waits on throttling errors with a 1 s base
 * (this SDK version; 500 ms before): every sequential step of a collection (STS, DescribeRegions, each
 * page of a chain) that meets a throttle then costs up to a second, and across 17 regions some chain
 * nearly always does. With 20% of first attempts throttled that made the small fan-out benchmark 2.5×
 * its unthrottled time. These are read-only Describe calls, retried within --max-attempts and the
 * SDK's retry quota (unchanged): the ceiling still doubles per retry (100, 200, 400, 800 ms with the
 * default 5 attempts). `--retry-mode adaptive` keeps the SDK's adaptive strategy as it is.
 */
export const RETRY_BASE_MS = 100;
export const RETRY_MAX_DELAY_MS = 20_000;
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 2)));
}

/** The retry settings of every client (and of the AssumeRole client, credentials.ts). */
export function retryConfig(s: SdkSettings) {
  if (s.retryMode === 'standard') {
    return {
      retryStrategy: new (retrySdk().ConfiguredRetryStrategy)(s.maxAttempts, (attempt: number) => retryDelay(attempt)),
    };
  }
  return { retryMode: s.retryMode, maxAttempts: s.maxAttempts };
}

function common(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings) {
  return {
    region,
    credentials,
    requestHandler: s.requestHandler,
    ...retryConfig(s),
    ...(s.profile ? { profile: s.profile } : {}),
  };
}

/**
 * sg-audit gives the SDK no logger, yet the SDK's logger middleware still builds a redacted copy of
 * every response for its no-op default logger: for a page of 1,000 groups that walk is about 5% of a
 * large collection's CPU, plus the garbage. The listing clients go without it.
 */
export function withoutLogger<C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

export function ec2Client(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): EC2Client {
  return withoutLogger(new (ec2Sdk().EC2Client)(common(region, credentials, s)));
}
export function elbClient(
  region: string,
  credentials: AwsCredentialIdentityProvider,
  s: SdkSettings,
): ElasticLoadBalancingV2Client {
  return withoutLogger(new (elbSdk().ElasticLoadBalancingV2Client)(common(region, credentials, s)));
}
export function rdsClient(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): RDSClient {
  return withoutLogger(new (rdsSdk().RDSClient)(common(region, credentials, s)));
}
export function stsClient(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): STSClient {
  return new (stsSdk().STSClient)(common(region, credentials, s));
}

/** The profile's / environment's region, as the SDK resolves it; undefined when none is configured. */
export async function defaultRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    const region = await new (stsSdk().STSClient)(profile ? { profile } : {}).config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers the `host:port` the client's last request went to (after endpoint resolution, so
 * AWS_ENDPOINT_URL* and config-file endpoints included), to name it when it cannot be reached.
 */
export function requestTarget(client: STSClient): () => string | undefined {
  let target: string | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { hostname?: string; port?: number; protocol?: string } | undefined;
      if (req?.hostname) target = `${req.hostname}:${req.port ?? (req.protocol === 'http:' ? 80 : 443)}`;
      return next(args);
    },
    { step: 'build', name: 'sgAuditRequestTarget' },
  );
  return () => target;
}
