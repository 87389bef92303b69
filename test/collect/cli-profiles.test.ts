/**
 * Credentials, profiles and endpoints as a user meets them (issue #10, item 20): the built CLI spawned
 * with an isolated HOME against the fake endpoint on 127.0.0.1 (or a closed port there).
 *
 * - `--profile` (or AWS_PROFILE) with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY set: the profile wins
 *   (command-line options first, https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-quickstart.html#cli-configure-quickstart-precedence),
 *   one line of sg-audit's own, never the SDK's 9-line warning.
 * - A profile in neither shared file: says so and where it looked (AWS_CONFIG_FILE /
 *   AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials,
 *   https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html), before any AWS call.
 * - An endpoint that refuses or never answers: names host:port and the variable that chose it
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), no credentials advice.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../support/fake-aws/server.js';
import { assertCliBuilt, spawnCli, type CliRun } from '../helpers/spawn-cli.js';

const ACCOUNT = '123456789012';
// Distinctive dummy credentials: none of these strings may ever appear in any output.
const ENV_KEY = 'AKIASGAUDITENVKEY0007';
const ENV_SECRET = 'sgAuditEnvSecret/DoNotPrint+0123456789';
const PROFILE_KEY = 'AKIASGAUDITPROFILE007';
const PROFILE_SECRET = 'sgAuditProfileSecret/DoNotPrint+98765';
const SECRETS = [ENV_KEY, ENV_SECRET, PROFILE_KEY, PROFILE_SECRET, 'ASIAFAKE', 'fakeSecretFor', 'fakeSessionTokenFor'];
const SDK_WARNING = /Multiple credential sources|AWS_PROFILE value|defaultProvider/;

let dir: string;
let config: string;
let credentials: string;
let aws: FakeAws | undefined;
const outputs: string[] = [];

function run(args: string[], o: { env?: Record<string, string | undefined>; endpoint?: string } = {}): Promise<CliRun> {
  return spawnCli(args, {
    dir,
    credentials: { keyId: ENV_KEY, secret: ENV_SECRET },
    endpoint: o.endpoint ?? aws?.url,
    env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, ...o.env },
    outputs,
  });
}

async function fake(o: FakeAwsOptions = {}): Promise<FakeAws> {
  aws = await startFakeAws({ estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]), ...o });
  return aws;
}

/** A port on 127.0.0.1 that nothing listens on (a fake endpoint's, once closed). */
async function closedPortUrl(): Promise<{ url: string; port: number }> {
  const f = await startFakeAws({});
  await f.close();
  return { url: f.url, port: f.port };
}

beforeAll(() => {
  assertCliBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-profiles-'));
  config = path.join(dir, 'aws-config');
  credentials = path.join(dir, 'aws-credentials');
  writeFileSync(config, '[profile audit]\nregion = us-east-1\n\n[sso-session corp]\nsso_region = us-east-1\n');
  writeFileSync(
    credentials,
    `[audit]\naws_access_key_id = ${PROFILE_KEY}\naws_secret_access_key = ${PROFILE_SECRET}\n`,
  );
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

describe('profiles and environment keys', () => {
  test('--profile with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY set: the profile signs every call; one line of our own, not the SDK warning', async () => {
    const f = await fake();
    const r = await run(['collect', '--regions', 'us-east-1', '-o', 'profile.json']);
    expect(r.stderr).toBe('');
    const p = await run(['collect', '--regions', 'us-east-1', '-o', 'profile.json', '--profile', 'audit']);
    expect(p.stderr).not.toMatch(SDK_WARNING);
    expect(p.stderr).toBe(
      'sg-audit: warning: --profile audit is used; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored\n',
    );
    expect(p.code).toBe(0);
    // The first run (no profile) signed with the environment's key, the second with the profile's.
    expect([...new Set(f.log.map((x) => x.accessKeyId))]).toEqual([ENV_KEY, PROFILE_KEY]);
    expect(f.log.filter((x) => x.accessKeyId === PROFILE_KEY).length).toBeGreaterThan(1);
  });

  test('AWS_PROFILE with environment keys, through AssumeRole: the same single line', async () => {
    const f = await fake({
      estates: new Map([['222222222222/us-east-1', fixtureRegion('222222222222', 'us-east-1')]]),
      regions: ['us-east-1'],
    });
    const r = await run(
      ['collect', '--regions', 'us-east-1', '-o', 'role.json', '--role-arn', 'arn:aws:iam::222222222222:role/SgAudit'],
      {
        env: { AWS_PROFILE: 'audit' },
      },
    );
    expect(r.stderr).toBe(
      'sg-audit: warning: AWS_PROFILE=audit is used; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored\n',
    );
    expect(r.code).toBe(0);
    expect(f.log.filter((x) => x.service === 'sts').map((x) => [x.action, x.accessKeyId])).toEqual([
      ['GetCallerIdentity', PROFILE_KEY],
      ['AssumeRole', PROFILE_KEY],
    ]);
  });

  test('a missing profile says so and where it looked (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), before any AWS call', async () => {
    const f = await fake();
    const r = await run(['scan', '--profile', 'nope']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `sg-audit: --profile nope: no such profile in ${config} (AWS_CONFIG_FILE) or ${credentials} (AWS_SHARED_CREDENTIALS_FILE); profiles there: audit\n`,
    ]);

    // The default files under HOME, one of them absent; AWS_PROFILE names the choice the same way.
    mkdirSync(path.join(dir, '.aws'), { recursive: true });
    writeFileSync(
      path.join(dir, '.aws', 'credentials'),
      '[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n[ci]\nregion = eu-west-1\n',
    );
    const home = await run(['scan'], {
      env: {
        AWS_PROFILE: 'nope',
        AWS_CONFIG_FILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: undefined,
        AWS_REGION: undefined,
      },
    });
    expect([home.code, home.stderr]).toEqual([
      2,
      `sg-audit: AWS_PROFILE=nope: no such profile in ${path.join(dir, '.aws', 'config')} (not found) or ${path.join(dir, '.aws', 'credentials')} ` +
        '(AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE choose other files); profiles there: ci, dev\n',
    ]);
    expect(f.stats.requests).toBe(0);
  });
});

describe('endpoints that cannot be reached', () => {
  test('ECONNREFUSED names host:port and AWS_ENDPOINT_URL, not credentials', async () => {
    const closed = await closedPortUrl();
    const r = await run(['scan', '--regions', 'us-east-1'], { endpoint: closed.url });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `sg-audit: cannot reach the AWS endpoint 127.0.0.1:${closed.port} for STS GetCallerIdentity (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${closed.port}); ` +
        'AWS_ENDPOINT_URL points there: check that the endpoint is up and the variable is right, then any proxy, firewall or network in between\n',
    );
    expect(r.stderr).not.toMatch(/credentials/);

    // A service-specific variable wins over AWS_ENDPOINT_URL, and is the one named.
    const f = await fake();
    const sts = await run(['scan', '--regions', 'us-east-1'], { env: { AWS_ENDPOINT_URL_STS: closed.url } });
    expect(sts.code).toBe(2);
    expect(sts.stderr).toMatch(
      new RegExp(
        `^sg-audit: cannot reach the AWS endpoint 127\\.0\\.0\\.1:${closed.port} for STS .*; AWS_ENDPOINT_URL_STS points there: `,
      ),
    );
    expect(sts.stderr.split('\n')).toHaveLength(2);
    expect(f.stats.requests).toBe(0);
  });

  test('an endpoint that never answers: a timeout, named the same way, with --timeout to raise', async () => {
    const f = await fake({ failures: [{ action: 'sts:GetCallerIdentity', hang: true }] });
    const r = await run(['scan', '--regions', 'us-east-1', '--timeout', '1', '--max-attempts', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^sg-audit: cannot reach the AWS endpoint 127\\.0\\.0\\.1:${f.port} for STS GetCallerIdentity \\(TimeoutError: [^\\n]+\\); AWS_ENDPOINT_URL points there: [^\\n]+, or raise --timeout \\(now 1 s\\)\\n$`,
      ),
    );
  });
});

test('no credential value in any output of this file', () => {
  expect(outputs.length).toBeGreaterThanOrEqual(14);
  for (const text of outputs) for (const secret of SECRETS) expect(text).not.toContain(secret);
});
