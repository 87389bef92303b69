import { describe, expect, it } from 'vitest';
import { launchWizardSg as rule } from '../../rules/launch-wizard-sg.js';
import { eni, region, sg, snapshot } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'launch-wizard-sg';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['launch-wizard-1', 'fail', 'launchWizard'],
        ['launch-wizard-42', 'fail', 'launchWizard'],
        ['launch-wizard', 'pass', 'named'],
        ['my-launch-wizard-1', 'pass', 'named'],
        ['launch-wizard-1-copy', 'pass', 'named'],
        ['web', 'pass', 'named'],
      ],
      (name, status, messageId) => ({
        name: `${name} → ${status}`,
        snapshot: snapshot(region({ groups: [sg('sg-1', { name })] })),
        ...t.verdict(status, messageId, 'sg-1'),
      }),
    ),
  );

  it('suggests deleting an unused launch-wizard group, reviewing one in use', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1', { name: 'launch-wizard-1' }), sg('sg-2', { name: 'launch-wizard-2' })],
        enis: [eni('eni-1', ['sg-2'])],
      }),
    );
    expect(t.finding(snap, 'sg-1').remediation).toEqual([
      'aws ec2 delete-security-group --region us-east-1 --group-id sg-1',
    ]);
    expect(t.finding(snap, 'sg-1').data).toMatchObject({ usage: 'not used: safe to delete' });
    expect(t.finding(snap, 'sg-2').remediation).toEqual([
      'aws ec2 describe-security-group-rules --region us-east-1 --filters Name=group-id,Values=sg-2',
    ]);
    expect(t.finding(snap, 'sg-2').message).toBe(
      'Security group sg-2 was created by the EC2 launch wizard (attached to 1 resource(s)).',
    );
  });

  it('never suggests deletion when usage is unknown', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { name: 'launch-wizard-1' })], collected: ['securityGroups'] }));
    expect(t.finding(snap, 'sg-1').remediation).toEqual([
      'aws ec2 describe-security-group-rules --region us-east-1 --filters Name=group-id,Values=sg-1',
    ]);
  });
});
