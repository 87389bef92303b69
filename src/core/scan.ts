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
import type { Baseline } from '../gate/baseline.js';
import type { Suppressions } from '../gate/suppressions.js';
import { buildReport } from '../report/build.js';
import type { FailOn, Report } from '../report/model.js';
import { topologyOf, type Topology } from '../report/topology.js';
import { loadInputFile, mergeSnapshots, type RawInputDefaults } from '../snapshot/load.js';
import type { ResourceKind, Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
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

/**
 * Settings + rule selection: everything that can fail with a usage error before any AWS call. A flag
 * given with an empty list (`--rules ''`) is an error, not "every rule"; so is a selection that leaves no
 * rule to run, unless `allowNoRules` (issue #10: a gate that checks nothing must not pass).
 */
export function prepare(
  registry: RuleRegistry,
  opts: Pick<ScanInputOptions, 'cwd' | 'configPath' | 'rules' | 'skipRules'> & { allowNoRules?: boolean },
): Prepared {
  for (const [flag, values] of [['--rules', opts.rules], ['--skip-rules', opts.skipRules]] as const) {
    if (values !== undefined && splitList(values).length === 0) {
      throw new UsageError(`${flag} ${JSON.stringify(values.join(','))}: expected rule ids or globs, comma-separated (see 'sg-audit rules')`);
    }
  }
  const settings = loadSettings({ configPath: opts.configPath, cwd: opts.cwd, catalog: registry });
  const rules = registry.select(settings, splitList(opts.rules), splitList(opts.skipRules));
  if (rules.length === 0 && !opts.allowNoRules) {
    const skip = splitList(opts.skipRules);
    const only = splitList(opts.rules);
    throw new UsageError(
      skip.length > 0
        ? `--skip-rules ${skip.join(',')}: leaves no rule to run; a scan that checks nothing cannot pass`
        : only.length > 0
          ? `--rules ${only.join(',')}: every rule it selects is disabled in ${settings.source}; nothing would be checked`
          : `${settings.source}: every rule is disabled; a scan that checks nothing cannot pass`,
    );
  }
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
 * The report as formats other than JUnit show it: passes counted, not listed (unless `--verbose`). JUnit
 * needs every (rule, resource) as a test case, so the scan keeps passes when JUnit is among the outputs;
 * the other outputs of the same run must not change because of it (issue #10). Passes neither number
 * failing findings' fingerprints nor count for suppressions, the baseline or the gate, so dropping them
 * gives exactly the report a run without JUnit builds.
 */
export function withoutListedPasses(report: Report): Report {
  let passes = 0;
  for (const f of report.findings) if (f.status === 'pass') passes++;
  if (passes === 0) return report;
  return {
    ...report,
    summary: { ...report.summary, passesListed: false },
    findings: report.findings.filter((f) => f.status !== 'pass'),
  };
}

/** The gate lives in gate/; re-exported for the CLI and the tests that import it from here. */
export { exitCodeFor } from '../gate/gate.js';
