/**
 * The report: what every output format renders. `--format json` prints it as is (documented in the
 * README; bump REPORT_SCHEMA_VERSION on any incompatible change).
 */
import type { Severity } from '../config/schema.js';
import type { Finding, ResourceRef, RuleMeta } from '../engine/types.js';
import type { Topology } from './topology.js';

export const REPORT_SCHEMA_VERSION = 1;

type ReportedMeta = 'id' | 'title' | 'severity' | 'category' | 'tier' | 'rationale' | 'remediation' | 'references';

/** A rule as the report lists it: its metadata as declared (severity after settings overrides). */
export interface ReportRule extends Pick<RuleMeta, ReportedMeta> {
  /**
   * Resource kinds the rule reads that were not collected in some scanned account/region (e.g. raw
   * `aws ec2 describe-security-groups` input holds only security groups): the rule's results there are
   * missing, not passing. Absent when everything it needs was collected.
   */
  missingData?: RuleMeta['needs'];
}

export interface CountSet {
  pass: number;
  fail: number;
  error: number;
}

/** `--fail-on`: the lowest severity that fails the build; `none` never fails on findings. */
export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Why a failing finding does not fail the build: the suppression entry that matched it. */
export interface FindingSuppression {
  /** The suppressions file (as given / relative to the working directory). */
  file: string;
  /** Index of the entry in the file's list. */
  index: number;
  reason: string;
  /** YYYY-MM-DD: the entry applies up to and including this day (UTC). */
  expires?: string;
}

/** Relative to `--baseline`: `new` findings fail the build, `unchanged` ones were failing then too. */
export type BaselineState = 'new' | 'unchanged';

export interface ReportFinding extends Finding {
  /**
   * Stable identity across runs: sha256(rule, account, region, resource id, message id) truncated, plus
   * `:n`, the occurrence among findings with the same identity. SARIF `partialFingerprints` and the
   * baseline comparison use it.
   */
  fingerprint: string;
  /** Failing findings matched by an active suppression entry. */
  suppression?: FindingSuppression;
  /** Failing findings, when `--baseline` was given. */
  baseline?: BaselineState;
}

export type SuppressionState = 'active' | 'expired' | 'stale';

/** One entry of the suppressions file and what it did in this run. */
export interface SuppressionEntryStatus {
  index: number;
  rule: string;
  resource: string;
  account?: string;
  region?: string;
  reason: string;
  expires?: string;
  /** `active`: matched failing findings; `expired`: past its date, applied to nothing; `stale`: matched nothing. */
  status: SuppressionState;
  /** Failing findings it matched (expired entries: the ones it would have matched). */
  matched: number;
}

/** A finding that failed in the baseline and does not fail now. */
export interface FixedFinding {
  fingerprint: string;
  ruleId: string;
  messageId: string;
  severity: Severity;
  accountId: string;
  region: string;
  resource: ResourceRef;
  message: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'sg-audit'; version: string };
  generatedAt: string;
  snapshotCreatedAt: string;
  scope: { accounts: string[]; regions: string[]; securityGroups: number };
  rules: ReportRule[];
  summary: CountSet & {
    total: number;
    /** Failing findings by severity. */
    failBySeverity: Record<Severity, number>;
    byRule: Record<string, CountSet>;
    /** A collection or rule error happened: results are incomplete. */
    incomplete: boolean;
    /** Failing findings covered by a suppression (they are still counted in `fail` and `failBySeverity`). */
    suppressed: number;
    /**
     * `false` when passing findings are counted (in `pass`, `total`, `byRule`) but not listed in `findings`
     * (the default; `--verbose` lists them).
     */
    passesListed?: boolean;
  };
  findings: ReportFinding[];
  /** Present when a suppressions file was used. */
  suppressions?: { file: string; entries: SuppressionEntryStatus[] };
  /** Present with `--baseline`: counts of failing findings by state, and the fixed ones. */
  baseline?: { file: string; generatedAt: string; new: number; unchanged: number; fixed: FixedFinding[] };
  /** The exit-code gate: `blocking` failing findings are not suppressed, not in the baseline, at/above `failOn`. */
  gate?: { failOn: FailOn; blocking: number };
}

export type Format = 'table' | 'json' | 'sarif' | 'junit' | 'markdown';
export const FORMATS: Format[] = ['table', 'json', 'sarif', 'junit', 'markdown'];

export interface RenderContext {
  /** Colours allowed (TTY and no NO_COLOR). */
  color: boolean;
  /** List passing findings too (table). */
  verbose?: boolean;
  /** The SG graph in serialisable form, for the markdown tier diagram (reporters never read AWS or files). */
  topology?: Topology;
}

/** One interface for every output format (Regal). */
export interface Reporter {
  format: Format;
  render(report: Report, ctx: RenderContext): string;
  /**
   * The same output as `render`, in pieces, for outputs that can exceed V8's maximum string length
   * (~512 MB: the JSON report of ~100k security groups). Writers use it when present.
   */
  renderChunks?(report: Report, ctx: RenderContext): Iterable<string>;
}
