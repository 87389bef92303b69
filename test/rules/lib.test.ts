import { describe, expect, it } from 'vitest';
import { ipPermissions, revokeCommands, shellQuote } from '../../rules/lib/aws-cli.js';
import { publicLoadBalancerGroups } from '../../rules/lib/exposure.js';
import { formatPorts, rangeWithin } from '../../rules/lib/ports.js';
import { partitionOf, sgRef } from '../../rules/lib/resources.js';
import { graphOf, groupNode, lb, OTHER_ACCOUNT, proto, region, sg, snapshot, tcp } from '../helpers/estate.js';

describe('rules/lib', () => {
  it('formatPorts sorts, de-duplicates and collapses runs', () => {
    expect(formatPorts([27019, 22, 27017, 27018, 22, 3389, 3390, 80])).toBe('22, 80, 3389-3390, 27017-27019');
    expect(formatPorts([])).toBe('');
  });

  it('rangeWithin', () => {
    expect(rangeWithin(80, 80, [80, 443])).toBe(true);
    expect(rangeWithin(80, 443, [80, 443])).toBe(false);
    expect(rangeWithin(0, 65535, [80])).toBe(false);
    expect(rangeWithin(443, 444, [443, 444])).toBe(true);
  });

  it('shellQuote', () => {
    expect(shellQuote('sg-123')).toBe('sg-123');
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('[{"a":1}]')).toBe(`'[{"a":1}]'`);
  });

  it('ipPermissions rebuilds the raw permission: protocol spelling, missing ports, cross-account pairs', () => {
    const g = groupNode('sg-1', {
      groups: [sg('sg-1', { ingress: [proto('6', 22, 22, '0.0.0.0/0', `${OTHER_ACCOUNT}/sg-9`, 'pl-1', '10.0.0.0/8'), proto('50', undefined, undefined, '::/0')] })],
    });
    // Entries come per source: IPv4, IPv6, prefix lists, groups; then the next permission.
    const [a, priv, pl, pair, esp] = g.ingress;
    expect([a, priv, pl, pair, esp].map((e) => e.source.kind)).toEqual(['cidr', 'cidr', 'prefixList', 'group', 'cidr']);
    expect(ipPermissions([pair, a, pl])).toEqual([
      { IpProtocol: '6', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], PrefixListIds: [{ PrefixListId: 'pl-1' }], UserIdGroupPairs: [{ GroupId: 'sg-9', UserId: OTHER_ACCOUNT }] },
    ]);
    expect(ipPermissions([esp])).toEqual([{ IpProtocol: '50', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }]);
    expect(revokeCommands([esp, a])).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"6","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"50","Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
    ]);
  });

  it('a revocation is built once per entry and reused', () => {
    const g = groupNode('sg-1', { groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })] });
    const [first] = revokeCommands([g.ingress[0]]);
    expect(first).toBe(`aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`);
    expect(revokeCommands([g.ingress[0]])[0]).toBe(first);
    expect(revokeCommands([])).toEqual([]);
  });

  it('load-balancer groups: internet-facing ELBv2 or lb tier tag, not internal', () => {
    const graph = graphOf(
      snapshot(
        region({
          groups: [sg('sg-pub'), sg('sg-int'), sg('sg-tag', { tier: 'lb' }), sg('sg-none')],
          lbs: [lb('pub', ['sg-pub']), lb('int', ['sg-int'], { scheme: 'internal' })],
        }),
      ),
    );
    expect([...publicLoadBalancerGroups(graph)].sort()).toEqual(['sg-pub', 'sg-tag']);
  });

  it('ARNs use the partition of the region', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('eu-west-1')).toBe('aws');
    const g = groupNode('sg-1', { region: 'cn-north-1', groups: [sg('sg-1', { ingress: [tcp(22, '10.0.0.0/8')] })] });
    expect(sgRef(g)).toEqual({ type: 'security-group', id: 'sg-1', name: '1', arn: 'arn:aws-cn:ec2:cn-north-1:111111111111:security-group/sg-1' });
  });
});
