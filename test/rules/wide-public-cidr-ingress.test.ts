import { describe, expect, it } from 'vitest';
import { widePublicCidrIngress as rule } from '../../rules/wide-public-cidr-ingress.js';
import { all, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'wide-public-cidr-ingress';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['IPv4 /1', '128.0.0.0/1'],
        ['IPv4 /8', '52.0.0.0/8'],
        ['IPv4 /16', '198.51.0.0/16'],
        ['IPv4 /23', '203.0.112.0/23'],
        ['IPv6 /24', '2600:1f00::/24'],
        ['IPv6 /47', '2600:1f18:4000::/47'],
      ],
      (_name, cidr) => ({
        name: `${_name} fails`,
        snapshot: oneGroup([tcp(443, cidr)]),
        passes: [],
        findings: [{ messageId: 'wide', resource: 'sg-1' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['0.0.0.0/0 (the world-open rules report it)', '0.0.0.0/0'],
        ['::/0', '::/0'],
        ['IPv4 /24', '203.0.113.0/24'],
        ['IPv4 /32', '203.0.113.7/32'],
        ['IPv6 /48', '2600:1f18:4000::/48'],
        ['RFC 1918 10/8', '10.0.0.0/8'],
        ['RFC 1918 172.16/12', '172.16.0.0/12'],
        ['RFC 1918 192.168/16', '192.168.0.0/16'],
        ['RFC 6598 100.64/10', '100.64.0.0/10'],
        ['IPv6 ULA fc00::/7', 'fc00::/7'],
      ],
      (_name, cidr) => ({
        name: `${_name} passes`,
        snapshot: oneGroup([tcp(443, cidr)]),
        passes: [{ messageId: 'narrow', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('group references are never public', () => {
    t.assert({
      snapshot: oneGroup([all('sg-1'), tcp(443, '222222222222/sg-9')]),
      passes: [{ messageId: 'narrow', resource: 'sg-1' }],
      findings: [],
    });
  });

  describe('prefix lists count through their resolved entries', () => {
    it('wide public entries fail', () => {
      t.assert({
        snapshot: oneGroup(
          [tcp(443, 'pl-1')],
          [{ id: 'pl-1', name: 'partners', entries: [{ cidr: '198.51.0.0/16' }, { cidr: '203.0.113.7/32' }] }],
        ),
        passes: [],
        findings: [{ messageId: 'wide', resource: 'sg-1' }],
      });
    });

    it('private entries pass', () => {
      t.assert({
        snapshot: oneGroup(
          [tcp(443, 'pl-1')],
          [{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }, { cidr: 'fd00::/8' }] }],
        ),
        passes: [{ messageId: 'narrow', resource: 'sg-1' }],
        findings: [],
      });
    });

    it('0.0.0.0/0 in a prefix list is the world, left to the world-open rules as the literal range is (issue #10)', () => {
      t.assert({
        snapshot: oneGroup([tcp(22, 'pl-1')], [{ id: 'pl-1', name: 'oops', entries: [{ cidr: '0.0.0.0/0' }] }]),
        passes: [{ messageId: 'narrow', resource: 'sg-1' }],
        findings: [],
      });
      // Its other entries still count.
      const snap = snapshot(
        region({
          groups: [sg('sg-1', { ingress: [tcp(22, 'pl-1')] })],
          prefixLists: [{ id: 'pl-1', name: 'oops', entries: [{ cidr: '0.0.0.0/0' }, { cidr: '52.0.0.0/8' }] }],
        }),
      );
      // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
      exposureUnknown(snap);
      t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'wide', resource: 'sg-1' }] });
      const f = t.finding(snap, 'sg-1');
      expect(f.severity).toBe('medium');
      expect(f.data).toMatchObject({ sources: 'tcp 22 from pl-1 (oops; holds 0.0.0.0/0): 52.0.0.0/8' });
      expect(f.remediation).toEqual([
        'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-1',
        `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"PrefixListIds":[{"PrefixListId":"pl-1"}]}]'`,
      ]);
    });

    it('entries that were not collected leave the verdict unknown: an error finding, not a pass', () => {
      t.assert({
        snapshot: oneGroup([tcp(443, 'pl-1')], [{ id: 'pl-1', name: 'unknown' }]),
        passes: [],
        findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
      });
      t.assert({
        snapshot: oneGroup([tcp(443, 'pl-404')]),
        passes: [],
        findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
      });
      const f = t.finding(snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(443, 'pl-404')] })] })), 'sg-1');
      expect(f.message).toBe(
        'Security group sg-1 (1) admits tcp 443 from pl-404; the entries of pl-404 were not collected, so whether it admits traffic from wide public ranges is unknown.',
      );
    });

    it('a known wide source still fails next to an unresolved list', () => {
      t.assert({
        snapshot: oneGroup([tcp(443, 'pl-404', '198.51.0.0/16')]),
        passes: [],
        findings: [{ messageId: 'wide', resource: 'sg-1' }],
      });
    });

    it('AWS-managed prefix lists are trusted unless options.trustAwsManagedPrefixLists is false (Prowler #6780/#4936)', () => {
      const pls = [
        {
          id: 'pl-3b927c52',
          name: 'com.amazonaws.global.cloudfront.origin-facing',
          ownerId: 'AWS',
          entries: [{ cidr: '120.52.22.96/27' }, { cidr: '205.251.192.0/19' }],
        },
      ];
      const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(443, 'pl-3b927c52')] })], prefixLists: pls }));
      t.assert({ snapshot: snap, passes: [{ messageId: 'narrow', resource: 'sg-1' }], findings: [] });
      t.assert({
        snapshot: snap,
        settings: withOptions(ID, { trustAwsManagedPrefixLists: false }),
        passes: [],
        findings: [{ messageId: 'wide', resource: 'sg-1' }],
      });
    });
  });

  it('reports once per group across permissions and families', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-1', {
            ingress: [tcp(22, '198.51.0.0/16', '2600:1f00::/24'), tcp(443, '52.0.0.0/8', '203.0.113.7/32')],
          }),
        ],
      }),
    );
    // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
    exposureUnknown(snap);
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'wide', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.severity).toBe('medium');
    expect(f.data).toMatchObject({
      sources: 'tcp 22 from 198.51.0.0/16; tcp 22 from 2600:1f00::/24; tcp 443 from 52.0.0.0/8',
    });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.0.0/16"}],"Ipv6Ranges":[{"CidrIpv6":"2600:1f00::/24"}]},{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"52.0.0.0/8"}]}]'`,
    ]);
  });

  it('internet-facing load-balancer groups may admit wide ranges on their ports only', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-alb', { ingress: [tcp(443, '198.51.0.0/16')] }),
          sg('sg-alb2', { ingress: [tcp(22, '198.51.0.0/16')] }),
        ],
        lbs: [lb('alb', ['sg-alb', 'sg-alb2'])],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'narrow', resource: 'sg-alb' }],
      findings: [{ messageId: 'wide', resource: 'sg-alb2' }],
    });
  });

  it('options: prefix thresholds', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-16', { ingress: [tcp(443, '198.51.0.0/16')] }),
          sg('sg-15', { ingress: [tcp(443, '198.50.0.0/15')] }),
          sg('sg-v6', { ingress: [tcp(443, '2600:1f18:4000::/56')] }),
        ],
      }),
    );
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ipv4MinPrefix: 16, ipv6MinPrefix: 64 }),
      passes: [{ messageId: 'narrow', resource: 'sg-16' }],
      findings: [
        { messageId: 'wide', resource: 'sg-15' },
        { messageId: 'wide', resource: 'sg-v6' },
      ],
    });
  });
});
