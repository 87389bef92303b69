import { describe, expect, it } from 'vitest';
import { unusedSg as rule } from '../../rules/unused-sg.js';
import { all, cluster, eni, instance, lb, OTHER_ACCOUNT, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'unused-sg';
const t = ruleTester(rule);

describe(ID, () => {
  it('a group attached to nothing and referenced by nobody fails, naming what was checked', () => {
    const snap = snapshot(region({ groups: [sg('sg-1')] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'unused', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.message).toBe(
      'Security group sg-1 (1) is attached to nothing and referenced by no other security group (checked: network interfaces, load balancers, DB clusters, DB instances, security group rules).',
    );
    expect(f.severity).toBe('low');
    expect(f.remediation).toEqual(['aws ec2 delete-security-group --region us-east-1 --group-id sg-1']);
  });

  t.run(
    t.each(
      [
        [
          'an EC2 instance interface',
          { enis: [eni('eni-1', ['sg-1'], { attachment: { instanceId: 'i-1', status: 'attached' } })] },
        ],
        [
          'a stopped instance (interface still there)',
          {
            enis: [eni('eni-1', ['sg-1'], { attachment: { instanceId: 'i-1', status: 'attached' }, status: 'in-use' })],
          },
        ],
        [
          'a Lambda function in a VPC (Prowler #2943)',
          { enis: [eni('eni-l', ['sg-1'], { interfaceType: 'lambda', requesterManaged: true })] },
        ],
        [
          'an ECS/Fargate task (Prowler #3009)',
          {
            enis: [
              eni('eni-t', ['sg-1'], {
                interfaceType: 'interface',
                description: 'arn:aws:ecs:us-east-1:111111111111:attachment/x',
                requesterManaged: true,
              }),
            ],
          },
        ],
        ['a load balancer', { lbs: [lb('alb', ['sg-1'])] }],
        ['a DB cluster', { clusters: [cluster('aurora', ['sg-1'])] }],
        ['a DB instance', { instances: [instance('pg', ['sg-1'])] }],
      ],
      (_name, parts) => ({
        name: `a group used by ${_name} passes`,
        snapshot: snapshot(region({ groups: [sg('sg-1')], ...parts })),
        passes: [{ messageId: 'inUse', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('a group referenced only by another group is in use (ScoutSuite #1443); the referencing group is not', () => {
    const snap = snapshot(region({ groups: [sg('sg-1'), sg('sg-2', { ingress: [tcp(5432, 'sg-1')] })] }));
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'inUse', resource: 'sg-1' }],
      findings: [{ messageId: 'unused', resource: 'sg-2' }],
    });
  });

  it('an egress reference keeps a group in use too', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1'), sg('sg-2', { egress: [tcp(5432, 'sg-1')] })], enis: [eni('eni-1', ['sg-2'])] }),
    );
    t.assert({
      snapshot: snap,
      passes: [
        { messageId: 'inUse', resource: 'sg-1' },
        { messageId: 'inUse', resource: 'sg-2' },
      ],
      findings: [],
    });
  });

  it('a reference to itself does not keep a group in use', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [all('sg-1')] })] })),
      passes: [],
      findings: [{ messageId: 'unused', resource: 'sg-1' }],
    });
  });

  it('a reference from a group in another scanned account keeps a group in use', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1')] }),
      region({
        accountId: OTHER_ACCOUNT,
        groups: [sg('sg-peer', { ingress: [tcp(443, '111111111111/sg-1')] })],
        enis: [eni('eni-9', ['sg-peer'])],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [
        { messageId: 'inUse', resource: 'sg-1' },
        { messageId: 'inUse', resource: 'sg-peer' },
      ],
      findings: [],
    });
  });

  it('default groups are left to default-sg-in-use', () => {
    t.assert({ snapshot: snapshot(region({ groups: [sg('sg-def', { name: 'default' })] })), passes: [], findings: [] });
  });

  it('without network interfaces usage is undecided: no finding rather than a false "unused"', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1'), sg('sg-2')],
        lbs: [lb('alb', ['sg-2'])],
        collected: ['securityGroups', 'loadBalancers', 'dbClusters', 'dbInstances'],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [] });
  });

  it('the message lists only the kinds that were collected', () => {
    const snap = snapshot(region({ groups: [sg('sg-1')], collected: ['securityGroups', 'networkInterfaces'] }));
    expect(t.finding(snap, 'sg-1').data).toMatchObject({ checked: 'network interfaces' });
  });
});
