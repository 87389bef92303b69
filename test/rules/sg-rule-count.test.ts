import { describe, expect, it } from 'vitest';
import { sgRuleCount as rule } from '../../rules/sg-rule-count.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'sg-rule-count';
const t = ruleTester(rule);
/** A group with `n` inbound rules (one per /32 source, in one permission) plus the default egress rule. */
const withRules = (id: string, n: number) =>
  sg(id, { ingress: [tcp(443, ...Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}/32`))] });

describe(ID, () => {
  it('counts one rule per source, inbound plus outbound: 50 passes, 51 fails', () => {
    const snap = snapshot(region({ groups: [withRules('sg-50', 49), withRules('sg-51', 50)] }));
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'ok', resource: 'sg-50' }],
      findings: [{ messageId: 'tooMany', resource: 'sg-51' }],
    });
    const f = t.finding(snap, 'sg-51');
    expect(f.message).toBe('Security group sg-51 (51) has 51 rules (50 inbound, 1 outbound), more than 50.');
    expect(f.severity).toBe('low');
    expect(f.remediation).toEqual([
      'aws ec2 describe-security-group-rules --region us-east-1 --filters Name=group-id,Values=sg-51',
    ]);
  });

  it('options.maxRules', () => {
    const snap = snapshot(region({ groups: [withRules('sg-a', 2), withRules('sg-b', 1)] }));
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { maxRules: 2 }),
      passes: [{ messageId: 'ok', resource: 'sg-b' }],
      findings: [{ messageId: 'tooMany', resource: 'sg-a' }],
    });
  });
});
