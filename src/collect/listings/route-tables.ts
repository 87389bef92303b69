/**
 * DescribeRouteTables (issue #12: the network data), records in the shape src/exposure/routes.ts reads.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html (MaxResults 5–100; implicit
 * main-table associations are not listed), https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RouteTable.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html (State active | blackhole, Origin
 * CreateRouteTable | CreateRoute | EnableVgwRoutePropagation).
 */
import type { Route as AwsRoute, RouteTable as AwsRouteTable } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { Route, RouteTable } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 100;
const API = 'ec2:DescribeRouteTables';
const ORIGINS: readonly string[] = ['CreateRouteTable', 'CreateRoute', 'EnableVgwRoutePropagation'];

export function convertRoute(r: AwsRoute): Route {
  // Only a blackhole route is known to carry nothing; any other state reads as active, since over-reporting
  // exposure is the safe error (src/exposure/routes.ts).
  const out: Route = { state: r.State === 'blackhole' ? 'blackhole' : 'active' };
  if (has(r.DestinationCidrBlock)) out.destinationCidr = r.DestinationCidrBlock;
  if (has(r.DestinationIpv6CidrBlock)) out.destinationIpv6Cidr = r.DestinationIpv6CidrBlock;
  if (has(r.DestinationPrefixListId)) out.destinationPrefixListId = r.DestinationPrefixListId;
  if (has(r.GatewayId)) out.gatewayId = r.GatewayId;
  if (has(r.EgressOnlyInternetGatewayId)) out.egressOnlyInternetGatewayId = r.EgressOnlyInternetGatewayId;
  if (has(r.NatGatewayId)) out.natGatewayId = r.NatGatewayId;
  if (has(r.TransitGatewayId)) out.transitGatewayId = r.TransitGatewayId;
  if (has(r.VpcPeeringConnectionId)) out.vpcPeeringConnectionId = r.VpcPeeringConnectionId;
  if (has(r.NetworkInterfaceId)) out.networkInterfaceId = r.NetworkInterfaceId;
  if (has(r.InstanceId)) out.instanceId = r.InstanceId;
  if (has(r.Origin) && ORIGINS.includes(r.Origin)) out.origin = r.Origin as NonNullable<Route['origin']>;
  return out;
}

export function convertRouteTable(t: AwsRouteTable): RouteTable {
  if (!t.RouteTableId || !t.VpcId) throw new InvalidResponseError('route table without RouteTableId or VpcId');
  const associations = t.Associations ?? [];
  return {
    id: t.RouteTableId,
    vpcId: t.VpcId,
    main: associations.some((a) => a.Main === true),
    subnetIds: associations.map((a) => a.SubnetId).filter(has),
    routes: (t.Routes ?? []).map(convertRoute),
    tags: tagsToRecord(t.Tags),
  };
}

export const routeTables: Lister = {
  kind: 'routeTables',
  apis: [API],
  start(l) {
    const { DescribeRouteTablesCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      (token, abortSignal) =>
        ec2.send(new DescribeRouteTablesCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
      (p) => p.NextToken,
      (p) => {
        for (const t of p.RouteTables ?? []) l.rs.routeTables.push(convertRouteTable(t));
      },
    );
    l.chain('routeTables', API, work);
  },
};
