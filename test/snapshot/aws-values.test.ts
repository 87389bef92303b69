/**
 * AWS's value space on every input path (issue #10, items 7 and 8): protocols, ports, ICMP type/code,
 * accounts, regions, and the scope raw describe-security-groups input takes from SecurityGroupArn.
 * Protocol and port semantics: EC2 API reference, IpPermission
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
 */
import { describe, expect, it, test } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import { evaluateSnapshot, prepare } from '../../src/core/scan.js';
import { canonicalProtocol, isAccountId, isRegionName, parseSecurityGroupArn } from '../../src/snapshot/aws-values.js';
import { loadInputFile, parseInput, serializeSnapshot } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { ACCOUNT, proto, region, sg, snapshot } from '../helpers/estate.js';
import { RAW_DESCRIBE as RAW, usageMessage } from '../helpers/files.js';

/** A snapshot (as read from a file) whose fourth group's second ingress rule is `rule`. */
function snapshotWith(rule: Record<string, unknown>): unknown {
  const s = JSON.parse(
    serializeSnapshot(
      snapshot(
        region({
          groups: [
            sg('sg-0'),
            sg('sg-1'),
            sg('sg-2'),
            sg('sg-3', { ingress: [proto('tcp', 22, 22, '10.0.0.0/8'), proto('tcp', 443, 443, '0.0.0.0/0')] }),
          ],
        }),
      ),
    ),
  );
  Object.assign(s.regions[0].securityGroups[3].ingress[1], rule);
  return s;
}

const snapshotError = (rule: Record<string, unknown>) =>
  usageMessage(() => parseInput(snapshotWith(rule), 'snap.json'));
const rawError = (perm: Record<string, unknown>) =>
  usageMessage(() =>
    parseInput(
      {
        SecurityGroups: [
          {
            GroupId: 'sg-1',
            GroupName: 'a',
            OwnerId: ACCOUNT,
            IpPermissions: [{ IpRanges: [{ CidrIp: '0.0.0.0/0' }], ...perm }],
          },
        ],
      },
      'raw.json',
    ),
  );

describe('item 7: protocols and ports (EC2 API reference, IpPermission)', () => {
  const at = 'snap.json: regions[0].securityGroups[3].ingress[1]';
  test.each([
    [
      'tcp toPort 70000 (was reported as tcp 443-70000)',
      { toPort: 70000 },
      `${at}.toPort: expected an integer 0–65535 (got 70000)`,
    ],
    [
      'tcp fromPort -5 (was reported as tcp -5-443)',
      { fromPort: -5 },
      `${at}.fromPort: expected an integer 0–65535 (got -5)`,
    ],
    [
      'udp -1 (ports of tcp/udp are 0–65535)',
      { protocol: 'udp', fromPort: -1, toPort: -1 },
      `${at}.fromPort: expected an integer 0–65535 (got -1)`,
    ],
    [
      'a reversed range (was silently no exposure)',
      { fromPort: 443, toPort: 80 },
      `${at}.toPort: expected an integer 443–65535, not below fromPort (got 80)`,
    ],
    [
      'protocol "bogus" (was reported as "bogus type 22 code 22")',
      { protocol: 'bogus' },
      `${at}.protocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got "bogus")`,
    ],
    [
      'protocol number 256',
      { protocol: '256' },
      `${at}.protocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got "256")`,
    ],
    [
      'protocol " 6" with a space',
      { protocol: ' 6' },
      `${at}.protocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got " 6")`,
    ],
    [
      'ICMP type 256',
      { protocol: 'icmp', fromPort: 256, toPort: 0 },
      `${at}.fromPort: expected an ICMP type, an integer -1 (all types) to 255 (got 256)`,
    ],
    [
      'ICMPv6 code -2',
      { protocol: 'icmpv6', fromPort: 1, toPort: -2 },
      `${at}.toPort: expected an ICMP code, an integer -1 (all codes) to 255 (got -2)`,
    ],
    [
      'ICMP all types but one code ("if you specify all ICMP/ICMPv6 types, you must specify all codes")',
      { protocol: '1', fromPort: -1, toPort: 3 },
      `${at}.toPort: expected -1 (all codes) as fromPort is -1 (all types) (got 3)`,
    ],
    [
      'protocol -1 with port 70000',
      { protocol: '-1', fromPort: 0, toPort: 70000 },
      `${at}.toPort: expected an integer -1–65535 (got 70000)`,
    ],
  ])('rejects %s', (_name, rule, message) => {
    expect(snapshotError(rule)).toBe(message);
  });

  test.each([
    ['tcp 0-65535', { fromPort: 0, toPort: 65535 }],
    ['tcp without ports (every port)', { fromPort: undefined, toPort: undefined }],
    ['icmp type 255 code 255', { protocol: 'icmp', fromPort: 255, toPort: 255 }],
    ['icmp all types and codes', { protocol: 'icmp', fromPort: -1, toPort: -1 }],
    [
      'icmpv6 without ports ("if you omit the port range, traffic for all types and codes is allowed")',
      { protocol: 'icmpv6', fromPort: undefined, toPort: undefined },
    ],
    ['protocol 0 (HOPOPT)', { protocol: '0', fromPort: undefined, toPort: undefined }],
    ['protocol 255', { protocol: '255', fromPort: undefined, toPort: undefined }],
    ['protocol 47 with ports AWS ignores', { protocol: '47', fromPort: -1, toPort: -1 }],
  ])('accepts %s', (_name, rule) => {
    expect(() => parseInput(snapshotWith(rule), 'snap.json')).not.toThrow();
  });

  test.each([
    ['6', 'tcp'],
    ['17', 'udp'],
    ['1', 'icmp'],
    ['58', 'icmpv6'],
    ['006', 'tcp'],
    ['TCP', 'tcp'],
    ['IcmpV6', 'icmpv6'],
    ['50', '50'],
    ['050', '50'],
    ['-1', '-1'],
  ])('protocol %j is read as %j', (given, normalised) => {
    expect(canonicalProtocol(given)).toBe(normalised);
    const ports = ['1', '58', 'IcmpV6'].includes(given) ? { fromPort: 8, toPort: -1 } : {};
    const s = parseInput(snapshotWith({ protocol: given, ...ports }), 'snap.json');
    expect(s.regions[0].securityGroups[3].ingress[1].protocol).toBe(normalised);
  });

  it('raw aws-cli input is checked alike, with its own field names', () => {
    const at = 'raw.json: SecurityGroups[0].IpPermissions[0]';
    expect(rawError({ IpProtocol: 'tcp', FromPort: 443, ToPort: 70000 })).toBe(
      `${at}.ToPort: expected an integer 0–65535 (got 70000)`,
    );
    expect(rawError({ IpProtocol: 'tcp', FromPort: -5, ToPort: 443 })).toBe(
      `${at}.FromPort: expected an integer 0–65535 (got -5)`,
    );
    expect(rawError({ IpProtocol: 'tcp', FromPort: 443, ToPort: 80 })).toBe(
      `${at}.ToPort: expected an integer 443–65535, not below FromPort (got 80)`,
    );
    expect(rawError({ IpProtocol: 'bogus', FromPort: 22, ToPort: 22 })).toBe(
      `${at}.IpProtocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got "bogus")`,
    );
    expect(rawError({ IpProtocol: 'icmp', FromPort: 8, ToPort: 300 })).toBe(
      `${at}.ToPort: expected an ICMP code, an integer -1 (all codes) to 255 (got 300)`,
    );
    const s = parseInput(
      {
        SecurityGroups: [
          { GroupId: 'sg-1', GroupName: 'a', IpPermissions: [{ IpProtocol: '6', FromPort: 22, ToPort: 22 }] },
        ],
      },
      'raw.json',
    );
    expect(s.regions[0].securityGroups[0].ingress[0].protocol).toBe('tcp');
  });

  it('every rule treats "6" as tcp: the findings, fix commands included, are those of the same estate spelled tcp', () => {
    const estate = (p6: string, p17: string, p1: string) =>
      snapshot(
        region({
          groups: [
            sg('sg-1', {
              tier: 'data',
              ingress: [
                proto(p6, 22, 22, '0.0.0.0/0'),
                proto(p6, 3306, 3306, '0.0.0.0/0'),
                proto(p17, 53, 53, '0.0.0.0/0'),
                proto(p1, 8, -1, '0.0.0.0/0'),
              ],
            }),
          ],
        }),
      );
    const prepared = prepare(defaultRegistry(), { cwd: '/nonexistent' });
    const findings = (s: Snapshot) =>
      evaluateSnapshot(parseInput(JSON.parse(serializeSnapshot(s)), 'x.json'), prepared, {
        generatedAt: '2026-01-01T00:00:00Z',
      }).findings;
    const byName = findings(estate('tcp', 'udp', 'icmp'));
    expect(byName.filter((f) => f.status === 'fail').length).toBeGreaterThan(3);
    expect(findings(estate('6', '17', '1'))).toEqual(byName);
  });
});

describe('item 8: accounts and regions', () => {
  // Every region of the SDK's endpoint partitions (@aws-sdk/core partitions: aws, aws-cn, aws-us-gov,
  // aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc).
  const REGIONS = [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'cn-north-1',
    'cn-northwest-1',
    'eusc-de-east-1',
    'us-iso-east-1',
    'us-iso-west-1',
    'us-isob-east-1',
    'us-isob-west-1',
    'eu-isoe-west-1',
    'us-isof-east-1',
    'us-isof-south-1',
    'us-gov-east-1',
    'us-gov-west-1',
  ];
  it('every AWS region name is one', () => {
    expect(REGIONS.filter((r) => !isRegionName(r))).toEqual([]);
  });
  test.each([
    'unknown',
    'aws-global',
    'us-east-1a',
    'US-EAST-1',
    "eu-west-1'; touch /tmp/PWNED #",
    'eu-west-1 ',
    '$(id)-1',
  ])('%j is not a region name', (r) => {
    expect(isRegionName(r)).toBe(false);
  });
  it('account ids are 12 digits', () => {
    expect(isAccountId('012345678901')).toBe(true);
    for (const a of ['12345678901', '1234567890123', '12345678901a', ' 123456789012', 'unknown'])
      expect(isAccountId(a)).toBe(false);
  });

  it('--account and --region must be what AWS spells, for any input', () => {
    const raw = { SecurityGroups: [] };
    expect(usageMessage(() => parseInput(raw, 'raw.json', { accountId: '12345' }))).toBe(
      '--account: expected a 12-digit AWS account id (got "12345")',
    );
    expect(usageMessage(() => parseInput(raw, 'raw.json', { region: 'eu-west-1; touch /tmp/PWNED #' }))).toBe(
      '--region: expected an AWS region name such as us-east-1 or eu-west-1 (got "eu-west-1; touch /tmp/PWNED #")',
    );
    expect(usageMessage(() => parseInput(raw, 'raw.json', { region: 'unknown' }))).toMatch(
      /^--region: expected an AWS region name/,
    );
    expect(usageMessage(() => parseInput(snapshotWith({}), 'snap.json', { accountId: 'x' }))).toMatch(/^--account: /);
  });

  it('snapshot files: accounts are 12 digits or unknown, regions are region names or unknown', () => {
    const s = snapshotWith({}) as any;
    s.regions[0].region = 'eu-west-1; rm -rf ~';
    expect(usageMessage(() => parseInput(s, 'snap.json'))).toBe(
      `snap.json: regions[0].region: expected an AWS region name such as us-east-1 or eu-west-1, or 'unknown' (got "eu-west-1; rm -rf ~")`,
    );
    s.regions[0].region = 'unknown';
    s.regions[0].accountId = '1111';
    expect(usageMessage(() => parseInput(s, 'snap.json'))).toBe(
      `snap.json: regions[0].accountId: expected a 12-digit AWS account id or 'unknown' (got "1111")`,
    );
    s.regions[0].accountId = 'unknown';
    expect(parseInput(s, 'snap.json').regions[0]).toMatchObject({ accountId: 'unknown', region: 'unknown' });
    s.errors = [{ accountId: ACCOUNT, region: '$(id)', api: 'sts:AssumeRole', code: 'X', message: 'm' }];
    expect(usageMessage(() => parseInput(s, 'snap.json'))).toBe(
      'snap.json: errors[0].region: expected an AWS region name such as us-east-1 or eu-west-1 (got "$(id)")',
    );
  });

  it('raw input: OwnerId must be an account id', () => {
    expect(
      usageMessage(() =>
        parseInput({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'a', OwnerId: "1'; id #" }] }, 'raw.json'),
      ),
    ).toBe(`raw.json: SecurityGroups[0].OwnerId: expected a 12-digit AWS account id (got "1'; id #")`);
  });
});

describe('item 8: raw describe-security-groups takes region and account from SecurityGroupArn', () => {
  const group = (id: string, arn?: string, owner = ACCOUNT) => ({
    GroupId: id,
    GroupName: id,
    OwnerId: owner,
    ...(arn ? { SecurityGroupArn: arn } : {}),
  });
  const scopes = (s: Snapshot) => s.regions.map((r) => [r.accountId, r.region, r.securityGroups.map((g) => g.groupId)]);

  it('the bundled raw fixture needs no --region: findings and fix commands carry eu-west-1', () => {
    const s = loadInputFile(RAW);
    expect(scopes(s)).toEqual([['111122223333', 'eu-west-1', s.regions[0].securityGroups.map((g) => g.groupId)]]);
    const { findings } = evaluateSnapshot(s, prepare(defaultRegistry(), { cwd: '/nonexistent' }), {
      generatedAt: '2026-01-01T00:00:00Z',
    });
    const fails = findings.filter((f) => f.status === 'fail');
    expect(fails.length).toBeGreaterThan(0);
    expect(fails.every((f) => f.region === 'eu-west-1')).toBe(true);
    const commands = fails.flatMap((f) => f.remediation);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((c) => /--region/.test(c) && !/--region '?eu-west-1'?( |$)/.test(c))).toEqual([]);
    expect(commands.some((c) => /unknown/.test(c))).toBe(false);
  });

  it('groups of several regions, accounts and partitions split into their scopes; groups without an ARN use the flags or OwnerId', () => {
    const s = parseInput(
      {
        SecurityGroups: [
          group('sg-0a', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0a`),
          group('sg-0b', 'arn:aws-us-gov:ec2:us-gov-west-1:222222222222:security-group/sg-0b', '222222222222'),
          group('sg-0c', 'arn:aws-cn:ec2:cn-north-1:333333333333:security-group/sg-0c', '333333333333'),
          group('sg-0d', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0d`),
          group('sg-0e'),
        ],
      },
      'raw.json',
    );
    expect(scopes(s)).toEqual([
      [ACCOUNT, 'eu-west-1', ['sg-0a', 'sg-0d']],
      ['222222222222', 'us-gov-west-1', ['sg-0b']],
      ['333333333333', 'cn-north-1', ['sg-0c']],
      [ACCOUNT, 'unknown', ['sg-0e']],
    ]);
  });

  it('flags that agree with the ARN are fine; a flag that contradicts it is an error', () => {
    const raw = {
      SecurityGroups: [group('sg-0a'), group('sg-0b', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0b`)],
    };
    expect(scopes(parseInput(raw, 'raw.json', { accountId: ACCOUNT, region: 'eu-west-1' }))).toEqual([
      [ACCOUNT, 'eu-west-1', ['sg-0a', 'sg-0b']],
    ]);
    expect(usageMessage(() => parseInput(raw, 'raw.json', { region: 'us-east-1' }))).toBe(
      'raw.json: SecurityGroups[1].SecurityGroupArn: names region eu-west-1, not --region us-east-1 (the ARN says where the group is: drop --region)',
    );
    expect(usageMessage(() => parseInput(raw, 'raw.json', { accountId: '999999999999' }))).toBe(
      `raw.json: SecurityGroups[1].SecurityGroupArn: names account ${ACCOUNT}, not --account 999999999999 (the ARN says whose the group is: drop --account)`,
    );
  });

  it('a malformed or inconsistent ARN is an error naming the field', () => {
    const one = (g: object) => usageMessage(() => parseInput({ SecurityGroups: [g] }, 'raw.json'));
    expect(one(group('sg-0a', "arn:aws:ec2:eu-west-1';id;':111111111111:security-group/sg-0a"))).toBe(
      `raw.json: SecurityGroups[0].SecurityGroupArn: expected arn:aws:ec2:REGION:ACCOUNT:security-group/sg-… (got "arn:aws:ec2:eu-west-1';id;':111111111111:security-group/sg-0a")`,
    );
    expect(one(group('sg-0a', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0b`))).toBe(
      "raw.json: SecurityGroups[0].SecurityGroupArn: names sg-0b, not the group's GroupId sg-0a",
    );
    expect(one(group('sg-0a', `arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0a`))).toBe(
      `raw.json: SecurityGroups[0].SecurityGroupArn: names account 222222222222, not the group's OwnerId ${ACCOUNT}`,
    );
  });

  it('parseSecurityGroupArn', () => {
    expect(parseSecurityGroupArn('arn:aws-iso-b:ec2:us-isob-east-1:123456789012:security-group/sg-0123abcd')).toEqual({
      region: 'us-isob-east-1',
      accountId: '123456789012',
      groupId: 'sg-0123abcd',
    });
    expect(parseSecurityGroupArn('arn:aws:ec2:us-east-1:123456789012:instance/i-0123')).toBeUndefined();
    expect(parseSecurityGroupArn('arn:aws:ec2:unknown:123456789012:security-group/sg-1')).toBeUndefined();
  });
});
