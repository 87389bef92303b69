import { describe, expect, it } from 'vitest';
import { worldOpenIcmp as rule } from '../../rules/world-open-icmp.js';
import { all, icmp, proto, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'world-open-icmp';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['all ICMP from 0.0.0.0/0', [icmp('0.0.0.0/0')]],
        ['echo request (type 8)', [proto('icmp', 8, -1, '0.0.0.0/0')]],
        ['protocol number 1, all types', [proto('1', -1, -1, '0.0.0.0/0')]],
        ['all ICMPv6 from ::/0', [proto('icmpv6', -1, -1, '::/0')]],
        ['ICMPv6 echo (type 128)', [proto('58', 128, -1, '::/0')]],
        ['protocol -1 includes ICMP', [all('0.0.0.0/0')]],
      ],
      (_name, ingress) => ({
        name: `${_name} fails`,
        snapshot: oneGroup(ingress),
        passes: [],
        findings: [{ messageId: 'open', resource: 'sg-1' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['destination unreachable / fragmentation needed (type 3 code 4)', [proto('icmp', 3, 4, '0.0.0.0/0')]],
        ['ICMPv6 packet too big (type 2)', [proto('icmpv6', 2, -1, '::/0')]],
        ['ICMP from a private range', [icmp('10.0.0.0/8')]],
        ['ICMP from a group', [icmp('sg-2')]],
        ['tcp from the world is not ICMP', [tcp(22, '0.0.0.0/0')]],
      ],
      (_name, ingress) => ({
        name: `${_name} passes`,
        snapshot: oneGroup(ingress),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('one finding per group for ICMP and ICMPv6', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1', { ingress: [icmp('0.0.0.0/0'), proto('icmpv6', -1, -1, '::/0')] })] }),
    );
    // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
    exposureUnknown(snap);
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.severity).toBe('low');
    expect(f.data).toMatchObject({ ports: 'icmp, icmpv6', sources: '0.0.0.0/0, ::/0' });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"icmp","FromPort":-1,"ToPort":-1,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"icmpv6","FromPort":-1,"ToPort":-1,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
    ]);
  });

  it('options: allowed types', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [proto('icmp', 8, -1, '0.0.0.0/0')] })] }));
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { allowedIcmpTypes: [3, 8] }),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
    const v6 = snapshot(region({ groups: [sg('sg-1', { ingress: [proto('icmpv6', 2, -1, '::/0')] })] }));
    t.assert({
      snapshot: v6,
      settings: withOptions(ID, { allowedIcmpv6Types: [] }),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
  });
});
