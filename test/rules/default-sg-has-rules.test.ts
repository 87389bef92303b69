import { describe, expect, it } from 'vitest';
import { defaultSgHasRules as rule } from '../../rules/default-sg-has-rules.js';
import { all, eni, instance, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'default-sg-has-rules';
const t = ruleTester(rule);
/** The default group as AWS creates it: all traffic from itself, all traffic out. */
const stock = (
  id = 'sg-def',
  vpcId = 'vpc-1',
  extra: { ingress?: ReturnType<typeof all>[]; egress?: ReturnType<typeof all>[] } = {},
) =>
  sg(id, { name: 'default', vpcId, ingress: extra.ingress ?? [all(id)], egress: extra.egress ?? [all('0.0.0.0/0')] });

describe(ID, () => {
  it('a default group without rules passes; non-default groups are not evaluated', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-def', { name: 'default', egress: [] }), sg('sg-app', { ingress: [tcp(22, '0.0.0.0/0')] })],
      }),
    );
    t.assert({ snapshot: snap, passes: [{ messageId: 'restricted', resource: 'sg-def' }], findings: [] });
  });

  it('out-of-the-box rules in a VPC that is in use fail at low severity', () => {
    const snap = snapshot(region({ groups: [stock(), sg('sg-app')], enis: [eni('eni-1', ['sg-app'])] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'defaultRules', resource: 'sg-def' }] });
    const f = t.finding(snap, 'sg-def');
    expect(f.severity).toBe('low');
    expect(f.message).toBe(
      'Default security group sg-def of vpc-1 still has the rules AWS created (inbound all traffic from sg-def; outbound all traffic to 0.0.0.0/0) while the VPC is in use.',
    );
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-def --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-def"}]}]'`,
      `aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-def --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('all traffic out to a prefix list holding 0.0.0.0/0 is a custom rule, not the one AWS created (issue #10)', () => {
    const snap = snapshot(
      region({
        groups: [stock('sg-def', 'vpc-1', { egress: [all('pl-1')] })],
        prefixLists: [{ id: 'pl-1', name: 'everything', entries: [{ cidr: '0.0.0.0/0' }] }],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'customRules', resource: 'sg-def' }] });
    expect(t.finding(snap, 'sg-def').message).toBe(
      'Default security group sg-def of vpc-1 has rules beyond AWS defaults: outbound all traffic to pl-1 (everything; holds 0.0.0.0/0).',
    );
  });

  it('out-of-the-box rules (IPv4 and IPv6 egress) in an idle VPC pass: no noise from unused regions (Prowler #4132)', () => {
    const snap = snapshot(
      region({ groups: [stock('sg-def-a'), sg('sg-app')], enis: [eni('eni-1', ['sg-app'])] }),
      region({ region: 'ap-south-2', groups: [stock('sg-def-b', 'vpc-2', { egress: [all('0.0.0.0/0', '::/0')] })] }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'unusedVpc', resource: 'sg-def-b' }],
      findings: [{ messageId: 'defaultRules', resource: 'sg-def-a' }],
    });
  });

  it('usage is per VPC: an idle default VPC next to a busy custom VPC passes', () => {
    const snap = snapshot(
      region({
        groups: [stock('sg-def-1', 'vpc-1'), stock('sg-def-2', 'vpc-2'), sg('sg-app', { vpcId: 'vpc-2' })],
        enis: [eni('eni-1', ['sg-app'], { vpcId: 'vpc-2' })],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'unusedVpc', resource: 'sg-def-1' }],
      findings: [{ messageId: 'defaultRules', resource: 'sg-def-2' }],
    });
  });

  it('load balancers and databases put a VPC in use too', () => {
    const withLb = snapshot(
      region({ groups: [stock(), sg('sg-alb')], enis: [], lbs: [lb('alb', ['sg-alb'], { vpcId: 'vpc-1' })] }),
    );
    t.assert({ snapshot: withLb, passes: [], findings: [{ messageId: 'defaultRules', resource: 'sg-def' }] });
    const withDb = snapshot(region({ groups: [stock(), sg('sg-db')], instances: [instance('pg', ['sg-db'])] }));
    t.assert({ snapshot: withDb, passes: [], findings: [{ messageId: 'defaultRules', resource: 'sg-def' }] });
  });

  it('when network interfaces were not collected, usage is unknown: out-of-the-box rules fail at low severity', () => {
    const snap = snapshot(region({ groups: [stock()], collected: ['securityGroups'] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'defaultRules', resource: 'sg-def' }] });
    expect(t.finding(snap, 'sg-def').data).toMatchObject({
      usage: 'VPC usage is unknown (network interfaces not collected)',
    });
  });

  it('a default group without a VPC id cannot be shown idle: fails at low severity', () => {
    const g = stock();
    delete g.vpcId;
    const snap = snapshot(region({ groups: [g] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'defaultRules', resource: 'sg-def' }] });
    expect(t.finding(snap, 'sg-def').data).toMatchObject({ usage: 'its VPC is unknown', vpc: 'its VPC' });
  });

  it.each([
    ['an extra inbound rule', { ingress: [all('sg-def'), tcp(22, '10.0.0.0/8')] }],
    ['inbound all traffic from another group', { ingress: [all('sg-other')] }],
    ['inbound from the world', { ingress: [all('0.0.0.0/0')] }],
    ['a narrowed egress rule', { egress: [tcp(443, '0.0.0.0/0')] }],
    ['egress to a private range', { egress: [all('10.0.0.0/8')] }],
  ])('%s fails at medium severity even in an idle VPC', (_name, extra) => {
    const snap = snapshot(region({ groups: [stock('sg-def', 'vpc-1', extra)] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'customRules', resource: 'sg-def' }] });
    expect(t.finding(snap, 'sg-def').severity).toBe('medium');
  });

  it('custom rules are named, and every rule is revoked', () => {
    const snap = snapshot(
      region({ groups: [stock('sg-def', 'vpc-1', { ingress: [all('sg-def'), tcp(22, '0.0.0.0/0')] })] }),
    );
    const f = t.finding(snap, 'sg-def');
    expect(f.data).toMatchObject({ rules: 'inbound tcp 22 from 0.0.0.0/0' });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-def --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-def"}]},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
      `aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-def --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('options.reportUnusedVpcs reports out-of-the-box rules in idle VPCs too', () => {
    const snap = snapshot(region({ groups: [stock()] }));
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { reportUnusedVpcs: true }),
      passes: [],
      findings: [{ messageId: 'defaultRules', resource: 'sg-def' }],
    });
    expect(t.finding(snap, 'sg-def', withOptions(ID, { reportUnusedVpcs: true })).data).toMatchObject({
      usage: 'the VPC is idle',
    });
  });
});
