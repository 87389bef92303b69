/**
 * Issue #10 item 14: AWS's own default egress (protocol -1 to 0.0.0.0/0, and ::/0 in IPv6 VPCs; Amazon VPC
 * User Guide, "Security group rules" and "Default security groups for your VPCs") never fails a build by
 * default, in any rule. Property: for every rule enabled by default, giving every group exactly AWS's default
 * egress fails nothing that the same estate with no egress at all does not fail.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/types.js';
import type { Permission, Snapshot } from '../../src/snapshot/schema.js';
import { allRules } from '../../rules/index.js';
import { auroraSg } from '../../rules/aurora-sg.js';
import { defaultSgHasRules } from '../../rules/default-sg-has-rules.js';
import { all, cluster, eni, lb, region, runRules, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';

const AWS_DEFAULT_EGRESS: Permission[] = [all('0.0.0.0/0', '::/0')];
// The tier-paths rules (issue #13) read egress as an input of reachability, not as a finding: with no egress at all
// nothing opens a connection to anything (tier-skip and blast-radius find no path, tier-chain-broken finds every
// link broken), so "no egress" is no baseline for them; what they report is the ingress that admits a path.
const byDefault: Rule[] = allRules.filter((r) => r.meta.defaultEnabled !== false && r.meta.category !== 'tier-paths');

function withEgress(snap: Snapshot, egress: Permission[]): Snapshot {
  const copy = structuredClone(snap);
  for (const r of copy.regions) for (const g of r.securityGroups) g.egress = structuredClone(egress);
  return copy;
}

/** Failing findings as `rule messageId resource`, sorted. */
function failing(snap: Snapshot): string[] {
  return runRules(byDefault, snap)
    .filter((f) => f.status === 'fail')
    .map((f) => `${f.ruleId} ${f.messageId} ${f.accountId}/${f.region}/${f.resource.id}`)
    .sort();
}

describe("AWS's default egress never fails by default (any rule)", () => {
  it('demo estate: every group with the default egress fails exactly what it fails with no egress', () => {
    const demo = JSON.parse(readFileSync('fixtures/demo/estate.json', 'utf8')) as Snapshot;
    const none = failing(withEgress(demo, []));
    expect(none.length).toBeGreaterThan(0);
    expect(failing(withEgress(demo, AWS_DEFAULT_EGRESS))).toEqual(none);
  });

  // A correctly built three-tier estate: an Aurora cluster on 3306 reachable only from the app tier, a
  // default group with its inbound revoked, an internet-facing load balancer in front in a VPC that is in use. Every group keeps AWS's default egress.
  const wellBuilt = snapshot(
    region({
      groups: [
        sg('sg-lb', { tier: 'lb', ingress: [tcp(443, '0.0.0.0/0')], egress: AWS_DEFAULT_EGRESS }),
        sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-lb')], egress: AWS_DEFAULT_EGRESS }),
        sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-web')], egress: AWS_DEFAULT_EGRESS }),
        sg('sg-db', { tier: 'data', ingress: [tcp(3306, 'sg-app')], egress: AWS_DEFAULT_EGRESS }),
        sg('sg-def', { name: 'default', egress: AWS_DEFAULT_EGRESS }),
      ],
      enis: [eni('eni-web', ['sg-web']), eni('eni-app', ['sg-app'])],
      lbs: [lb('shop', ['sg-lb'], { tier: 'lb' })],
      clusters: [cluster('orders', ['sg-db'], { tier: 'data' })],
    }),
  );

  it('aurora-sg passes a data-tier group with the default egress (was unrestrictedEgress, low)', () => {
    ruleTester(auroraSg).assert({
      snapshot: wellBuilt,
      passes: [{ messageId: 'compliant', resource: 'sg-db' }],
      findings: [],
    });
  });

  it('aurora-sg still reports it with options.checkEgress: true (the CIS Aurora text asks for outbound review)', () => {
    ruleTester(auroraSg).assert({
      snapshot: wellBuilt,
      settings: withOptions('aurora-sg', { checkEgress: true }),
      passes: [],
      findings: [{ messageId: 'unrestrictedEgress', resource: 'sg-db' }],
    });
  });

  it('default-sg-has-rules passes a default group left with only the default egress, in a VPC in use', () => {
    ruleTester(defaultSgHasRules).assert({
      snapshot: wellBuilt,
      passes: [{ messageId: 'defaultEgressOnly', resource: 'sg-def' }],
      findings: [],
    });
  });

  it('default-sg-has-rules reports it with options.reportDefaultEgress: true (CIS 5.4)', () => {
    ruleTester(defaultSgHasRules).assert({
      snapshot: wellBuilt,
      settings: withOptions('default-sg-has-rules', { reportDefaultEgress: true }),
      passes: [],
      findings: [{ messageId: 'defaultRules', resource: 'sg-def' }],
    });
  });

  it('default-sg-has-rules: the default self-reference inbound rule still fails (egress is not the reason)', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-def', { name: 'default', ingress: [all('sg-def')], egress: AWS_DEFAULT_EGRESS })],
        enis: [eni('eni-1', ['sg-def'])],
      }),
    );
    ruleTester(defaultSgHasRules).assert({
      snapshot: snap,
      passes: [],
      findings: [{ messageId: 'defaultRules', resource: 'sg-def' }],
    });
  });

  it('no rule enabled by default fails anything in the well-built estate', () => {
    expect(failing(wellBuilt)).toEqual([]);
  });
});
