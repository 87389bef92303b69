/**
 * Error handling for live collection: turn SDK errors into snapshot `errors` entries, recognise
 * credential problems and interruptions, and make sure no credential value ever reaches a message.
 */
import type { CollectionError } from '../../snapshot/schema.js';
import { EXIT, SgAuditError } from '../../util/errors.js';

/** Ctrl-C / SIGTERM during collection: exit 130, nothing written. */
export class InterruptedError extends SgAuditError {
  constructor() {
    super('interrupted: nothing was written', EXIT.INTERRUPTED);
    this.name = 'InterruptedError';
  }
}

/** AWS access key ids (long-term AKIA…, temporary ASIA…) and other IAM unique-id prefixes. */
const KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
/** Signature material that some error messages echo back. */
const SIGNING = /\b(Credential|Signature|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=[^\s,&"']+/gi;

/** Environment variables whose values are credentials. */
export const SECRET_ENV_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
] as const;

/**
 * Removes credential values from text. Known secrets (from the environment and from every credential
 * set the providers resolve) are replaced wherever they appear; access-key-shaped ids and signing
 * parameters are redacted even when unknown.
 */
export class Scrubber {
  private readonly secrets = new Set<string>();

  constructor(env: NodeJS.ProcessEnv = {}) {
    for (const k of SECRET_ENV_VARS) this.add(env[k]);
  }

  /** Remember a secret value; very short values are ignored (they would mangle ordinary text). */
  add(value: string | undefined): void {
    if (value && value.length >= 8) this.secrets.add(value);
  }

  addCredentials(c: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }): void {
    this.add(c.accessKeyId);
    this.add(c.secretAccessKey);
    this.add(c.sessionToken);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a token containing a key id is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join('[redacted]');
    }
    return out.replace(SIGNING, '$1=[redacted]').replace(KEY_ID, '[redacted-key-id]');
  }
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** The AWS error code (`AccessDenied`, `AuthFailure`, `RequestLimitExceeded`…) or a network error name. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as SdkErrorLike;
    // Service errors carry the AWS code as `name` (and sometimes `Code`); network errors carry a Node
    // errno in `code` (ECONNREFUSED) unless the SDK named them (TimeoutError).
    const code =
      e.Code ??
      (e.name && e.name !== 'Error' ? e.name : undefined) ??
      (typeof e.code === 'string' ? e.code : undefined);
    // A code is one word; keep it on one line whatever a service or proxy sends.
    if (code) return code.replace(/\s+/g, ' ').trim() || 'Error';
    const status = e.$metadata?.httpStatusCode;
    if (status) return `HTTP${status}`;
  }
  return 'Error';
}

function rawMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (err && typeof err === 'object' && 'message' in err) return String((err as SdkErrorLike).message);
  return String(err);
}

/** One line, scrubbed, bounded. */
export function errorMessage(err: unknown, scrubber: Scrubber): string {
  const line = scrubber.scrub(rawMessage(err)).replace(/\s+/g, ' ').trim();
  const msg = line.length > 400 ? `${line.slice(0, 397)}...` : line;
  return msg || 'no message';
}

export function toCollectionError(api: string, err: unknown, scrubber: Scrubber): CollectionError {
  return { api, code: errorCode(err), message: errorMessage(err, scrubber) };
}

export function isAbortError(err: unknown): boolean {
  return (
    err instanceof InterruptedError ||
    (err !== null && typeof err === 'object' && (err as SdkErrorLike).name === 'AbortError')
  );
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
  'InvalidToken',
  'RequestExpired',
]);

/** Errors that mean "these credentials are missing, expired or wrong" rather than "not allowed". */
export function isCredentialError(err: unknown): boolean {
  return CREDENTIAL_CODES.has(errorCode(err));
}

/**
 * Node's codes for a connection that could not be made or was cut (refused, no such host, DNS failure,
 * unreachable network, reset), and the SDK's request and connection timeouts.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'TimeoutError',
]);

/** Errors that mean "the endpoint could not be reached" rather than anything about credentials. */
export function isNetworkError(err: unknown): boolean {
  if (NETWORK_CODES.has(errorCode(err))) return true;
  const code = err && typeof err === 'object' ? (err as SdkErrorLike).code : undefined;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** `host:port` a Node connection error names (ECONNREFUSED carries address and port, ENOTFOUND the hostname). */
export function networkErrorTarget(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { address?: unknown; port?: unknown; hostname?: unknown };
  const host = typeof e.address === 'string' ? e.address : typeof e.hostname === 'string' ? e.hostname : undefined;
  if (host === undefined) return undefined;
  return typeof e.port === 'number' || typeof e.port === 'string' ? `${host}:${e.port}` : host;
}
