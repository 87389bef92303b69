/**
 * The AWS SDK modules the collection uses, loaded on first use with require(). The SDK ships CommonJS;
 * importing it through Node's ESM loader makes Node detect the format of and lex the exports of every
 * file it loads, which cost 0.3–0.5 s of CPU at start-up here (about a fifth of a small collection).
 * The clients for load balancers and databases load only when the selected rules need them.
 * Only types are imported statically.
 */
import { createRequire } from 'node:module';

type Ec2 = typeof import('@aws-sdk/client-ec2');
type Elb = typeof import('@aws-sdk/client-elastic-load-balancing-v2');
type Rds = typeof import('@aws-sdk/client-rds');
type Sts = typeof import('@aws-sdk/client-sts');
type Credentials = typeof import('@aws-sdk/credential-providers');
type Http = typeof import('@smithy/node-http-handler');
type Retry = typeof import('@smithy/core/retry');
type Config = typeof import('@smithy/core/config');

const require = createRequire(import.meta.url);

function lazy<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(id) as T);
}

export const ec2Sdk = lazy<Ec2>('@aws-sdk/client-ec2');
export const elbSdk = lazy<Elb>('@aws-sdk/client-elastic-load-balancing-v2');
export const rdsSdk = lazy<Rds>('@aws-sdk/client-rds');
export const stsSdk = lazy<Sts>('@aws-sdk/client-sts');
export const credentialsSdk = lazy<Credentials>('@aws-sdk/credential-providers');
export const httpSdk = lazy<Http>('@smithy/node-http-handler');
/** The SDK's retry strategies (@smithy/core, the SDK's own core package). */
export const retrySdk = lazy<Retry>('@smithy/core/retry');
/** The SDK's shared config/credentials file reader (@smithy/core, the same one the credential providers use). */
export const configSdk = lazy<Config>('@smithy/core/config');
