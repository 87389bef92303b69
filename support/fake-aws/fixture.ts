/**
 * A small but complete estate for live-collection tests: three tiers, an internet-facing LB, Aurora and
 * RDS, ENIs, a customer prefix list, cross-group references, and enough load balancers to need several
 * DescribeTags batches. Every optional field the fake endpoint can serve is set somewhere, so a
 * collect → snapshot round trip checks every converter.
 */
import type { RegionSnapshot } from '../../src/snapshot/schema.js';
import { RESOURCE_KINDS } from '../../src/snapshot/schema.js';

export function fixtureRegion(accountId: string, region: string): RegionSnapshot {
  const sgId = (s: string) => `sg-${s}-${region.replace(/-/g, '')}`;
  const lbArn = (name: string) =>
    `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/${name}/0123456789abcdef`;
  const filler = Array.from({ length: 23 }, (_, i) => ({
    arn: lbArn(`internal-${i}`),
    name: `internal-${i}`,
    type: 'application',
    scheme: 'internal',
    vpcId: 'vpc-0a1',
    securityGroups: [sgId('app')],
    tags: { Tier: 'app', Index: String(i) },
  }));
  return {
    accountId,
    region,
    collected: [...RESOURCE_KINDS],
    securityGroups: [
      {
        groupId: sgId('lb'),
        groupName: 'web-alb',
        description: 'Public ALB <https> & "friends"',
        vpcId: 'vpc-0a1',
        ownerId: accountId,
        tags: { Tier: 'lb', Name: 'web-alb' },
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            ipv4: [{ cidr: '0.0.0.0/0', description: 'HTTPS from anywhere' }],
            ipv6: [{ cidr: '::/0' }],
            prefixLists: [],
            groups: [],
          },
        ],
        egress: [
          {
            protocol: 'tcp',
            fromPort: 8080,
            toPort: 8080,
            ipv4: [],
            ipv6: [],
            prefixLists: [],
            groups: [{ groupId: sgId('app'), userId: accountId }],
          },
        ],
      },
      {
        groupId: sgId('app'),
        groupName: 'app',
        description: 'App servers',
        vpcId: 'vpc-0a1',
        ownerId: accountId,
        tags: { Tier: 'app' },
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 8080,
            toPort: 8080,
            ipv4: [],
            ipv6: [],
            prefixLists: [],
            groups: [{ groupId: sgId('lb'), userId: accountId, description: 'from ALB' }],
          },
          {
            protocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            ipv4: [],
            ipv6: [],
            prefixLists: [{ id: 'pl-0corp', description: 'corp VPN' }],
            groups: [],
          },
        ],
        egress: [{ protocol: '-1', ipv4: [{ cidr: '0.0.0.0/0' }], ipv6: [], prefixLists: [], groups: [] }],
      },
      {
        groupId: sgId('db'),
        groupName: 'db',
        description: 'Databases',
        vpcId: 'vpc-0a1',
        ownerId: accountId,
        tags: { Tier: 'data' },
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            ipv4: [],
            ipv6: [],
            prefixLists: [],
            groups: [{ groupId: sgId('app'), userId: accountId }],
          },
          {
            protocol: 'tcp',
            fromPort: 3306,
            toPort: 3306,
            ipv4: [{ cidr: '0.0.0.0/0' }],
            ipv6: [],
            prefixLists: [],
            groups: [],
          },
          {
            protocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            ipv4: [],
            ipv6: [],
            prefixLists: [],
            groups: [
              {
                groupId: 'sg-0peer',
                userId: '999999999999',
                vpcId: 'vpc-0peer',
                vpcPeeringConnectionId: 'pcx-0abc',
                peeringStatus: 'active',
              },
            ],
          },
        ],
        egress: [],
      },
      {
        groupId: sgId('default'),
        groupName: 'default',
        description: 'default VPC security group',
        vpcId: 'vpc-0a1',
        ownerId: accountId,
        tags: {},
        ingress: [
          {
            protocol: '-1',
            ipv4: [],
            ipv6: [],
            prefixLists: [],
            groups: [{ groupId: sgId('default'), userId: accountId }],
          },
        ],
        egress: [{ protocol: '-1', ipv4: [{ cidr: '0.0.0.0/0' }], ipv6: [], prefixLists: [], groups: [] }],
      },
      {
        groupId: sgId('icmp'),
        groupName: 'ops',
        vpcId: 'vpc-0a1',
        ownerId: accountId,
        tags: {},
        ingress: [
          {
            protocol: 'icmp',
            fromPort: 8,
            toPort: -1,
            ipv4: [{ cidr: '10.0.0.0/8' }],
            ipv6: [],
            prefixLists: [],
            groups: [],
          },
        ],
        egress: [],
      },
    ],
    networkInterfaces: [
      {
        id: `eni-app-${region}`,
        groups: [sgId('app')],
        interfaceType: 'interface',
        description: 'Primary network interface',
        status: 'in-use',
        vpcId: 'vpc-0a1',
        attachment: { instanceId: 'i-0app', instanceOwnerId: accountId, status: 'attached' },
        tags: { Tier: 'app' },
      },
      {
        id: `eni-rds-${region}`,
        groups: [sgId('db')],
        interfaceType: 'interface',
        description: 'RDSNetworkInterface',
        status: 'in-use',
        requesterId: 'amazon-rds',
        requesterManaged: true,
        vpcId: 'vpc-0a1',
        tags: {},
      },
    ],
    loadBalancers: [
      {
        arn: lbArn('web'),
        name: 'web',
        type: 'application',
        scheme: 'internet-facing',
        vpcId: 'vpc-0a1',
        securityGroups: [sgId('lb')],
        tags: { Tier: 'lb' },
      },
      {
        arn: lbArn('nlb'),
        name: 'nlb',
        type: 'network',
        scheme: 'internal',
        vpcId: 'vpc-0a1',
        securityGroups: [],
        tags: {},
      },
      ...filler,
    ],
    dbClusters: [
      {
        id: 'orders',
        arn: `arn:aws:rds:${region}:${accountId}:cluster:orders`,
        engine: 'aurora-postgresql',
        port: 5432,
        securityGroups: [sgId('db')],
        publiclyAccessible: false,
        storageEncrypted: true,
        members: ['orders-1', 'orders-2'],
        tags: { Tier: 'data' },
      },
    ],
    dbInstances: [
      {
        id: 'orders-1',
        arn: `arn:aws:rds:${region}:${accountId}:db:orders-1`,
        engine: 'aurora-postgresql',
        port: 5432,
        clusterId: 'orders',
        securityGroups: [sgId('db')],
        publiclyAccessible: false,
        storageEncrypted: true,
        tags: { Tier: 'data' },
      },
      {
        id: 'legacy-mysql',
        arn: `arn:aws:rds:${region}:${accountId}:db:legacy-mysql`,
        engine: 'mysql',
        port: 3306,
        securityGroups: [sgId('db')],
        publiclyAccessible: true,
        storageEncrypted: false,
        tags: {},
      },
    ],
    prefixLists: [
      {
        id: 'pl-0corp',
        name: 'corp-vpn',
        addressFamily: 'IPv4',
        ownerId: accountId,
        entries: [{ cidr: '198.51.100.0/24', description: 'VPN pool A' }, { cidr: '203.0.113.0/25' }],
      },
    ],
    errors: [],
  };
}
