/**
 * The live-collection flags → collection options, checked before any AWS call: `--regions`, role ARNs
 * (`--role-arn`, `--role-arns-file`), integer options. Region names are checked as everywhere
 * (src/snapshot/aws-values.ts); the defaults are the collector's (src/collect/settings.ts).
 */
import { roleAccount, type RegionSelection } from '../collect/settings.js';
import { isRegionName } from '../snapshot/aws-values.js';
import { readText, SETTINGS_LIMIT_BYTES } from '../util/fs.js';
import { UsageError } from '../util/errors.js';

/** `--regions` value → selection. Malformed names are a usage error. */
export function parseRegions(value: string | undefined): RegionSelection {
  if (value === undefined) return { mode: 'default' };
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0)
    throw new UsageError(`--regions: expected 'all' or a comma-separated list of region names, got '${value}'`);
  if (parts.some((p) => p.toLowerCase() === 'all')) {
    if (parts.length > 1)
      throw new UsageError(`--regions: 'all' cannot be combined with region names (got '${value}')`);
    return { mode: 'all' };
  }
  const bad = parts.find((p) => !isRegionName(p));
  if (bad !== undefined) {
    throw new UsageError(`--regions: '${bad}' is not a region name (expected e.g. us-east-1, eu-west-1 or 'all')`);
  }
  return { mode: 'list', regions: [...new Set(parts)] };
}

/**
 * Role ARNs from `--role-arn` (repeatable) and `--role-arns-file` (one per line; blank lines and `#`
 * comments ignored). Exact duplicates are dropped; two roles in one account are a usage error (the
 * account would be collected twice).
 */
export function parseRoleArns(
  flags: string[] | undefined,
  file: string | undefined,
  cwdResolve: (f: string) => string,
): string[] {
  const entries: { arn: string; where: string }[] = [];
  for (const a of flags ?? []) {
    for (const part of a.split(',')) {
      const arn = part.trim();
      if (arn) entries.push({ arn, where: '--role-arn' });
    }
  }
  if (file !== undefined) {
    const resolved = cwdResolve(file);
    // Size-capped, BOM- and UTF-16-aware, like every other file sg-audit reads.
    const text = readText(resolved, { display: file, what: 'role ARNs file', maxBytes: SETTINGS_LIMIT_BYTES });
    text.split(/\r?\n/).forEach((line, i) => {
      const arn = line.replace(/#.*$/, '').trim();
      if (arn) entries.push({ arn, where: `${file}:${i + 1}` });
    });
    if (entries.every((e) => e.where === '--role-arn'))
      throw new UsageError(`${file}: no role ARNs in the file (one per line)`);
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
    if (prev !== undefined)
      throw new UsageError(
        `${where}: '${arn}' is in account ${account}, which '${prev}' already covers (one role per account)`,
      );
    byAccount.set(account, arn);
    out.push(arn);
  }
  return out;
}

/** Positive integer option within bounds, else a usage error naming the flag. */
export function parseIntOption(
  flag: string,
  value: string | number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const s = String(value).trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got '${value}'`);
  return n;
}
