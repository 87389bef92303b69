/**
 * Suppressions: accepted risks, each with a reason and an optional expiry date.
 *
 * File (`--suppressions FILE`, default `.sg-audit-suppressions.yaml` in the working directory), YAML or JSON:
 *
 *   suppressions:
 *     - rule: data-tier-*                 # rule id or glob (picomatch)
 *       resource: sg-0123456789abcdef0    # resource id or ARN, glob (`*` also matches `/`)
 *       account: "111111111111"           # optional glob (quote account ids in YAML)
 *       region: eu-*                      # optional glob
 *       reason: Legacy VPN range, ticket SEC-42
 *       expires: 2026-06-30               # optional, YYYY-MM-DD; applies through that day (UTC)
 *
 * A top-level list (without `suppressions:`) is accepted too. Only failing findings can be suppressed:
 * errors mean "unknown" and are never silenced. A suppressed finding keeps status `fail`, carries
 * `suppression`, and does not count for the exit code. Expired entries no longer apply (the findings they
 * covered fail again) and are reported as warnings; entries that match nothing are reported as stale.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { displayPath, firstExisting, readStructuredFile } from '../util/fs.js';
import { UsageError } from '../util/errors.js';
import { formatIssues } from '../util/zod-issues.js';
import type { ReportFinding, SuppressionEntryStatus } from '../report/model.js';

export const DEFAULT_SUPPRESSION_FILES = [
  '.sg-audit-suppressions.yaml',
  '.sg-audit-suppressions.yml',
  '.sg-audit-suppressions.json',
];

const Glob = z.string().trim().min(1);

/** A real calendar date `YYYY-MM-DD`. */
export const IsoDate = z.string().refine(
  (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  },
  { message: 'expected a date YYYY-MM-DD' },
);

export const SuppressionEntrySchema = z
  .object({
    rule: Glob,
    resource: Glob,
    account: Glob.optional(),
    region: Glob.optional(),
    reason: z.string().trim().min(1, { message: 'expected a non-empty reason' }),
    expires: IsoDate.optional(),
  })
  .strict();
export type SuppressionEntry = z.infer<typeof SuppressionEntrySchema>;

const SuppressionFileSchema = z.object({ suppressions: z.array(SuppressionEntrySchema) }).strict();

export interface Suppressions {
  /** For messages and the report: the path as given, or relative to the working directory. */
  file: string;
  entries: SuppressionEntry[];
}

/**
 * `--suppressions FILE`, else the default file in `cwd` if present, else none. `false` (from
 * `--no-suppressions`) disables the default file.
 */
export function loadSuppressions(opts: { file?: string | false; cwd: string }): Suppressions | undefined {
  if (opts.file === false) return undefined;
  let file = opts.file;
  if (file === undefined) {
    file = firstExisting(opts.cwd, DEFAULT_SUPPRESSION_FILES);
    if (!file) return undefined;
  }
  const display = displayPath(file, opts.cwd);
  return parseSuppressions(readStructuredFile(path.resolve(opts.cwd, file), display), display);
}

export function parseSuppressions(raw: unknown, display: string): Suppressions {
  if (raw === null || raw === undefined) return { file: display, entries: [] };
  if (Array.isArray(raw)) {
    const r = z.array(SuppressionEntrySchema).safeParse(raw);
    if (!r.success) throw new UsageError(formatIssues(display, r.error).join('\n'));
    return { file: display, entries: r.data };
  }
  const r = SuppressionFileSchema.safeParse(raw);
  if (!r.success) throw new UsageError(formatIssues(display, r.error).join('\n'));
  return { file: display, entries: r.data.suppressions };
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const globOpts = { bash: true, dot: true } as const;

/**
 * Mark failing findings matched by an active entry (the first matching entry in file order wins) and
 * return each entry's status. Mutates `findings[i].suppression`.
 */
export function applySuppressions(findings: ReportFinding[], sup: Suppressions, now: Date): SuppressionEntryStatus[] {
  const today = isoDay(now);
  const matchers = sup.entries.map((e) => {
    const rule = picomatch(e.rule);
    const resource = picomatch(e.resource, globOpts);
    const account = e.account ? picomatch(e.account, globOpts) : undefined;
    const region = e.region ? picomatch(e.region, globOpts) : undefined;
    return (f: ReportFinding) =>
      rule(f.ruleId) &&
      (resource(f.resource.id) || (f.resource.arn !== undefined && resource(f.resource.arn))) &&
      (!account || account(f.accountId)) &&
      (!region || region(f.region));
  });
  const expired = sup.entries.map((e) => e.expires !== undefined && e.expires < today);
  const matched = sup.entries.map(() => 0);
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    let applied = false;
    for (let i = 0; i < matchers.length; i++) {
      if (!matchers[i](f)) continue;
      matched[i]++;
      if (applied || expired[i]) continue;
      const e = sup.entries[i];
      f.suppression = { file: sup.file, index: i, reason: e.reason, ...(e.expires ? { expires: e.expires } : {}) };
      applied = true;
    }
  }
  return sup.entries.map((e, i) => ({
    index: i,
    rule: e.rule,
    resource: e.resource,
    ...(e.account ? { account: e.account } : {}),
    ...(e.region ? { region: e.region } : {}),
    reason: e.reason,
    ...(e.expires ? { expires: e.expires } : {}),
    status: expired[i] ? 'expired' : matched[i] > 0 ? 'active' : 'stale',
    matched: matched[i],
  }));
}

/** One line per expired or stale entry, for stderr and the reports. */
export function suppressionWarnings(file: string, entries: SuppressionEntryStatus[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const what = `suppressions[${e.index}] (rule ${e.rule}, resource ${e.resource})`;
    if (e.status === 'expired') {
      out.push(
        `${file}: ${what} expired on ${e.expires}` +
          (e.matched > 0
            ? `; ${e.matched} finding(s) it covered fail again`
            : '; it matches nothing any more: remove it'),
      );
    } else if (e.status === 'stale') {
      out.push(`${file}: ${what} matches no failing finding: remove it`);
    }
  }
  return out;
}
