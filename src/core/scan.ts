/**
 * The core calls behind the CLI: one function per command, no commander, no process globals.
 */
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { evaluateRules } from '../engine/evaluate.js';
import { splitList, type RuleRegistry } from '../engine/registry.js';
import type { Finding, Rule } from '../engine/types.js';
import { buildGraph } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import type { Baseline } from '../report/baseline.js';
import { buildReport, isBlocking } from '../report/build.js';
import type { FailOn, Report } from '../report/model.js';
import type { Suppressions } from '../report/suppressions.js';
import { topologyOf, type Topology } from '../report/topology.js';
import { loadInputFile, mergeSnapshots, type RawInputDefaults } from '../snapshot/load.js';
import type { ResourceKind, Snapshot } from '../snapshot/schema.js';
import { EXIT, UsageError } from '../util/errors.js';
import { toolVersion } from '../util/version.js';

export interface ScanInputOptions {
  cwd?: string;
  configPath?: string;
  /** Snapshot or raw aws-cli files; empty = live collection (provided by the caller as `collectLive`). */
  inputs: string[];
  rawDefaults?: RawInputDefaults;
  rules?: string[];
  skipRules?: string[];
}

export interface Prepared {
  settings: Settings;
  rules: Rule[];
  /** Resource kinds the selected rules read. */
  needs: Set<ResourceKind>;
}

/** Settings + rule selection: everything that can fail with a usage error before any AWS call. */
export function prepare(registry: RuleRegistry, opts: Pick<ScanInputOptions, 'cwd' | 'configPath' | 'rules' | 'skipRules'>): Prepared {
  const settings = loadSettings({ configPath: opts.configPath, cwd: opts.cwd, catalog: registry });
  const rules = registry.select(settings, splitList(opts.rules), splitList(opts.skipRules));
  const needs = new Set<ResourceKind>(['securityGroups']);
  for (const r of rules) for (const n of r.meta.needs) needs.add(n);
  return { settings, rules, needs };
}

export function loadInputs(files: string[], defaults: RawInputDefaults = {}): Snapshot {
  if (files.length === 0) throw new UsageError('no input: pass --input FILE (or run without --input to scan live)');
  return mergeSnapshots(files.map((f) => loadInputFile(f, defaults)));
}

export interface Evaluation {
  graph: Graph;
  findings: Finding[];
  report: Report;
}

/** What turns findings into a gated report; everything is loaded (and validated) before the scan. */
export interface EvaluateOptions {
  generatedAt?: string;
  suppressions?: Suppressions;
  baseline?: Baseline;
  failOn?: FailOn;
  /** "Today" for suppression expiry (tests inject it). */
  now?: Date;
  /** List passing findings one by one (default true here; the CLI lists them only with --verbose). */
  keepPasses?: boolean;
}

export function evaluateSnapshot(snapshot: Snapshot, prepared: Prepared, opts: string | EvaluateOptions = {}): Evaluation {
  const o: EvaluateOptions = typeof opts === 'string' ? { generatedAt: opts } : opts;
  const graph = buildGraph(snapshot, prepared.settings);
  const { findings, unlistedPasses } = evaluateRules(graph, prepared.rules, { keepPasses: o.keepPasses ?? true });
  const report = buildReport({
    graph,
    rules: prepared.rules,
    findings,
    unlistedPasses,
    version: toolVersion(),
    snapshotCreatedAt: snapshot.createdAt,
    generatedAt: o.generatedAt,
    suppressions: o.suppressions,
    baseline: o.baseline,
    failOn: o.failOn,
    now: o.now,
  });
  return { graph, findings, report };
}

/**
 * The report (and the Markdown tier graph when asked for) without the graph: the caller can let the
 * snapshot and graph be collected before rendering, which matters at 10^5 groups (issue #6).
 */
export function evaluateForOutput(
  snapshot: Snapshot,
  prepared: Prepared,
  opts: EvaluateOptions & { topology?: boolean },
): { report: Report; topology?: Topology } {
  const { report, graph } = evaluateSnapshot(snapshot, prepared, opts);
  return { report, topology: opts.topology ? topologyOf(graph) : undefined };
}

/**
 * 1 when a blocking failing finding exists (not suppressed, not in the baseline, at or above `failOn`,
 * default the report's own gate, else any severity); else 3 when the scan was incomplete; else 0.
 */
export function exitCodeFor(report: Report, failOn: FailOn = report.gate?.failOn ?? 'info'): number {
  if (report.findings.some((f) => isBlocking(f, failOn))) return EXIT.FINDINGS;
  if (report.findings.some((f) => f.status === 'error')) return EXIT.INCOMPLETE;
  return EXIT.OK;
}
