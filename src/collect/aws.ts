/**
 * SDK plumbing for live collection: the shared HTTP handler, client construction, credential providers.
 * Everything honours the SDK's own configuration (AWS_ENDPOINT_URL*, profiles, SSO, config files):
 * sg-audit adds no endpoint logic of its own.
 */
import http from 'node:http';
import https from 'node:https';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Scrubber } from './errors.js';

export type RetryMode = 'standard' | 'adaptive';

export interface SdkSettings {
  profile?: string;
  retryMode: RetryMode;
  maxAttempts: number;
  requestHandler: NodeHttpHandler;
}

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * One handler for every client: keep-alive agents whose socket pool matches the call limit (the SDK's
 * default handler caps at 50 sockets), and timeouts so a hung endpoint becomes a recorded error.
 */
export function makeRequestHandler(concurrency: number, requestTimeoutMs: number): NodeHttpHandler {
  const agent = { keepAlive: true, maxSockets: concurrency };
  return new NodeHttpHandler({
    httpAgent: new http.Agent(agent),
    httpsAgent: new https.Agent(agent),
    connectionTimeout: Math.min(10_000, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    // Sockets are bounded by the call limit; the handler's capacity warnings would only be noise.
    logger: silentLogger,
  });
}

function common(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings) {
  return {
    region,
    credentials,
    requestHandler: s.requestHandler,
    retryMode: s.retryMode,
    maxAttempts: s.maxAttempts,
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
  return withoutLogger(new EC2Client(common(region, credentials, s)));
}
export function elbClient(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): ElasticLoadBalancingV2Client {
  return withoutLogger(new ElasticLoadBalancingV2Client(common(region, credentials, s)));
}
export function rdsClient(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): RDSClient {
  return withoutLogger(new RDSClient(common(region, credentials, s)));
}
export function stsClient(region: string, credentials: AwsCredentialIdentityProvider, s: SdkSettings): STSClient {
  return new STSClient(common(region, credentials, s));
}

/** The profile's / environment's region, as the SDK resolves it; undefined when none is configured. */
export async function defaultRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    const region = await new STSClient(profile ? { profile } : {}).config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Share one resolution between every client of a scope and refresh it shortly before it expires
 * (the SDK memoises per client; without this each regional client would call AssumeRole itself).
 */
export function shareCredentials(provider: AwsCredentialIdentityProvider, scrubber: Scrubber): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let value: AwsCredentialIdentity | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined) =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - Date.now() > 5 * 60_000);
  return async () => {
    if (fresh(value)) return value!;
    if (!current) {
      current = provider()
        .then((c) => {
          scrubber.addCredentials(c);
          value = c;
          return c;
        })
        .finally(() => {
          current = undefined;
        });
    }
    return current;
  };
}

/** Default provider chain (env, SSO, profiles with assume-role, process, IMDS…), or one named profile. */
export function baseCredentials(profile: string | undefined, scrubber: Scrubber): AwsCredentialIdentityProvider {
  return shareCredentials(fromNodeProviderChain(profile ? { profile } : {}), scrubber);
}

export function roleCredentials(
  roleArn: string,
  externalId: string | undefined,
  master: AwsCredentialIdentityProvider,
  homeRegion: string,
  s: SdkSettings,
  scrubber: Scrubber,
): AwsCredentialIdentityProvider {
  const provider = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'sg-audit', ...(externalId ? { ExternalId: externalId } : {}) },
    masterCredentials: master,
    clientConfig: {
      region: homeRegion,
      requestHandler: s.requestHandler,
      retryMode: s.retryMode,
      maxAttempts: s.maxAttempts,
      ...(s.profile ? { profile: s.profile } : {}),
    },
  });
  return shareCredentials(provider, scrubber);
}
