import { describe, expect, it } from 'vitest';
import { worldOpenEgress as rule } from '../../rules/world-open-egress.js';
import { all, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'world-open-egress';
const t = ruleTester(rule);
const withEgress = (egress: ReturnType<typeof tcp>[]) => snapshot(region({ groups: [sg('sg-1', { egress })] }));

describe(ID, () => {
  it('is opt-in and low severity: AWS adds allow-all egress to every group', () => {
    expect(rule.meta.defaultEnabled).toBe(false);
    expect(rule.meta.severity).toBe('low');
  });

  t.run(
    t.each(
      [
        ['the default egress (all to 0.0.0.0/0)', [all('0.0.0.0/0')]],
        ['all to ::/0', [all('::/0')]],
        ['tcp 0-65535 to the world', [tcp([0, 65535], '0.0.0.0/0')]],
        ['udp 1-65535 to ::/0', [udp([1, 65535], '::/0')]],
      ],
      (_name, egress) => ({
        name: `${_name} fails`,
        snapshot: withEgress(egress),
        passes: [],
        findings: [{ messageId: 'open', resource: 'sg-1' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['no egress', []],
        ['tcp 443 to the world', [tcp(443, '0.0.0.0/0', '::/0')]],
        ['all traffic to the VPC', [all('10.0.0.0/16')]],
        ['all traffic to a group', [all('sg-2')]],
      ],
      (_name, egress) => ({
        name: `${_name} passes`,
        snapshot: withEgress(egress),
        passes: [{ messageId: 'restricted', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  describe('prefix lists are the CIDRs they hold (issue #10)', () => {
    const withList = (entries: { cidr: string }[] | undefined, name?: string) =>
      snapshot(
        region({
          groups: [sg('sg-1', { egress: [all('pl-1')] })],
          prefixLists: [{ id: 'pl-1', ...(name ? { name } : {}), ...(entries ? { entries } : {}) }],
        }),
      );

    it('all traffic to a list holding 0.0.0.0/0 fails', () => {
      t.assert({
        snapshot: withList([{ cidr: '0.0.0.0/0' }]),
        passes: [],
        findings: [{ messageId: 'open', resource: 'sg-1' }],
      });
    });

    it('all traffic to a list of private ranges passes', () => {
      t.assert({
        snapshot: withList([{ cidr: '10.0.0.0/8' }]),
        passes: [{ messageId: 'restricted', resource: 'sg-1' }],
        findings: [],
      });
    });

    it('all traffic to a list whose entries were not collected is unknown', () => {
      t.assert({
        snapshot: withList(undefined),
        passes: [],
        findings: [{ status: 'error', messageId: 'unknown', resource: 'sg-1' }],
      });
      const f = t.finding(snapshot(region({ groups: [sg('sg-1', { egress: [all('pl-1')] })] })), 'sg-1');
      expect(f.message).toBe(
        'Security group sg-1 (1) allows all traffic to pl-1; the entries of pl-1 were not collected, so whether it allows all outbound traffic to the internet is unknown.',
      );
    });

    it('an AWS-managed list (e.g. the S3 gateway endpoint) is never the world', () => {
      t.assert({
        snapshot: withList(undefined, 'com.amazonaws.us-east-1.s3'),
        passes: [{ messageId: 'restricted', resource: 'sg-1' }],
        findings: [],
      });
    });
  });

  it('ingress from the world is not egress', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [all('0.0.0.0/0')], egress: [] })] })),
      passes: [{ messageId: 'restricted', resource: 'sg-1' }],
      findings: [],
    });
  });

  it('IPv4 and IPv6 allow-all egress are one finding with one revoke-security-group-egress command', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { egress: [all('0.0.0.0/0', '::/0')] })] }));
    const f = t.finding(snap, 'sg-1');
    expect(f.data).toMatchObject({ ports: 'all traffic', destinations: '0.0.0.0/0, ::/0' });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}],"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
    ]);
  });
});
