/**
 * DescribeNetworkInterfaces: which groups are attached to what, and (issue #12) the subnet and addresses that
 * decide internet exposure. Pages go through the fast path (../fast-xml/). Fields after
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html: `Association.PublicIp` is the
 * primary address's public IPv4 (auto-assigned or an Elastic IP), `PrivateIpAddresses[].Association.PublicIp` the
 * Elastic IP of each address
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterfacePrivateIpAddress.html).
 */
import type { NetworkInterface as AwsNetworkInterface } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { NetworkInterface } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { withFastPath } from '../fast-xml/middleware.js';
import { parseNetworkInterfacesPage } from '../fast-xml/network-interfaces.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

/** The largest page DescribeNetworkInterfaces accepts. */
const PAGE_SIZE = 1000;
const API = 'ec2:DescribeNetworkInterfaces';

/** `Attachment.DeviceIndex` as the snapshot schema takes it: an integer ≥ 0 (anything else is a bad response). */
function deviceIndex(id: string, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  const got = typeof v === 'number' ? String(v) : JSON.stringify(v);
  throw new InvalidResponseError(
    `network interface ${id}: Attachment.DeviceIndex: expected an integer ≥ 0 (got ${got})`,
  );
}

export function convertNetworkInterface(n: AwsNetworkInterface): NetworkInterface {
  if (!n.NetworkInterfaceId) throw new InvalidResponseError('network interface without NetworkInterfaceId');
  const out: NetworkInterface = {
    id: n.NetworkInterfaceId,
    groups: (n.Groups ?? []).map((g) => g.GroupId).filter(has),
    tags: tagsToRecord(n.TagSet),
  };
  if (has(n.InterfaceType)) out.interfaceType = n.InterfaceType;
  if (has(n.Description) && n.Description !== '') out.description = n.Description;
  if (has(n.Status)) out.status = n.Status;
  if (has(n.RequesterId)) out.requesterId = n.RequesterId;
  if (has(n.RequesterManaged)) out.requesterManaged = n.RequesterManaged;
  if (has(n.VpcId)) out.vpcId = n.VpcId;
  if (has(n.SubnetId)) out.subnetId = n.SubnetId;
  if (has(n.Association?.PublicIp)) out.publicIp = n.Association.PublicIp;
  out.privateIpAddresses = [];
  for (const p of n.PrivateIpAddresses ?? []) {
    if (!has(p.PrivateIpAddress)) continue;
    const a: NonNullable<NetworkInterface['privateIpAddresses']>[number] = { address: p.PrivateIpAddress };
    if (has(p.Primary)) a.primary = p.Primary;
    if (has(p.Association?.PublicIp)) a.publicIp = p.Association.PublicIp;
    out.privateIpAddresses.push(a);
  }
  out.ipv6Addresses = (n.Ipv6Addresses ?? []).map((a) => a.Ipv6Address).filter(has);
  if (n.Attachment) {
    const a: NonNullable<NetworkInterface['attachment']> = {};
    if (has(n.Attachment.InstanceId)) a.instanceId = n.Attachment.InstanceId;
    if (has(n.Attachment.InstanceOwnerId)) a.instanceOwnerId = n.Attachment.InstanceOwnerId;
    if (has(n.Attachment.DeviceIndex)) a.deviceIndex = deviceIndex(n.NetworkInterfaceId, n.Attachment.DeviceIndex);
    if (has(n.Attachment.Status)) a.status = n.Attachment.Status;
    out.attachment = a;
  }
  return out;
}

export const networkInterfaces: Lister = {
  kind: 'networkInterfaces',
  apis: [API],
  start(l) {
    const { DescribeNetworkInterfacesCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      async (token, abortSignal) => {
        const command = new DescribeNetworkInterfacesCommand({ MaxResults: PAGE_SIZE, NextToken: token });
        const fast = l.fastXml
          ? withFastPath(command, 'DescribeNetworkInterfacesResponse', parseNetworkInterfacesPage)
          : undefined;
        const page = await ec2.send(command, { abortSignal });
        return { ...page, records: fast?.records };
      },
      (p) => p.NextToken,
      (p) => {
        // Records from the fast path, or the SDK's output converted (the fast path stepped aside).
        for (const n of p.records ?? (p.NetworkInterfaces ?? []).map(convertNetworkInterface)) {
          l.rs.networkInterfaces.push(n);
        }
      },
    );
    l.chain('networkInterfaces', API, work);
  },
};
