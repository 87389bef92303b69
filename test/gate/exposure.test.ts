/**
 * Suppressions and baselines keep working when exposure lowers a finding (issue #12): the fingerprint is rule,
 * account, region, resource and message id (src/gate/fingerprint.ts), so neither the lowered severity nor the
 * sentence the engine appends to the message turns an old finding into a new one.
 */
import { describe, expect, it } from 'vitest';
import { worldOpenAdminPorts } from '../../rules/world-open-admin-ports.js';
import { exitCodeFor } from '../../src/gate/gate.js';
import { parseBaseline } from '../../src/gate/baseline.js';
import { fingerprints } from '../../src/gate/fingerprint.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { jsonReporter } from '../../src/report/json.js';
import type { Report } from '../../src/report/model.js';
import { eni, publicSubnet, region, sg, snapshot, tcp, WITHOUT_NETWORK } from '../helpers/estate.js';
import { reportOf } from '../report/fixture.js';

const rules = [worldOpenAdminPorts];
const groups = () => [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })];

/** Before issue #12's data: no network kinds (exposure unknown), the interface in the v1 shape. */
const before = () => snapshot(region({ groups: groups(), enis: [eni('eni-1', ['sg-1'])], collected: WITHOUT_NETWORK }));
/** Now: the same interface in a public subnet, without a public IPv4: not reachable, lowered. */
const now = () =>
  snapshot(
    region({
      groups: groups(),
      enis: [eni('eni-1', { subnetId: 'subnet-pub', groups: ['sg-1'], instanceId: 'i-1' })],
      ...publicSubnet(),
    }),
  );

/** The JSON report as a report written before exposure existed: no `exposure` on any finding. */
function writtenBefore(r: Report): unknown {
  const json = JSON.parse(jsonReporter.render(r, { color: false })) as { findings: Record<string, unknown>[] };
  for (const f of json.findings) delete f.exposure;
  return json;
}

describe('gate: exposure changes severity and message, never identity', () => {
  const old = reportOf(before(), { rules }).report;
  const lowered = reportOf(now(), { rules }).report;
  const fOld = old.findings.find((f) => f.status === 'fail')!;
  const fNow = lowered.findings.find((f) => f.status === 'fail')!;

  it('the finding was lowered and its message changed', () => {
    expect([fOld.severity, fOld.exposure?.status]).toEqual(['high', 'unknown']);
    expect([fNow.severity, fNow.exposure?.status]).toEqual(['medium', 'unreachable']);
    expect(fNow.message).not.toBe(fOld.message);
    expect(fNow.message.startsWith(fOld.message.slice(0, -1))).toBe(true);
  });

  it('same fingerprint before and after', () => {
    expect(fNow.fingerprint).toBe(fOld.fingerprint);
    expect(fingerprints([fNow])).toEqual(fingerprints([fOld]));
  });

  it('a baseline written before exposure existed still matches: unchanged, nothing new, nothing fixed', () => {
    const baseline = parseBaseline(writtenBefore(old), 'baseline.json');
    const r = reportOf(now(), { rules, baseline }).report;
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.baseline).toBe('unchanged');
    expect(r.baseline).toMatchObject({ new: 0, unchanged: 1, fixed: [] });
    expect(exitCodeFor(r)).toBe(0);
  });

  it('a suppression by rule and resource still applies to the lowered finding', () => {
    const suppressions = parseSuppressions(
      [{ rule: 'world-open-admin-ports', resource: 'sg-1', reason: 'bastion, reviewed' }],
      'suppressions.yaml',
    );
    const r = reportOf(now(), { rules, suppressions }).report;
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.suppression).toMatchObject({ reason: 'bastion, reviewed' });
    expect(r.summary.suppressed).toBe(1);
    expect(exitCodeFor(r)).toBe(0);
  });
});
