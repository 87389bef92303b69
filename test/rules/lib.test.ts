import { describe, expect, it } from 'vitest';
import {
  arg,
  awsCommand,
  encryptedCopyCommands,
  ipPermissions,
  listGroupsCommand,
  noPublicAccessCommand,
  permissionsArg,
  revokeCommands,
  shellQuote,
  type Arg,
} from '../../rules/lib/aws-cli.js';
import { tierTagArg } from '../../rules/lib/tier.js';
import { finishRemediation, NO_COMMAND } from '../../src/engine/remediation.js';
import { publicLoadBalancerGroups } from '../../rules/lib/exposure.js';
import { formatPorts, rangeWithin } from '../../rules/lib/ports.js';
import { partitionOf, sgRef } from '../../rules/lib/resources.js';
import {
  graphOf,
  groupNode,
  lb,
  OTHER_ACCOUNT,
  proto,
  region,
  settingsWithTiers,
  sg,
  snapshot,
  tcp,
} from '../helpers/estate.js';

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

  it("shellQuote: bare only for inert characters, else POSIX single quotes with quote as '\\''", () => {
    expect(shellQuote('sg-123')).toBe('sg-123');
    expect(shellQuote('Key=Tier,Value=web')).toBe('Key=Tier,Value=web');
    expect(shellQuote('arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/a/0123456789abcdef')).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/a/0123456789abcdef',
    );
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('[{"a":1}]')).toBe(`'[{"a":1}]'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('<new-sg-id>')).toBe("'<new-sg-id>'");
    expect(shellQuote('=ls')).toBe("'=ls'");
    expect(shellQuote('~root')).toBe("'~root'");
    expect(shellQuote('$(id)')).toBe("'$(id)'");
    expect(shellQuote('a\nb')).toBe("'a\nb'");
  });

  it('ids are checked against their AWS format; a bad one gives the reason, never the value', () => {
    const valid: Array<[keyof typeof arg, string]> = [
      ['region', 'us-east-1'],
      ['region', 'us-gov-west-1'],
      ['region', 'cn-north-1'],
      ['account', '123456789012'],
      ['group', 'sg-0123456789abcdef0'],
      ['group', 'sg-12345678'],
      ['group', '<new-sg-id>'],
      ['vpc', 'vpc-0123456789abcdef0'],
      ['networkInterface', 'eni-0123456789abcdef0'],
      ['prefixList', 'pl-63a5400a'],
      ['dbInstance', 'orders-db-1'],
      ['dbCluster', 'a'],
      ['engine', 'aurora-postgresql'],
      [
        'loadBalancerArn',
        'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/net/my-nlb/0123456789abcdef',
      ],
      ['cidr', '10.0.0.0/8'],
      ['cidr', '2001:db8::/32'],
      ['cidr', '::ffff:0.0.0.0/96'],
    ];
    for (const [kind, value] of valid)
      expect([kind, value, (arg[kind] as (v: string) => Arg)(value)]).toEqual([kind, value, { text: value }]);
    const invalid: Array<[keyof typeof arg, string]> = [
      ['region', 'eu-west-1; touch /tmp/PWNED #'],
      ['region', 'unknown'],
      ['account', '12345678901'],
      ['account', '123456789012 '],
      ['group', "sg-1'; touch PWNED #"],
      ['group', 'sg-$(id)'],
      ['group', 'sg-1\nid'],
      ['group', '--dry-run'],
      ['group', 'SG-12345678'],
      ['group', '<new sg>'],
      ['vpc', 'sg-12345678'],
      ['networkInterface', 'eni-0A'],
      ['prefixList', 'pl-1 pl-2'],
      ['dbInstance', '1db'],
      ['dbInstance', 'db--1'],
      ['dbInstance', 'db-'],
      ['dbInstance', `d${'b'.repeat(63)}`],
      ['dbCluster', "orders'"],
      ['engine', 'postgres`id`'],
      ['loadBalancerArn', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x;id/0123456789abcdef'],
      ['loadBalancerArn', 'arn:aws:elasticloadbalancing:us-east-1;id:123456789012:loadbalancer/app/x/0123456789abcdef'],
      ['cidr', '10.0.0.0/33'],
      ['cidr', '10.0.0.0'],
      ['cidr', '0.0.0.0/0;id'],
    ];
    for (const [kind, value] of invalid) {
      const a = (arg[kind] as (v: string) => Arg)(value);
      expect([kind, value, a.text, typeof a.problem]).toEqual([kind, value, '', 'string']);
      expect(a.problem).not.toContain(value);
    }
    expect(arg.region('unknown').problem).toBe(
      'the snapshot does not record the region (raw describe-security-groups input: pass --region)',
    );
    expect(arg.port(65536).problem).toBeDefined();
    expect(arg.port(1.5).problem).toBeDefined();
    expect(arg.port(-1)).toEqual({ text: '-1' });
    expect(arg.text('a\0b').problem).toBeDefined();
    // The AWS CLI would read these as "load the value from a file / URL".
    expect(arg.text('file:///etc/passwd').problem).toBeDefined();
    expect(arg.text('https://example.com/x').problem).toBeDefined();
  });

  it('awsCommand: code-literal flags, every value quoted, a bad value turns the command into its reason', () => {
    expect(
      awsCommand('ec2', 'describe-x', {
        '--a': arg.text("it's"),
        '--b': [arg.group('sg-1'), arg.group('<new-sg-id>')],
        '--c': true,
        '--d': undefined,
      }),
    ).toBe(`aws ec2 describe-x --a 'it'\\''s' --b sg-1 '<new-sg-id>' --c`);
    expect(
      awsCommand('ec2', 'delete-security-group', {
        '--region': arg.region('us-east-1'),
        '--group-id': arg.group('sg-1;id'),
      }),
    ).toBe('# No command: the security group id is not an AWS security group id (sg-…).');
    expect(() => awsCommand('ec2', 'x; id', {})).toThrow(/bad service\/operation/);
    expect(() => awsCommand('ec2', 'x', { '--a b': true })).toThrow(/bad flag/);
  });

  it('--ip-permissions JSON: every protocol, port, CIDR, prefix list, group and account in it is checked', () => {
    const tcp22 = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22 };
    expect(permissionsArg([{ ...tcp22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }])).toEqual({
      text: '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]',
    });
    expect(permissionsArg([{ IpProtocol: '50' }]).problem).toBeUndefined();
    for (const bad of [
      { IpProtocol: "tcp'" },
      { IpProtocol: '256' },
      { ...tcp22, FromPort: 70000 },
      { ...tcp22, IpRanges: [{ CidrIp: '0.0.0.0/0 x' }] },
      { ...tcp22, Ipv6Ranges: [{ CidrIpv6: '::/129' }] },
      { ...tcp22, PrefixListIds: [{ PrefixListId: 'pl-$(id)' }] },
      { ...tcp22, PrefixListIds: [{ PrefixListId: '<pl>' }] },
      { ...tcp22, UserIdGroupPairs: [{ GroupId: 'sg-1`id`' }] },
      { ...tcp22, UserIdGroupPairs: [{ GroupId: 'sg-1', UserId: '1234' }] },
    ]) {
      expect([bad, permissionsArg([bad]).problem === undefined]).toEqual([bad, false]);
    }
  });

  it('a finding whose fix sequence has one refused command keeps only the reasons', () => {
    expect(finishRemediation(undefined)).toEqual([]);
    const ok = ['aws ec2 a', 'aws ec2 b'];
    expect(finishRemediation(ok)).toBe(ok);
    expect(
      finishRemediation(['aws ec2 a', `${NO_COMMAND}x.`, 'aws ec2 b', `${NO_COMMAND}y.`, `${NO_COMMAND}x.`]),
    ).toEqual([`${NO_COMMAND}x.`, `${NO_COMMAND}y.`]);
  });

  it('RDS encrypted copies: derived names are checked too (a restored instance id may not pass 63 characters)', () => {
    const id = `d${'b'.repeat(55)}`;
    const cmds = encryptedCopyCommands({
      region: 'us-east-1',
      kind: 'db-instance',
      id,
      engine: 'postgres',
      groupIds: ['sg-1'],
    });
    expect(cmds.slice(0, 2).every((c) => c.startsWith('aws rds '))).toBe(true);
    expect(cmds[2]).toBe(
      '# No command: the DB instance identifier is not an RDS identifier (a letter, then letters, digits and single hyphens).',
    );
  });

  it('tier tags: AWS CLI shorthand when plain, JSON when the key or value holds shorthand syntax', () => {
    const tags = (key: string, value?: string) =>
      tierTagArg(settingsWithTiers({ web: [value === undefined ? { key } : { key, value }] }), 'web').text;
    expect(tags('Tier', 'web')).toBe('Key=Tier,Value=web');
    expect(tags('DataTier')).toBe('Key=DataTier');
    expect(tags('Tier', 'a,b=c')).toBe('[{"Key":"Tier","Value":"a,b=c"}]');
    expect(tags("it's", 'x y')).toBe(`[{"Key":"it's","Value":"x y"}]`);
  });

  it('listGroupsCommand and noPublicAccessCommand check their region and id', () => {
    expect(listGroupsCommand('us-west-2')).toBe(
      `aws ec2 describe-security-groups --region us-west-2 --query 'SecurityGroups[].[GroupId,GroupName,VpcId]' --output table`,
    );
    expect(listGroupsCommand('x;id')).toBe('# No command: the region is not an AWS region name.');
    expect(noPublicAccessCommand('us-east-1', 'db-cluster', 'maz')).toBe(
      'aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier maz --no-publicly-accessible --apply-immediately',
    );
    expect(noPublicAccessCommand('us-east-1', 'db-instance', 'pg;id')).toMatch(
      /^# No command: the DB instance identifier/,
    );
  });

  it('ipPermissions rebuilds the raw permission: protocol spelling, missing ports, cross-account pairs', () => {
    const g = groupNode('sg-1', {
      groups: [
        sg('sg-1', {
          ingress: [
            proto('6', 22, 22, '0.0.0.0/0', `${OTHER_ACCOUNT}/sg-9`, 'pl-1', '10.0.0.0/8'),
            proto('50', undefined, undefined, '::/0'),
          ],
        }),
      ],
    });
    // Entries come per source: IPv4, IPv6, prefix lists, groups; then the next permission.
    const [a, priv, pl, pair, esp] = g.ingress;
    expect([a, priv, pl, pair, esp].map((e) => e.source.kind)).toEqual(['cidr', 'cidr', 'prefixList', 'group', 'cidr']);
    expect(ipPermissions([pair, a, pl])).toEqual([
      {
        IpProtocol: '6',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        PrefixListIds: [{ PrefixListId: 'pl-1' }],
        UserIdGroupPairs: [{ GroupId: 'sg-9', UserId: OTHER_ACCOUNT }],
      },
    ]);
    expect(ipPermissions([esp])).toEqual([{ IpProtocol: '50', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }]);
    expect(revokeCommands([esp, a])).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"6","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"50","Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
    ]);
  });

  it('a revocation is built once per entry and reused', () => {
    const g = groupNode('sg-1', { groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })] });
    const [first] = revokeCommands([g.ingress[0]]);
    expect(first).toBe(
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    );
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
    expect(sgRef(g)).toEqual({
      type: 'security-group',
      id: 'sg-1',
      name: '1',
      arn: 'arn:aws-cn:ec2:cn-north-1:111111111111:security-group/sg-1',
    });
  });
});
