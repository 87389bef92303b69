/**
 * Collection errors: one line each (the `collect` command prints them one per line on stderr), and
 * connection failures told apart from credential problems.
 */
import { describe, expect, test } from 'vitest';
import { errorCode, isCredentialError, isNetworkError, networkErrorTarget, Scrubber, toCollectionError } from '../../src/collect/errors.js';
import { chosenProfile, profileOverridesEnvNotice } from '../../src/collect/profiles.js';

/** What Node's http client rejects with (the SDK passes it on, with $metadata). */
const nodeError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('collection errors are one line', () => {
  test('messages and codes with newlines, CRLF and indentation become one line; secrets still scrubbed', () => {
    const scrubber = new Scrubber({ AWS_SECRET_ACCESS_KEY: 'sgAuditUnitSecret/0123456789' });
    const err = Object.assign(new Error('first line\r\n    second line\n\tthird sgAuditUnitSecret/0123456789\n'), {
      name: 'Access\nDenied ',
    });
    const e = toCollectionError('ec2:DescribeSecurityGroups', err, scrubber);
    expect(e).toEqual({ api: 'ec2:DescribeSecurityGroups', code: 'Access Denied', message: 'first line second line third [redacted]' });
    for (const v of [e.api, e.code, e.message]) expect(v).not.toMatch(/[\r\n\t]/);
  });

  test('a code of only whitespace falls back to Error', () => {
    expect(errorCode({ name: ' \n ' })).toBe('Error');
  });
});

describe('connection failures are not credential problems', () => {
  test.each([
    ['ECONNREFUSED', nodeError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 }), '127.0.0.1:1'],
    ['ENOTFOUND', nodeError('getaddrinfo ENOTFOUND sts.example.invalid', { code: 'ENOTFOUND', hostname: 'sts.example.invalid' }), 'sts.example.invalid'],
    ['EAI_AGAIN', nodeError('getaddrinfo EAI_AGAIN sts.example.invalid', { code: 'EAI_AGAIN', hostname: 'sts.example.invalid' }), 'sts.example.invalid'],
    ['ECONNRESET', nodeError('socket hang up', { code: 'ECONNRESET' }), undefined],
    ['EHOSTUNREACH', nodeError('connect EHOSTUNREACH 10.0.0.1:443', { code: 'EHOSTUNREACH', address: '10.0.0.1', port: 443 }), '10.0.0.1:443'],
    ['TimeoutError', nodeError('Connection timed out after 1000 ms', { name: 'TimeoutError', code: 'ETIMEDOUT' }), undefined],
  ])('%s is a network error, not a credential error', (_name, err, target) => {
    expect(isNetworkError(err)).toBe(true);
    expect(isCredentialError(err)).toBe(false);
    expect(networkErrorTarget(err)).toBe(target);
  });

  test.each([
    ['ExpiredToken', { name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } }],
    ['CredentialsProviderError', { name: 'CredentialsProviderError' }],
    ['AccessDenied', { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }],
    ['HTTP 503 without a code', { $metadata: { httpStatusCode: 503 } }],
  ])('%s is not a network error', (_name, err) => {
    expect(isNetworkError(err)).toBe(false);
  });
});

describe('the profile is decided once', () => {
  test('--profile wins over AWS_PROFILE; an empty AWS_PROFILE is no profile', () => {
    expect(chosenProfile('audit', { AWS_PROFILE: 'other' })).toEqual({ name: 'audit', source: '--profile audit' });
    expect(chosenProfile(undefined, { AWS_PROFILE: 'other' })).toEqual({ name: 'other', source: 'AWS_PROFILE=other' });
    expect(chosenProfile(undefined, { AWS_PROFILE: '' })).toBeUndefined();
    expect(chosenProfile(undefined, {})).toBeUndefined();
  });

  test('one notice only when a profile and both environment keys are set, naming variables, never values', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIASGAUDITUNIT00001', AWS_SECRET_ACCESS_KEY: 'sgAuditUnitSecret/0123456789' };
    const notice = profileOverridesEnvNotice({ name: 'audit', source: '--profile audit' }, keys);
    expect(notice).toBe('--profile audit is used; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored');
    expect(profileOverridesEnvNotice(undefined, keys)).toBeUndefined();
    expect(profileOverridesEnvNotice({ name: 'audit', source: '--profile audit' }, { AWS_ACCESS_KEY_ID: keys.AWS_ACCESS_KEY_ID })).toBeUndefined();
  });
});
