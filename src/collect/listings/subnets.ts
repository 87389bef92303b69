/**
 * DescribeSubnets (issue #12: the network data).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html (MaxResults 5–1000),
 * records after https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html.
 */
import type { Subnet as AwsSubnet } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { Subnet } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 1000;
const API = 'ec2:DescribeSubnets';

export function convertSubnet(s: AwsSubnet): Subnet {
  if (!s.SubnetId || !s.VpcId) throw new InvalidResponseError('subnet without SubnetId or VpcId');
  const out: Subnet = {
    id: s.SubnetId,
    vpcId: s.VpcId,
    ipv6CidrBlocks: (s.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock).filter(has),
    tags: tagsToRecord(s.Tags),
  };
  if (has(s.CidrBlock)) out.cidrBlock = s.CidrBlock;
  if (has(s.AvailabilityZone)) out.availabilityZone = s.AvailabilityZone;
  if (has(s.MapPublicIpOnLaunch)) out.mapPublicIpOnLaunch = s.MapPublicIpOnLaunch;
  return out;
}

export const subnets: Lister = {
  kind: 'subnets',
  apis: [API],
  start(l) {
    const { DescribeSubnetsCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeSubnetsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
      (p) => p.NextToken,
      (p) => {
        for (const s of p.Subnets ?? []) l.rs.subnets.push(convertSubnet(s));
      },
    );
    l.chain('subnets', API, work);
  },
};
