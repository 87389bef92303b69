import { describe, expect, it } from 'vitest';
import { sgCountPerRegion as rule } from '../../rules/sg-count-per-region.js';
import { runRules, region, sg, snapshot } from '../helpers/estate.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'sg-count-per-region';
const t = ruleTester(rule);
const groups = (n: number, prefix = 'sg-') => Array.from({ length: n }, (_, i) => sg(`${prefix}${i}`));

describe(ID, () => {
  it('per account-region: 50 passes, 51 is large (info), 101 is excessive (low)', () => {
    const snap = snapshot(
      region({ region: 'us-east-1', groups: groups(50, 'sg-a') }),
      region({ region: 'us-east-2', groups: groups(51, 'sg-b') }),
      region({ region: 'us-west-2', groups: groups(101, 'sg-c') }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'ok', resource: '111111111111/us-east-1' }],
      findings: [
        { messageId: 'excessive', resource: '111111111111/us-west-2' },
        { messageId: 'large', resource: '111111111111/us-east-2' },
      ],
    });
    const sev = Object.fromEntries(runRules([rule], snap).map((f) => [f.region, f.severity]));
    expect(sev).toEqual({ 'us-east-1': 'low', 'us-east-2': 'info', 'us-west-2': 'low' });
    const excessive = runRules([rule], snap).find((f) => f.region === 'us-west-2')!;
    expect(excessive.message).toBe(
      'Account 111111111111 region us-west-2 has 101 security groups, more than 100 (excessive).',
    );
    expect(excessive.remediation).toEqual([
      `aws ec2 describe-security-groups --region us-west-2 --query 'SecurityGroups[].[GroupId,GroupName,VpcId]' --output table`,
    ]);
  });

  it('options: thresholds', () => {
    const snap = snapshot(region({ groups: groups(3) }));
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { warnAbove: 1, failAbove: 2 }),
      passes: [],
      findings: [{ messageId: 'excessive', resource: '111111111111/us-east-1' }],
    });
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { warnAbove: 2, failAbove: 5 }),
      passes: [],
      findings: [{ messageId: 'large', resource: '111111111111/us-east-1' }],
    });
    expect(() => rule.options!.parse({ warnAbove: 10, failAbove: 5 })).toThrow(/warnAbove/);
  });

  it('an empty region passes', () => {
    t.assert({
      snapshot: snapshot(region()),
      passes: [{ messageId: 'ok', resource: '111111111111/us-east-1' }],
      findings: [],
    });
  });
});
