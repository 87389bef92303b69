/**
 * End-to-end live collection: spawn the built CLI (dist/, built by `npm test`) against the fake AWS
 * endpoint on 127.0.0.1 through AWS_ENDPOINT_URL, exactly as a user would run it against an emulator.
 * Across every run, the fake endpoint records each Action: the last test proves the tool only reads.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RESOURCE_KINDS, type Snapshot } from '../../src/snapshot/schema.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { CLI_BIN, spawnCli, type CliRun } from '../helpers/spawn-cli.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions, type FakeRequest } from '../../support/fake-aws/server.js';

const BIN = CLI_BIN;
const ACCOUNT = '123456789012';
// Distinctive dummy credentials: none of these strings may ever appear in any output.
const KEY_ID = 'AKIASGAUDITLIVE00042';
const SECRET = 'sgAuditLiveSecret/DoNotPrint+0123456789abc';
const TOKEN = 'sgAuditLiveSessionToken/DoNotPrint==';
const SECRETS = [KEY_ID, SECRET, TOKEN, 'ASIAFAKE', 'fakeSecretFor', 'fakeSessionTokenFor'];

let dir: string;
let aws: FakeAws | undefined;
const allRequests: FakeRequest[] = [];
const allOutputs: string[] = [];

type Run = CliRun;

function run(
  args: string[],
  o: { env?: Record<string, string | undefined>; interruptWhen?: () => boolean } = {},
): Promise<Run> {
  return spawnCli(args, {
    ...o,
    dir,
    credentials: { keyId: KEY_ID, secret: SECRET, sessionToken: TOKEN },
    endpoint: aws?.url,
    outputs: allOutputs,
  });
}

async function fake(o: FakeAwsOptions): Promise<FakeAws> {
  aws = await startFakeAws(o);
  return aws;
}

const estates = () =>
  new Map([
    ['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')],
    ['eu-west-1', fixtureRegion(ACCOUNT, 'eu-west-1')],
  ]);

const readJson = <T>(file: string): T => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  allOutputs.push(text);
  return JSON.parse(text) as T;
};

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);
  dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-live-'));
});
afterEach(async () => {
  if (aws) {
    allRequests.push(...aws.log);
    await aws.close();
    aws = undefined;
  }
});

describe('sg-audit live collection (built CLI, fake endpoint)', () => {
  test('collect --regions all -o writes the estate as a snapshot; scan of the live estate equals scan of that snapshot', async () => {
    const f = await fake({ estates: estates(), optedOutRegions: ['me-south-1'], pageSizeCap: 3 });
    const c = await run(['collect', '--regions', 'all', '-o', 'live.json']);
    expect(c.stderr).toBe('');
    expect(c.stdout).toBe('');
    expect(c.code).toBe(0);
    const snap = readJson<Snapshot>('live.json');
    expect(snap.errors).toEqual([]);
    expect(snap.regions.map((r) => `${r.accountId}/${r.region}`)).toEqual([
      `${ACCOUNT}/eu-west-1`,
      `${ACCOUNT}/us-east-1`,
    ]);
    for (const r of snap.regions) {
      const want = fixtureRegion(ACCOUNT, r.region);
      expect(r.errors).toEqual([]);
      expect(r.collected.length).toBeGreaterThan(0);
      // The network kinds too (issue #12), as the default rules need them.
      for (const kind of RESOURCE_KINDS) expect(r[kind], kind).toEqual(r.collected.includes(kind) ? want[kind] : []);
    }
    expect(f.log.some((r) => r.region === 'me-south-1')).toBe(false);

    const live = await run(['scan', '--regions', 'all', '--format', 'json']);
    const offline = await run(['scan', '--input', 'live.json', '--format', 'json']);
    expect(live.stderr).toBe('');
    expect(live.code).toBe(offline.code);
    expect([0, 1]).toContain(live.code);
    const liveReport = JSON.parse(live.stdout);
    const fileReport = JSON.parse(offline.stdout);
    const comparable = (r: { findings: unknown[]; summary: unknown; scope: unknown }) => ({
      findings: r.findings,
      summary: r.summary,
      scope: r.scope,
    });
    expect(comparable(liveReport)).toEqual(comparable(fileReport));
    expect(liveReport.scope).toEqual({ accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1'], securityGroups: 10 });
  });

  test('a denied API in one region becomes an error finding (credentials scrubbed from it); the rest is scanned', async () => {
    await fake({
      estates: estates(),
      failures: [
        {
          action: 'ec2:DescribeSecurityGroups',
          region: 'eu-west-1',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation. Request signed with {accessKeyId}.',
        },
      ],
    });
    const r = await run([
      'scan',
      '--regions',
      'us-east-1,eu-west-1',
      '--format',
      'json',
      '--save-snapshot',
      'partial.json',
    ]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as {
      findings: { ruleId: string; status: string; region: string; message: string; data?: Record<string, string> }[];
    };
    const errors = report.findings.filter((x) => x.status === 'error');
    expect(errors.map((e) => [e.ruleId, e.region, e.data?.api, e.data?.code])).toEqual([
      ['collection-error', 'eu-west-1', 'ec2:DescribeSecurityGroups', 'UnauthorizedOperation'],
    ]);
    expect(errors[0].message).toContain('Request signed with [redacted].');
    const hasFail = report.findings.some((x) => x.status === 'fail');
    expect(r.code).toBe(hasFail ? 1 : 3);
    const snap = readJson<Snapshot>('partial.json');
    expect(snap.regions.find((x) => x.region === 'us-east-1')!.securityGroups).toHaveLength(5);
    expect(snap.regions.find((x) => x.region === 'eu-west-1')!.collected).not.toContain('securityGroups');

    const c = await run(['collect', '--regions', 'us-east-1,eu-west-1', '-o', 'partial2.json']);
    expect(c.code).toBe(3);
    readJson('partial2.json');
  });

  test('multi-account with --role-arns-file and --external-id; a denied role is an account-level error', async () => {
    const multi = new Map([
      ['222222222222/us-east-1', fixtureRegion('222222222222', 'us-east-1')],
      ['333333333333/us-east-1', fixtureRegion('333333333333', 'us-east-1')],
    ]);
    await fake({ estates: multi, regions: ['us-east-1'], deniedRoles: ['arn:aws:iam::444444444444:role/SgAudit'] });
    writeFileSync(
      path.join(dir, 'roles.txt'),
      '# audit roles\narn:aws:iam::222222222222:role/SgAudit\n\narn:aws:iam::333333333333:role/SgAudit  # prod\narn:aws:iam::444444444444:role/SgAudit\n',
    );
    const c = await run([
      'collect',
      '--regions',
      'all',
      '--role-arns-file',
      'roles.txt',
      '--external-id',
      'ext-42',
      '-o',
      'org.json',
    ]);
    // Exit 3 names each collection error on stderr (issue #10, item 15).
    expect(c.stderr).toMatch(/^sg-audit: collection error: 444444444444\/\*: sts:AssumeRole: AccessDenied: [^\n]*\n$/);
    expect(c.code).toBe(3);
    const snap = readJson<Snapshot>('org.json');
    expect(snap.regions.map((r) => [r.accountId, r.region, r.securityGroups.length])).toEqual([
      ['222222222222', 'us-east-1', 5],
      ['333333333333', 'us-east-1', 5],
    ]);
    expect(snap.errors.map((e) => [e.accountId, e.api, e.code])).toEqual([
      ['444444444444', 'sts:AssumeRole', 'AccessDenied'],
    ]);
    expect(aws!.log.filter((r) => r.action === 'AssumeRole').every((r) => r.params.ExternalId === 'ext-42')).toBe(true);
  });

  test('throttled calls are retried (standard mode by default) and the scan completes', async () => {
    const f = await fake({
      estates: new Map([['us-east-1', fixtureRegion(ACCOUNT, 'us-east-1')]]),
      throttleRate: 0.25,
      seed: 11,
    });
    const c = await run(['collect', '--regions', 'us-east-1', '-o', 'throttled.json']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(f.stats.throttled).toBeGreaterThan(0);
    expect(readJson<Snapshot>('throttled.json').regions[0].errors).toEqual([]);
  });

  test('usage errors exit 2 with one line and no AWS call', async () => {
    const f = await fake({ estates: estates() });
    const cases: [string[], string][] = [
      [
        ['scan', '--regions', 'us-east-1,useast1'],
        "sg-audit: --regions: 'useast1' is not a region name (expected e.g. us-east-1, eu-west-1 or 'all')\n",
      ],
      [
        ['scan', '--regions', 'all,us-east-1'],
        "sg-audit: --regions: 'all' cannot be combined with region names (got 'all,us-east-1')\n",
      ],
      [
        ['collect', '-o', 'x.json', '--role-arn', 'arn:aws:iam::12345:role/x'],
        "sg-audit: --role-arn: 'arn:aws:iam::12345:role/x' is not an IAM role ARN (expected arn:aws:iam::123456789012:role/NAME)\n",
      ],
      [['scan', '--role-arns-file', 'missing.txt'], 'sg-audit: missing.txt: cannot read role ARNs file (ENOENT)\n'],
      [['scan', '--external-id', 'x'], 'sg-audit: --external-id needs --role-arn or --role-arns-file\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await run(args);
      expect([r.code, r.stderr, r.stdout]).toEqual([2, stderr, '']);
    }
    const noRegion = await run(['scan'], { env: { AWS_REGION: undefined } });
    expect([noRegion.code, noRegion.stderr]).toEqual([
      2,
      'sg-audit: no region: AWS_REGION is not set; pass --regions us-east-1,... or --regions all\n',
    ]);
    const badConcurrency = await run(['scan', '--concurrency', '0']);
    expect(badConcurrency.code).toBe(2);
    expect(badConcurrency.stderr).toContain(
      "option '--concurrency <n>' argument '0' is invalid. expected an integer from 1 to 1000",
    );
    expect(f.stats.requests).toBe(0);
    expect(existsSync(path.join(dir, 'x.json'))).toBe(false);
  });

  test('missing or expired credentials: one clear line, exit 2, no stack trace', async () => {
    const f = await fake({ estates: estates(), rejectedKeys: { [KEY_ID]: 'ExpiredToken' } });
    const expired = await run(['scan', '--format', 'json']);
    expect(expired.code).toBe(2);
    expect(expired.stdout).toBe('');
    expect(expired.stderr).toBe(
      'sg-audit: AWS credentials are missing, expired or invalid (ExpiredToken: The security token included in the request is expired); configure credentials (environment, ~/.aws/credentials, aws sso login) or pass --profile NAME\n',
    );
    expect(f.actions()).toEqual(['sts:GetCallerIdentity']);

    const missing = await run(['scan'], {
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(missing.stderr).toMatch(
      /^sg-audit: AWS credentials are missing, expired or invalid \(CredentialsProviderError: /,
    );

    const profile = await run(['scan', '--profile', 'nope'], {
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined },
    });
    expect(profile.code).toBe(2);
    expect(profile.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(profile.stderr).toMatch(/^sg-audit: --profile nope: no such profile in /);
  });

  test('Ctrl-C stops promptly with exit 130 and writes nothing', async () => {
    // Resource calls take 10 s to answer; interrupt once they are in flight.
    const f = await fake({ estates: estates(), latencyMs: (api) => (api.startsWith('sts:') ? 0 : 10_000) });
    let interruptedAt = 0;
    const r = await run(['collect', '--regions', 'us-east-1,eu-west-1', '-o', 'interrupted.json'], {
      interruptWhen: () => f.log.some((x) => x.service !== 'sts') && (interruptedAt = Date.now()) > 0,
    });
    expect(r.code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(1500);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sg-audit: interrupted: nothing was written\n');
    expect(existsSync(path.join(dir, 'interrupted.json'))).toBe(false);
  });

  test('read-only and secret-free: every Action sent in this file, every output written', () => {
    const actions = [...new Set(allRequests.map((r) => `${r.service}:${r.action}`))].sort();
    const allowed = (a: string) =>
      /^(ec2|elasticloadbalancing|rds):(Describe|Get|List)[A-Za-z]+$/.test(a) ||
      a === 'sts:GetCallerIdentity' ||
      a === 'sts:AssumeRole';
    expect(actions.filter((a) => !allowed(a))).toEqual([]);
    // Which Describe calls happen depends on the rules' needs; these always do in the runs above.
    expect(actions).toEqual(
      expect.arrayContaining([
        'ec2:DescribeRegions',
        'ec2:DescribeSecurityGroups',
        'sts:AssumeRole',
        'sts:GetCallerIdentity',
      ]),
    );
    expect(allOutputs.length).toBeGreaterThan(20);
    for (const text of allOutputs) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
