import { SEVERITIES, type Severity } from '../config/schema.js';
import type { Graph } from '../graph/model.js';
import type { Finding, Rule } from '../engine/types.js';
import { REPORT_SCHEMA_VERSION, type CountSet, type Report } from './model.js';

const STATUS_ORDER = { fail: 0, error: 1, pass: 2 } as const;

/** Deterministic order: rule registry order, then status, account, region, resource, message id. */
export function sortFindings(findings: Finding[], rules: Rule[]): Finding[] {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const idx = (id: string) => ruleIndex.get(id) ?? -1;
  return [...findings].sort(
    (a, b) =>
      idx(a.ruleId) - idx(b.ruleId) ||
      cmp(a.ruleId, b.ruleId) ||
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      cmp(a.accountId, b.accountId) ||
      cmp(a.region, b.region) ||
      cmp(a.resource.id, b.resource.id) ||
      cmp(a.messageId, b.messageId) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildReport(args: {
  graph: Graph;
  rules: Rule[];
  findings: Finding[];
  version: string;
  snapshotCreatedAt: string;
  generatedAt?: string;
}): Report {
  const { graph, rules } = args;
  const findings = sortFindings(args.findings, rules);
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, CountSet> = {};
  for (const r of rules) byRule[r.meta.id] = { pass: 0, fail: 0, error: 0 };
  const totals: CountSet = { pass: 0, fail: 0, error: 0 };
  for (const f of findings) {
    totals[f.status]++;
    (byRule[f.ruleId] ??= { pass: 0, fail: 0, error: 0 })[f.status]++;
    if (f.status === 'fail') failBySeverity[f.severity]++;
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'sg-audit', version: args.version },
    generatedAt: args.generatedAt ?? new Date().toISOString(),
    snapshotCreatedAt: args.snapshotCreatedAt,
    scope: {
      accounts: [...new Set(graph.scopes.map((s) => s.accountId))].sort(),
      regions: [...new Set(graph.scopes.map((s) => s.region))].sort(),
      securityGroups: graph.groups.length,
    },
    rules: rules.map((r) => ({
      id: r.meta.id,
      title: r.meta.title,
      severity: args.graph.settings.rules[r.meta.id]?.severity ?? r.meta.severity,
      category: r.meta.category,
      ...(r.meta.tier ? { tier: r.meta.tier } : {}),
      rationale: r.meta.rationale,
      remediation: r.meta.remediation,
      references: r.meta.references,
    })),
    summary: { ...totals, total: findings.length, failBySeverity, byRule, incomplete: totals.error > 0 },
    findings,
  };
}
