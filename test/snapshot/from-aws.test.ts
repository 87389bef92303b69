/**
 * The aws-cli / SDK converter: every field a rule reads must survive, ingress and egress stay apart.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsDescribeSecurityGroupsSchema,
  fromAwsPermission,
  fromAwsSecurityGroup,
  tagsToRecord,
} from '../../src/snapshot/from-aws.js';
import { SecurityGroupSchema } from '../../src/snapshot/schema.js';

const awsGroup = {
  Description: 'orders database',
  GroupName: 'orders-db',
  GroupId: 'sg-0a1b2c3d4e5f60718',
  OwnerId: '111122223333',
  VpcId: 'vpc-0abc',
  SecurityGroupArn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60718',
  Tags: [{ Key: 'Tier', Value: 'data' }, { Key: 'Name', Value: 'orders' }, { Key: 'Empty' }],
  IpPermissions: [
    {
      IpProtocol: 'tcp',
      FromPort: 3306,
      ToPort: 3306,
      IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'vpc' }],
      Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
      PrefixListIds: [{ PrefixListId: 'pl-0123', Description: 'corp' }],
      UserIdGroupPairs: [
        { GroupId: 'sg-0app', UserId: '444455556666', Description: 'app tier' },
        {
          GroupId: 'sg-0peer',
          UserId: '111122223333',
          VpcId: 'vpc-0peer',
          VpcPeeringConnectionId: 'pcx-1',
          PeeringStatus: 'active',
        },
      ],
    },
    {
      IpProtocol: 'icmp',
      FromPort: -1,
      ToPort: -1,
      IpRanges: [{ CidrIp: '10.0.0.0/8' }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    },
  ],
  IpPermissionsEgress: [
    {
      IpProtocol: '-1',
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    },
  ],
};

describe('fromAwsSecurityGroup', () => {
  it('converts every field rules read, ingress and egress separately', () => {
    const g = fromAwsSecurityGroup(
      AwsDescribeSecurityGroupsSchema.parse({ SecurityGroups: [awsGroup] }).SecurityGroups[0],
    );
    expect(g).toEqual({
      groupId: 'sg-0a1b2c3d4e5f60718',
      groupName: 'orders-db',
      description: 'orders database',
      vpcId: 'vpc-0abc',
      ownerId: '111122223333',
      tags: { Tier: 'data', Name: 'orders', Empty: '' },
      ingress: [
        {
          protocol: 'tcp',
          fromPort: 3306,
          toPort: 3306,
          ipv4: [{ cidr: '10.0.0.0/16', description: 'vpc' }],
          ipv6: [{ cidr: '2001:db8::/32' }],
          prefixLists: [{ id: 'pl-0123', description: 'corp' }],
          groups: [
            { groupId: 'sg-0app', userId: '444455556666', description: 'app tier' },
            {
              groupId: 'sg-0peer',
              userId: '111122223333',
              vpcId: 'vpc-0peer',
              vpcPeeringConnectionId: 'pcx-1',
              peeringStatus: 'active',
            },
          ],
        },
        {
          protocol: 'icmp',
          fromPort: -1,
          toPort: -1,
          ipv4: [{ cidr: '10.0.0.0/8' }],
          ipv6: [],
          prefixLists: [],
          groups: [],
        },
      ],
      egress: [
        { protocol: '-1', ipv4: [{ cidr: '0.0.0.0/0' }], ipv6: [{ cidr: '::/0' }], prefixLists: [], groups: [] },
      ],
    });
    // The result is a valid snapshot record as is.
    expect(SecurityGroupSchema.parse(g)).toEqual(g);
  });

  it('egress is never built from ingress (and the reverse)', () => {
    const g = fromAwsSecurityGroup({
      GroupId: 'sg-1',
      GroupName: 'one-way',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }],
      IpPermissionsEgress: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }],
    });
    expect(g.ingress.map((p) => [p.protocol, p.fromPort, p.ipv4[0].cidr])).toEqual([['tcp', 22, '198.51.100.0/24']]);
    expect(g.egress.map((p) => [p.protocol, p.fromPort, p.ipv4[0].cidr])).toEqual([['udp', 53, '10.0.0.2/32']]);
  });

  it('missing lists and tags become empty, not undefined', () => {
    const g = fromAwsSecurityGroup({ GroupId: 'sg-2', GroupName: 'bare' });
    expect(g).toEqual({ groupId: 'sg-2', groupName: 'bare', tags: {}, ingress: [], egress: [] });
  });

  it('all traffic (-1) carries no ports; port 0 is kept', () => {
    expect(fromAwsPermission({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })).toEqual({
      protocol: '-1',
      ipv4: [{ cidr: '0.0.0.0/0' }],
      ipv6: [],
      prefixLists: [],
      groups: [],
    });
    expect(fromAwsPermission({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 })).toMatchObject({
      fromPort: 0,
      toPort: 65535,
    });
  });
});

describe('tagsToRecord', () => {
  it('turns the tag list into a record; a tag without key is dropped, without value is empty', () => {
    expect(tagsToRecord([{ Key: 'a', Value: '1' }, { Value: 'orphan' }, { Key: 'b' }])).toEqual({ a: '1', b: '' });
    expect(tagsToRecord(undefined)).toEqual({});
  });
});
