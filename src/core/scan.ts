/**
 * The core calls behind the CLI: one function per command (`runScan` here, `runCollect`, `runRules`),
 * no commander, no TTYs, no process globals. What a command reads and writes beyond files it is given
 * (stdout, the live estate) is injected.
 */
import path from 'node:path';
import { defaultRegistry } from '../../rules/index.js';
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { evaluateRules } from '../engine/evaluate.js';
import { splitList, type RuleRegistry } from '../engine/registry.js';
import type { Finding, Rule } from '../engine/types.js';
import { buildGraph } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import { exitCodeFor } from '../gate/gate.js';
import { loadBaseline, type Baseline } from '../gate/baseline.js';
import { loadSuppressions, suppressionWarnings, type Suppressions } from '../gate/suppressions.js';
import { buildReport } from '../report/build.js';
import type { FailOn, Report } from '../report/model.js';
import { parseReportTargets, renderOutput, reporterFor } from '../report/index.js';
import { topologyOf, type Topology } from '../report/topology.js';
import { loadInputFile, mergeSnapshots, serializeSnapshot, type RawInputDefaults } from '../snapshot/load.js';
import type { ResourceKind, Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import { toolVersion } from '../util/version.js';
import { writeFileAtomic } from '../util/fs.js';
import { checkOutputs } from './outputs.js';

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
 * rule to run, unless `allowNoRules` (a gate that checks nothing must not pass).
 */
export function prepare(
  registry: RuleRegistry,
  opts: Pick<ScanInputOptions, 'cwd' | 'configPath' | 'rules' | 'skipRules'> & { allowNoRules?: boolean },
): Prepared {
  for (const [flag, values] of [
    ['--rules', opts.rules],
    ['--skip-rules', opts.skipRules],
  ] as const) {
    if (values !== undefined && splitList(values).length === 0) {
      throw new UsageError(
        `${flag} ${JSON.stringify(values.join(','))}: expected rule ids or globs, comma-separated ` +
          `(see 'sg-audit rules')`,
      );
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
          ? `--rules ${only.join(',')}: every rule it selects is disabled in ${settings.source}; nothing would be ` +
            'checked'
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
  /** The Markdown tier graph, with `topology: true`. */
  topology?: Topology;
}

/** What turns findings into a gated report; everything is loaded (and validated) before the scan. */
export interface EvaluateOptions {
  generatedAt?: string;
  suppressions?: Suppressions;
  baseline?: Baseline;
  failOn?: FailOn;
  /** "Today" for suppression expiry (tests inject it). */
  now?: Date;
  /**
   * List passing findings one by one (default true here; the CLI lists them only with --verbose or JUnit).
   * When false they are only counted per rule: 10^5 groups yield ~10^6 passes nobody reads one by one.
   */
  keepPasses?: boolean;
  /** Also derive the Markdown tier graph, so a caller can drop the graph before rendering. */
  topology?: boolean;
}

/**
 * Snapshot → graph → rules → gated report: the one evaluation path (the CLI, bench and tests use it; the
 * engine's `evaluateRules` is its rules step). A caller that keeps only `report` and `topology` lets the
 * snapshot and graph be collected before rendering, which matters at 10^5 groups.
 */
export function evaluateSnapshot(snapshot: Snapshot, prepared: Prepared, opts: EvaluateOptions = {}): Evaluation {
  const graph = buildGraph(snapshot, prepared.settings);
  const { findings, unlistedPasses } = evaluateRules(graph, prepared.rules, { keepPasses: opts.keepPasses ?? true });
  const report = buildReport({
    graph,
    rules: prepared.rules,
    findings,
    unlistedPasses,
    version: toolVersion(),
    snapshotCreatedAt: snapshot.createdAt,
    generatedAt: opts.generatedAt,
    suppressions: opts.suppressions,
    baseline: opts.baseline,
    failOn: opts.failOn,
    now: opts.now,
  });
  return { graph, findings, report, topology: opts.topology ? topologyOf(graph) : undefined };
}

/**
 * The report as formats other than JUnit show it: passes counted, not listed (unless `--verbose`). JUnit
 * needs every (rule, resource) as a test case, so the scan keeps passes when JUnit is among the outputs;
 * the other outputs of the same run must not change because of it. Passes neither number
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

/** What a command needs from its surroundings: where relative paths start, and where stdout goes. */
export interface CoreIO {
  cwd: string;
  stdout: { write(s: string): unknown };
}

export interface ScanIO extends CoreIO {
  /**
   * Collects the live estate for a scan without inputs: only the resource kinds the selected rules read.
   * Called after every input, flag and output has been checked, so nothing wrong with them costs an AWS call.
   */
  collectLive(needs: Set<ResourceKind>): Promise<Snapshot>;
}

/** A scan's options, as the command line gives them (file names relative to `io.cwd`). */
export interface ScanOptions {
  /** Snapshot or raw aws-cli files; none = a live scan through `io.collectLive`. */
  inputs?: string[];
  /** `--account`/`--region`: labels for raw aws-cli inputs, only with inputs. */
  rawDefaults?: RawInputDefaults;
  /** Live-collection flags given (`--regions`, `--profile`…): only without inputs. */
  liveFlags?: string[];
  configPath?: string;
  rules?: string[];
  skipRules?: string[];
  format: string;
  output?: string;
  /** `FORMAT=FILE` values of `--report`. */
  reports?: string[];
  verbose?: boolean;
  saveSnapshot?: string;
  failOn?: FailOn;
  /** A file, or `false` to ignore the default suppressions file. */
  suppressions?: string | false;
  baseline?: string;
  /** Colours in the report written to stdout (never in files). */
  color?: boolean;
}

export interface ScanResult {
  /** The full report (passes listed when JUnit or --verbose asked for them). */
  report: Report;
  exitCode: number;
  /** One line each, for stderr (expired or unused suppressions). */
  warnings: string[];
}

/**
 * Flags that the chosen mode would drop: live flags with inputs, the raw-input labels on a live scan.
 * A usage error naming the flag to use.
 */
export function checkScanMode(hasInput: boolean, liveFlags: string[], rawDefaults: RawInputDefaults): void {
  if (hasInput) {
    const flag = liveFlags[0];
    if (flag === undefined) return;
    const hint = flag === '--regions' ? 'to label raw aws-cli input use --region; ' : '';
    const why = `only for live scans, and --input reads files instead (${hint}drop --input to scan live)`;
    throw new UsageError(`${flag}: ${why}`);
  }
  const inputOnly: [string, unknown, string][] = [
    ['--region', rawDefaults.region, 'a live scan takes --regions'],
    ['--account', rawDefaults.accountId, 'a live scan takes its accounts from the credentials or --role-arn'],
  ];
  for (const [flag, value, hint] of inputOnly) {
    if (value !== undefined) throw new UsageError(`${flag}: only labels raw aws-cli --input files; ${hint}`);
  }
}

/**
 * `scan`: check everything (format, report targets, mode flags, settings and rules, suppressions, baseline,
 * output collisions), read the inputs or collect live, evaluate, write every output.
 */
export async function runScan(opts: ScanOptions, io: ScanIO): Promise<ScanResult> {
  const registry = defaultRegistry();
  const reporter = reporterFor(opts.format);
  const targets = parseReportTargets(opts.reports);
  const given = opts.inputs ?? [];
  const inputs = given.map((f) => path.resolve(io.cwd, f));
  checkScanMode(inputs.length > 0, opts.liveFlags ?? [], opts.rawDefaults ?? {});
  const prepared = prepare(registry, {
    cwd: io.cwd,
    configPath: opts.configPath,
    rules: opts.rules,
    skipRules: opts.skipRules,
  });
  // Everything that can be wrong with the input is checked before any AWS call.
  const suppressions = loadSuppressions({ file: opts.suppressions, cwd: io.cwd });
  const baseline = opts.baseline ? loadBaseline(opts.baseline, io.cwd) : undefined;
  const named = (flag: string, file: string | undefined) => (file ? [{ label: `${flag} ${file}`, file }] : []);
  checkOutputs(
    [
      ...named('-o', opts.output),
      ...targets.map((t) => ({ label: `--report ${t.format}=${t.file}`, file: t.file })),
      ...named('--save-snapshot', opts.saveSnapshot),
    ],
    [
      ...given.map((file) => ({ label: `--input ${file}`, file })),
      ...named('--config', opts.configPath),
      ...named('--suppressions', typeof opts.suppressions === 'string' ? opts.suppressions : undefined),
    ],
    io.cwd,
  );
  let snapshot: Snapshot | undefined =
    inputs.length > 0 ? loadInputs(inputs, opts.rawDefaults) : await io.collectLive(prepared.needs);
  // Passes are always counted; they are listed one by one with --verbose, and for JUnit, where every
  // (rule, resource) is a test case. JUnit's passes stay out of the other formats.
  const formatsOut = [opts.format, ...targets.map((t) => t.format)];
  const { report: full, topology } = evaluateSnapshot(snapshot, prepared, {
    suppressions,
    baseline,
    failOn: opts.failOn,
    keepPasses: Boolean(opts.verbose) || formatsOut.includes('junit'),
    topology: formatsOut.includes('markdown'),
  });
  const listed = opts.verbose ? full : withoutListedPasses(full);
  const reportFor = (format: string) => (format === 'junit' ? full : listed);
  const resolve = (file: string) => path.resolve(io.cwd, file);
  if (opts.saveSnapshot) writeFileAtomic(resolve(opts.saveSnapshot), serializeSnapshot(snapshot));
  // From here on only the report is needed: letting the snapshot and graph go (~700 MB at 100k groups)
  // keeps the peak memory and the collector's work down while the outputs render.
  // eslint-disable-next-line no-useless-assignment -- dropping the last reference is the point (see above)
  snapshot = undefined;
  // Outputs render while they are written (a 100k-SG JSON report exceeds V8's longest string), each
  // into a temp file renamed into place only when complete.
  const color = !opts.output && Boolean(opts.color);
  const out = renderOutput(reporter, reportFor(opts.format), { color, verbose: opts.verbose, topology });
  for (const t of targets) {
    const ctx = { color: false, verbose: opts.verbose, topology };
    writeFileAtomic(resolve(t.file), renderOutput(t.reporter, reportFor(t.format), ctx));
  }
  if (opts.output) writeFileAtomic(resolve(opts.output), out);
  else if (typeof out === 'string') io.stdout.write(out);
  else for (const chunk of out) io.stdout.write(chunk);
  const warnings = full.suppressions ? suppressionWarnings(full.suppressions.file, full.suppressions.entries) : [];
  return { report: full, exitCode: exitCodeFor(full), warnings };
}
