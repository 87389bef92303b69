/**
 * The engine and a report's `exposure` (issue #12): passed to the finding, `unreachable` lowers a failing
 * finding one step after any settings override and says why in the message, `unknown` keeps the severity,
 * passes carry none.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, type Severity } from '../../src/config/schema.js';
import { evaluateRules, lowerSeverity } from '../../src/engine/evaluate.js';
import type { Rule, RuleReport } from '../../src/engine/types.js';
import type { Exposure } from '../../src/exposure/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { region, sg, snapshot } from '../helpers/estate.js';

const snap = snapshot(region({ groups: [sg('sg-a')] }));

const UNREACHABLE: Exposure = {
  status: 'unreachable',
  reason: 'route table rtb-1 has no route to an internet gateway for 0.0.0.0/0',
  paths: [],
};
const UNKNOWN: Exposure = { status: 'unknown', reason: 'subnets and route tables were not collected', paths: [] };
const REACHABLE: Exposure = {
  status: 'reachable',
  reason: 'tcp 22 from 0.0.0.0/0 via igw-1 rtb-1 acl-1 rule 100',
  paths: [
    {
      from: 'internet',
      source: '0.0.0.0/0',
      target: { type: 'network-interface', id: 'eni-1' },
      protocol: 'tcp',
      ports: [[22, 22]],
      hops: [
        { type: 'internet-gateway', id: 'igw-1' },
        { type: 'security-group', id: 'sg-a', permissionIndex: 0 },
      ],
      accountId: '1',
      region: 'r',
    },
  ],
};

function ruleReporting(reports: Partial<RuleReport>[], severity: Severity = 'high'): Rule {
  return {
    meta: {
      id: 'exp',
      title: 'Stub',
      severity,
      category: 'least-privilege',
      rationale: 'r',
      remediation: 'm',
      references: [],
      messages: { open: 'Group {{group}} is open.', closed: 'Group {{group}} is closed.' },
      needs: ['securityGroups'],
    },
    check(ctx) {
      for (const r of reports) {
        ctx.report({
          messageId: 'open',
          status: 'fail',
          accountId: '1',
          region: 'r',
          resource: { type: 'security-group', id: 'sg-a' },
          data: { group: 'sg-a' },
          ...r,
        });
      }
    },
  };
}

function run(reports: Partial<RuleReport>[], o: { severity?: Severity; override?: Severity } = {}) {
  const s = defaultSettings();
  if (o.override) s.rules.exp = { severity: o.override };
  return evaluateRules(buildGraph(snap, s), [ruleReporting(reports, o.severity)]).findings;
}

describe('engine: exposure on findings', () => {
  it('lowers severity one step, down to info', () => {
    expect((['critical', 'high', 'medium', 'low', 'info'] as const).map(lowerSeverity)).toEqual([
      'high',
      'medium',
      'low',
      'info',
      'info',
    ]);
  });

  it('unreachable: one step lower, the message names what blocks it and the severity before', () => {
    const [f] = run([{ exposure: UNREACHABLE }]);
    expect(f.severity).toBe('medium');
    expect(f.message).toBe(
      'Group sg-a is open. Not reachable from the internet: route table rtb-1 has no route to an internet gateway ' +
        'for 0.0.0.0/0 (severity lowered from high).',
    );
    expect(f.exposure).toEqual(UNREACHABLE);
  });

  it("unreachable: lowers the rule's per-finding severity", () => {
    const [f] = run([{ exposure: UNREACHABLE, severity: 'critical' }]);
    expect(f.severity).toBe('high');
  });

  it('unreachable: lowers AFTER a settings severity override', () => {
    const [f] = run([{ exposure: UNREACHABLE, severity: 'low' }], { override: 'critical' });
    expect(f.severity).toBe('high');
    expect(f.message).toContain('(severity lowered from critical).');
  });

  it('unknown keeps the severity (and the override) and the message', () => {
    expect(run([{ exposure: UNKNOWN }])[0]).toMatchObject({
      severity: 'high',
      message: 'Group sg-a is open.',
      exposure: UNKNOWN,
    });
    expect(run([{ exposure: UNKNOWN }], { override: 'low' })[0].severity).toBe('low');
  });

  it('reachable keeps the severity and carries the paths', () => {
    const [f] = run([{ exposure: REACHABLE }]);
    expect(f.severity).toBe('high');
    expect(f.message).toBe('Group sg-a is open.');
    expect(f.exposure!.paths).toHaveLength(1);
  });

  it('a finding keeps the first 3 paths (model order) and the total as pathCount', () => {
    const path = REACHABLE.paths[0];
    const paths = [22, 23, 80, 443, 8080].map((port) => ({ ...path, ports: [[port, port]] as [number, number][] }));
    const [f] = run([{ exposure: { ...REACHABLE, paths } }]);
    expect(f.exposure).toEqual({
      status: 'reachable',
      reason: REACHABLE.reason,
      paths: paths.slice(0, 3),
      pathCount: 5,
    });
    // Exactly 3: kept as they are, no count.
    const [g] = run([{ exposure: { ...REACHABLE, paths: paths.slice(0, 3) } }]);
    expect(g.exposure).toEqual({ ...REACHABLE, paths: paths.slice(0, 3) });
    expect('pathCount' in g.exposure!).toBe(false);
    // A rule that already kept 3 of 7 keeps its count.
    const [h] = run([{ exposure: { ...REACHABLE, paths: paths.slice(0, 3), pathCount: 7 } }]);
    expect(h.exposure).toMatchObject({ paths: paths.slice(0, 3), pathCount: 7 });
  });

  it('no exposure: no field, severity unchanged', () => {
    const [f] = run([{}]);
    expect(f.severity).toBe('high');
    expect('exposure' in f).toBe(false);
  });

  it('passes carry no exposure and are never lowered', () => {
    const [f] = run([{ status: 'pass', messageId: 'closed', exposure: UNREACHABLE }]);
    expect(f.status).toBe('pass');
    expect(f.severity).toBe('high');
    expect(f.message).toBe('Group sg-a is closed.');
    expect('exposure' in f).toBe(false);
  });

  it('error findings keep their severity (unknown verdict, not a lowered one)', () => {
    const [f] = run([{ status: 'error', exposure: UNREACHABLE }]);
    expect(f.severity).toBe('high');
    expect(f.message).toBe('Group sg-a is open.');
  });

  it('a reason ending in a full stop gets no second one', () => {
    const [f] = run([{ exposure: { ...UNREACHABLE, reason: 'eni-1 has no public IPv4 address.' } }]);
    expect(f.message).toBe(
      'Group sg-a is open. Not reachable from the internet: eni-1 has no public IPv4 address (severity lowered ' +
        'from high).',
    );
  });
});
