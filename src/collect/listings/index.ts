/**
 * Every lister, in the order a region starts them (prefix-list names first, so that listing runs
 * alongside the groups' pages that reveal which lists matter).
 */
import { RESOURCE_KINDS, type ResourceKind } from '../../snapshot/schema.js';
import { dbClusters } from './db-clusters.js';
import { dbInstances } from './db-instances.js';
import { egressOnlyInternetGateways } from './egress-only-internet-gateways.js';
import { internetGateways } from './internet-gateways.js';
import { listeners } from './listeners.js';
import type { Lister } from './listing.js';
import { loadBalancers } from './load-balancers.js';
import { networkAcls } from './network-acls.js';
import { networkInterfaces } from './network-interfaces.js';
import { prefixLists } from './prefix-lists.js';
import { routeTables } from './route-tables.js';
import { securityGroups } from './security-groups.js';
import { subnets } from './subnets.js';
import { targetGroups } from './target-groups.js';
import { vpcPeeringConnections } from './vpc-peering-connections.js';
import { vpcs } from './vpcs.js';

export const LISTERS: readonly Lister[] = [
  prefixLists,
  securityGroups,
  networkInterfaces,
  loadBalancers,
  dbClusters,
  dbInstances,
  vpcs,
  subnets,
  routeTables,
  internetGateways,
  egressOnlyInternetGateways,
  networkAcls,
  listeners,
  targetGroups,
  vpcPeeringConnections,
];

/** IAM action names of every call, per resource kind (also the README's minimal policy). */
export const APIS_BY_KIND = Object.fromEntries(
  RESOURCE_KINDS.map((kind) => [kind, [...(LISTERS.find((l) => l.kind === kind)?.apis ?? [])]]),
) as Record<ResourceKind, string[]>;
