/**
 * Issue #10, CLI items needing the live path: `collect` exiting 3 names every collection error on stderr
 * (item 15), SIGTERM exits 143 (item 20). The built CLI against the fake AWS endpoint (support/fake-aws).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../support/fake-aws/server.js';
import { tempDir } from '../helpers/files.js';
import { assertCliBuilt, CLI_BIN, spawnCli } from '../helpers/spawn-cli.js';

const ACCOUNT = '123456789012';
const credentials = { keyId: 'AKIASGAUDITCLI000042', secret: 'sgAuditCliSecret/DoNotPrint' };
let dir: string;
let aws: FakeAws | undefined;

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('live-cli');
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});
const fake = async (o: FakeAwsOptions) => (aws = await startFakeAws(o));
const estates = () =>
  new Map([
    ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
    ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
  ]);
const run = (args: string[]) => spawnCli(args, { dir, credentials, endpoint: aws?.url });

describe('live CLI (fake endpoint)', () => {
  test('collect with collection errors exits 3 and prints one line per error on stderr (item 15)', async () => {
    await fake({
      estates: estates(),
      failures: [
        {
          action: 'ec2:DescribeSecurityGroups',
          region: 'eu-west-1',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        },
        {
          action: 'rds:DescribeDBClusters',
          region: 'us-east-1',
          status: 403,
          code: 'AccessDenied',
          message: 'not authorized\nto DescribeDBClusters',
        },
      ],
    });
    const r = await run(['collect', '--regions', 'us-east-1,eu-west-1', '-o', 'partial.json', '-q']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual([
      `sg-audit: collection error: ${ACCOUNT}/eu-west-1: ec2:DescribeSecurityGroups: UnauthorizedOperation: You are not authorized to perform this operation.`,
      `sg-audit: collection error: ${ACCOUNT}/us-east-1: rds:DescribeDBClusters: AccessDenied: not authorized to DescribeDBClusters`,
    ]);
    expect(existsSync(path.join(dir, 'partial.json'))).toBe(true);

    // Without errors: silent, exit 0.
    await aws!.close();
    await fake({ estates: estates() });
    const ok = await run(['collect', '--regions', 'us-east-1', '-o', 'ok.json', '-q']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });

  test('SIGTERM exits 143 (128 + 15, as shells report it), nothing written', async () => {
    await fake({ estates: estates(), latencyMs: (api) => (api.startsWith('sts:') ? 0 : 10_000) });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: credentials.keyId,
      AWS_SECRET_ACCESS_KEY: credentials.secret,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: aws!.url,
    };
    const child = spawn(
      process.execPath,
      [CLI_BIN, 'collect', '--regions', 'us-east-1', '-o', 'terminated.json', '-q'],
      { cwd: dir, env },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      if (aws!.log.some((x) => x.service !== 'sts')) {
        clearInterval(poll);
        child.kill('SIGTERM');
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearInterval(poll);
    expect(code).toBe(143);
    expect(stderr).toBe('sg-audit: interrupted: nothing was written\n');
    expect(existsSync(path.join(dir, 'terminated.json'))).toBe(false);
  });
});
