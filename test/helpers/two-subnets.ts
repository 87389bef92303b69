/**
 * The two-subnet estate the internet-exposure, tier-skip and blast-radius tests build on: one region, vpc-1 with a
 * public subnet (subnet-pub, 10.0.1.0/24, igw-1, main table 0.0.0.0/0 → igw-1, allow-all ACL acl-default) and a
 * private one (subnet-priv, 10.0.2.0/24, 0.0.0.0/0 → a NAT gateway, never the igw, its own allow-all ACL acl-priv):
 * paths between the two subnets cross two ACLs.
 */
import type {
  Listener,
  LoadBalancer,
  NetworkInterface,
  SecurityGroup,
  TargetGroup,
} from '../../src/snapshot/schema.js';
import { acl, network, publicSubnet, region, route, routeTable, snapshot, subnet, type Network } from './estate.js';

/** subnet-priv of vpc-1 (10.0.2.0/24): its route table sends 0.0.0.0/0 to nat-1; its own allow-all ACL. */
export const PRIVATE: Network = {
  subnets: [subnet('subnet-priv', { cidr: '10.0.2.0/24' })],
  routeTables: [routeTable('rtb-priv', { subnetIds: ['subnet-priv'], routes: [route('0.0.0.0/0', 'nat-1')] })],
  networkAcls: [acl('acl-priv', { subnetIds: ['subnet-priv'], isDefault: false })],
};

type RegionParts = NonNullable<Parameters<typeof region>[0]>;

export interface TwoSubnetParts {
  groups: SecurityGroup[];
  enis: NetworkInterface[];
  lbs?: LoadBalancer[];
  listeners?: Listener[];
  targetGroups?: TargetGroup[];
  instances?: RegionParts['instances'];
  prefixLists?: RegionParts['prefixLists'];
  collected?: RegionParts['collected'];
  /** More network (a peered VPC, another ACL…), added after the two subnets. */
  net?: Network;
}

/** The snapshot of one region: the public and private subnets of vpc-1, and `p`'s groups, interfaces and the rest. */
export function twoSubnetEstate(p: TwoSubnetParts) {
  const net = network(publicSubnet(), PRIVATE, p.net ?? {}, {
    listeners: p.listeners ?? [],
    targetGroups: p.targetGroups ?? [],
  });
  return snapshot(
    region({
      groups: p.groups,
      enis: p.enis,
      lbs: p.lbs,
      instances: p.instances,
      prefixLists: p.prefixLists,
      collected: p.collected,
      ...net,
    }),
  );
}
