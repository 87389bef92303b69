/**
 * Issue #10, item 9: prefix lists are the CIDRs they hold, for every rule. A list holding 0.0.0.0/0 or ::/0
 * is the world, wherever a rule asks; a list whose entries were not collected is unknown (an `error`
 * finding, exit 3), never a pass. Security group rules that reference a prefix list admit every CIDR in it:
 * https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { worldOpenAdminPorts } from '../../rules/world-open-admin-ports.js';
import { exitCodeFor } from '../../src/gate/gate.js';
import type { PrefixList } from '../../src/snapshot/schema.js';
import { all, cluster, instance, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { reportOf } from '../report/fixture.js';

/** A three-tier estate where `src` is admitted next to the compliant rules, at every tier and on a plain group. */
function estate(src: string, prefixLists: PrefixList[] = []) {
  return snapshot(
    region({
      groups: [
        sg('sg-alb', { tier: 'lb', ingress: [tcp(443, '0.0.0.0/0')] }),
        sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb'), tcp(443, src)] }),
        sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-web'), tcp(22, src)] }),
        sg('sg-db', { tier: 'data', ingress: [tcp(3306, 'sg-app'), tcp(3306, src)] }),
        sg('sg-misc', { ingress: [all(src), tcp(3389, src)], egress: [all(src)] }),
      ],
      lbs: [lb('alb', ['sg-alb'])],
      clusters: [cluster('orders', ['sg-db'], { tier: 'data' })],
      instances: [
        instance('orders-1', ['sg-db'], {
          engine: 'aurora-mysql',
          port: 3306,
          clusterId: 'orders',
          publiclyAccessible: true,
          tier: 'data',
        }),
      ],
      prefixLists,
    }),
  );
}

const WORLD_LIST: PrefixList = {
  id: 'pl-0world',
  name: 'partners',
  entries: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }],
};
const UNKNOWN_LIST: PrefixList = { id: 'pl-0unknown', name: 'partners' };

describe('prefix lists are the CIDRs they hold, for every rule (issue #10)', () => {
  // Every shipped rule, opt-in ones included.
  const tuplesOf = (snap: ReturnType<typeof estate>) =>
    reportOf(snap, { rules: allRules })
      .report.findings.map((f) => [f.status, f.ruleId, f.messageId, f.resource.id].join(' '))
      .sort();

  it('a list holding 0.0.0.0/0 gets exactly the verdicts of 0.0.0.0/0 itself, in every rule', () => {
    const literal = tuplesOf(estate('0.0.0.0/0'));
    const list = tuplesOf(estate('pl-0world', [WORLD_LIST]));
    expect(list).toEqual(literal);
    // The estate does exercise the world checks.
    for (const id of [
      'world-open-admin-ports',
      'world-open-all-traffic',
      'world-open-egress',
      'rds-public-world-open',
      'web-tier-sg',
      'data-tier-sg',
      'aurora-sg',
    ]) {
      expect(list.some((t) => t.startsWith(`fail ${id} `))).toBe(true);
    }
  });

  it('a list whose entries were not collected never passes where 0.0.0.0/0 fails', () => {
    const literal = reportOf(estate('0.0.0.0/0'), { rules: allRules }).report.findings;
    const unknown = reportOf(estate('pl-0unknown', [UNKNOWN_LIST]), { rules: allRules }).report.findings;
    const verdict = new Map(unknown.map((f) => [`${f.ruleId} ${f.resource.id}`, f.status]));
    const passedInstead = literal
      .filter((f) => f.status === 'fail' && verdict.get(`${f.ruleId} ${f.resource.id}`) === 'pass')
      .map((f) => `${f.ruleId} ${f.resource.id}`);
    expect(passedInstead).toEqual([]);
    // The world-open rules say "unknown" rather than "closed".
    const errors = unknown.filter((f) => f.status === 'error').map((f) => `${f.ruleId} ${f.resource.id}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'world-open-admin-ports sg-app',
        'world-open-all-traffic sg-misc',
        'rds-public-world-open orders-1',
      ]),
    );
  });

  describe('exit code', () => {
    const oneGroup = (prefixLists: PrefixList[]) =>
      snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, 'pl-1')] })], prefixLists }));
    const exit = (prefixLists: PrefixList[]) =>
      exitCodeFor(reportOf(oneGroup(prefixLists), { rules: [worldOpenAdminPorts] }).report);

    it('1 when the list holds 0.0.0.0/0, 0 when it holds private ranges', () => {
      expect(exit([{ id: 'pl-1', entries: [{ cidr: '0.0.0.0/0' }] }])).toBe(1);
      expect(exit([{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }] }])).toBe(0);
    });

    it('3 (incomplete), never 0 "all clear", when its entries were not collected', () => {
      expect(exit([{ id: 'pl-1' }])).toBe(3);
      expect(exit([])).toBe(3);
      const { report } = reportOf(oneGroup([{ id: 'pl-1' }]), { rules: [worldOpenAdminPorts] });
      expect(report.summary).toMatchObject({ pass: 0, fail: 0, error: 1, incomplete: true });
    });
  });
});
