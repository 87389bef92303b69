/**
 * The core calls behind the CLI: one function per command, no commander, no process globals.
 */
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { evaluate } from '../engine/evaluate.js';
import { splitList, type RuleRegistry } from '../engine/registry.js';
import type { Finding, Rule } from '../engine/types.js';
import { buildGraph } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/model.js';
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

export function evaluateSnapshot(snapshot: Snapshot, prepared: Prepared, generatedAt?: string): Evaluation {
  const graph = buildGraph(snapshot, prepared.settings);
  const findings = evaluate(graph, prepared.rules);
  const report = buildReport({
    graph,
    rules: prepared.rules,
    findings,
    version: toolVersion(),
    snapshotCreatedAt: snapshot.createdAt,
    generatedAt,
  });
  return { graph, findings, report };
}

/** 1 when a failing finding exists, else 3 when the scan was incomplete, else 0. */
export function exitCodeFor(report: Report): number {
  if (report.findings.some((f) => f.status === 'fail')) return EXIT.FINDINGS;
  if (report.findings.some((f) => f.status === 'error')) return EXIT.INCOMPLETE;
  return EXIT.OK;
}
