/**
 * Credential providers of a live collection: the default chain or one profile, AssumeRole per account,
 * each resolution shared by every client of its scope. Every value resolved is handed to the scrubber.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { retryConfig, silentLogger, type SdkSettings } from './clients.js';
import type { Scrubber } from './errors.js';
import { credentialsSdk } from './sdk.js';

/**
 * Share one resolution between every client of a scope and refresh it shortly before it expires
 * (the SDK memoises per client; without this each regional client would call AssumeRole itself).
 */
export function shareCredentials(
  provider: AwsCredentialIdentityProvider,
  scrubber: Scrubber,
): AwsCredentialIdentityProvider {
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

/**
 * Default provider chain (env, SSO, profiles with assume-role, process, IMDS…), or one named profile.
 * With a profile (--profile or AWS_PROFILE) the chain skips environment keys, as sg-audit decided
 * (profiles.ts, which checked the profile exists and printed the one line about it). The chain gets
 * a silent logger: without one it writes a 9-line console warning when a profile and environment
 * keys are both set, and its providers have nothing else to say to someone reading an audit.
 */
export function baseCredentials(profile: string | undefined, scrubber: Scrubber): AwsCredentialIdentityProvider {
  return shareCredentials(
    credentialsSdk().fromNodeProviderChain({ ...(profile ? { profile } : {}), logger: silentLogger }),
    scrubber,
  );
}

export function roleCredentials(
  roleArn: string,
  externalId: string | undefined,
  master: AwsCredentialIdentityProvider,
  homeRegion: string,
  s: SdkSettings,
  scrubber: Scrubber,
): AwsCredentialIdentityProvider {
  const provider = credentialsSdk().fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'sg-audit', ...(externalId ? { ExternalId: externalId } : {}) },
    masterCredentials: master,
    clientConfig: {
      region: homeRegion,
      requestHandler: s.requestHandler,
      ...retryConfig(s),
      ...(s.profile ? { profile: s.profile } : {}),
    },
  });
  return shareCredentials(provider, scrubber);
}
