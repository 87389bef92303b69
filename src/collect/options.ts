/**
 * Validation of live-collection inputs, done before any AWS call: region names, role ARNs.
 */
import { isRegionName } from '../snapshot/aws-values.js';
import { readText, SETTINGS_LIMIT_BYTES } from '../util/fs.js';
import { UsageError } from '../util/errors.js';

/** Defaults of the live options (kept free of SDK imports: the CLI loads the SDK only to collect). */
export const DEFAULTS = {
  concurrency: 32,
  /**
   * `standard`, chosen from the fan-out benchmark (README, Performance): with 20% of calls throttled the
   * small estate took 2.5× the unthrottled time in standard mode and 7.7× in adaptive mode, whose client-side
   * rate limiter keeps slowing every call of the client down after a throttle. `--retry-mode adaptive` stays available.
   */
  retryMode: 'standard' as 'standard' | 'adaptive',
  maxAttempts: 5,
  requestTimeoutMs: 60_000,
  /** Used for STS and DescribeRegions with `--regions all` when no region is configured. */
  fallbackHomeRegion: 'us-east-1',
};

export type RegionSelection =
  /** The profile's / environment's region. */
  | { mode: 'default' }
  /** Every region enabled for each account (DescribeRegions, skipping not-opted-in). */
  | { mode: 'all' }
  | { mode: 'list'; regions: string[] };

/**
 * AWS region names (us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1, eusc-de-east-1): one
 * pattern for `--regions`, `--region`, the configured region and snapshot files (src/snapshot/aws-values.ts).
 */
export { isRegionName };

/** `--regions` value → selection. Malformed names are a usage error. */
export function parseRegions(value: string | undefined): RegionSelection {
  if (value === undefined) return { mode: 'default' };
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`--regions: expected 'all' or a comma-separated list of region names, got '${value}'`);
  if (parts.some((p) => p.toLowerCase() === 'all')) {
    if (parts.length > 1) throw new UsageError(`--regions: 'all' cannot be combined with region names (got '${value}')`);
    return { mode: 'all' };
  }
  const bad = parts.find((p) => !isRegionName(p));
  if (bad !== undefined) {
    throw new UsageError(`--regions: '${bad}' is not a region name (expected e.g. us-east-1, eu-west-1 or 'all')`);
  }
  return { mode: 'list', regions: [...new Set(parts)] };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** Account id of a role ARN, or undefined when it is not an IAM role ARN. */
export function roleAccount(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[1];
}

/**
 * Role ARNs from `--role-arn` (repeatable) and `--role-arns-file` (one per line; blank lines and `#`
 * comments ignored). Exact duplicates are dropped; two roles in one account are a usage error (the
 * account would be collected twice).
 */
export function parseRoleArns(flags: string[] | undefined, file: string | undefined, cwdResolve: (f: string) => string): string[] {
  const entries: { arn: string; where: string }[] = [];
  for (const a of flags ?? []) {
    for (const part of a.split(',')) {
      const arn = part.trim();
      if (arn) entries.push({ arn, where: '--role-arn' });
    }
  }
  if (file !== undefined) {
    const resolved = cwdResolve(file);
    // Size-capped, BOM- and UTF-16-aware, like every other file sg-audit reads (issue #10 items 5, 6).
    const text = readText(resolved, { display: file, what: 'role ARNs file', maxBytes: SETTINGS_LIMIT_BYTES });
    text.split(/\r?\n/).forEach((line, i) => {
      const arn = line.replace(/#.*$/, '').trim();
      if (arn) entries.push({ arn, where: `${file}:${i + 1}` });
    });
    if (entries.every((e) => e.where === '--role-arn')) throw new UsageError(`${file}: no role ARNs in the file (one per line)`);
  }
  const out: string[] = [];
  const byAccount = new Map<string, string>();
  for (const { arn, where } of entries) {
    const account = roleAccount(arn);
    if (account === undefined) {
      throw new UsageError(`${where}: '${arn}' is not an IAM role ARN (expected arn:aws:iam::123456789012:role/NAME)`);
    }
    const prev = byAccount.get(account);
    if (prev === arn) continue;
    if (prev !== undefined) throw new UsageError(`${where}: '${arn}' is in account ${account}, which '${prev}' already covers (one role per account)`);
    byAccount.set(account, arn);
    out.push(arn);
  }
  return out;
}

/** Positive integer option within bounds, else a usage error naming the flag. */
export function parseIntOption(flag: string, value: string | number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const s = String(value).trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got '${value}'`);
  return n;
}
