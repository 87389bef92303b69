/**
 * Standard-mode retries (src/collect/aws/clients.ts): exponential back-off with full jitter from a 100 ms base
 * for every retryable error, bounded by --max-attempts; adaptive mode keeps the SDK's strategy.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ec2Client, makeRequestHandler, retryDelay, RETRY_MAX_DELAY_MS } from '../../src/collect/aws/clients.js';
import { collectLive } from '../../src/collect/collect.js';
import { useFakeAwsPerTest, useOfflineAwsEnv } from '../helpers/aws-env.js';

describe('retryDelay', () => {
  test('full jitter under a ceiling that doubles per retry from 100 ms, capped at 20 s', () => {
    const top = () => 0.999999;
    expect([2, 3, 4, 5].map((a) => retryDelay(a, top))).toEqual([99, 199, 399, 799]);
    expect([2, 3, 4, 5].map((a) => retryDelay(a, () => 0))).toEqual([0, 0, 0, 0]);
    expect(retryDelay(30, top)).toBe(RETRY_MAX_DELAY_MS - 1);
    expect(retryDelay(3, () => 0.5)).toBe(100);
  });
});

describe('SDK clients', () => {
  const handler = makeRequestHandler(4, 1000);
  afterAll(() => handler.destroy());
  const creds = async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' });

  test('standard mode: the configured strategy with --max-attempts', async () => {
    const c = ec2Client('us-east-1', creds, { retryMode: 'standard', maxAttempts: 4, requestHandler: handler });
    const strategy = await c.config.retryStrategy();
    expect(strategy.constructor.name).toBe('ConfiguredRetryStrategy');
    expect(await (strategy as unknown as { maxAttempts(): Promise<number> }).maxAttempts()).toBe(4);
  });

  test('adaptive mode: the SDK adaptive strategy', async () => {
    const c = ec2Client('us-east-1', creds, { retryMode: 'adaptive', maxAttempts: 4, requestHandler: handler });
    expect(((await c.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  });
});

describe('against the fake endpoint', () => {
  useOfflineAwsEnv('AKIASGAUDITRETRY0001', 'sgAuditRetrySecret/0123456789');
  const fake = useFakeAwsPerTest();

  test('throttling that never ends: exactly --max-attempts attempts, then the error is recorded for that API', async () => {
    const aws = await fake({
      failures: [
        {
          action: 'DescribeSecurityGroups',
          status: 503,
          code: 'RequestLimitExceeded',
          message: 'Request limit exceeded.',
        },
      ],
    });
    const snap = await collectLive({
      regions: { mode: 'list', regions: ['us-east-1'] },
      needs: new Set(['securityGroups']),
      retryMode: 'standard',
      maxAttempts: 3,
      env: process.env,
    });
    expect(aws.log.filter((r) => r.action === 'DescribeSecurityGroups').map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(snap.regions[0].collected).toEqual([]);
    expect(snap.regions[0].errors.map((e) => [e.api, e.code])).toEqual([
      ['ec2:DescribeSecurityGroups', 'RequestLimitExceeded'],
    ]);
  });
});
