import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseIntOption, parseRegions, parseRoleArns } from '../../src/cli/live-options.js';
import { roleAccount } from '../../src/collect/settings.js';
import { isRegionName } from '../../src/snapshot/aws-values.js';
import { UsageError } from '../../src/util/errors.js';

describe('region names', () => {
  test.each([
    'us-east-1',
    'eu-west-3',
    'ap-southeast-2',
    'us-gov-west-1',
    'cn-northwest-1',
    'il-central-1',
    'ca-west-1',
    'mx-central-1',
    'eusc-de-east-1',
    'cn-north-1',
    'us-gov-east-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
  ])('%s is accepted', (r) => expect(isRegionName(r)).toBe(true));
  test.each([
    'useast1',
    'us-east-1a',
    'US-EAST-1',
    'us-east',
    'us_east_1',
    '',
    'us-east-1 ',
    'us-east-100',
    'a-b-1',
    'unknown',
    'eu-west-1;touch${IFS}x',
    'eu-west-1\n',
  ])('%j is rejected', (r) => expect(isRegionName(r)).toBe(false));

  test('parseRegions', () => {
    expect(parseRegions(undefined)).toEqual({ mode: 'default' });
    expect(parseRegions('all')).toEqual({ mode: 'all' });
    expect(parseRegions('ALL')).toEqual({ mode: 'all' });
    expect(parseRegions(' us-east-1, eu-west-1 ,us-east-1')).toEqual({
      mode: 'list',
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(() => parseRegions('us-east-1,bogus')).toThrow(
      new UsageError("--regions: 'bogus' is not a region name (expected e.g. us-east-1, eu-west-1 or 'all')"),
    );
    expect(() => parseRegions('all,us-east-1')).toThrow(UsageError);
    expect(() => parseRegions(' , ')).toThrow(
      "--regions: expected 'all' or a comma-separated list of region names, got ' , '",
    );
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
    writeFileSync(
      resolve('roles.txt'),
      '# org\narn:aws:iam::222222222222:role/A\r\n\n  arn:aws:iam::333333333333:role/A # prod\narn:aws:iam::111111111111:role/A\n',
    );
    expect(
      parseRoleArns(['arn:aws:iam::111111111111:role/A,arn:aws:iam::444444444444:role/A'], 'roles.txt', resolve),
    ).toEqual([
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
    expect(() => parseRoleArns([], 'empty.txt', resolve)).toThrow(
      new UsageError('empty.txt: no role ARNs in the file (one per line)'),
    );
    expect(() => parseRoleArns([], 'missing.txt', resolve)).toThrow(
      new UsageError('missing.txt: cannot read role ARNs file (ENOENT)'),
    );
    expect(() =>
      parseRoleArns(['arn:aws:iam::222222222222:role/A', 'arn:aws:iam::222222222222:role/B'], undefined, resolve),
    ).toThrow(
      new UsageError(
        "--role-arn: 'arn:aws:iam::222222222222:role/B' is in account 222222222222, which 'arn:aws:iam::222222222222:role/A' already covers (one role per account)",
      ),
    );
  });

  test('integer options', () => {
    expect(parseIntOption('--concurrency', undefined, 32, 1, 1000)).toBe(32);
    expect(parseIntOption('--concurrency', '64', 32, 1, 1000)).toBe(64);
    expect(() => parseIntOption('--concurrency', '0', 32, 1, 1000)).toThrow(
      new UsageError("--concurrency: expected an integer from 1 to 1000, got '0'"),
    );
    expect(() => parseIntOption('--max-attempts', '2.5', 5, 1, 20)).toThrow(UsageError);
  });
});
