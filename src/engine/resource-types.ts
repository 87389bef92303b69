/**
 * One spelling per resource concept. A resource kind has two names: its key (`networkInterfaces`: the
 * snapshot field, a rule's `needs`, a scope's `collected`) and the type findings report it as
 * (`network-interface`: the JSON contract). Everything else derives from the map below, so adding a kind
 * (subnets, route tables) is one key here and the compiler names every place that has to handle it.
 */
import type { NetworkKind, ResourceKind } from '../snapshot/schema.js';

/**
 * Kinds a finding can name as its resource or a related resource; prefix lists are only ever rule sources,
 * the network data (subnets, route tables…) only ever path hops.
 */
export type ReportedKind = Exclude<ResourceKind, 'prefixLists' | NetworkKind>;

/** The report's `resource.type` of each kind. */
export const REPORT_TYPE_OF = {
  securityGroups: 'security-group',
  networkInterfaces: 'network-interface',
  loadBalancers: 'load-balancer',
  dbClusters: 'db-cluster',
  dbInstances: 'db-instance',
} as const satisfies Record<ReportedKind, string>;

export type ReportTypeOf<K extends ReportedKind> = (typeof REPORT_TYPE_OF)[K];

/** Kinds a security group is attached to: what the graph records as a group's attachments. */
export type AttachedKind = Exclude<ReportedKind, 'securityGroups'>;

/**
 * Report types that are not a collected resource: an account/region (collection errors), the engine, and an EC2
 * instance (known from its network interfaces' attachment, a finding's related resource).
 */
export type NonResourceType = 'account-region' | 'rule' | 'instance';
