/**
 * The exit-code gate: fingerprints, suppressions and the baseline applied to a scan's findings, which failing
 * findings fail the build, and the exit code of a report. Reporters only show what it decided.
 */
import { SEVERITY_RANK, type Finding } from '../engine/types.js';
import type { FailOn, Report, ReportFinding } from '../report/model.js';
import { EXIT } from '../util/errors.js';
import { applyBaseline, type Baseline, type RanScopes } from './baseline.js';
import { fingerprints } from './fingerprint.js';
import { applySuppressions, type Suppressions } from './suppressions.js';

export interface GateOptions {
  /** Suppression entries to apply (`--suppressions`). */
  suppressions?: Suppressions;
  /** Earlier report to compare with (`--baseline`). */
  baseline?: Baseline;
  /** Exit-code threshold (`--fail-on`), default `info`: any failing finding. */
  failOn?: FailOn;
  /** "Today" for suppression expiry; default: the current time. */
  now?: Date;
}

/** What the gate adds to a report. */
export interface Gated {
  findings: ReportFinding[];
  suppressions?: NonNullable<Report['suppressions']>;
  baseline?: NonNullable<Report['baseline']>;
  gate: NonNullable<Report['gate']>;
}

/**
 * Gate findings already in report order: fingerprint them (numbering depends on that order), mark the
 * suppressed ones, then compare with the baseline (only unsuppressed state matters to it), and count what
 * blocks. `ran`: the rules and account/regions this scan checked, so that the baseline only calls re-checked
 * findings fixed.
 */
export function applyGate(sorted: readonly Finding[], ran: RanScopes, opts: GateOptions): Gated {
  const fps = fingerprints(sorted);
  const findings: ReportFinding[] = sorted.map((f, i) => ({ ...f, fingerprint: fps[i] }));
  const now = opts.now ?? new Date();
  const entries = opts.suppressions ? applySuppressions(findings, opts.suppressions, now) : undefined;
  const baseline = opts.baseline ? applyBaseline(findings, opts.baseline, ran) : undefined;
  const failOn = opts.failOn ?? 'info';
  return {
    findings,
    ...(entries ? { suppressions: { file: opts.suppressions!.file, entries } } : {}),
    ...(baseline ? { baseline } : {}),
    gate: { failOn, blocking: countBlocking(findings, failOn) },
  };
}

/**
 * Does this finding fail the build? Failing, not suppressed, not already failing in the baseline, and at
 * or above the `--fail-on` severity.
 */
export function isBlocking(f: ReportFinding, failOn: FailOn = 'info'): boolean {
  if (f.status !== 'fail' || f.suppression || f.baseline === 'unchanged' || failOn === 'none') return false;
  return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
}

export function countBlocking(findings: readonly ReportFinding[], failOn: FailOn): number {
  let n = 0;
  for (const f of findings) if (isBlocking(f, failOn)) n++;
  return n;
}

/**
 * Why failing findings do not fail the build, each counted once, in this order: suppressed, already failing
 * in the baseline, below `--fail-on` (or any, with `--fail-on none`).
 */
export interface GateBreakdown {
  failing: number;
  blocking: number;
  suppressed: number;
  known: number;
  below: number;
}

export function gateBreakdown(findings: readonly ReportFinding[], failOn: FailOn = 'info'): GateBreakdown {
  const out: GateBreakdown = { failing: 0, blocking: 0, suppressed: 0, known: 0, below: 0 };
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    out.failing++;
    if (f.suppression) out.suppressed++;
    else if (f.baseline === 'unchanged') out.known++;
    else if (isBlocking(f, failOn)) out.blocking++;
    else out.below++;
  }
  return out;
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
