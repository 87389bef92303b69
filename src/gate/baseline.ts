/**
 * `--baseline FILE`: compare with the JSON report of an earlier run (`--format json`). Only failing
 * findings that were not failing in the baseline fail the build. Findings are matched by fingerprint
 * (see fingerprint.ts), recomputed from the baseline's fields so reports written before fingerprints
 * existed work too.
 *
 * "Fixed" = failing in the baseline, not failing now, and actually re-checked: the rule ran in this scan,
 * its account/region was scanned, and neither the rule nor that account/region reported an error.
 */
import path from 'node:path';
import { z } from 'zod';
import { SEVERITIES } from '../config/schema.js';
import { COLLECTION_RULE_ID, ENGINE_RULE_ID } from '../engine/evaluate.js';
import { UsageError } from '../util/errors.js';
import { BASELINE_LIMIT_BYTES, displayPath, readJsonFile } from '../util/fs.js';
import { formatIssues } from '../util/zod-issues.js';
import { fingerprints } from './fingerprint.js';
import { REPORT_SCHEMA_VERSION, type FixedFinding, type Report, type ReportFinding } from '../report/model.js';

const ResourceRefSchema = z.object({
  type: z.string(),
  id: z.string(),
  arn: z.string().optional(),
  name: z.string().optional(),
});

const BaselineFindingSchema = z.object({
  ruleId: z.string(),
  messageId: z.string(),
  status: z.enum(['pass', 'fail', 'error']),
  severity: z.enum(SEVERITIES),
  accountId: z.string(),
  region: z.string(),
  resource: ResourceRefSchema,
  message: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const BaselineSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('sg-audit'), version: z.string() }),
  generatedAt: z.string(),
  findings: z.array(BaselineFindingSchema),
});

export interface Baseline {
  file: string;
  generatedAt: string;
  /** Failing findings of the baseline with their fingerprints. */
  failing: Map<string, FixedFinding>;
}

export function loadBaseline(file: string, cwd: string): Baseline {
  const display = displayPath(file, cwd);
  const raw = readJsonFile(path.resolve(cwd, file), {
    display,
    what: 'baseline',
    maxBytes: BASELINE_LIMIT_BYTES,
    limitName: 'baseline limit (the longest text Node.js can hold)',
    hint: 'the baseline is a report written with --format json',
  });
  return parseBaseline(raw, display);
}

export function parseBaseline(raw: unknown, display: string): Baseline {
  if (
    raw === null ||
    typeof raw !== 'object' ||
    Array.isArray(raw) ||
    !('findings' in raw) ||
    !('schemaVersion' in raw)
  ) {
    throw new UsageError(`${display}: not an sg-audit JSON report (write the baseline with --format json)`);
  }
  const version = (raw as { schemaVersion: unknown }).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new UsageError(
      `${display}: schemaVersion: unsupported report version ${JSON.stringify(version)} (this sg-audit reads ` +
        `version ${REPORT_SCHEMA_VERSION})`,
    );
  }
  const r = BaselineSchema.safeParse(raw);
  if (!r.success) throw new UsageError(formatIssues(display, r.error).slice(0, 5).join('\n'));
  const fps = fingerprints(r.data.findings);
  const failing = new Map<string, FixedFinding>();
  r.data.findings.forEach((f, i) => {
    if (f.status !== 'fail') return;
    failing.set(fps[i], {
      fingerprint: fps[i],
      ruleId: f.ruleId,
      messageId: f.messageId,
      severity: f.severity,
      accountId: f.accountId,
      region: f.region,
      resource: { ...f.resource, type: f.resource.type as FixedFinding['resource']['type'] },
      message: f.message,
    });
  });
  return { file: display, generatedAt: r.data.generatedAt, failing };
}

/** The rules and account/regions a scan checked: only findings they re-checked can be fixed. */
export interface RanScopes {
  rules: readonly string[];
  scopes: ReadonlyArray<{ accountId: string; region: string }>;
}

/** Mark failing findings new/unchanged and list the fixed ones. Mutates `findings[i].baseline`. */
export function applyBaseline(
  findings: ReportFinding[],
  baseline: Baseline,
  ran: RanScopes,
): NonNullable<Report['baseline']> {
  let added = 0;
  let unchanged = 0;
  const failingNow = new Set<string>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    failingNow.add(f.fingerprint);
    if (baseline.failing.has(f.fingerprint)) {
      f.baseline = 'unchanged';
      unchanged++;
    } else {
      f.baseline = 'new';
      added++;
    }
  }
  const rules = new Set(ran.rules);
  const scopes = new Set(ran.scopes.map((s) => `${s.accountId}/${s.region}`));
  const erroredRules = new Set<string>();
  const erroredScopes = new Set<string>();
  let collectionErrorEverywhere = false;
  for (const f of findings) {
    if (f.status !== 'error') continue;
    if (f.ruleId === COLLECTION_RULE_ID || f.category === 'collection') {
      if (f.region === '*') {
        // Account-level failure (e.g. AssumeRole): nothing in that account is known.
        for (const s of ran.scopes) if (s.accountId === f.accountId) erroredScopes.add(`${s.accountId}/${s.region}`);
        if (f.accountId === '*') collectionErrorEverywhere = true;
      } else erroredScopes.add(`${f.accountId}/${f.region}`);
    } else if (f.ruleId !== ENGINE_RULE_ID) erroredRules.add(f.ruleId);
  }
  const fixed: FixedFinding[] = [];
  for (const [fp, b] of baseline.failing) {
    if (failingNow.has(fp)) continue;
    const scope = `${b.accountId}/${b.region}`;
    if (!rules.has(b.ruleId) || erroredRules.has(b.ruleId)) continue;
    if (!scopes.has(scope) || erroredScopes.has(scope) || collectionErrorEverywhere) continue;
    fixed.push(b);
  }
  fixed.sort(
    (a, b) =>
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.accountId, b.accountId) ||
      cmp(a.region, b.region) ||
      cmp(a.resource.id, b.resource.id) ||
      cmp(a.fingerprint, b.fingerprint),
  );
  return { file: baseline.file, generatedAt: baseline.generatedAt, new: added, unchanged, fixed };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
