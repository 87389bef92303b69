import { describe, expect, it } from 'vitest';
import { worldOpenAdminPorts as rule } from '../../rules/world-open-admin-ports.js';
import { all, lb, proto, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'world-open-admin-ports';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['tcp 22 from 0.0.0.0/0', [tcp(22, '0.0.0.0/0')], 'fail', 'open'],
        ['tcp 22 from ::/0 (IPv6 parity)', [tcp(22, '::/0')], 'fail', 'open'],
        ['tcp 3389 from 0.0.0.0/0', [tcp(3389, '0.0.0.0/0')], 'fail', 'open'],
        ['tcp 3389 from ::/0', [tcp(3389, '::/0')], 'fail', 'open'],
        ['tcp range 20-25 covers 22', [tcp([20, 25], '0.0.0.0/0')], 'fail', 'open'],
        ['protocol -1 covers 22', [all('0.0.0.0/0')], 'fail', 'open'],
        ['tcp 0-65535', [tcp([0, 65535], '::/0')], 'fail', 'open'],
        ['protocol number 6 is tcp', [proto('6', 22, 22, '0.0.0.0/0')], 'fail', 'open'],
        ['IPv4-mapped IPv6 world ::ffff:0.0.0.0/96', [tcp(22, '::ffff:0.0.0.0/96')], 'fail', 'open'],
        ['udp 22 does not open SSH', [udp(22, '0.0.0.0/0'), udp(3389, '::/0')], 'pass', 'closed'],
        ['tcp 23-3388 misses both ports', [tcp([23, 3388], '0.0.0.0/0')], 'pass', 'closed'],
        ['private source', [tcp(22, '10.0.0.0/8'), tcp(3389, 'fd00::/8')], 'pass', 'closed'],
        ['specific public address is not the world', [tcp(22, '203.0.113.7/32')], 'pass', 'closed'],
        ['self reference', [all('sg-1')], 'pass', 'closed'],
        ['group in another account', [tcp(22, '222222222222/sg-9')], 'pass', 'closed'],
        ['no ingress', [], 'pass', 'closed'],
      ],
      (_name, ingress, status, messageId) => ({
        name: _name,
        snapshot: oneGroup(ingress),
        ...t.verdict(status, messageId, 'sg-1'),
      }),
    ),
  );

  describe('prefix lists are the CIDRs they hold (issue #10)', () => {
    const PARTNERS = { id: 'pl-0abc', name: 'partners', entries: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }] };

    it('tcp 22 from a list holding 0.0.0.0/0 fails, names the list, and revokes the PrefixListId', () => {
      const snap = snapshot(
        region({ groups: [sg('sg-1', { ingress: [tcp(22, 'pl-0abc')] })], prefixLists: [PARTNERS] }),
      );
      // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
      exposureUnknown(snap);
      t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
      const f = t.finding(snap, 'sg-1');
      expect(f.message).toBe(
        'Security group sg-1 (1) admits administration port(s) tcp 22 from pl-0abc (partners; holds 0.0.0.0/0).',
      );
      expect(f.remediation).toEqual([
        `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"PrefixListIds":[{"PrefixListId":"pl-0abc"}]}]'`,
      ]);
    });

    t.run(
      t.each(
        [
          ['a list holding ::/0', [{ cidr: '2001:db8::/32' }, { cidr: '::/0' }], 'fail', 'open'],
          [
            'a list of private ranges',
            [{ cidr: '10.0.0.0/8' }, { cidr: '192.168.0.0/16' }, { cidr: 'fd00::/8' }],
            'pass',
            'closed',
          ],
          [
            'a list of public ranges is not the world',
            [{ cidr: '198.51.100.0/24' }, { cidr: '52.0.0.0/8' }],
            'pass',
            'closed',
          ],
          ['an empty list', [], 'pass', 'closed'],
        ],
        (_name, entries, status, messageId) => ({
          name: `tcp 3389 from ${_name}`,
          snapshot: oneGroup([tcp(3389, 'pl-1')], [{ id: 'pl-1', entries }]),
          ...t.verdict(status, messageId, 'sg-1'),
        }),
      ),
    );

    it('a list whose entries were not collected leaves the verdict unknown: an error finding, never "closed"', () => {
      const snap = snapshot(
        region({
          groups: [sg('sg-1', { ingress: [tcp(22, 'pl-0abc')] })],
          prefixLists: [{ id: 'pl-0abc', name: 'partners' }],
        }),
      );
      t.assert({ snapshot: snap, passes: [], findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }] });
      const f = t.finding(snap, 'sg-1');
      expect(f.message).toBe(
        'Security group sg-1 (1) admits tcp 22 from pl-0abc (partners); the entries of pl-0abc were not collected, so whether it admits the administration ports (tcp 22, 3389) from the internet is unknown.',
      );
      expect(f.remediation).toEqual([
        'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-0abc',
      ]);
      // A list referenced but absent from the snapshot is just as unknown.
      t.assert({
        snapshot: oneGroup([tcp(22, 'pl-404')]),
        passes: [],
        findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
      });
    });

    it('an unknown list matters only where it would open a checked port', () => {
      t.assert({
        snapshot: oneGroup([tcp(443, 'pl-404'), udp(22, 'pl-404')]),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      });
      t.assert({
        snapshot: oneGroup([all('pl-404')]),
        passes: [],
        findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
      });
    });

    it('a known world-open port fails even next to an unknown list', () => {
      t.assert({
        snapshot: oneGroup([tcp(22, '0.0.0.0/0'), tcp(3389, 'pl-404')]),
        passes: [],
        findings: [{ messageId: 'open', resource: 'sg-1' }],
      });
    });

    it('an AWS-managed list (AWS service ranges) is never the world, even without entries', () => {
      const pls = [{ id: 'pl-3b927c52', name: 'com.amazonaws.global.cloudfront.origin-facing', ownerId: 'AWS' }];
      t.assert({
        snapshot: oneGroup([tcp(22, 'pl-3b927c52')], pls),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      });
    });

    it('the load-balancer exemption applies to lists as to literal ranges', () => {
      const snap = snapshot(
        region({
          groups: [sg('sg-alb', { ingress: [tcp(443, 'pl-1')] })],
          lbs: [lb('alb', ['sg-alb'])],
          prefixLists: [{ id: 'pl-1', entries: [{ cidr: '0.0.0.0/0' }] }],
        }),
      );
      t.assert({
        snapshot: snap,
        settings: withOptions(ID, { ports: [443] }),
        passes: [{ messageId: 'closed', resource: 'sg-alb' }],
        findings: [],
      });
    });
  });

  it('world-open egress on 22 is not ingress', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1', { egress: [tcp(22, '0.0.0.0/0')] })] })),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('reports once per group, aggregating ports, sources and permissions into one revoke command', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-1', {
            ingress: [tcp(22, '0.0.0.0/0', '::/0', '10.0.0.0/8'), tcp(3389, '0.0.0.0/0'), udp(22, '0.0.0.0/0')],
          }),
        ],
      }),
    );
    // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
    exposureUnknown(snap);
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.severity).toBe('high');
    expect(f.data).toMatchObject({ ports: '22, 3389', sources: '0.0.0.0/0, ::/0' });
    expect(f.message).toBe('Security group sg-1 (1) admits administration port(s) tcp 22, 3389 from 0.0.0.0/0, ::/0.');
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}],"Ipv6Ranges":[{"CidrIpv6":"::/0"}]},{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('revokes an IPv4-mapped world CIDR with its original text', () => {
    const f = t.finding(
      snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, '::ffff:0.0.0.0/96')] })] })),
      'sg-1',
    );
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"Ipv6Ranges":[{"CidrIpv6":"::ffff:0.0.0.0/96"}]}]'`,
    ]);
  });

  it('evaluates every group of every region and records passes', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-a', { ingress: [tcp(22, '0.0.0.0/0')] }), sg('sg-b')] }),
      region({ region: 'eu-west-1', groups: [sg('sg-c', { ingress: [tcp(3389, '::/0')] })] }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'closed', resource: 'sg-b' }],
      findings: [
        { messageId: 'open', resource: 'sg-a' },
        { messageId: 'open', resource: 'sg-c' },
      ],
    });
    expect(t.finding(snap, 'sg-c').region).toBe('eu-west-1');
  });

  it('options.ports replaces the admin port list', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] }), sg('sg-2', { ingress: [tcp(2222, '0.0.0.0/0')] })],
      }),
    );
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ports: [2222] }),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [{ messageId: 'open', resource: 'sg-2' }],
    });
  });

  it('internet-facing load-balancer groups may open options.loadBalancerPorts even when listed in ports', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0'), tcp(22, '0.0.0.0/0')] }),
          sg('sg-web', { ingress: [tcp(443, '0.0.0.0/0')] }),
        ],
        lbs: [lb('alb', ['sg-alb'])],
      }),
    );
    const opts = { ports: [443] };
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, opts),
      passes: [{ messageId: 'closed', resource: 'sg-alb' }],
      findings: [{ messageId: 'open', resource: 'sg-web' }],
    });
    // SSH stays reportable on a load-balancer group.
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'closed', resource: 'sg-web' }],
      findings: [{ messageId: 'open', resource: 'sg-alb' }],
    });
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ...opts, loadBalancerPorts: [] }),
      passes: [],
      findings: [
        { messageId: 'open', resource: 'sg-alb' },
        { messageId: 'open', resource: 'sg-web' },
      ],
    });
  });

  it('rejects bad options', () => {
    expect(() => rule.options!.parse({ ports: [] })).toThrow();
    expect(() => rule.options!.parse({ ports: [70000] })).toThrow();
    expect(() => rule.options!.parse({ port: [22] })).toThrow();
    expect(rule.options!.parse({})).toEqual({ ports: [22, 3389], loadBalancerPorts: [80, 443] });
  });
});
