/**
 * DescribeEgressOnlyInternetGateways (issue #12: the network data): IPv6 out only, nothing in.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeEgressOnlyInternetGateways.html
 * (MaxResults 5–255), https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EgressOnlyInternetGateway.html.
 */
import type {
  EgressOnlyInternetGateway as AwsEgressOnlyInternetGateway,
  InternetGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { EgressOnlyInternetGateway } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 255;
const API = 'ec2:DescribeEgressOnlyInternetGateways';

/** Attachments of either gateway kind; one without a VPC names nothing and is dropped. */
export function gatewayAttachments(list: InternetGatewayAttachment[] | undefined): GatewayAttachment[] {
  const out: GatewayAttachment[] = [];
  for (const a of list ?? []) if (a.VpcId) out.push({ vpcId: a.VpcId, state: a.State ?? 'unknown' });
  return out;
}
type GatewayAttachment = EgressOnlyInternetGateway['attachments'][number];

export function convertEgressOnlyInternetGateway(g: AwsEgressOnlyInternetGateway): EgressOnlyInternetGateway {
  if (!g.EgressOnlyInternetGatewayId) {
    throw new InvalidResponseError('egress-only internet gateway without EgressOnlyInternetGatewayId');
  }
  return {
    id: g.EgressOnlyInternetGatewayId,
    attachments: gatewayAttachments(g.Attachments),
    tags: tagsToRecord(g.Tags),
  };
}

export const egressOnlyInternetGateways: Lister = {
  kind: 'egressOnlyInternetGateways',
  apis: [API],
  start(l) {
    const { DescribeEgressOnlyInternetGatewaysCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({ MaxResults: PAGE_SIZE, NextToken: token }), {
          abortSignal,
        }),
      (p) => p.NextToken,
      (p) => {
        for (const g of p.EgressOnlyInternetGateways ?? []) {
          l.rs.egressOnlyInternetGateways.push(convertEgressOnlyInternetGateway(g));
        }
      },
    );
    l.chain('egressOnlyInternetGateways', API, work);
  },
};
