/**
 * DescribeInternetGateways (issue #12: the network data), records in the shape src/exposure/routes.ts reads.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html (MaxResults 5–1000),
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InternetGateway.html.
 */
import type { InternetGateway as AwsInternetGateway } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { InternetGateway } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { gatewayAttachments } from './egress-only-internet-gateways.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 1000;
const API = 'ec2:DescribeInternetGateways';

export function convertInternetGateway(g: AwsInternetGateway): InternetGateway {
  if (!g.InternetGatewayId) throw new InvalidResponseError('internet gateway without InternetGatewayId');
  const out: InternetGateway = {
    id: g.InternetGatewayId,
    attachments: gatewayAttachments(g.Attachments),
    tags: tagsToRecord(g.Tags),
  };
  if (has(g.OwnerId)) out.ownerId = g.OwnerId;
  return out;
}

export const internetGateways: Lister = {
  kind: 'internetGateways',
  apis: [API],
  start(l) {
    const { DescribeInternetGatewaysCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeInternetGatewaysCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
      (p) => p.NextToken,
      (p) => {
        for (const g of p.InternetGateways ?? []) l.rs.internetGateways.push(convertInternetGateway(g));
      },
    );
    l.chain('internetGateways', API, work);
  },
};
