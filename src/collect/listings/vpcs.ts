/**
 * DescribeVpcs (issue #12: the network data).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html (MaxResults 5–1000),
 * records after https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Vpc.html.
 */
import type { Vpc as AwsVpc } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { Vpc } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 1000;
const API = 'ec2:DescribeVpcs';

export function convertVpc(v: AwsVpc): Vpc {
  if (!v.VpcId) throw new InvalidResponseError('VPC without VpcId');
  const out: Vpc = {
    id: v.VpcId,
    cidrBlocks: (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock).filter(has),
    ipv6CidrBlocks: (v.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock).filter(has),
    tags: tagsToRecord(v.Tags),
  };
  if (has(v.CidrBlock)) out.cidrBlock = v.CidrBlock;
  if (has(v.IsDefault)) out.isDefault = v.IsDefault;
  if (has(v.OwnerId)) out.ownerId = v.OwnerId;
  return out;
}

export const vpcs: Lister = {
  kind: 'vpcs',
  apis: [API],
  start(l) {
    const { DescribeVpcsCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeVpcsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
      (p) => p.NextToken,
      (p) => {
        for (const v of p.Vpcs ?? []) l.rs.vpcs.push(convertVpc(v));
      },
    );
    l.chain('vpcs', API, work);
  },
};
