/**
 * DescribeVpcPeeringConnections (issue #13: lateral paths between VPCs).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcPeeringConnections.html (MaxResults
 * 5–1000), records after https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnection.html
 * (`Status.Code`: pending-acceptance | failed | expired | provisioning | active | deleting | deleted | rejected,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionStateReason.html) and
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionVpcInfo.html (`CidrBlock`, the
 * primary IPv4 CIDR, and `CidrBlockSet` / `Ipv6CidrBlockSet`, every CIDR of the VPC).
 *
 * A region lists the connections its VPCs request or accept, the other side's VPC possibly in another account or
 * region: a connection is one record per region that lists it.
 */
import type {
  VpcPeeringConnection as AwsVpcPeeringConnection,
  VpcPeeringConnectionVpcInfo as AwsVpcInfo,
} from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { PeeringVpcInfo, VpcPeeringConnection } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 1000;
const API = 'ec2:DescribeVpcPeeringConnections';

/** One side: the primary CIDR first, then the others of `CidrBlockSet`, each once. */
export function convertPeeringVpcInfo(v: AwsVpcInfo | undefined): PeeringVpcInfo {
  const cidrs = [...new Set([v?.CidrBlock, ...(v?.CidrBlockSet ?? []).map((c) => c.CidrBlock)].filter(has))];
  const ipv6Cidrs = [...new Set((v?.Ipv6CidrBlockSet ?? []).map((c) => c.Ipv6CidrBlock).filter(has))];
  const out: PeeringVpcInfo = { cidrs, ipv6Cidrs };
  if (has(v?.VpcId)) out.vpcId = v.VpcId;
  if (has(v?.OwnerId)) out.ownerId = v.OwnerId;
  if (has(v?.Region)) out.region = v.Region;
  return out;
}

export function convertVpcPeeringConnection(p: AwsVpcPeeringConnection): VpcPeeringConnection {
  if (!p.VpcPeeringConnectionId)
    throw new InvalidResponseError('VPC peering connection without VpcPeeringConnectionId');
  // Without its status a connection could be read as not carrying traffic: the listing fails instead (unknown).
  if (!p.Status?.Code)
    throw new InvalidResponseError(`VPC peering connection ${p.VpcPeeringConnectionId} without Status.Code`);
  return {
    id: p.VpcPeeringConnectionId,
    status: p.Status.Code,
    requester: convertPeeringVpcInfo(p.RequesterVpcInfo),
    accepter: convertPeeringVpcInfo(p.AccepterVpcInfo),
    tags: tagsToRecord(p.Tags),
  };
}

export const vpcPeeringConnections: Lister = {
  kind: 'vpcPeeringConnections',
  apis: [API],
  start(l) {
    const { DescribeVpcPeeringConnectionsCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), {
          abortSignal,
        }),
      (p) => p.NextToken,
      (p) => {
        for (const x of p.VpcPeeringConnections ?? []) l.rs.vpcPeeringConnections.push(convertVpcPeeringConnection(x));
      },
    );
    l.chain('vpcPeeringConnections', API, work);
  },
};
