/**
 * One lister per resource kind, with the IAM actions the README's "What is called" table and minimal
 * policy name, started in the order collectRegion has always started its chains.
 */
import { describe, expect, test } from 'vitest';
import { APIS_BY_KIND, LISTERS } from '../../../src/collect/listings/index.js';
import { RESOURCE_KINDS } from '../../../src/snapshot/schema.js';

describe('listers', () => {
  test('every resource kind has exactly one lister; security groups are always listed', () => {
    expect(LISTERS.map((l) => l.kind).sort()).toEqual([...RESOURCE_KINDS].sort());
    expect(LISTERS.filter((l) => l.always).map((l) => l.kind)).toEqual(['securityGroups']);
  });

  test('start order: prefix-list names alongside the groups, then the other listings', () => {
    expect(LISTERS.map((l) => l.kind)).toEqual([
      'prefixLists',
      'securityGroups',
      'networkInterfaces',
      'loadBalancers',
      'dbClusters',
      'dbInstances',
      'vpcs',
      'subnets',
      'routeTables',
      'internetGateways',
      'egressOnlyInternetGateways',
      'networkAcls',
      'listeners',
      'targetGroups',
      'vpcPeeringConnections',
    ]);
  });

  test('the IAM actions per kind', () => {
    expect(APIS_BY_KIND).toEqual({
      securityGroups: ['ec2:DescribeSecurityGroups'],
      networkInterfaces: ['ec2:DescribeNetworkInterfaces'],
      loadBalancers: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
      dbClusters: ['rds:DescribeDBClusters'],
      dbInstances: ['rds:DescribeDBInstances'],
      prefixLists: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
      vpcs: ['ec2:DescribeVpcs'],
      subnets: ['ec2:DescribeSubnets'],
      routeTables: ['ec2:DescribeRouteTables'],
      internetGateways: ['ec2:DescribeInternetGateways'],
      egressOnlyInternetGateways: ['ec2:DescribeEgressOnlyInternetGateways'],
      networkAcls: ['ec2:DescribeNetworkAcls'],
      listeners: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
      ],
      targetGroups: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
      vpcPeeringConnections: ['ec2:DescribeVpcPeeringConnections'],
    });
  });
});
