/** `--fail-on` and the exit code: 1 for blocking failures, else 3 for errors, else 0. */
import { describe, expect, it } from 'vitest';
import { applyGate, exitCodeFor, isBlocking } from '../../src/gate/gate.js';
import { FAIL_ON, type FailOn } from '../../src/report/model.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { dataTier, estate, reportOf, untagged } from '../report/fixture.js';

// Only the low-severity untagged rule fails here, no collection error.
const lowOnly = snapshot(region({ groups: [sg('sg-x', { ingress: [tcp(80, '10.0.0.0/8')] })] }));

describe('--fail-on', () => {
  it('counts blocking findings per threshold', () => {
    // estate(): 3 critical, 2 high, 1 medium, 1 low failing; one collection error.
    const expected: Record<FailOn, number> = { critical: 3, high: 5, medium: 6, low: 7, info: 7, none: 0 };
    for (const failOn of FAIL_ON) {
      const { report } = reportOf(estate(), { failOn });
      expect([failOn, report.gate]).toEqual([failOn, { failOn, blocking: expected[failOn] }]);
      // Below the threshold the collection error still makes the scan incomplete: 3, never 0.
      expect([failOn, exitCodeFor(report)]).toEqual([failOn, expected[failOn] ? 1 : 3]);
    }
  });

  it('a failure below the threshold gives 0 when the scan is complete', () => {
    expect(exitCodeFor(reportOf(lowOnly, { rules: [untagged, dataTier] }).report)).toBe(1);
    expect(exitCodeFor(reportOf(lowOnly, { rules: [untagged, dataTier], failOn: 'medium' }).report)).toBe(0);
    expect(exitCodeFor(reportOf(lowOnly, { rules: [untagged], failOn: 'low' }).report)).toBe(1);
    // An explicit threshold argument overrides the report's gate.
    expect(exitCodeFor(reportOf(lowOnly, { rules: [untagged] }).report, 'high')).toBe(0);
  });

  it('suppressed findings never block, whatever their severity', () => {
    const sup = parseSuppressions([{ rule: 'stub-untagged', resource: 'sg-x', reason: 'accepted' }], 's.yaml');
    const { report } = reportOf(lowOnly, { rules: [untagged], suppressions: sup });
    expect(report.findings.map((f) => [f.status, isBlocking(f)])).toEqual([['fail', false]]);
    expect(exitCodeFor(report)).toBe(0);
  });
});

describe('applyGate', () => {
  it('gates findings without a report: fingerprints, suppressions, what blocks', () => {
    const { report } = reportOf(lowOnly, { rules: [untagged] });
    const findings = report.findings.map(({ fingerprint: _fp, suppression: _s, baseline: _b, ...f }) => f);
    const { accountId, region: regionName } = findings[0];
    const ran = { rules: ['stub-untagged'], scopes: [{ accountId, region: regionName }] };
    expect(applyGate(findings, ran, {})).toEqual({ findings: report.findings, gate: { failOn: 'info', blocking: 1 } });
    const sup = parseSuppressions([{ rule: 'stub-untagged', resource: 'sg-x', reason: 'accepted' }], 's.yaml');
    const gated = applyGate(findings, ran, { suppressions: sup, now: new Date('2026-03-01T00:00:00Z') });
    const marks = gated.findings.map((f) => [f.fingerprint, f.suppression?.index]);
    expect(marks).toEqual([[report.findings[0].fingerprint, 0]]);
    expect(gated.suppressions?.entries.map((e) => [e.status, e.matched])).toEqual([['active', 1]]);
    expect(gated.gate).toEqual({ failOn: 'info', blocking: 0 });
  });
});
