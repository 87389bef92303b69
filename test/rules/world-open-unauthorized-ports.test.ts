import { describe, expect, it } from 'vitest';
import { worldOpenUnauthorizedPorts as rule } from '../../rules/world-open-unauthorized-ports.js';
import { all, icmp, lb, proto, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'world-open-unauthorized-ports';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['tcp 8443', [tcp(8443, '0.0.0.0/0')]],
        ['tcp 80-443 (range beyond the authorized ports)', [tcp([80, 443], '0.0.0.0/0')]],
        ['tcp 22 from ::/0', [tcp(22, '::/0')]],
        ['udp 53', [udp(53, '0.0.0.0/0')]],
        ['udp 443 (authorized ports are tcp)', [udp(443, '0.0.0.0/0')]],
        ['all traffic', [all('::/0')]],
        ['GRE (protocol 47)', [proto('47', undefined, undefined, '0.0.0.0/0')]],
      ],
      (_name, ingress) => ({
        name: `${_name} from the world fails`,
        snapshot: oneGroup(ingress),
        passes: [],
        findings: [{ messageId: 'open', resource: 'sg-1' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['tcp 80 and 443 from both families', [tcp(80, '0.0.0.0/0', '::/0'), tcp(443, '0.0.0.0/0', '::/0')]],
        ['ICMP is left to world-open-icmp', [icmp('0.0.0.0/0')]],
        ['any port from a private range', [tcp(8443, '10.0.0.0/8'), all('172.16.0.0/12')]],
        ['any port from a public /32 (not unrestricted)', [tcp(22, '203.0.113.9/32')]],
        ['any port from a group', [all('sg-2')]],
      ],
      (_name, ingress) => ({
        name: `${_name} passes`,
        snapshot: oneGroup(ingress),
        passes: [{ messageId: 'authorized', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('reports once per group listing every unauthorized rule', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-1', { ingress: [tcp(443, '0.0.0.0/0'), tcp(8443, '0.0.0.0/0', '::/0'), udp(53, '0.0.0.0/0')] }),
        ],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.data).toMatchObject({ ports: 'tcp 8443, udp 53', sources: '0.0.0.0/0, ::/0', authorized: 'tcp 80, 443' });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":8443,"ToPort":8443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}],"Ipv6Ranges":[{"CidrIpv6":"::/0"}]},{"IpProtocol":"udp","FromPort":53,"ToPort":53,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('options: authorized tcp and udp ports', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(8443, '0.0.0.0/0'), udp(53, '::/0')] })] }));
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { authorizedTcpPorts: [8443], authorizedUdpPorts: [53] }),
      passes: [{ messageId: 'authorized', resource: 'sg-1' }],
      findings: [],
    });
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { authorizedTcpPorts: [8443] }),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
  });

  describe('internet-facing load balancers (Prowler #386/#2107/#5172)', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-alb', { ingress: [tcp(80, '0.0.0.0/0', '::/0'), tcp(443, '0.0.0.0/0', '::/0')] }),
          sg('sg-tagged', { tier: 'lb', ingress: [tcp(80, '0.0.0.0/0')] }),
          sg('sg-internal', { ingress: [tcp(80, '0.0.0.0/0')] }),
          sg('sg-web', { ingress: [tcp(80, '0.0.0.0/0')] }),
        ],
        lbs: [lb('alb', ['sg-alb']), lb('internal', ['sg-internal'], { scheme: 'internal' })],
      }),
    );

    it('with authorized ports narrowed to 443, load-balancer groups may still open 80', () => {
      t.assert({
        snapshot: snap,
        settings: withOptions(ID, { authorizedTcpPorts: [443] }),
        passes: [
          { messageId: 'authorized', resource: 'sg-alb' },
          { messageId: 'authorized', resource: 'sg-tagged' },
        ],
        findings: [
          { messageId: 'open', resource: 'sg-internal' },
          { messageId: 'open', resource: 'sg-web' },
        ],
      });
    });

    it('loadBalancerPorts [] removes the exemption', () => {
      t.assert({
        snapshot: snap,
        settings: withOptions(ID, { authorizedTcpPorts: [443], loadBalancerPorts: [] }),
        passes: [],
        findings: [
          { messageId: 'open', resource: 'sg-alb' },
          { messageId: 'open', resource: 'sg-internal' },
          { messageId: 'open', resource: 'sg-tagged' },
          { messageId: 'open', resource: 'sg-web' },
        ],
      });
    });

    it('the exemption never covers other ports', () => {
      const s = snapshot(
        region({ groups: [sg('sg-alb', { ingress: [tcp(8080, '0.0.0.0/0')] })], lbs: [lb('alb', ['sg-alb'])] }),
      );
      t.assert({ snapshot: s, passes: [], findings: [{ messageId: 'open', resource: 'sg-alb' }] });
    });
  });
});
