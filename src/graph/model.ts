import type { Settings, Tier } from '../config/schema.js';
import type {
  DbCluster,
  DbInstance,
  InternetGateway,
  Listener,
  LoadBalancer,
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  RouteTable,
  Subnet,
  TargetGroup,
  RegionSnapshot,
  Snapshot,
  ResourceKind,
  SecurityGroup,
  Vpc,
  VpcPeeringConnection,
} from '../snapshot/schema.js';
import type { AttachedKind } from '../engine/resource-types.js';
import type { CidrInfo } from './net.js';

export type Direction = 'ingress' | 'egress';

/** Normalised protocol: `all` for `-1`, otherwise the lower-case name or number. */
export type Protocol = 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | (string & {});

export type Source =
  | { kind: 'cidr'; cidr: CidrInfo; description?: string }
  | {
      kind: 'prefixList';
      prefixListId: string;
      /** Resolved entries when the prefix list was collected; `undefined` when unknown. */
      entries?: CidrInfo[];
      /**
       * The entries that are 0.0.0.0/0 or ::/0 (empty when none, or when the entries are unknown): a list
       * holding one is "the world" for every rule, as the literal range is (a prefix list is the CIDRs it
       * holds).
       */
      worldEntries: readonly CidrInfo[];
      /**
       * AWS-managed (owner `AWS`, or a `com.amazonaws.*` name, which customer-managed lists cannot take): a set
       * of AWS service address ranges, never the world, even when its entries were not read. See
       * https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html and
       * CreateManagedPrefixList (PrefixListName "cannot start with com.amazonaws").
       */
      awsManaged: boolean;
      name?: string;
      description?: string;
    }
  | {
      kind: 'group';
      groupId: string;
      /** Owner account from the rule (`UserId`), if given. */
      userId?: string;
      /** Referenced group lives in another account than the rule's group. */
      crossAccount: boolean;
      /** Rule references its own group. */
      self: boolean;
      /** The referenced group, when it is in the estate. */
      target?: GroupNode;
      description?: string;
    };

/** One (permission, source) pair: the unit rules reason about. */
export interface RuleEntry {
  group: GroupNode;
  direction: Direction;
  protocol: Protocol;
  /** Inclusive port range; 0-65535 for all traffic; for ICMP the type/code (-1 = any). */
  fromPort: number;
  toPort: number;
  /** Port range covers every port of the protocol (protocol all, or tcp/udp 0-65535 / 1-65535). */
  allPorts: boolean;
  source: Source;
  /** Index of the permission in the group's ingress/egress list, for remediation commands. */
  permissionIndex: number;
}

export interface Attachment {
  kind: AttachedKind;
  id: string;
  name?: string;
  arn?: string;
  tiers: Tier[];
}

export interface GroupNode {
  id: string;
  accountId: string;
  region: string;
  scope: Scope;
  sg: SecurityGroup;
  name: string;
  vpcId?: string;
  isDefault: boolean;
  tiers: Tier[];
  ingress: RuleEntry[];
  egress: RuleEntry[];
  /** Resources this group is attached to. */
  attachments: Attachment[];
  /** Rule entries in other (or the same) groups whose source is this group. */
  referencedBy: RuleEntry[];
}

export interface LoadBalancerNode {
  lb: LoadBalancer;
  scope: Scope;
  tiers: Tier[];
  groups: GroupNode[];
}
export interface DbClusterNode {
  cluster: DbCluster;
  scope: Scope;
  tiers: Tier[];
  groups: GroupNode[];
}
export interface DbInstanceNode {
  instance: DbInstance;
  scope: Scope;
  tiers: Tier[];
  groups: GroupNode[];
}
export interface InterfaceNode {
  eni: NetworkInterface;
  scope: Scope;
  tiers: Tier[];
  groups: GroupNode[];
}

/** One account + region of the estate. */
export interface Scope {
  key: string;
  accountId: string;
  region: string;
  snapshot: RegionSnapshot;
  collected: Set<ResourceKind>;
  groups: GroupNode[];
  loadBalancers: LoadBalancerNode[];
  dbClusters: DbClusterNode[];
  dbInstances: DbInstanceNode[];
  networkInterfaces: InterfaceNode[];
  prefixLists: Map<string, PrefixList>;
  /** Groups per tier tag. */
  groupsByTier: Record<Tier, GroupNode[]>;
  /** Resources (ENIs with tags, LBs, DBs) per tier tag, for "tier resources exist but no SG" checks. */
  resourcesByTier: Record<Tier, Attachment[]>;
  /** Lookups over the network data (snapshot v2) for the exposure model, filled in one pass. */
  net: ScopeNetwork;
}

/** Per-scope indexes of the network and load-balancer data (empty when not collected; `collected` says). */
export interface ScopeNetwork {
  subnets: Map<string, Subnet>;
  /** Route tables per VPC id. */
  routeTablesByVpc: Map<string, RouteTable[]>;
  /** Network ACLs per associated subnet id (more than one is inconsistent data). */
  aclsBySubnet: Map<string, NetworkAcl[]>;
  internetGateways: InternetGateway[];
  /** Listeners per load balancer ARN. */
  listenersByLoadBalancer: Map<string, Listener[]>;
  targetGroups: Map<string, TargetGroup>;
  loadBalancersByArn: Map<string, LoadBalancerNode>;
  interfacesById: Map<string, InterfaceNode>;
  /** Network interfaces per attached instance id (`attachment.instanceId`). */
  interfacesByInstance: Map<string, InterfaceNode[]>;
  /** Network interfaces per private IPv4 address (primary and secondary). */
  interfacesByAddress: Map<string, InterfaceNode[]>;
  /** VPCs of this scope by id. */
  vpcs: Map<string, Vpc>;
  /**
   * VPC peering connections this scope listed, by `pcx-` id (issue #13): those its VPCs request or accept, in any
   * status (only `active` carries traffic); the other side may be in another scope, or outside the estate.
   */
  peeringConnections: Map<string, VpcPeeringConnection>;
  /** The same connections per VPC id of either side (requester and accepter). */
  peeringConnectionsByVpc: Map<string, VpcPeeringConnection[]>;
}

/** A VPC and the scope (account/region) that listed it. */
export interface VpcEntry {
  scope: Scope;
  vpc: Vpc;
}

/**
 * A VPC peering connection across scopes: the first record seen (the requester's and the accepter's scopes each
 * list it, with the same id) and every scope that listed it.
 */
export interface PeeringEntry {
  connection: VpcPeeringConnection;
  scopes: Scope[];
}

export interface Graph {
  settings: Settings;
  scopes: Scope[];
  groups: GroupNode[];
  groupsById: Map<string, GroupNode>;
  groupsByTier: Record<Tier, GroupNode[]>;
  /** Every VPC of the estate by id, with its scope (cross-scope lookups: the other side of a peering). */
  vpcs: Map<string, VpcEntry>;
  /** Every VPC peering connection of the estate by `pcx-` id, across scopes. */
  peeringConnections: Map<string, PeeringEntry>;
  /** Group ids referenced by some rule but absent from the estate (another account, or deleted). */
  unresolvedReferences: Map<string, RuleEntry[]>;
  /** Account-level collection errors (e.g. AssumeRole failed), from the snapshot. */
  accountErrors: Snapshot['errors'];
}
