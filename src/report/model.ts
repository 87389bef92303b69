/**
 * The report: what every output format renders. `--format json` prints it as is (documented in the
 * README; bump REPORT_SCHEMA_VERSION on any incompatible change).
 */
import type { Severity, Tier } from '../config/schema.js';
import type { Finding, Rule, RuleCategory } from '../engine/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportRule {
  id: string;
  title: string;
  severity: Severity;
  category: RuleCategory;
  tier?: Tier;
  rationale: string;
  remediation: string;
  references: Rule['meta']['references'];
}

export interface CountSet {
  pass: number;
  fail: number;
  error: number;
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
  };
  findings: Finding[];
}

export type Format = 'table' | 'json';
export const FORMATS: Format[] = ['table', 'json'];

export interface RenderContext {
  /** Colours allowed (TTY and no NO_COLOR). */
  color: boolean;
  /** List passing findings too (table). */
  verbose?: boolean;
}

/** One interface for every output format (Regal). */
export interface Reporter {
  format: Format;
  render(report: Report, ctx: RenderContext): string;
}
