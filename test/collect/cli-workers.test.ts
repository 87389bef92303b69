/**
 * `--workers`: the built CLI (dist/, built by `npm test`) collecting with worker threads against the
 * fake endpoint, compared with the same collection in one thread. With `--concurrency 4` each of two
 * threads has two call slots, so units wait for a thread; listings run over several pages
 * (pageSizeCap), so the worker thread starts and collects regions too (workers.test.ts shows who did
 * what).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { fixtureRegion } from '../../support/fake-aws/fixture.js';
import { CLI_BIN, spawnCli, type CliRun } from '../helpers/spawn-cli.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../support/fake-aws/server.js';

const BIN = CLI_BIN;
const ACCOUNT = '123456789012';
const KEY_ID = 'AKIASGAUDITWORKERS42';
const SECRET = 'sgAuditWorkersSecret/DoNotPrint+0123456789';
const SECRETS = [KEY_ID, SECRET, 'ASIAFAKE', 'fakeSecretFor', 'fakeSessionTokenFor'];
const REGIONS = ['ap-south-1', 'eu-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2'];

let dir: string;
let aws: FakeAws | undefined;
const outputs: string[] = [];

type Run = CliRun;

function run(args: string[], o: { interruptWhen?: () => boolean } = {}): Promise<Run> {
  return spawnCli(args, { ...o, dir, credentials: { keyId: KEY_ID, secret: SECRET }, endpoint: aws?.url, outputs });
}

async function fake(o: FakeAwsOptions): Promise<FakeAws> {
  aws = await startFakeAws(o);
  return aws;
}

const read = (file: string): Snapshot => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  outputs.push(text);
  return JSON.parse(text) as Snapshot;
};
const comparable = (s: Snapshot) => ({ ...s, createdAt: '', regions: s.regions.map(({ collectedAt: _c, ...r }) => r) });
/** Resource calls take 80 ms, STS answers at once. */
const latency = (api: string) => (api.startsWith('sts:') ? 0 : 80);

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);
  dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-workers-'));
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

describe('sg-audit --workers (built CLI, fake endpoint)', () => {
  test('--workers 2 collects exactly what --workers 1 does, recorded errors included (scrubbed)', async () => {
    await fake({
      estates: new Map(REGIONS.map((r) => [r, fixtureRegion(ACCOUNT, r)])),
      regions: REGIONS,
      optedOutRegions: ['me-south-1'],
      latencyMs: latency,
      pageSizeCap: 5,
      failures: [
        {
          action: 'ec2:DescribeNetworkInterfaces',
          region: 'sa-east-1',
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation. Request signed with {accessKeyId}.',
        },
        {
          action: 'rds:DescribeDBClusters',
          region: 'eu-west-1',
          status: 403,
          code: 'AccessDenied',
          message: 'not allowed',
        },
      ],
    });
    const sharded = await run([
      'collect',
      '--regions',
      'all',
      '--workers',
      '2',
      '--concurrency',
      '4',
      '-o',
      'sharded.json',
    ]);
    const single = await run([
      'collect',
      '--regions',
      'all',
      '--workers',
      '1',
      '--concurrency',
      '4',
      '-o',
      'single.json',
    ]);
    // Exit 3 names each collection error on stderr, one line each (issue #10, item 15).
    const errorLines = [
      /^sg-audit: collection error: \d{12}\/eu-west-1: rds:DescribeDBClusters: AccessDenied: not allowed$/,
      /^sg-audit: collection error: \d{12}\/sa-east-1: ec2:DescribeNetworkInterfaces: UnauthorizedOperation: .*Request signed with \[redacted\]\.$/,
    ];
    for (const r of [sharded, single]) {
      expect([r.code, r.stdout]).toEqual([3, '']);
      const lines = r.stderr.trimEnd().split('\n').sort();
      expect(lines).toHaveLength(2);
      lines.forEach((l, i) => expect(l).toMatch(errorLines[i]));
    }
    const a = read('sharded.json');
    expect(comparable(a)).toEqual(comparable(read('single.json')));
    expect(a.regions.map((r) => r.region)).toEqual(REGIONS);
    expect(a.regions.flatMap((r) => r.errors.map((e) => [r.region, e.api, e.code, e.message]))).toEqual([
      ['eu-west-1', 'rds:DescribeDBClusters', 'AccessDenied', 'not allowed'],
      [
        'sa-east-1',
        'ec2:DescribeNetworkInterfaces',
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. Request signed with [redacted].',
      ],
    ]);
    for (const r of a.regions) {
      const want = fixtureRegion(ACCOUNT, r.region);
      for (const kind of r.collected) expect(r[kind]).toEqual(want[kind]);
    }
  });

  test('multi-account: AssumeRole once per account in the main thread; workers sign with each account’s keys', async () => {
    const multi = new Map(
      ['222222222222', '333333333333'].flatMap((acct) =>
        REGIONS.slice(0, 3).map((r) => [`${acct}/${r}`, fixtureRegion(acct, r)] as const),
      ),
    );
    const f = await fake({ estates: multi, regions: REGIONS.slice(0, 3), latencyMs: latency, pageSizeCap: 5 });
    const roles = [
      '--role-arn',
      'arn:aws:iam::222222222222:role/Audit',
      '--role-arn',
      'arn:aws:iam::333333333333:role/Audit',
    ];
    const sharded = await run([
      'collect',
      '--regions',
      'all',
      ...roles,
      '--workers',
      '2',
      '--concurrency',
      '4',
      '-o',
      'org-sharded.json',
    ]);
    expect([sharded.code, sharded.stderr]).toEqual([0, '']);
    expect(
      f.log
        .filter((r) => r.action === 'AssumeRole')
        .map((r) => r.params.RoleArn)
        .sort(),
    ).toEqual(['arn:aws:iam::222222222222:role/Audit', 'arn:aws:iam::333333333333:role/Audit']);
    const resourceCalls = f.log.filter((r) => r.service !== 'sts');
    expect(resourceCalls.every((r) => r.accessKeyId.startsWith(`ASIAFAKE${r.accountId}`))).toBe(true);
    const single = await run(['collect', '--regions', 'all', ...roles, '--workers', '1', '-o', 'org-single.json']);
    expect(single.code).toBe(0);
    const a = read('org-sharded.json');
    expect(comparable(a)).toEqual(comparable(read('org-single.json')));
    expect(a.regions.map((r) => [r.accountId, r.region, r.securityGroups.length, r.errors.length])).toEqual(
      ['222222222222', '333333333333'].flatMap((acct) => REGIONS.slice(0, 3).map((r) => [acct, r, 5, 0])),
    );
  });

  test('Ctrl-C with worker threads busy: exit 130 promptly, nothing written', async () => {
    // Security groups come quickly, in pages of two (the worker thread starts); the rest hangs.
    const quick = ['sts:', 'ec2:DescribeSecurityGroups', 'ec2:DescribeManagedPrefixLists'];
    const isQuick = (api: string) => quick.some((q) => api.startsWith(q));
    const f = await fake({
      estates: new Map(REGIONS.map((r) => [r, fixtureRegion(ACCOUNT, r)])),
      pageSizeCap: 2,
      latencyMs: (api) => (isQuick(api) ? 0 : 10_000),
    });
    let interruptedAt = 0;
    let busySince = 0;
    // Once slow calls are in flight, the groups' pages have run over several pages and regions wait:
    // the worker thread has started. Give it a second to load, then Ctrl-C.
    const r = await run(
      ['collect', '--regions', REGIONS.join(','), '--workers', '2', '--concurrency', '4', '-o', 'interrupted.json'],
      {
        interruptWhen: () => {
          if (busySince === 0 && f.log.some((x) => !isQuick(`${x.service}:${x.action}`))) busySince = Date.now();
          if (busySince === 0 || Date.now() - busySince < 1000) return false;
          interruptedAt = Date.now();
          return true;
        },
      },
    );
    expect(r.code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(1500);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sg-audit: interrupted: nothing was written\n');
    expect(existsSync(path.join(dir, 'interrupted.json'))).toBe(false);
  });

  test('--workers is validated before any AWS call', async () => {
    const f = await fake({ estates: new Map() });
    for (const bad of ['0', 'two', '257']) {
      const r = await run(['scan', '--workers', bad]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `option '--workers <n>' argument '${bad}' is invalid. expected an integer from 1 to 256`,
      );
    }
    expect(f.stats.requests).toBe(0);
  });

  test('no credential value in any output of this file', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) for (const s of SECRETS) expect(text).not.toContain(s);
  });
});
