/**
 * SDK v3 output shapes → snapshot records, for the kinds other than security groups (those go through
 * src/snapshot/from-aws.ts, shared with raw aws-cli input). Pure functions; absent optional fields stay
 * absent so a snapshot never claims more than AWS said.
 */
import type {
  ManagedPrefixList as AwsManagedPrefixList,
  NetworkInterface as AwsNetworkInterface,
  PrefixListEntry as AwsPrefixListEntry,
  SecurityGroup as AwsSdkSecurityGroup,
} from '@aws-sdk/client-ec2';
import type { LoadBalancer as AwsLoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DBCluster as AwsDbCluster, DBInstance as AwsDbInstance } from '@aws-sdk/client-rds';
import { AwsSecurityGroupSchema, fromAwsSecurityGroup, tagsToRecord } from '../snapshot/from-aws.js';
import type {
  CidrEntry,
  DbCluster,
  DbInstance,
  LoadBalancer,
  NetworkInterface,
  PrefixList,
  SecurityGroup,
} from '../snapshot/schema.js';
import { formatPath } from '../util/zod-issues.js';

/** Thrown when AWS returns a record without the fields the snapshot requires. */
export class InvalidResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResponse';
  }
}

function has<T>(v: T | undefined | null): v is T {
  return v !== undefined && v !== null;
}

export function convertSecurityGroup(g: AwsSdkSecurityGroup): SecurityGroup {
  const parsed = AwsSecurityGroupSchema.safeParse(g);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidResponseError(
      `security group ${g.GroupId ?? '(no GroupId)'}: ${formatPath(issue.path)}: ${issue.message}`,
    );
  }
  return fromAwsSecurityGroup(parsed.data);
}

/** Prefix-list ids a group's rules reference (ingress and egress). */
export function referencedPrefixLists(g: SecurityGroup): string[] {
  const ids: string[] = [];
  for (const p of [...g.ingress, ...g.egress]) for (const pl of p.prefixLists) ids.push(pl.id);
  return ids;
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
  if (n.Attachment) {
    const a: NonNullable<NetworkInterface['attachment']> = {};
    if (has(n.Attachment.InstanceId)) a.instanceId = n.Attachment.InstanceId;
    if (has(n.Attachment.InstanceOwnerId)) a.instanceOwnerId = n.Attachment.InstanceOwnerId;
    if (has(n.Attachment.Status)) a.status = n.Attachment.Status;
    out.attachment = a;
  }
  return out;
}

/** Load balancer without tags (DescribeTags fills them in). */
export function convertLoadBalancer(lb: AwsLoadBalancer): LoadBalancer {
  if (!lb.LoadBalancerArn || !lb.LoadBalancerName) throw new InvalidResponseError('load balancer without ARN or name');
  const out: LoadBalancer = {
    arn: lb.LoadBalancerArn,
    name: lb.LoadBalancerName,
    type: lb.Type ?? 'application',
    scheme: lb.Scheme ?? 'internet-facing',
    securityGroups: [...(lb.SecurityGroups ?? [])],
    tags: {},
  };
  if (has(lb.VpcId)) out.vpcId = lb.VpcId;
  return out;
}

function vpcGroups(list: ReadonlyArray<{ VpcSecurityGroupId?: string }> | undefined): string[] {
  return (list ?? []).map((m) => m.VpcSecurityGroupId).filter(has);
}

export function convertDbCluster(c: AwsDbCluster): DbCluster {
  if (!c.DBClusterIdentifier) throw new InvalidResponseError('DB cluster without DBClusterIdentifier');
  const out: DbCluster = {
    id: c.DBClusterIdentifier,
    engine: c.Engine ?? 'unknown',
    securityGroups: vpcGroups(c.VpcSecurityGroups),
    members: (c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier).filter(has),
    tags: tagsToRecord(c.TagList),
  };
  if (has(c.DBClusterArn)) out.arn = c.DBClusterArn;
  if (has(c.Port)) out.port = c.Port;
  if (has(c.PubliclyAccessible)) out.publiclyAccessible = c.PubliclyAccessible;
  if (has(c.StorageEncrypted)) out.storageEncrypted = c.StorageEncrypted;
  return out;
}

export function convertDbInstance(i: AwsDbInstance): DbInstance {
  if (!i.DBInstanceIdentifier) throw new InvalidResponseError('DB instance without DBInstanceIdentifier');
  const out: DbInstance = {
    id: i.DBInstanceIdentifier,
    engine: i.Engine ?? 'unknown',
    securityGroups: vpcGroups(i.VpcSecurityGroups),
    tags: tagsToRecord(i.TagList),
  };
  if (has(i.DBInstanceArn)) out.arn = i.DBInstanceArn;
  // The endpoint port is the listening port; DbInstancePort is 0 for most engines.
  const port = i.Endpoint?.Port ?? (i.DbInstancePort ? i.DbInstancePort : undefined);
  if (has(port)) out.port = port;
  if (has(i.DBClusterIdentifier)) out.clusterId = i.DBClusterIdentifier;
  if (has(i.PubliclyAccessible)) out.publiclyAccessible = i.PubliclyAccessible;
  if (has(i.StorageEncrypted)) out.storageEncrypted = i.StorageEncrypted;
  return out;
}

export function convertPrefixListEntries(entries: ReadonlyArray<AwsPrefixListEntry> | undefined): CidrEntry[] {
  return (entries ?? [])
    .filter((e) => has(e.Cidr))
    .map((e) => ({ cidr: e.Cidr!, ...(e.Description ? { description: e.Description } : {}) }));
}

/** A referenced prefix list: metadata from DescribeManagedPrefixLists when seen, entries when read. */
export function convertPrefixList(id: string, meta: AwsManagedPrefixList | undefined, entries: CidrEntry[] | undefined): PrefixList {
  const out: PrefixList = { id };
  if (has(meta?.PrefixListName)) out.name = meta.PrefixListName;
  if (has(meta?.AddressFamily)) out.addressFamily = meta.AddressFamily;
  if (has(meta?.OwnerId)) out.ownerId = meta.OwnerId;
  if (entries) out.entries = entries;
  return out;
}
