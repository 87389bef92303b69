import { describe, expect, it } from 'vitest';
import { publicAddressIngress as rule } from '../../rules/public-address-ingress.js';
import { all, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'public-address-ingress';
const t = ruleTester(rule);

describe(ID, () => {
  it('is low severity', () => {
    expect(rule.meta.severity).toBe('low');
  });

  t.run(
    t.each(
      [
        ['a single IPv4 address', '203.0.113.7/32'],
        ['an IPv4 /24', '203.0.113.0/24'],
        ['a single IPv6 address', '2600:1f18:4000::1/128'],
        ['an IPv6 /48', '2600:1f18:4000::/48'],
      ],
      (_name, cidr) => ({
        name: `${_name} fails`,
        snapshot: oneGroup([tcp(22, cidr)]),
        passes: [],
        findings: [{ messageId: 'addresses', resource: 'sg-1' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['a wide IPv4 /23 (wide-public-cidr-ingress)', '203.0.112.0/23'],
        ['a wide IPv6 /32', '2600:1f18::/32'],
        ['0.0.0.0/0', '0.0.0.0/0'],
        ['::/0', '::/0'],
        ['a private address', '10.1.2.3/32'],
        ['a CGNAT address', '100.64.1.1/32'],
        ['a ULA address', 'fd12:3456::1/128'],
      ],
      (_name, cidr) => ({
        name: `${_name} passes`,
        snapshot: oneGroup([tcp(22, cidr)]),
        passes: [{ messageId: 'none', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('self references and groups in other accounts are not addresses', () => {
    t.assert({
      snapshot: oneGroup([all('sg-1'), tcp(22, '222222222222/sg-9')]),
      passes: [{ messageId: 'none', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('one finding per group; prefix lists are reviewed, literal addresses revoked', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1', { ingress: [tcp(22, '203.0.113.7/32', '198.51.100.9/32'), tcp(443, 'pl-1')] })],
        prefixLists: [{ id: 'pl-1', name: 'office', entries: [{ cidr: '192.0.2.10/32' }, { cidr: '10.0.0.0/8' }] }],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'addresses', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.data).toMatchObject({
      sources: 'tcp 22 from 203.0.113.7/32; tcp 22 from 198.51.100.9/32; tcp 443 from pl-1 (office): 192.0.2.10/32',
    });
    expect(f.remediation).toEqual([
      'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-1',
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"203.0.113.7/32"},{"CidrIp":"198.51.100.9/32"}]}]'`,
    ]);
  });

  it('a prefix list whose entries were not collected leaves the verdict unknown: an error finding, not a pass', () => {
    t.assert({
      snapshot: oneGroup([tcp(443, 'pl-404')]),
      passes: [],
      findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
    });
    const f = t.finding(snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(443, 'pl-404')] })] })), 'sg-1');
    expect(f.message).toBe(
      'Security group sg-1 (1) admits tcp 443 from pl-404; the entries of pl-404 were not collected, so whether it admits traffic from specific public addresses is unknown.',
    );
    expect(f.remediation).toEqual([
      'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-404',
    ]);
  });

  it('a prefix list holding public addresses is public; one of private ranges is not (issue #10)', () => {
    t.assert({
      snapshot: oneGroup(
        [tcp(443, 'pl-1')],
        [{ id: 'pl-1', name: 'office', entries: [{ cidr: '10.0.0.0/8' }, { cidr: '198.51.100.7/32' }] }],
      ),
      passes: [],
      findings: [{ messageId: 'addresses', resource: 'sg-1' }],
    });
    t.assert({
      snapshot: oneGroup([tcp(443, 'pl-1')], [{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }, { cidr: 'fd00::/8' }] }]),
      passes: [{ messageId: 'none', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('internet-facing load-balancer groups are exempt on their ports', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-alb', { ingress: [tcp(443, '203.0.113.7/32')] }),
          sg('sg-web', { ingress: [tcp(443, '203.0.113.7/32')] }),
        ],
        lbs: [lb('alb', ['sg-alb'])],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'none', resource: 'sg-alb' }],
      findings: [{ messageId: 'addresses', resource: 'sg-web' }],
    });
  });

  it('options: thresholds move the boundary with wide ranges', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, '203.0.113.0/24')] })] })),
      settings: withOptions(ID, { ipv4MinPrefix: 28 }),
      passes: [{ messageId: 'none', resource: 'sg-1' }],
      findings: [],
    });
  });
});
