/**
 * The exit-code gate: which failing findings fail the build, and the exit code of a report.
 */
import { SEVERITY_RANK } from '../engine/types.js';
import { EXIT } from '../util/errors.js';
import type { FailOn, Report, ReportFinding } from '../report/model.js';

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
