import { describe, expect, it } from 'vitest';
import { worldOpenAllTraffic as rule } from '../../rules/world-open-all-traffic.js';
import { all, icmp, lb, proto, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { oneGroup, ruleTester } from '../helpers/rule-tester.js';

const ID = 'world-open-all-traffic';
const t = ruleTester(rule);

describe(ID, () => {
  t.run(
    t.each(
      [
        ['protocol -1 from 0.0.0.0/0', [all('0.0.0.0/0')]],
        ['protocol -1 from ::/0', [all('::/0')]],
        ['tcp 0-65535', [tcp([0, 65535], '0.0.0.0/0')]],
        ['tcp 1-65535', [tcp([1, 65535], '::/0')]],
        ['udp 0-65535', [udp([0, 65535], '0.0.0.0/0')]],
        ['tcp without ports', [proto('tcp', undefined, undefined, '0.0.0.0/0')]],
        ['protocol number 17, all ports', [proto('17', 0, 65535, '0.0.0.0/0')]],
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
        ['tcp 1-65534', [tcp([1, 65534], '0.0.0.0/0')]],
        ['tcp 2-65535', [tcp([2, 65535], '0.0.0.0/0')]],
        ['all ICMP', [icmp('0.0.0.0/0')]],
        ['all traffic from a private range', [all('10.0.0.0/8')]],
        ['all traffic from itself', [all('sg-1')]],
        ['all traffic from a group in another account', [all('222222222222/sg-9')]],
        ['all traffic from a public /16', [all('198.51.0.0/16')]],
      ],
      (_name, ingress) => ({
        name: `${_name} passes`,
        snapshot: oneGroup(ingress),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('a prefix list holding 0.0.0.0/0 is the world (issue #10); one of private ranges is not', () => {
    t.assert({
      snapshot: oneGroup([all('pl-1')], [{ id: 'pl-1', entries: [{ cidr: '0.0.0.0/0' }] }]),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
    t.assert({
      snapshot: oneGroup([all('pl-1')], [{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }] }]),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('all traffic from a prefix list whose entries were not collected is unknown, not closed', () => {
    t.assert({
      snapshot: oneGroup([all('pl-1')], [{ id: 'pl-1' }]),
      passes: [],
      findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
    });
    // tcp 443 from it could never be "all traffic": closed whatever the list holds.
    t.assert({
      snapshot: oneGroup([tcp(443, 'pl-1')], [{ id: 'pl-1' }]),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('the default allow-all egress is not ingress', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1')] })),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('load-balancer groups get no exemption', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-alb', { ingress: [all('0.0.0.0/0')] })], lbs: [lb('alb', ['sg-alb'])] }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-alb' }] });
  });

  it('aggregates permissions and address families into one finding and one command', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1', { ingress: [all('0.0.0.0/0'), tcp([0, 65535], '::/0'), tcp(22, '0.0.0.0/0')] })] }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    const f = t.finding(snap, 'sg-1');
    expect(f.data).toMatchObject({ ports: 'all traffic, tcp 0-65535', sources: '0.0.0.0/0, ::/0' });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
    ]);
  });
});
