/**
 * Collection errors: one line each (the `collect` command prints them one per line on stderr), and
 * connection failures told apart from credential problems.
 */
import { describe, expect, test } from 'vitest';
import {
  errorCode,
  isCredentialError,
  isNetworkError,
  networkErrorTarget,
  Scrubber,
  toCollectionError,
} from '../../../src/collect/aws/errors.js';
import { chosenProfile, profileOverridesEnvNotice } from '../../../src/collect/aws/profiles.js';

/** What Node's http client rejects with (the SDK passes it on, with $metadata). */
const nodeError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('collection errors are one line', () => {
  test('messages and codes with newlines, CRLF and indentation become one line; secrets still scrubbed', () => {
    const scrubber = new Scrubber({ AWS_SECRET_ACCESS_KEY: 'sgAuditUnitSecret/0123456789' });
    const err = Object.assign(new Error('first line\r\n    second line\n\tthird sgAuditUnitSecret/0123456789\n'), {
      name: 'Access\nDenied ',
    });
    const e = toCollectionError('ec2:DescribeSecurityGroups', err, scrubber);
    expect(e).toEqual({
      api: 'ec2:DescribeSecurityGroups',
      code: 'Access Denied',
      message: 'first line second line third [redacted]',
    });
    for (const v of [e.api, e.code, e.message]) expect(v).not.toMatch(/[\r\n\t]/);
  });

  test('a code of only whitespace falls back to Error', () => {
    expect(errorCode({ name: ' \n ' })).toBe('Error');
  });
});

describe('connection failures are not credential problems', () => {
  test.each([
    [
      'ECONNREFUSED',
      nodeError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 }),
      '127.0.0.1:1',
    ],
    [
      'ENOTFOUND',
      nodeError('getaddrinfo ENOTFOUND sts.example.invalid', { code: 'ENOTFOUND', hostname: 'sts.example.invalid' }),
      'sts.example.invalid',
    ],
    [
      'EAI_AGAIN',
      nodeError('getaddrinfo EAI_AGAIN sts.example.invalid', { code: 'EAI_AGAIN', hostname: 'sts.example.invalid' }),
      'sts.example.invalid',
    ],
    ['ECONNRESET', nodeError('socket hang up', { code: 'ECONNRESET' }), undefined],
    [
      'EHOSTUNREACH',
      nodeError('connect EHOSTUNREACH 10.0.0.1:443', { code: 'EHOSTUNREACH', address: '10.0.0.1', port: 443 }),
      '10.0.0.1:443',
    ],
    [
      'TimeoutError',
      nodeError('Connection timed out after 1000 ms', { name: 'TimeoutError', code: 'ETIMEDOUT' }),
      undefined,
    ],
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
    expect(notice).toBe(
      '--profile audit is used; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored',
    );
    expect(profileOverridesEnvNotice(undefined, keys)).toBeUndefined();
    expect(
      profileOverridesEnvNotice(
        { name: 'audit', source: '--profile audit' },
        { AWS_ACCESS_KEY_ID: keys.AWS_ACCESS_KEY_ID },
      ),
    ).toBeUndefined();
  });
});

describe('errors', () => {
  test('codes: AWS code, SDK-named network errors, Node errno', () => {
    expect(errorCode(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe('AccessDenied');
    expect(errorCode(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('TimeoutError');
    expect(errorCode(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
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
    const s = new Scrubber({
      AWS_ACCESS_KEY_ID: 'AKIAKNOWNKNOWNKNOWN1',
      AWS_SECRET_ACCESS_KEY: 'known/secret+value',
      AWS_SESSION_TOKEN: 'short',
    });
    s.addCredentials({
      accessKeyId: 'ASIARESOLVEDRESOLVED',
      secretAccessKey: 'resolved-secret-123',
      sessionToken: 'resolved-token-456',
    });
    expect(
      s.scrub(
        'a AKIAKNOWNKNOWNKNOWN1 b known/secret+value c resolved-secret-123 d resolved-token-456 e AKIAUNKNOWNUNKNOWN99 f short',
      ),
    ).toBe('a [redacted] b [redacted] c [redacted] d [redacted] e [redacted-key-id] f short');
    expect(s.scrub('X-Amz-Security-Token=abc&X-Amz-Signature=def Signature=0f0f, ok')).toBe(
      'X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted] Signature=[redacted], ok',
    );
    const e = toCollectionError(
      'ec2:DescribeSecurityGroups',
      Object.assign(new Error(`line one\nline two ${'x'.repeat(500)}`), { name: 'InternalError' }),
      s,
    );
    expect(e.code).toBe('InternalError');
    expect(e.message.startsWith('line one line two x')).toBe(true);
    expect(e.message.length).toBe(400);
  });
});
