import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { errorCode, isCredentialError, Scrubber, toCollectionError } from '../../src/collect/errors.js';
import { isRegionName, parseIntOption, parseRegions, parseRoleArns, roleAccount } from '../../src/collect/options.js';
import { formatProgress, ProgressLine, progressEnabled } from '../../src/collect/progress.js';
import { paginate } from '../../src/collect/runner.js';
import { UsageError } from '../../src/util/errors.js';

describe('region names', () => {
  test.each(['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1', 'cn-northwest-1', 'il-central-1', 'ca-west-1', 'mx-central-1', 'eusc-de-east-1', 'cn-north-1', 'us-gov-east-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1'])(
    '%s is accepted',
    (r) => expect(isRegionName(r)).toBe(true),
  );
  test.each(['useast1', 'us-east-1a', 'US-EAST-1', 'us-east', 'us_east_1', '', 'us-east-1 ', 'us-east-100', 'a-b-1', 'unknown', "eu-west-1;touch${IFS}x", 'eu-west-1\n'])('%j is rejected', (r) =>
    expect(isRegionName(r)).toBe(false),
  );

  test('parseRegions', () => {
    expect(parseRegions(undefined)).toEqual({ mode: 'default' });
    expect(parseRegions('all')).toEqual({ mode: 'all' });
    expect(parseRegions('ALL')).toEqual({ mode: 'all' });
    expect(parseRegions(' us-east-1, eu-west-1 ,us-east-1')).toEqual({ mode: 'list', regions: ['us-east-1', 'eu-west-1'] });
    expect(() => parseRegions('us-east-1,bogus')).toThrow(new UsageError("--regions: 'bogus' is not a region name (expected e.g. us-east-1, eu-west-1 or 'all')"));
    expect(() => parseRegions('all,us-east-1')).toThrow(UsageError);
    expect(() => parseRegions(' , ')).toThrow("--regions: expected 'all' or a comma-separated list of region names, got ' , '");
  });
});

describe('role ARNs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-roles-'));
  const resolve = (f: string) => path.join(dir, f);

  test('account ids come from the ARN', () => {
    expect(roleAccount('arn:aws:iam::123456789012:role/Audit')).toBe('123456789012');
    expect(roleAccount('arn:aws-us-gov:iam::123456789012:role/path/Audit')).toBe('123456789012');
    expect(roleAccount('arn:aws:iam::123456789012:user/Audit')).toBeUndefined();
    expect(roleAccount('arn:aws:iam::12345678901:role/Audit')).toBeUndefined();
  });

  test('flags and file merge; comments and blanks ignored; duplicates dropped', () => {
    writeFileSync(resolve('roles.txt'), '# org\narn:aws:iam::222222222222:role/A\r\n\n  arn:aws:iam::333333333333:role/A # prod\narn:aws:iam::111111111111:role/A\n');
    expect(parseRoleArns(['arn:aws:iam::111111111111:role/A,arn:aws:iam::444444444444:role/A'], 'roles.txt', resolve)).toEqual([
      'arn:aws:iam::111111111111:role/A',
      'arn:aws:iam::444444444444:role/A',
      'arn:aws:iam::222222222222:role/A',
      'arn:aws:iam::333333333333:role/A',
    ]);
    expect(parseRoleArns(undefined, undefined, resolve)).toEqual([]);
  });

  test('a role ARNs file saved with a BOM or as UTF-16 (PowerShell) reads as its ARNs; /dev/zero stops at the cap (issue #10 items 5, 6)', () => {
    writeFileSync(resolve('bom.txt'), '\ufeffarn:aws:iam::222222222222:role/A\n');
    expect(parseRoleArns([], 'bom.txt', resolve)).toEqual(['arn:aws:iam::222222222222:role/A']);
    writeFileSync(resolve('utf16.txt'), Buffer.from('\ufeffarn:aws:iam::333333333333:role/A\r\n', 'utf16le'));
    expect(parseRoleArns([], 'utf16.txt', resolve)).toEqual(['arn:aws:iam::333333333333:role/A']);
    expect(() => parseRoleArns([], '/dev/zero', (f) => f)).toThrow(/^\/dev\/zero: more than 10 MB is over the 10 MB/);
  });

  test('errors name the file and line', () => {
    writeFileSync(resolve('bad.txt'), 'arn:aws:iam::222222222222:role/A\nnot-an-arn\n');
    expect(() => parseRoleArns([], 'bad.txt', resolve)).toThrow(
      new UsageError("bad.txt:2: 'not-an-arn' is not an IAM role ARN (expected arn:aws:iam::123456789012:role/NAME)"),
    );
    writeFileSync(resolve('empty.txt'), '# nothing\n\n');
    expect(() => parseRoleArns([], 'empty.txt', resolve)).toThrow(new UsageError('empty.txt: no role ARNs in the file (one per line)'));
    expect(() => parseRoleArns([], 'missing.txt', resolve)).toThrow(new UsageError('missing.txt: cannot read role ARNs file (ENOENT)'));
    expect(() => parseRoleArns(['arn:aws:iam::222222222222:role/A', 'arn:aws:iam::222222222222:role/B'], undefined, resolve)).toThrow(
      new UsageError("--role-arn: 'arn:aws:iam::222222222222:role/B' is in account 222222222222, which 'arn:aws:iam::222222222222:role/A' already covers (one role per account)"),
    );
  });

  test('integer options', () => {
    expect(parseIntOption('--concurrency', undefined, 32, 1, 1000)).toBe(32);
    expect(parseIntOption('--concurrency', '64', 32, 1, 1000)).toBe(64);
    expect(() => parseIntOption('--concurrency', '0', 32, 1, 1000)).toThrow(new UsageError("--concurrency: expected an integer from 1 to 1000, got '0'"));
    expect(() => parseIntOption('--max-attempts', '2.5', 5, 1, 20)).toThrow(UsageError);
  });
});

describe('errors', () => {
  test('codes: AWS code, SDK-named network errors, Node errno', () => {
    expect(errorCode(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe('AccessDenied');
    expect(errorCode(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('TimeoutError');
    expect(errorCode(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorCode(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 502 } }))).toBe('HTTP502');
    expect(errorCode('weird')).toBe('Error');
  });

  test('credential errors are told apart from permission errors', () => {
    for (const name of ['ExpiredToken', 'InvalidClientTokenId', 'CredentialsProviderError', 'SignatureDoesNotMatch']) {
      expect(isCredentialError(Object.assign(new Error(''), { name }))).toBe(true);
    }
    for (const name of ['AccessDenied', 'UnauthorizedOperation', 'Throttling']) {
      expect(isCredentialError(Object.assign(new Error(''), { name }))).toBe(false);
    }
  });

  test('scrubber removes known secrets, key ids and signing parameters; messages become one bounded line', () => {
    const s = new Scrubber({ AWS_ACCESS_KEY_ID: 'AKIAKNOWNKNOWNKNOWN1', AWS_SECRET_ACCESS_KEY: 'known/secret+value', AWS_SESSION_TOKEN: 'short' });
    s.addCredentials({ accessKeyId: 'ASIARESOLVEDRESOLVED', secretAccessKey: 'resolved-secret-123', sessionToken: 'resolved-token-456' });
    expect(s.scrub('a AKIAKNOWNKNOWNKNOWN1 b known/secret+value c resolved-secret-123 d resolved-token-456 e AKIAUNKNOWNUNKNOWN99 f short')).toBe(
      'a [redacted] b [redacted] c [redacted] d [redacted] e [redacted-key-id] f short',
    );
    expect(s.scrub('X-Amz-Security-Token=abc&X-Amz-Signature=def Signature=0f0f, ok')).toBe(
      'X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted] Signature=[redacted], ok',
    );
    const e = toCollectionError('ec2:DescribeSecurityGroups', Object.assign(new Error(`line one\nline two ${'x'.repeat(500)}`), { name: 'InternalError' }), s);
    expect(e.code).toBe('InternalError');
    expect(e.message.startsWith('line one line two x')).toBe(true);
    expect(e.message.length).toBe(400);
  });
});

describe('pagination helper', () => {
  test('hands pages over in order and stops on an empty token', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = { '': { items: [1], next: 'a' }, a: { items: [2], next: '' } };
    const seen: number[] = [];
    await paginate(
      async (t) => pages[t ?? ''],
      (p) => p.next,
      (p) => seen.push(...p.items),
    );
    expect(seen).toEqual([1, 2]);
  });
});

describe('progress', () => {
  test('only on an interactive stderr, outside CI, without --quiet', () => {
    expect(progressEnabled({ write() {}, isTTY: true }, {}, false)).toBe(true);
    expect(progressEnabled({ write() {}, isTTY: false }, {}, false)).toBe(false);
    expect(progressEnabled({ write() {} }, {}, false)).toBe(false);
    expect(progressEnabled({ write() {}, isTTY: true }, { CI: 'true' }, false)).toBe(false);
    expect(progressEnabled({ write() {}, isTTY: true }, { CI: '' }, false)).toBe(true);
    expect(progressEnabled({ write() {}, isTTY: true }, {}, true)).toBe(false);
  });

  test('line content', () => {
    const stats = { calls: 230, retries: 1, failed: 0, regionsTotal: 34, regionsDone: 12, pending: 3 };
    expect(formatProgress(stats, 4200)).toBe('12/34 regions · 230 calls · 1 retry · 4.2s');
    expect(formatProgress({ ...stats, regionsTotal: 0, retries: 3, failed: 2 }, 50)).toBe('resolving accounts and regions · 230 calls · 3 retries · 2 failed · 0.1s');
  });

  test('rewrites one line while running, leaves a summary when done', () => {
    const out: string[] = [];
    let now = 1000;
    const line = new ProgressLine({ write: (s: string) => out.push(s), isTTY: true }, 60_000, () => now);
    const stats = { calls: 0, retries: 0, failed: 0, regionsTotal: 2, regionsDone: 0, pending: 0 };
    line.start(stats);
    stats.calls = 7;
    stats.regionsDone = 2;
    now = 3500;
    line.stop({ ok: true });
    expect(out).toEqual(['\r\x1b[2K⠋ sg-audit: collecting · 0/2 regions · 0 calls · 0.0s', '\r\x1b[2Ksg-audit: collected 2/2 regions · 7 calls · 2.5s\n']);
    // After an error or interruption the line is just cleared.
    const out2: string[] = [];
    const l2 = new ProgressLine({ write: (s: string) => out2.push(s), isTTY: true }, 60_000, () => now);
    l2.start(stats);
    l2.stop({ ok: false });
    expect(out2.at(-1)).toBe('\r\x1b[2K');
  });
});
