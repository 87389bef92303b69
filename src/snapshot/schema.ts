/**
 * The snapshot: a versioned JSON document holding everything the rules need, per account and region.
 * Collection (live or from files) produces it; nothing downstream knows whether data was live.
 */
import { z } from 'zod';
import {
  ACCOUNT_EXPECTED,
  canonicalProtocol,
  permissionProblems,
  REGION_EXPECTED,
  REGION_NAME,
  SNAPSHOT_ACCOUNT,
  SNAPSHOT_FIELDS,
  SNAPSHOT_REGION,
  UNKNOWN,
} from './aws-values.js';

/**
 * 2 added the network data (issue #12): VPCs, subnets, route tables, internet and egress-only gateways,
 * network ACLs, and the network interfaces' subnet and addresses. Version 1 files still load: they are
 * upgraded in place (load.ts), the kinds they cannot hold being not collected. The VPC peering connections
 * (issue #13) are an additive kind of version 2: a version-2 file written before them has them empty and not
 * in `collected` (unknown, never "no peering"), so the version stays 2.
 */
export const SNAPSHOT_SCHEMA_VERSION = 2;
/** Versions `parseInput` reads (older ones are upgraded to SNAPSHOT_SCHEMA_VERSION). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/** The network data (schema version 2): the kinds a version-1 snapshot cannot list as collected. */
export const NETWORK_KINDS = [
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'networkAcls',
  'listeners',
  'targetGroups',
  'vpcPeeringConnections',
] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** Resource kinds a collection can cover; a rule declares which ones it needs. */
export const RESOURCE_KINDS = [
  'securityGroups',
  'networkInterfaces',
  'loadBalancers',
  'dbClusters',
  'dbInstances',
  'prefixLists',
  ...NETWORK_KINDS,
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const Tags = z.record(z.string(), z.string());

export const CidrEntrySchema = z.object({
  cidr: z.string(),
  description: z.string().optional(),
});

export const GroupPairSchema = z.object({
  groupId: z.string(),
  /** Owner account of the referenced group (AWS `UserId`). */
  userId: z.string().optional(),
  vpcId: z.string().optional(),
  vpcPeeringConnectionId: z.string().optional(),
  peeringStatus: z.string().optional(),
  groupName: z.string().optional(),
  description: z.string().optional(),
});

/**
 * One rule. Protocol and ports are checked against AWS's value space (src/snapshot/aws-values.ts, after
 * the EC2 API reference for IpPermission) and the protocol is normalised: `"6"` reads as `tcp`, `"17"`
 * `udp`, `"1"` `icmp`, `"58"` `icmpv6`, names in lower case, so every rule sees one spelling. The
 * in-place validator (validate.ts) applies the same `permissionProblems` / `canonicalProtocol`.
 */
export const PermissionSchema = z
  .object({
    /** `-1` (all traffic), `tcp`, `udp`, `icmp`, `icmpv6` or an IP protocol number (0–255) as a string. */
    protocol: z.string(),
    /** tcp/udp: first port (0–65535); icmp/icmpv6: type (-1 = all); other protocols: ignored by AWS. */
    fromPort: z.number().int().optional(),
    /** tcp/udp: last port (≥ fromPort); icmp/icmpv6: code (-1 = all); other protocols: ignored by AWS. */
    toPort: z.number().int().optional(),
    ipv4: z.array(CidrEntrySchema).default([]),
    ipv6: z.array(CidrEntrySchema).default([]),
    prefixLists: z.array(z.object({ id: z.string(), description: z.string().optional() })).default([]),
    groups: z.array(GroupPairSchema).default([]),
  })
  .superRefine((p, ctx) => {
    for (const problem of permissionProblems(SNAPSHOT_FIELDS, p.protocol, p.fromPort, p.toPort)) {
      ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message, input: p[problem.field] });
    }
  })
  .overwrite((p) => {
    p.protocol = canonicalProtocol(p.protocol) ?? p.protocol;
    return p;
  });

/** Regex check whose message says what was expected and what was found. */
function matching(re: RegExp, expected: string) {
  return z.string().regex(re, { error: (iss) => `expected ${expected} (got ${JSON.stringify(iss.input)})` });
}

/** A snapshot's account: 12 digits, or `unknown` for raw input that did not say. */
const SnapshotAccount = matching(SNAPSHOT_ACCOUNT, `${ACCOUNT_EXPECTED} or '${UNKNOWN}'`);
/** A snapshot's region: an AWS region name, or `unknown` for raw input that did not say. */
const SnapshotRegion = matching(SNAPSHOT_REGION, `${REGION_EXPECTED}, or '${UNKNOWN}'`);

export const SecurityGroupSchema = z.object({
  groupId: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  vpcId: z.string().optional(),
  ownerId: z.string().optional(),
  tags: Tags.default({}),
  ingress: z.array(PermissionSchema).default([]),
  egress: z.array(PermissionSchema).default([]),
});

export const NetworkInterfaceSchema = z.object({
  id: z.string(),
  groups: z.array(z.string()).default([]),
  interfaceType: z.string().optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  requesterId: z.string().optional(),
  requesterManaged: z.boolean().optional(),
  vpcId: z.string().optional(),
  subnetId: z.string().optional(),
  /** The primary address's public IPv4 (`Association.PublicIp`: auto-assigned or an Elastic IP). */
  publicIp: z.string().optional(),
  /**
   * Every private IPv4 address, with the public IPv4 (Elastic IP) associated with it. Absent (as is
   * `ipv6Addresses`) when the addresses were not read (a version-1 snapshot): unknown, not "none".
   */
  privateIpAddresses: z
    .array(z.object({ address: z.string(), primary: z.boolean().optional(), publicIp: z.string().optional() }))
    .optional(),
  /** IPv6 addresses (DescribeNetworkInterfaces `Ipv6Addresses`). */
  ipv6Addresses: z.array(z.string()).optional(),
  attachment: z
    .object({
      instanceId: z.string().optional(),
      instanceOwnerId: z.string().optional(),
      /**
       * `Attachment.DeviceIndex`: 0 is the instance's primary network interface
       * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html), whose primary private address an
       * instance target of a target group receives traffic on ("Target type",
       * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html).
       * Absent when not read (a version-1 snapshot).
       */
      deviceIndex: z.number().int().min(0).optional(),
      status: z.string().optional(),
    })
    .optional(),
  tags: Tags.default({}),
});

export const LoadBalancerSchema = z.object({
  arn: z.string(),
  name: z.string(),
  /** application | network | gateway */
  type: z.string(),
  /** internet-facing | internal */
  scheme: z.string(),
  vpcId: z.string().optional(),
  /**
   * The subnets of its nodes, one per enabled zone (DescribeLoadBalancers `AvailabilityZones[].SubnetId`,
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AvailabilityZone.html). Absent when
   * not read (a version-1 snapshot): unknown, not "none".
   */
  subnetIds: z.array(z.string()).optional(),
  securityGroups: z.array(z.string()).default([]),
  tags: Tags.default({}),
});

export const DbClusterSchema = z.object({
  id: z.string(),
  arn: z.string().optional(),
  engine: z.string(),
  port: z.number().int().optional(),
  securityGroups: z.array(z.string()).default([]),
  publiclyAccessible: z.boolean().optional(),
  storageEncrypted: z.boolean().optional(),
  members: z.array(z.string()).default([]),
  tags: Tags.default({}),
});

export const DbInstanceSchema = z.object({
  id: z.string(),
  arn: z.string().optional(),
  engine: z.string(),
  port: z.number().int().optional(),
  clusterId: z.string().optional(),
  securityGroups: z.array(z.string()).default([]),
  publiclyAccessible: z.boolean().optional(),
  storageEncrypted: z.boolean().optional(),
  tags: Tags.default({}),
});

export const PrefixListSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  addressFamily: z.string().optional(),
  ownerId: z.string().optional(),
  /** Resolved entries; absent when they could not be read. */
  entries: z.array(CidrEntrySchema).optional(),
});

// ---- network data (issue #12): the shapes src/exposure/routes.ts and nacl.ts take, field for field ----

/** DescribeVpcs https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Vpc.html */
export const VpcSchema = z.object({
  id: z.string(),
  cidrBlock: z.string().optional(),
  /** Every associated IPv4 CIDR (the primary one included). */
  cidrBlocks: z.array(z.string()).default([]),
  ipv6CidrBlocks: z.array(z.string()).default([]),
  isDefault: z.boolean().optional(),
  ownerId: z.string().optional(),
  tags: Tags.default({}),
});

/** DescribeSubnets https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html */
export const SubnetSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  cidrBlock: z.string().optional(),
  ipv6CidrBlocks: z.array(z.string()).default([]),
  availabilityZone: z.string().optional(),
  mapPublicIpOnLaunch: z.boolean().optional(),
  tags: Tags.default({}),
});

/**
 * A route, as `Route` in src/exposure/routes.ts;
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html
 */
export const RouteSchema = z.object({
  destinationCidr: z.string().optional(),
  destinationIpv6Cidr: z.string().optional(),
  destinationPrefixListId: z.string().optional(),
  gatewayId: z.string().optional(),
  egressOnlyInternetGatewayId: z.string().optional(),
  natGatewayId: z.string().optional(),
  transitGatewayId: z.string().optional(),
  vpcPeeringConnectionId: z.string().optional(),
  networkInterfaceId: z.string().optional(),
  instanceId: z.string().optional(),
  origin: z.enum(['CreateRouteTable', 'CreateRoute', 'EnableVgwRoutePropagation']).optional(),
  state: z.enum(['active', 'blackhole']),
});

/** DescribeRouteTables https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RouteTable.html */
export const RouteTableSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  main: z.boolean(),
  /** Explicit subnet associations only. */
  subnetIds: z.array(z.string()).default([]),
  routes: z.array(RouteSchema).default([]),
  tags: Tags.default({}),
});

const GatewayAttachmentSchema = z.object({ vpcId: z.string(), state: z.string() });

/** DescribeInternetGateways https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InternetGateway.html */
export const InternetGatewaySchema = z.object({
  id: z.string(),
  attachments: z.array(GatewayAttachmentSchema).default([]),
  ownerId: z.string().optional(),
  tags: Tags.default({}),
});

/** One side of a VPC peering connection (`RequesterVpcInfo` / `AccepterVpcInfo`). */
export const PeeringVpcInfoSchema = z.object({
  vpcId: z.string().optional(),
  ownerId: z.string().optional(),
  region: z.string().optional(),
  cidrs: z.array(z.string()).default([]),
  ipv6Cidrs: z.array(z.string()).default([]),
});

/**
 * DescribeVpcPeeringConnections (issue #13: lateral paths between VPCs)
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnection.html — `status` is
 * `Status.Code`: only `active` carries traffic.
 */
export const VpcPeeringConnectionSchema = z.object({
  id: z.string(),
  status: z.string(),
  requester: PeeringVpcInfoSchema,
  accepter: PeeringVpcInfoSchema,
  tags: Tags.default({}),
});

/**
 * DescribeEgressOnlyInternetGateways
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EgressOnlyInternetGateway.html
 */
export const EgressOnlyInternetGatewaySchema = z.object({
  id: z.string(),
  attachments: z.array(GatewayAttachmentSchema).default([]),
  tags: Tags.default({}),
});

const AclPortRange = z.object({ from: z.number().int(), to: z.number().int() });

/** An entry, as `NetworkAclEntry` in src/exposure/nacl.ts. */
export const NetworkAclEntrySchema = z.object({
  ruleNumber: z.number().int(),
  egress: z.boolean(),
  /** IANA protocol number as a string, or "-1" for all. */
  protocol: z.string(),
  ruleAction: z.enum(['allow', 'deny']),
  cidrBlock: z.string().optional(),
  ipv6CidrBlock: z.string().optional(),
  portRange: AclPortRange.optional(),
  icmpTypeCode: z.object({ type: z.number().int(), code: z.number().int() }).optional(),
});

/** DescribeNetworkAcls https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAcl.html */
export const NetworkAclSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  isDefault: z.boolean(),
  /** Associated subnets (DescribeNetworkAcls lists the default ACL's implicit associations too). */
  subnetIds: z.array(z.string()).default([]),
  entries: z.array(NetworkAclEntrySchema).default([]),
  tags: Tags.default({}),
});

// ---- load-balancer data (issue #12): listeners, their rules, target groups and their targets ----

/**
 * The target groups an action forwards to (`TargetGroupArn`, or every `ForwardConfig.TargetGroups` entry);
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
 */
export const ListenerActionSchema = z.object({
  type: z.string(),
  targetGroupArns: z.array(z.string()).default([]),
});

/** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Rule.html */
export const ListenerRuleSchema = z.object({
  arn: z.string(),
  /** `default` for the listener's default rule, else a number as a string. */
  priority: z.string().optional(),
  isDefault: z.boolean().default(false),
  actions: z.array(ListenerActionSchema).default([]),
});

/** DescribeListeners https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Listener.html */
export const ListenerSchema = z.object({
  arn: z.string(),
  loadBalancerArn: z.string(),
  protocol: z.string().optional(),
  port: z.number().int().optional(),
  defaultActions: z.array(ListenerActionSchema).default([]),
  /** DescribeRules (HTTP and HTTPS listeners: an application load balancer's, the default rule included). */
  rules: z.array(ListenerRuleSchema).default([]),
});

/**
 * A registered target and its health (DescribeTargetHealth);
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealthDescription.html
 */
export const TargetSchema = z.object({
  /** Instance id, IP address, Lambda ARN or load-balancer ARN, by the group's target type. */
  id: z.string(),
  port: z.number().int().optional(),
  availabilityZone: z.string().optional(),
  /** `TargetHealth.State`: initial, healthy, unhealthy, unused, draining, unavailable… */
  health: z.string().optional(),
});

/**
 * DescribeTargetGroups https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html
 */
export const TargetGroupSchema = z.object({
  arn: z.string(),
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().int().optional(),
  /** instance, ip, lambda or alb. */
  targetType: z.string().optional(),
  vpcId: z.string().optional(),
  loadBalancerArns: z.array(z.string()).default([]),
  targets: z.array(TargetSchema).default([]),
});

export const CollectionErrorSchema = z.object({
  /** e.g. `ec2:DescribeSecurityGroups` */
  api: z.string(),
  code: z.string(),
  message: z.string(),
});

export const RegionSnapshotSchema = z.object({
  accountId: SnapshotAccount,
  region: SnapshotRegion,
  collectedAt: z.string().optional(),
  /** Which resource kinds this entry covers (collected successfully or present in the input). */
  collected: z.array(z.enum(RESOURCE_KINDS)),
  securityGroups: z.array(SecurityGroupSchema).default([]),
  networkInterfaces: z.array(NetworkInterfaceSchema).default([]),
  loadBalancers: z.array(LoadBalancerSchema).default([]),
  dbClusters: z.array(DbClusterSchema).default([]),
  dbInstances: z.array(DbInstanceSchema).default([]),
  prefixLists: z.array(PrefixListSchema).default([]),
  vpcs: z.array(VpcSchema).default([]),
  subnets: z.array(SubnetSchema).default([]),
  routeTables: z.array(RouteTableSchema).default([]),
  internetGateways: z.array(InternetGatewaySchema).default([]),
  egressOnlyInternetGateways: z.array(EgressOnlyInternetGatewaySchema).default([]),
  networkAcls: z.array(NetworkAclSchema).default([]),
  listeners: z.array(ListenerSchema).default([]),
  targetGroups: z.array(TargetGroupSchema).default([]),
  vpcPeeringConnections: z.array(VpcPeeringConnectionSchema).default([]),
  errors: z.array(CollectionErrorSchema).default([]),
});

export const SnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  tool: z.literal('sg-audit'),
  createdAt: z.string(),
  /** Account-level errors that prevented any region from being collected (e.g. AssumeRole failed). */
  errors: z
    .array(
      CollectionErrorSchema.extend({
        accountId: SnapshotAccount,
        region: matching(REGION_NAME, REGION_EXPECTED).optional(),
      }),
    )
    .default([]),
  regions: z.array(RegionSnapshotSchema),
});

export type CidrEntry = z.infer<typeof CidrEntrySchema>;
export type GroupPair = z.infer<typeof GroupPairSchema>;
export type Permission = z.infer<typeof PermissionSchema>;
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type LoadBalancer = z.infer<typeof LoadBalancerSchema>;
export type DbCluster = z.infer<typeof DbClusterSchema>;
export type DbInstance = z.infer<typeof DbInstanceSchema>;
export type PrefixList = z.infer<typeof PrefixListSchema>;
export type Vpc = z.infer<typeof VpcSchema>;
export type Subnet = z.infer<typeof SubnetSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteTable = z.infer<typeof RouteTableSchema>;
export type InternetGateway = z.infer<typeof InternetGatewaySchema>;
export type EgressOnlyInternetGateway = z.infer<typeof EgressOnlyInternetGatewaySchema>;
export type NetworkAclEntry = z.infer<typeof NetworkAclEntrySchema>;
export type NetworkAcl = z.infer<typeof NetworkAclSchema>;
export type ListenerAction = z.infer<typeof ListenerActionSchema>;
export type ListenerRule = z.infer<typeof ListenerRuleSchema>;
export type Listener = z.infer<typeof ListenerSchema>;
export type Target = z.infer<typeof TargetSchema>;
export type TargetGroup = z.infer<typeof TargetGroupSchema>;
export type PeeringVpcInfo = z.infer<typeof PeeringVpcInfoSchema>;
export type VpcPeeringConnection = z.infer<typeof VpcPeeringConnectionSchema>;
export type CollectionError = z.infer<typeof CollectionErrorSchema>;
export type RegionSnapshot = z.infer<typeof RegionSnapshotSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;

export function emptyRegion(accountId: string, region: string): RegionSnapshot {
  return {
    accountId,
    region,
    collected: [],
    securityGroups: [],
    networkInterfaces: [],
    loadBalancers: [],
    dbClusters: [],
    dbInstances: [],
    prefixLists: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    networkAcls: [],
    listeners: [],
    targetGroups: [],
    vpcPeeringConnections: [],
    errors: [],
  };
}

export function newSnapshot(regions: RegionSnapshot[], createdAt = new Date().toISOString()): Snapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, tool: 'sg-audit', createdAt, errors: [], regions };
}
