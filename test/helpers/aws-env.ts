/**
 * Environment for in-process collection tests that run the real SDK against the fake endpoint
 * (support/fake-aws). Both helpers register vitest hooks in the scope they are called from (file or describe).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../support/fake-aws/server.js';

/**
 * Remove every AWS_* variable of the developer's environment (no profile, config file, instance
 * metadata or real endpoint can leak in) and set these credentials with us-east-1; the whole
 * environment is restored afterwards.
 */
export function useOfflineAwsEnv(accessKeyId: string, secretAccessKey: string): void {
  const savedEnv = { ...process.env };
  beforeAll(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/sg-audit-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/sg-audit-test-credentials',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });
  afterAll(() => {
    process.env = savedEnv;
  });
}

/**
 * A fake endpoint per test: `fake(options)` starts one and points AWS_ENDPOINT_URL at it (worker threads
 * inherit the environment, so the override reaches them too); it is closed and the variable removed
 * after each test.
 */
export function useFakeAwsPerTest(): (options: FakeAwsOptions) => Promise<FakeAws> {
  let aws: FakeAws | undefined;
  afterEach(async () => {
    await aws?.close();
    aws = undefined;
    delete process.env.AWS_ENDPOINT_URL;
  });
  return async (options) => {
    aws = await startFakeAws(options);
    process.env.AWS_ENDPOINT_URL = aws.url;
    return aws;
  };
}
