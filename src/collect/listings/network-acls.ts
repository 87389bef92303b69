/**
 * DescribeNetworkAcls (issue #12: the network data), records in the shape src/exposure/nacl.ts reads.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html (MaxResults 5–100),
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAcl.html and
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html (RuleAction allow | deny,
 * protocol a number as a string, "-1" all).
 */
import type { NetworkAcl as AwsNetworkAcl, NetworkAclEntry as AwsNetworkAclEntry } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { NetworkAcl, NetworkAclEntry } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 100;
const API = 'ec2:DescribeNetworkAcls';

export function convertNetworkAclEntry(e: AwsNetworkAclEntry): NetworkAclEntry {
  if (!has(e.RuleNumber) || !has(e.Protocol) || (e.RuleAction !== 'allow' && e.RuleAction !== 'deny')) {
    throw new InvalidResponseError('network ACL entry without RuleNumber, Protocol or RuleAction allow|deny');
  }
  const out: NetworkAclEntry = {
    ruleNumber: e.RuleNumber,
    egress: e.Egress === true,
    protocol: e.Protocol,
    ruleAction: e.RuleAction,
  };
  if (has(e.CidrBlock)) out.cidrBlock = e.CidrBlock;
  if (has(e.Ipv6CidrBlock)) out.ipv6CidrBlock = e.Ipv6CidrBlock;
  if (e.PortRange && has(e.PortRange.From) && has(e.PortRange.To)) {
    out.portRange = { from: e.PortRange.From, to: e.PortRange.To };
  }
  if (e.IcmpTypeCode && has(e.IcmpTypeCode.Type) && has(e.IcmpTypeCode.Code)) {
    out.icmpTypeCode = { type: e.IcmpTypeCode.Type, code: e.IcmpTypeCode.Code };
  }
  return out;
}

export function convertNetworkAcl(a: AwsNetworkAcl): NetworkAcl {
  if (!a.NetworkAclId || !a.VpcId) throw new InvalidResponseError('network ACL without NetworkAclId or VpcId');
  return {
    id: a.NetworkAclId,
    vpcId: a.VpcId,
    isDefault: a.IsDefault === true,
    subnetIds: (a.Associations ?? []).map((x) => x.SubnetId).filter(has),
    entries: (a.Entries ?? []).map(convertNetworkAclEntry),
    tags: tagsToRecord(a.Tags),
  };
}

export const networkAcls: Lister = {
  kind: 'networkAcls',
  apis: [API],
  start(l) {
    const { DescribeNetworkAclsCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeNetworkAclsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
      (p) => p.NextToken,
      (p) => {
        for (const a of p.NetworkAcls ?? []) l.rs.networkAcls.push(convertNetworkAcl(a));
      },
    );
    l.chain('networkAcls', API, work);
  },
};
