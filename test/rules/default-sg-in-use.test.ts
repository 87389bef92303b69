import { describe, expect, it } from 'vitest';
import { defaultSgInUse as rule } from '../../rules/default-sg-in-use.js';
import { cluster, eni, instance, lb, region, sg, snapshot } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'default-sg-in-use';
const t = ruleTester(rule);
const def = sg('sg-def', { name: 'default', egress: [] });

describe(ID, () => {
  it('an unused default group passes and says what was checked; other groups are not evaluated', () => {
    const snap = snapshot(region({ groups: [def, sg('sg-app')], enis: [eni('eni-1', ['sg-app'])] }));
    t.assert({ snapshot: snap, passes: [{ messageId: 'unused', resource: 'sg-def' }], findings: [] });
    expect(t.finding(snap, 'sg-def').message).toBe(
      'Default security group sg-def of vpc-1 is not used by any resource (checked: network interfaces, load balancers, DB clusters, DB instances).',
    );
  });

  t.run(
    t.each(
      [
        ['a network interface', { enis: [eni('eni-1', ['sg-def'])] }],
        ['a load balancer', { lbs: [lb('alb', ['sg-def'])] }],
        ['a DB cluster', { clusters: [cluster('aurora', ['sg-def'])] }],
        ['a DB instance', { instances: [instance('pg', ['sg-def'])] }],
      ],
      (_name, parts) => ({
        name: `used by ${_name} fails`,
        snapshot: snapshot(region({ groups: [def], ...parts })),
        passes: [],
        findings: [{ messageId: 'inUse', resource: 'sg-def' }],
      }),
    ),
  );

  it('without network interfaces usage is undecided unless another attachment is known', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [def], collected: ['securityGroups', 'loadBalancers'] })),
      passes: [],
      findings: [],
    });
    t.assert({
      snapshot: snapshot(
        region({ groups: [def], lbs: [lb('alb', ['sg-def'])], collected: ['securityGroups', 'loadBalancers'] }),
      ),
      passes: [],
      findings: [{ messageId: 'inUse', resource: 'sg-def' }],
    });
  });

  it('remediation swaps the default group for a new one and keeps the other groups', () => {
    const snap = snapshot(
      region({
        groups: [def, sg('sg-app'), sg('sg-db')],
        enis: [
          eni('eni-1', ['sg-def', 'sg-app'], { attachment: { instanceId: 'i-1' } }),
          eni('eni-elb', ['sg-def'], { requesterManaged: true }),
        ],
        lbs: [lb('alb', ['sg-def'])],
        instances: [instance('pg', ['sg-def', 'sg-db'])],
      }),
    );
    const f = t.finding(snap, 'sg-def');
    expect(f.data).toMatchObject({
      count: 4,
      resources: 'network-interface eni-1, network-interface eni-elb, load-balancer alb, db-instance pg',
    });
    expect(f.related.map((r) => r.id)).toEqual(['eni-1', 'alb', 'pg']); // the ELB's own ENI is named through the LB;
    expect(f.remediation).toEqual([
      `aws ec2 create-security-group --region us-east-1 --vpc-id vpc-1 --group-name '<name>' --description 'Replaces the default security group'`,
      `aws ec2 modify-network-interface-attribute --region us-east-1 --network-interface-id eni-1 --groups sg-app '<new-sg-id>'`,
      `aws elbv2 set-security-groups --region us-east-1 --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/alb/0123456789abcdef --security-groups '<new-sg-id>'`,
      `aws rds modify-db-instance --region us-east-1 --db-instance-identifier pg --vpc-security-group-ids sg-db '<new-sg-id>' --apply-immediately`,
    ]);
  });
});
