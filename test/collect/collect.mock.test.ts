/**
 * Live collection against aws-sdk-client-mock: pagination, fan-out, failures, opt-in regions, prefix
 * lists, role assumption, API selection. (SDK retries and the wire protocol are exercised against the
 * fake endpoint in sdk-stack.test.ts; mocks replace `send`, so the SDK's middleware does not run here.)
 */
import {
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  type SecurityGroup as AwsSg,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AssumeRoleCommand as NestedAssumeRoleCommand,
  STSClient as NestedSTSClient,
} from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { collectLive, type CollectOptions } from '../../src/collect/collect.js';
import { NETWORK_KINDS, RESOURCE_KINDS, type ResourceKind, type Snapshot } from '../../src/snapshot/schema.js';
import { SgAuditError } from '../../src/util/errors.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ACCOUNT = '111111111111';
const ec2 = mockClient(EC2Client);
const elb = mockClient(ElasticLoadBalancingV2Client);
const rds = mockClient(RDSClient);
const sts = mockClient(STSClient);
const nestedSts = mockClient(NestedSTSClient);

const savedEnv = { ...process.env };
beforeEach(() => {
  for (const m of [ec2, elb, rds, sts, nestedSts]) m.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, UserId: 'AIDAEXAMPLE' });
  // Nothing configured: every region below comes from --regions.
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/nonexistent/sg-audit-test-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/sg-audit-test-credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // Empty defaults for every API, so a test only describes what it cares about.
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });
  ec2.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [] });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
  ec2.on(DescribeEgressOnlyInternetGatewaysCommand).resolves({ EgressOnlyInternetGateways: [] });
  ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [] });
  ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({ VpcPeeringConnections: [] });
  elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  elb.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
  elb.on(DescribeListenersCommand).resolves({ Listeners: [] });
  elb.on(DescribeRulesCommand).resolves({ Rules: [] });
  elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [] });
  elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
});
afterAll(() => {
  for (const m of [ec2, elb, rds, sts, nestedSts]) m.restore();
  process.env = savedEnv;
});

const ALL = new Set<ResourceKind>(RESOURCE_KINDS);

function opts(o: Partial<CollectOptions> = {}): CollectOptions {
  return { regions: { mode: 'list', regions: ['us-east-1'] }, needs: ALL, concurrency: 8, env: {}, ...o };
}

const awsSg = (id: string, extra: Partial<AwsSg> = {}): AwsSg => ({
  GroupId: id,
  GroupName: id,
  Description: `group ${id}`,
  VpcId: 'vpc-1',
  OwnerId: ACCOUNT,
  IpPermissions: [],
  IpPermissionsEgress: [],
  ...extra,
});

/** Build an SDK-style service error. */
function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
  });
}

type AnyClient = { config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> } };
const regionOf = async (getClient: () => unknown) => (getClient() as AnyClient).config.region();

function region(snap: Snapshot, name: string, account = ACCOUNT) {
  const r = snap.regions.find((x) => x.region === name && x.accountId === account);
  if (!r) throw new Error(`no ${account}/${name} in snapshot`);
  return r;
}

describe('pagination', () => {
  test('follows NextToken and Marker chains with the largest page sizes, and tags LBs in batches of 20', async () => {
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { NextToken?: string }) => {
      const pages: Record<string, { SecurityGroups: AwsSg[]; NextToken?: string }> = {
        '': { SecurityGroups: [awsSg('sg-1'), awsSg('sg-2')], NextToken: 't1' },
        t1: { SecurityGroups: [awsSg('sg-3')], NextToken: 't2' },
        t2: { SecurityGroups: [awsSg('sg-4')] },
      };
      return pages[input.NextToken ?? ''];
    });
    ec2.on(DescribeNetworkInterfacesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === undefined
        ? { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Groups: [{ GroupId: 'sg-1' }] }], NextToken: 'n1' }
        : {
            NetworkInterfaces: [
              {
                NetworkInterfaceId: 'eni-2',
                Groups: [{ GroupId: 'sg-2' }],
                Attachment: { InstanceId: 'i-2', DeviceIndex: 0 },
              },
            ],
          },
    );
    const lbArn = (i: number) => `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/lb${i}/0000`;
    elb.on(DescribeLoadBalancersCommand).callsFake((input: { Marker?: string }) =>
      input.Marker === undefined
        ? {
            LoadBalancers: Array.from({ length: 25 }, (_, i) => ({
              LoadBalancerArn: lbArn(i),
              LoadBalancerName: `lb${i}`,
              Type: 'application',
              Scheme: 'internal',
              SecurityGroups: ['sg-1'],
            })),
            NextMarker: 'm1',
          }
        : {
            LoadBalancers: [
              {
                LoadBalancerArn: lbArn(25),
                LoadBalancerName: 'lb25',
                Type: 'network',
                Scheme: 'internet-facing',
                // The subnets of its nodes; a zone without a subnet id names none.
                AvailabilityZones: [
                  { ZoneName: 'us-east-1a', SubnetId: 'subnet-a' },
                  { ZoneName: 'us-east-1b', SubnetId: 'subnet-b' },
                  { ZoneName: 'us-east-1c' },
                ],
              },
            ],
          },
    );
    elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => ({
      TagDescriptions: input.ResourceArns.map((arn) => ({
        ResourceArn: arn,
        Tags: [{ Key: 'Name', Value: arn.split('/')[2] }],
      })),
    }));
    rds.on(DescribeDBClustersCommand).callsFake((input: { Marker?: string }) =>
      input.Marker === undefined
        ? { DBClusters: [{ DBClusterIdentifier: 'c1', Engine: 'aurora-mysql', Port: 3306 }], Marker: 'c-next' }
        : {
            DBClusters: [
              {
                DBClusterIdentifier: 'c2',
                Engine: 'aurora-postgresql',
                Port: 5432,
                VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-3' }],
              },
            ],
          },
    );
    rds.on(DescribeDBInstancesCommand).callsFake((input: { Marker?: string }) =>
      input.Marker === undefined
        ? {
            DBInstances: [{ DBInstanceIdentifier: 'd1', Engine: 'postgres', Endpoint: { Port: 5432 } }],
            Marker: 'd-next',
          }
        : {
            DBInstances: [
              {
                DBInstanceIdentifier: 'd2',
                Engine: 'mysql',
                DBClusterIdentifier: 'c1',
                TagList: [{ Key: 'Tier', Value: 'data' }],
              },
            ],
          },
    );

    const snap = await collectLive(opts());
    const r = region(snap, 'us-east-1');
    expect(r.errors).toEqual([]);
    expect(r.collected).toEqual([...RESOURCE_KINDS]);
    expect(r.securityGroups.map((g) => g.groupId)).toEqual(['sg-1', 'sg-2', 'sg-3', 'sg-4']);
    expect(r.networkInterfaces).toEqual([
      { id: 'eni-1', groups: ['sg-1'], privateIpAddresses: [], ipv6Addresses: [], tags: {} },
      {
        id: 'eni-2',
        groups: ['sg-2'],
        privateIpAddresses: [],
        ipv6Addresses: [],
        tags: {},
        attachment: { instanceId: 'i-2', deviceIndex: 0 },
      },
    ]);
    expect(r.loadBalancers).toHaveLength(26);
    // No AvailabilityZones in the response: the subnets are unknown (absent), not none.
    expect(r.loadBalancers[0]).not.toHaveProperty('subnetIds');
    expect(r.loadBalancers.every((lb) => lb.tags.Name === lb.name)).toBe(true);
    expect(r.loadBalancers[25]).toEqual({
      arn: lbArn(25),
      name: 'lb25',
      type: 'network',
      scheme: 'internet-facing',
      subnetIds: ['subnet-a', 'subnet-b'],
      securityGroups: [],
      tags: { Name: 'lb25' },
    });
    expect(r.dbClusters.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(r.dbInstances).toEqual([
      { id: 'd1', engine: 'postgres', port: 5432, securityGroups: [], tags: {} },
      { id: 'd2', engine: 'mysql', clusterId: 'c1', securityGroups: [], tags: { Tier: 'data' } },
    ]);

    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 't1' },
      { MaxResults: 1000, NextToken: 't2' },
    ]);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 'n1' },
    ]);
    expect(elb.commandCalls(DescribeLoadBalancersCommand).map((c) => c.args[0].input)).toEqual([
      { PageSize: 400 },
      { PageSize: 400, Marker: 'm1' },
    ]);
    expect(
      elb
        .commandCalls(DescribeTagsCommand)
        .map((c) => c.args[0].input.ResourceArns!.length)
        .sort((a, b) => a - b),
    ).toEqual([1, 5, 20]);
    expect(rds.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input)).toEqual([
      { MaxRecords: 100 },
      { MaxRecords: 100, Marker: 'c-next' },
    ]);
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { MaxRecords: 100 },
      { MaxRecords: 100, Marker: 'd-next' },
    ]);
    // Every SDK call received the abort signal option object.
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).every((c) => c.args.length >= 1)).toBe(true);
  });

  test('a repeated pagination token is an error for that API, not an endless loop', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1' }], NextToken: 'same' });
    const r = region(await collectLive(opts()), 'us-east-1');
    expect(r.errors).toEqual([
      {
        api: 'ec2:DescribeNetworkInterfaces',
        code: 'PaginationLoop',
        message: 'the service returned the same pagination token twice',
      },
    ]);
    expect(r.collected).toEqual(RESOURCE_KINDS.filter((k) => k !== 'networkInterfaces'));
    expect(r.networkInterfaces).toEqual([]);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(2);
  });
});

describe('concurrency', () => {
  test('independent chains start together; follow-up calls fire as soon as the pages that reveal them arrive', async () => {
    // Each chain's first page only answers once every chain has started: run sequentially, this would hang.
    const started = new Set<string>();
    let release!: () => void;
    const allStarted = new Promise<void>((r) => (release = r));
    const arrive = async (name: string) => {
      started.add(name);
      if (started.size === 6) release();
      await Promise.race([
        allStarted,
        new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${[...started].join(',')} started`)), 3000)),
      ]);
    };
    // Second SG / LB pages wait for the follow-ups of the first page.
    let entriesCalled!: () => void;
    const entriesSeen = new Promise<void>((r) => (entriesCalled = r));
    let tagsCalled!: () => void;
    const tagsSeen = new Promise<void>((r) => (tagsCalled = r));
    const within = (p: Promise<void>, what: string) =>
      Promise.race([
        p,
        new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} not fired before the next page`)), 3000)),
      ]);

    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: { NextToken?: string }) => {
      if (input.NextToken === undefined) {
        await arrive('sg');
        return {
          SecurityGroups: [
            awsSg('sg-1', {
              IpPermissions: [
                { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-1' }] },
              ],
            }),
          ],
          NextToken: 'p2',
        };
      }
      await within(entriesSeen, 'GetManagedPrefixListEntries');
      return { SecurityGroups: [awsSg('sg-2')] };
    });
    ec2.on(GetManagedPrefixListEntriesCommand).callsFake(() => {
      entriesCalled();
      return { Entries: [{ Cidr: '10.0.0.0/8' }] };
    });
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(async () => (await arrive('eni'), { NetworkInterfaces: [] }));
    ec2
      .on(DescribeManagedPrefixListsCommand)
      .callsFake(async () => (await arrive('pl'), { PrefixLists: [{ PrefixListId: 'pl-1', PrefixListName: 'corp' }] }));
    elb.on(DescribeLoadBalancersCommand).callsFake(async (input: { Marker?: string }) => {
      if (input.Marker === undefined) {
        await arrive('lb');
        return {
          LoadBalancers: [
            { LoadBalancerArn: 'arn:lb1', LoadBalancerName: 'lb1', Type: 'application', Scheme: 'internal' },
          ],
          NextMarker: 'm',
        };
      }
      await within(tagsSeen, 'DescribeTags');
      return {
        LoadBalancers: [
          { LoadBalancerArn: 'arn:lb2', LoadBalancerName: 'lb2', Type: 'application', Scheme: 'internal' },
        ],
      };
    });
    elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => {
      tagsCalled();
      return {
        TagDescriptions: input.ResourceArns.map((a) => ({ ResourceArn: a, Tags: [{ Key: 'Tier', Value: 'lb' }] })),
      };
    });
    rds.on(DescribeDBClustersCommand).callsFake(async () => (await arrive('dbc'), { DBClusters: [] }));
    rds.on(DescribeDBInstancesCommand).callsFake(async () => (await arrive('dbi'), { DBInstances: [] }));

    const r = region(await collectLive(opts({ concurrency: 16 })), 'us-east-1');
    expect(r.errors).toEqual([]);
    expect(r.securityGroups.map((g) => g.groupId)).toEqual(['sg-1', 'sg-2']);
    expect(r.prefixLists).toEqual([{ id: 'pl-1', name: 'corp', entries: [{ cidr: '10.0.0.0/8' }] }]);
    expect(r.loadBalancers.map((l) => [l.name, l.tags.Tier])).toEqual([
      ['lb1', 'lb'],
      ['lb2', 'lb'],
    ]);
  });

  test('accounts × regions × APIs share one bound: never more calls in flight than --concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = async <T>(out: T): Promise<T> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return out;
    };
    ec2.on(DescribeSecurityGroupsCommand).callsFake(() => slow({ SecurityGroups: [awsSg('sg-1')] }));
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(() => slow({ NetworkInterfaces: [] }));
    ec2.on(DescribeManagedPrefixListsCommand).callsFake(() => slow({ PrefixLists: [] }));
    elb.on(DescribeLoadBalancersCommand).callsFake(() => slow({ LoadBalancers: [] }));
    rds.on(DescribeDBClustersCommand).callsFake(() => slow({ DBClusters: [] }));
    rds.on(DescribeDBInstancesCommand).callsFake(() => slow({ DBInstances: [] }));
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'eu-west-1',
      'eu-west-2',
      'eu-central-1',
      'ap-south-1',
    ];
    const snap = await collectLive(opts({ regions: { mode: 'list', regions }, concurrency: 3 }));
    expect(snap.regions.map((r) => r.region)).toEqual([...regions].sort());
    expect(snap.regions.every((r) => r.errors.length === 0 && r.securityGroups.length === 1)).toBe(true);
    expect(peak).toBe(3);
  });
});

describe('failures are recorded per region and API; everything else completes', () => {
  test('AuthFailure in a disabled region, AccessDenied on one API elsewhere, throttling that outlasted retries', async () => {
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (_input: unknown, getClient: () => unknown) => {
      const r = await regionOf(getClient);
      if (r === 'me-south-1')
        throw awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      return { SecurityGroups: [awsSg(`sg-${r}`)] };
    });
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(async (_input: unknown, getClient: () => unknown) => {
      const r = await regionOf(getClient);
      if (r === 'me-south-1')
        throw awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      if (r === 'eu-west-1')
        throw awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
      return { NetworkInterfaces: [{ NetworkInterfaceId: `eni-${r}` }] };
    });
    elb.on(DescribeLoadBalancersCommand).callsFake(async (_input: unknown, getClient: () => unknown) => {
      const r = await regionOf(getClient);
      if (r === 'eu-west-1')
        throw awsError(
          'AccessDenied',
          `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers`,
          403,
        );
      return { LoadBalancers: [] };
    });
    rds.on(DescribeDBInstancesCommand).callsFake(async (_input: unknown, getClient: () => unknown) => {
      const r = await regionOf(getClient);
      if (r === 'us-east-1') throw awsError('Throttling', 'Rate exceeded');
      return { DBInstances: [] };
    });
    const needs = new Set<ResourceKind>(['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbInstances']);
    const snap = await collectLive(
      opts({ regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1', 'me-south-1', 'ap-south-1'] }, needs }),
    );

    expect(snap.errors).toEqual([]);
    expect(snap.regions.map((r) => [r.region, r.collected, r.errors])).toEqual([
      ['ap-south-1', ['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbInstances'], []],
      [
        'eu-west-1',
        ['securityGroups', 'dbInstances'],
        [
          {
            api: 'ec2:DescribeNetworkInterfaces',
            code: 'UnauthorizedOperation',
            message: 'You are not authorized to perform this operation.',
          },
          {
            api: 'elasticloadbalancing:DescribeLoadBalancers',
            code: 'AccessDenied',
            message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers`,
          },
        ],
      ],
      [
        'me-south-1',
        ['loadBalancers', 'dbInstances'],
        [
          {
            api: 'ec2:DescribeNetworkInterfaces',
            code: 'AuthFailure',
            message: 'AWS was not able to validate the provided access credentials',
          },
          {
            api: 'ec2:DescribeSecurityGroups',
            code: 'AuthFailure',
            message: 'AWS was not able to validate the provided access credentials',
          },
        ],
      ],
      [
        'us-east-1',
        ['securityGroups', 'networkInterfaces', 'loadBalancers'],
        [{ api: 'rds:DescribeDBInstances', code: 'Throttling', message: 'Rate exceeded' }],
      ],
    ]);
    expect(region(snap, 'ap-south-1').networkInterfaces.map((n) => n.id)).toEqual(['eni-ap-south-1']);
    expect(region(snap, 'eu-west-1').securityGroups.map((g) => g.groupId)).toEqual(['sg-eu-west-1']);
    expect(region(snap, 'eu-west-1').networkInterfaces).toEqual([]);
    expect(region(snap, 'me-south-1').securityGroups).toEqual([]);
  });

  test('a failure on a later page drops that kind entirely (no partial inventory)', async () => {
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { NextToken?: string }) => {
      if (input.NextToken === undefined) return { SecurityGroups: [awsSg('sg-1')], NextToken: 't' };
      throw awsError('InternalError', 'An internal error has occurred', 500);
    });
    const r = region(await collectLive(opts()), 'us-east-1');
    expect(r.securityGroups).toEqual([]);
    expect(r.collected).toEqual(['networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances', ...NETWORK_KINDS]);
    expect(r.errors).toEqual([
      { api: 'ec2:DescribeSecurityGroups', code: 'InternalError', message: 'An internal error has occurred' },
    ]);
  });

  test('a malformed record is an InvalidResponse error for its API', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupName: 'no-id' }] });
    const r = region(await collectLive(opts({ needs: new Set(['securityGroups']) })), 'us-east-1');
    expect(r.collected).toEqual([]);
    expect(r.errors).toEqual([
      { api: 'ec2:DescribeSecurityGroups', code: 'InvalidResponse', message: expect.stringContaining('GroupId') },
    ]);
  });

  test('credential values in AWS error messages are scrubbed', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIASGAUDITSCRUB0001',
      AWS_SECRET_ACCESS_KEY: 'sgAuditScrubSecret/abc+def0123456789',
      AWS_SESSION_TOKEN: 'sgAuditScrubSessionTokenValue==',
    };
    ec2
      .on(DescribeSecurityGroupsCommand)
      .rejects(
        awsError(
          'AuthFailure',
          `key ${env.AWS_ACCESS_KEY_ID} secret ${env.AWS_SECRET_ACCESS_KEY} token ${env.AWS_SESSION_TOKEN} other ASIAZZZZZZZZZZZZZZZZ Credential=AKIAXX/20260101/us-east-1/ec2`,
          401,
        ),
      );
    const snap = await collectLive(opts({ env, needs: new Set(['securityGroups']) }));
    const text = JSON.stringify(snap);
    for (const v of Object.values(env)) expect(text).not.toContain(v);
    expect(text).not.toContain('ASIAZZZZZZZZZZZZZZZZ');
    expect(region(snap, 'us-east-1').errors[0].message).toBe(
      'key [redacted] secret [redacted] token [redacted] other [redacted-key-id] Credential=[redacted]',
    );
  });
});

describe('regions', () => {
  test("'all' lists regions with DescribeRegions(AllRegions) and skips not-opted-in ones", async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'eu-south-1', OptInStatus: 'opted-in' },
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
      ],
    });
    const called: string[] = [];
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (_i: unknown, getClient: () => unknown) => {
      called.push(await regionOf(getClient));
      return { SecurityGroups: [] };
    });
    const snap = await collectLive(opts({ regions: { mode: 'all' }, needs: new Set(['securityGroups']) }));
    expect(snap.regions.map((r) => r.region)).toEqual(['eu-south-1', 'eu-west-1', 'us-east-1']);
    expect(called.sort()).toEqual(['eu-south-1', 'eu-west-1', 'us-east-1']);
    expect(ec2.commandCalls(DescribeRegionsCommand).map((c) => c.args[0].input)).toEqual([{ AllRegions: true }]);
  });

  test('the default region comes from the environment; none configured is a usage error before any call', async () => {
    process.env.AWS_REGION = 'eu-central-1';
    const snap = await collectLive(opts({ regions: { mode: 'default' }, needs: new Set(['securityGroups']) }));
    expect(snap.regions.map((r) => r.region)).toEqual(['eu-central-1']);

    delete process.env.AWS_REGION;
    sts.reset();
    ec2.reset();
    const err = await collectLive(opts({ regions: { mode: 'default' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SgAuditError);
    expect((err as SgAuditError).exitCode).toBe(2);
    expect((err as SgAuditError).message).toMatch(/^no region: AWS_REGION is not set; pass --regions/);
    expect(sts.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
  });

  test('a malformed region name is rejected before any call', async () => {
    const err = await collectLive(opts({ regions: { mode: 'list', regions: ['us-east-1', 'useast1'] } })).catch(
      (e: unknown) => e,
    );
    expect((err as SgAuditError).exitCode).toBe(2);
    expect((err as Error).message).toBe("--regions: 'useast1' is not a region name");
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('prefix lists', () => {
  test('only lists referenced by collected groups are resolved, entries paginated, names from DescribeManagedPrefixLists', async () => {
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === undefined
        ? {
            SecurityGroups: [
              awsSg('sg-1', {
                IpPermissions: [
                  {
                    IpProtocol: 'tcp',
                    FromPort: 443,
                    ToPort: 443,
                    PrefixListIds: [{ PrefixListId: 'pl-a', Description: 'office' }],
                  },
                ],
              }),
            ],
            NextToken: 'x',
          }
        : {
            SecurityGroups: [
              awsSg('sg-2', {
                IpPermissions: [
                  { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: 'pl-a' }] },
                ],
                IpPermissionsEgress: [{ IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-s3' }] }],
              }),
            ],
          },
    );
    ec2.on(DescribeManagedPrefixListsCommand).resolves({
      PrefixLists: [
        { PrefixListId: 'pl-a', PrefixListName: 'office', AddressFamily: 'IPv4', OwnerId: ACCOUNT },
        { PrefixListId: 'pl-s3', PrefixListName: 'com.amazonaws.us-east-1.s3', AddressFamily: 'IPv4', OwnerId: 'AWS' },
        { PrefixListId: 'pl-unused', PrefixListName: 'unused', AddressFamily: 'IPv4', OwnerId: ACCOUNT },
      ],
    });
    ec2.on(GetManagedPrefixListEntriesCommand).callsFake((input: { PrefixListId: string; NextToken?: string }) => {
      if (input.PrefixListId === 'pl-a') {
        return input.NextToken === undefined
          ? { Entries: [{ Cidr: '203.0.113.0/24', Description: 'hq' }], NextToken: 'e2' }
          : { Entries: [{ Cidr: '198.51.100.0/24' }] };
      }
      return { Entries: [{ Cidr: '52.216.0.0/15' }] };
    });
    const r = region(await collectLive(opts({ needs: new Set(['securityGroups', 'prefixLists']) })), 'us-east-1');
    expect(r.collected).toEqual(['securityGroups', 'prefixLists']);
    expect(r.prefixLists).toEqual([
      {
        id: 'pl-a',
        name: 'office',
        addressFamily: 'IPv4',
        ownerId: ACCOUNT,
        entries: [{ cidr: '203.0.113.0/24', description: 'hq' }, { cidr: '198.51.100.0/24' }],
      },
      {
        id: 'pl-s3',
        name: 'com.amazonaws.us-east-1.s3',
        addressFamily: 'IPv4',
        ownerId: 'AWS',
        entries: [{ cidr: '52.216.0.0/15' }],
      },
    ]);
    expect(ec2.commandCalls(GetManagedPrefixListEntriesCommand).map((c) => c.args[0].input)).toEqual([
      { PrefixListId: 'pl-a', MaxResults: 100 },
      { PrefixListId: 'pl-a', MaxResults: 100, NextToken: 'e2' },
      { PrefixListId: 'pl-s3', MaxResults: 100 },
    ]);
    expect(ec2.commandCalls(DescribeManagedPrefixListsCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 100 },
    ]);
  });

  test('a list whose entries cannot be read is kept without entries; the error names it', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        awsSg('sg-1', {
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              PrefixListIds: [{ PrefixListId: 'pl-ok' }, { PrefixListId: 'pl-shared' }],
            },
          ],
        }),
      ],
    });
    ec2.on(GetManagedPrefixListEntriesCommand).callsFake((input: { PrefixListId: string }) => {
      if (input.PrefixListId === 'pl-shared')
        throw awsError('InvalidPrefixListID.NotFound', "The prefix list ID 'pl-shared' does not exist");
      return { Entries: [{ Cidr: '10.0.0.0/8' }] };
    });
    const r = region(await collectLive(opts({ needs: new Set(['securityGroups', 'prefixLists']) })), 'us-east-1');
    expect(r.collected).toEqual(['securityGroups']);
    expect(r.prefixLists).toEqual([{ id: 'pl-ok', entries: [{ cidr: '10.0.0.0/8' }] }, { id: 'pl-shared' }]);
    expect(r.errors).toEqual([
      {
        api: 'ec2:GetManagedPrefixListEntries',
        code: 'InvalidPrefixListID.NotFound',
        message: "pl-shared: The prefix list ID 'pl-shared' does not exist",
      },
    ]);
  });
});

describe('the network data (issue #12)', () => {
  test('each kind follows its NextToken chain with the largest page size and converts every field', async () => {
    const twoPages =
      <T>(key: string, first: T[], second: T[]) =>
      (input: { NextToken?: string }) =>
        input.NextToken === undefined ? { [key]: first, NextToken: `${key}-2` } : { [key]: second };
    ec2.on(DescribeVpcsCommand).callsFake(
      twoPages(
        'Vpcs',
        [
          {
            VpcId: 'vpc-1',
            CidrBlock: '10.0.0.0/16',
            CidrBlockAssociationSet: [{ CidrBlock: '10.0.0.0/16' }, { CidrBlock: '100.64.0.0/16' }],
            Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2001:db8::/56' }, {}],
            IsDefault: false,
            OwnerId: ACCOUNT,
            Tags: [{ Key: 'Name', Value: 'main' }],
          },
        ],
        [{ VpcId: 'vpc-2' }],
      ),
    );
    ec2.on(DescribeSubnetsCommand).callsFake(
      twoPages(
        'Subnets',
        [
          {
            SubnetId: 'subnet-1',
            VpcId: 'vpc-1',
            CidrBlock: '10.0.1.0/24',
            Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2001:db8:0:1::/64' }],
            AvailabilityZone: 'us-east-1a',
            MapPublicIpOnLaunch: true,
          },
        ],
        [{ SubnetId: 'subnet-2', VpcId: 'vpc-2' }],
      ),
    );
    ec2.on(DescribeRouteTablesCommand).callsFake(
      twoPages(
        'RouteTables',
        [
          {
            RouteTableId: 'rtb-1',
            VpcId: 'vpc-1',
            Associations: [{ Main: true }, { Main: false, SubnetId: 'subnet-1' }],
            Routes: [
              { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', Origin: 'CreateRoute', State: 'active' },
              { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
              { DestinationPrefixListId: 'pl-1', NatGatewayId: 'nat-1', State: 'blackhole', Origin: 'Other' },
              { DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1', Origin: 'EnableVgwRoutePropagation' },
              { DestinationCidrBlock: '10.2.0.0/16', VpcPeeringConnectionId: 'pcx-1', State: 'active' },
              { DestinationCidrBlock: '10.3.0.0/16', NetworkInterfaceId: 'eni-1', InstanceId: 'i-1', State: 'active' },
            ],
          },
        ],
        [{ RouteTableId: 'rtb-2', VpcId: 'vpc-2' }],
      ),
    );
    ec2
      .on(DescribeInternetGatewaysCommand)
      .callsFake(
        twoPages(
          'InternetGateways',
          [{ InternetGatewayId: 'igw-1', OwnerId: ACCOUNT, Attachments: [{ VpcId: 'vpc-1', State: 'available' }, {}] }],
          [{ InternetGatewayId: 'igw-2' }],
        ),
      );
    ec2
      .on(DescribeEgressOnlyInternetGatewaysCommand)
      .callsFake(
        twoPages(
          'EgressOnlyInternetGateways',
          [{ EgressOnlyInternetGatewayId: 'eigw-1', Attachments: [{ VpcId: 'vpc-1', State: 'attached' }] }],
          [{ EgressOnlyInternetGatewayId: 'eigw-2', Tags: [{ Key: 'a', Value: 'b' }] }],
        ),
      );
    ec2.on(DescribeNetworkAclsCommand).callsFake(
      twoPages(
        'NetworkAcls',
        [
          {
            NetworkAclId: 'acl-1',
            VpcId: 'vpc-1',
            IsDefault: true,
            Associations: [{ SubnetId: 'subnet-1' }, { NetworkAclId: 'acl-1' }],
            Entries: [
              {
                RuleNumber: 100,
                Egress: false,
                Protocol: '6',
                RuleAction: 'allow',
                CidrBlock: '0.0.0.0/0',
                PortRange: { From: 443, To: 443 },
              },
              {
                RuleNumber: 110,
                Protocol: '1',
                RuleAction: 'deny',
                Ipv6CidrBlock: '::/0',
                IcmpTypeCode: { Type: 8, Code: -1 },
              },
            ],
          },
        ],
        [{ NetworkAclId: 'acl-2', VpcId: 'vpc-2' }],
      ),
    );
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        {
          NetworkInterfaceId: 'eni-1',
          SubnetId: 'subnet-1',
          VpcId: 'vpc-1',
          Association: { PublicIp: '203.0.113.1' },
          PrivateIpAddresses: [
            { PrivateIpAddress: '10.0.1.5', Primary: true, Association: { PublicIp: '203.0.113.1' } },
            { PrivateIpAddress: '10.0.1.6', Primary: false, Association: { PublicIp: '198.51.100.2' } },
            { Primary: false },
          ],
          Ipv6Addresses: [{ Ipv6Address: '2001:db8:0:1::5' }, {}],
        },
      ],
    });
    const needs = new Set<ResourceKind>(['securityGroups', 'networkInterfaces', ...NETWORK_KINDS]);
    const r = region(await collectLive(opts({ needs })), 'us-east-1');
    expect(r.errors).toEqual([]);
    expect(r.collected).toEqual(['securityGroups', 'networkInterfaces', ...NETWORK_KINDS]);
    expect(r.networkInterfaces).toEqual([
      {
        id: 'eni-1',
        groups: [],
        tags: {},
        vpcId: 'vpc-1',
        subnetId: 'subnet-1',
        publicIp: '203.0.113.1',
        privateIpAddresses: [
          { address: '10.0.1.5', primary: true, publicIp: '203.0.113.1' },
          { address: '10.0.1.6', primary: false, publicIp: '198.51.100.2' },
        ],
        ipv6Addresses: ['2001:db8:0:1::5'],
      },
    ]);
    expect(r.vpcs).toEqual([
      {
        id: 'vpc-1',
        cidrBlock: '10.0.0.0/16',
        cidrBlocks: ['10.0.0.0/16', '100.64.0.0/16'],
        ipv6CidrBlocks: ['2001:db8::/56'],
        isDefault: false,
        ownerId: ACCOUNT,
        tags: { Name: 'main' },
      },
      { id: 'vpc-2', cidrBlocks: [], ipv6CidrBlocks: [], tags: {} },
    ]);
    expect(r.subnets).toEqual([
      {
        id: 'subnet-1',
        vpcId: 'vpc-1',
        cidrBlock: '10.0.1.0/24',
        ipv6CidrBlocks: ['2001:db8:0:1::/64'],
        availabilityZone: 'us-east-1a',
        mapPublicIpOnLaunch: true,
        tags: {},
      },
      { id: 'subnet-2', vpcId: 'vpc-2', ipv6CidrBlocks: [], tags: {} },
    ]);
    expect(r.routeTables).toEqual([
      {
        id: 'rtb-1',
        vpcId: 'vpc-1',
        main: true,
        subnetIds: ['subnet-1'],
        routes: [
          { destinationCidr: '0.0.0.0/0', gatewayId: 'igw-1', origin: 'CreateRoute', state: 'active' },
          { destinationIpv6Cidr: '::/0', egressOnlyInternetGatewayId: 'eigw-1', state: 'active' },
          // An origin AWS may add later is left out; only a blackhole is known to carry nothing.
          { destinationPrefixListId: 'pl-1', natGatewayId: 'nat-1', state: 'blackhole' },
          {
            destinationCidr: '10.1.0.0/16',
            transitGatewayId: 'tgw-1',
            origin: 'EnableVgwRoutePropagation',
            state: 'active',
          },
          { destinationCidr: '10.2.0.0/16', vpcPeeringConnectionId: 'pcx-1', state: 'active' },
          { destinationCidr: '10.3.0.0/16', networkInterfaceId: 'eni-1', instanceId: 'i-1', state: 'active' },
        ],
        tags: {},
      },
      { id: 'rtb-2', vpcId: 'vpc-2', main: false, subnetIds: [], routes: [], tags: {} },
    ]);
    expect(r.internetGateways).toEqual([
      { id: 'igw-1', ownerId: ACCOUNT, attachments: [{ vpcId: 'vpc-1', state: 'available' }], tags: {} },
      { id: 'igw-2', attachments: [], tags: {} },
    ]);
    expect(r.egressOnlyInternetGateways).toEqual([
      { id: 'eigw-1', attachments: [{ vpcId: 'vpc-1', state: 'attached' }], tags: {} },
      { id: 'eigw-2', attachments: [], tags: { a: 'b' } },
    ]);
    expect(r.networkAcls).toEqual([
      {
        id: 'acl-1',
        vpcId: 'vpc-1',
        isDefault: true,
        subnetIds: ['subnet-1'],
        entries: [
          {
            ruleNumber: 100,
            egress: false,
            protocol: '6',
            ruleAction: 'allow',
            cidrBlock: '0.0.0.0/0',
            portRange: { from: 443, to: 443 },
          },
          {
            ruleNumber: 110,
            egress: false,
            protocol: '1',
            ruleAction: 'deny',
            ipv6CidrBlock: '::/0',
            icmpTypeCode: { type: 8, code: -1 },
          },
        ],
        tags: {},
      },
      { id: 'acl-2', vpcId: 'vpc-2', isDefault: false, subnetIds: [], entries: [], tags: {} },
    ]);
    const inputs = (command: Parameters<typeof ec2.commandCalls>[0]) =>
      ec2.commandCalls(command).map((c) => c.args[0].input);
    expect(inputs(DescribeVpcsCommand)).toEqual([{ MaxResults: 1000 }, { MaxResults: 1000, NextToken: 'Vpcs-2' }]);
    expect(inputs(DescribeSubnetsCommand)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 'Subnets-2' },
    ]);
    expect(inputs(DescribeRouteTablesCommand)).toEqual([
      { MaxResults: 100 },
      { MaxResults: 100, NextToken: 'RouteTables-2' },
    ]);
    expect(inputs(DescribeInternetGatewaysCommand)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 'InternetGateways-2' },
    ]);
    expect(inputs(DescribeEgressOnlyInternetGatewaysCommand)).toEqual([
      { MaxResults: 255 },
      { MaxResults: 255, NextToken: 'EgressOnlyInternetGateways-2' },
    ]);
    expect(inputs(DescribeNetworkAclsCommand)).toEqual([
      { MaxResults: 100 },
      { MaxResults: 100, NextToken: 'NetworkAcls-2' },
    ]);
  });

  test('a record without its id, or an ACL entry without a valid action, fails that kind only', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1' }] });
    ec2.on(DescribeNetworkAclsCommand).resolves({
      NetworkAcls: [
        {
          NetworkAclId: 'acl-1',
          VpcId: 'vpc-1',
          Entries: [{ RuleNumber: 1, Protocol: '-1', RuleAction: 'x' as 'allow' }],
        },
      ],
    });
    const needs = new Set<ResourceKind>(['securityGroups', 'subnets', 'networkAcls', 'vpcs']);
    const r = region(await collectLive(opts({ needs })), 'us-east-1');
    expect(r.collected).toEqual(['securityGroups', 'vpcs']);
    expect([r.subnets, r.networkAcls]).toEqual([[], []]);
    expect(r.errors).toEqual([
      {
        api: 'ec2:DescribeNetworkAcls',
        code: 'InvalidResponse',
        message: 'network ACL entry without RuleNumber, Protocol or RuleAction allow|deny',
      },
      { api: 'ec2:DescribeSubnets', code: 'InvalidResponse', message: 'subnet without SubnetId or VpcId' },
    ]);
  });
});

describe('VPC peering connections (issue #13)', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnection.html
  test('follow their NextToken chain with MaxResults 1000; status, both sides, every CIDR and tags converted', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === undefined
        ? {
            VpcPeeringConnections: [
              {
                VpcPeeringConnectionId: 'pcx-1',
                Status: { Code: 'active', Message: 'Active' },
                RequesterVpcInfo: {
                  VpcId: 'vpc-1',
                  OwnerId: ACCOUNT,
                  Region: 'us-east-1',
                  CidrBlock: '10.0.0.0/16',
                  CidrBlockSet: [{ CidrBlock: '10.0.0.0/16' }, { CidrBlock: '100.64.0.0/16' }, {}],
                  Ipv6CidrBlockSet: [{ Ipv6CidrBlock: '2001:db8::/56' }, {}],
                },
                AccepterVpcInfo: {
                  VpcId: 'vpc-9',
                  OwnerId: '999999999999',
                  Region: 'eu-west-1',
                  // Only the primary CIDR (an older response): still read.
                  CidrBlock: '10.9.0.0/16',
                },
                Tags: [{ Key: 'Name', Value: 'to-shared' }],
              },
            ],
            NextToken: 'pcx-2',
          }
        : {
            VpcPeeringConnections: [
              {
                VpcPeeringConnectionId: 'pcx-2',
                Status: { Code: 'pending-acceptance' },
                RequesterVpcInfo: { VpcId: 'vpc-1' },
              },
            ],
          },
    );
    const needs = new Set<ResourceKind>(['securityGroups', 'vpcPeeringConnections']);
    const r = region(await collectLive(opts({ needs })), 'us-east-1');
    expect(r.errors).toEqual([]);
    expect(r.collected).toEqual(['securityGroups', 'vpcPeeringConnections']);
    expect(r.vpcPeeringConnections).toEqual([
      {
        id: 'pcx-1',
        status: 'active',
        requester: {
          vpcId: 'vpc-1',
          ownerId: ACCOUNT,
          region: 'us-east-1',
          cidrs: ['10.0.0.0/16', '100.64.0.0/16'],
          ipv6Cidrs: ['2001:db8::/56'],
        },
        accepter: {
          vpcId: 'vpc-9',
          ownerId: '999999999999',
          region: 'eu-west-1',
          cidrs: ['10.9.0.0/16'],
          ipv6Cidrs: [],
        },
        tags: { Name: 'to-shared' },
      },
      {
        id: 'pcx-2',
        status: 'pending-acceptance',
        requester: { vpcId: 'vpc-1', cidrs: [], ipv6Cidrs: [] },
        accepter: { cidrs: [], ipv6Cidrs: [] },
        tags: {},
      },
    ]);
    expect(ec2.commandCalls(DescribeVpcPeeringConnectionsCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 'pcx-2' },
    ]);
  });

  test('a connection without Status.Code fails the kind (unknown, never "not active"); a denied call too', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-1', RequesterVpcInfo: { VpcId: 'vpc-1' } }],
    });
    const needs = new Set<ResourceKind>(['securityGroups', 'vpcs', 'vpcPeeringConnections']);
    const r = region(await collectLive(opts({ needs })), 'us-east-1');
    expect(r.collected).toEqual(['securityGroups', 'vpcs']);
    expect(r.vpcPeeringConnections).toEqual([]);
    expect(r.errors).toEqual([
      {
        api: 'ec2:DescribeVpcPeeringConnections',
        code: 'InvalidResponse',
        message: 'VPC peering connection pcx-1 without Status.Code',
      },
    ]);

    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized', 403));
    const denied = region(await collectLive(opts({ needs })), 'us-east-1');
    expect(denied.collected).toEqual(['securityGroups', 'vpcs']);
    expect(denied.errors).toEqual([
      { api: 'ec2:DescribeVpcPeeringConnections', code: 'UnauthorizedOperation', message: 'You are not authorized' },
    ]);
  });
});

describe('only the APIs the selected rules need are called', () => {
  test.each([
    [['securityGroups'], ['ec2:DescribeSecurityGroups']],
    [
      ['securityGroups', 'dbInstances'],
      ['ec2:DescribeSecurityGroups', 'rds:DescribeDBInstances'],
    ],
    [
      ['securityGroups', 'loadBalancers'],
      ['ec2:DescribeSecurityGroups', 'elasticloadbalancing:DescribeLoadBalancers'],
    ],
    [
      ['securityGroups', 'networkInterfaces', 'dbClusters'],
      ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'rds:DescribeDBClusters'],
    ],
    // Issue #12: the network data, each kind only when needed (no rule needs them yet).
    [
      ['securityGroups', 'vpcs'],
      ['ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'],
    ],
    [
      ['securityGroups', 'subnets'],
      ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets'],
    ],
    [
      ['securityGroups', 'routeTables'],
      ['ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups'],
    ],
    [
      ['securityGroups', 'internetGateways'],
      ['ec2:DescribeInternetGateways', 'ec2:DescribeSecurityGroups'],
    ],
    [
      ['securityGroups', 'egressOnlyInternetGateways'],
      ['ec2:DescribeEgressOnlyInternetGateways', 'ec2:DescribeSecurityGroups'],
    ],
    [
      ['securityGroups', 'networkAcls'],
      ['ec2:DescribeNetworkAcls', 'ec2:DescribeSecurityGroups'],
    ],
    // Issue #13: peering connections only when a rule needs them.
    [
      ['securityGroups', 'vpcPeeringConnections'],
      ['ec2:DescribeSecurityGroups', 'ec2:DescribeVpcPeeringConnections'],
    ],
  ] as [ResourceKind[], string[]][])('needs %j → calls %j (plus STS GetCallerIdentity)', async (needs, expected) => {
    const r = region(await collectLive(opts({ needs: new Set(needs) })), 'us-east-1');
    expect(r.collected).toEqual(RESOURCE_KINDS.filter((k) => needs.includes(k)));
    const called = [
      ...ec2.calls().map((c) => `ec2:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`),
      ...elb
        .calls()
        .map((c) => `elasticloadbalancing:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`),
      ...rds.calls().map((c) => `rds:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`),
    ];
    expect([...new Set(called)].sort()).toEqual(expected);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });
});

describe('credentials and accounts', () => {
  test('one role per account: AssumeRole once per account (shared by every regional client), external id passed; a denied role is an account-level error', async () => {
    nestedSts.on(NestedAssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      const account = input.RoleArn.split(':')[4];
      if (account === '444444444444')
        throw awsError('AccessDenied', `not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}KEY`,
          SecretAccessKey: `secret-${account}`,
          SessionToken: `token-${account}`,
          Expiration: new Date(Date.now() + 3600_000),
        },
      };
    });
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (_i: unknown, getClient: () => unknown) => {
      const client = getClient() as AnyClient; // before any await: getClient() answers for the latest call
      const creds = await client.config.credentials();
      const account = /^ASIA(\d{12})KEY$/.exec(creds.accessKeyId)?.[1] ?? 'base';
      return { SecurityGroups: [awsSg(`sg-${account}-${await client.config.region()}`, { OwnerId: account })] };
    });
    const roleArns = [
      'arn:aws:iam::222222222222:role/Audit',
      'arn:aws:iam::333333333333:role/Audit',
      'arn:aws:iam::444444444444:role/Audit',
    ];
    const snap = await collectLive(
      opts({
        roleArns,
        externalId: 'ext-123',
        regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] },
        needs: new Set(['securityGroups']),
      }),
    );
    expect(snap.regions.map((r) => [r.accountId, r.region, r.securityGroups.map((g) => g.groupId)])).toEqual([
      ['222222222222', 'eu-west-1', ['sg-222222222222-eu-west-1']],
      ['222222222222', 'us-east-1', ['sg-222222222222-us-east-1']],
      ['333333333333', 'eu-west-1', ['sg-333333333333-eu-west-1']],
      ['333333333333', 'us-east-1', ['sg-333333333333-us-east-1']],
    ]);
    expect(snap.errors).toEqual([
      {
        accountId: '444444444444',
        api: 'sts:AssumeRole',
        code: 'AccessDenied',
        message: 'not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role/Audit',
      },
    ]);
    const assumed = nestedSts.commandCalls(NestedAssumeRoleCommand).map((c) => c.args[0].input);
    expect(assumed).toEqual(
      roleArns.map((RoleArn) => ({ RoleArn, RoleSessionName: 'sg-audit', ExternalId: 'ext-123' })),
    );
    // The caller's credentials are checked once; the caller's own account is not scanned.
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(snap.regions.some((r) => r.accountId === ACCOUNT)).toBe(false);
  });

  test.each([
    ['ExpiredToken', 'The security token included in the request is expired'],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
    ['CredentialsProviderError', 'Could not load credentials from any providers'],
  ])('%s from GetCallerIdentity: one clear line, exit 2, no AWS resource call', async (name, message) => {
    sts.on(GetCallerIdentityCommand).rejects(awsError(name, message, 403));
    const err = await collectLive(opts({ env: { AWS_ACCESS_KEY_ID: 'AKIASGAUDITEXPIRED01' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SgAuditError);
    expect((err as SgAuditError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      `AWS credentials are missing, expired or invalid (${name}: ${message}); configure credentials (environment, ~/.aws/credentials, aws sso login) or pass --profile NAME`,
    );
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('unreachable endpoint at the credential check', () => {
  test.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', { address: '127.0.0.1', port: 9 }, '127.0.0.1:9'],
    [
      'ENOTFOUND',
      'getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com',
      { hostname: 'sts.us-east-1.amazonaws.com' },
      'sts.us-east-1.amazonaws.com',
    ],
  ])(
    '%s from GetCallerIdentity: names the endpoint and the network, no credentials advice, exit 2',
    async (code, message, fields, target) => {
      // Mocks replace `send`, so the request never got a host: the error's own address names it.
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error(message), { code, ...fields, $metadata: { attempts: 5 } }));
      delete process.env.AWS_ENDPOINT_URL;
      delete process.env.AWS_ENDPOINT_URL_STS;
      const err = await collectLive(opts()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SgAuditError);
      expect((err as SgAuditError).exitCode).toBe(2);
      expect((err as Error).message).toBe(
        `cannot reach the AWS endpoint ${target} for STS GetCallerIdentity (${code}: ${message}); ` +
          'check network access, DNS and any proxy or firewall in between (or AWS_ENDPOINT_URL for a custom endpoint)',
      );
      expect(ec2.calls()).toHaveLength(0);
    },
  );
});

describe('interruption', () => {
  test('aborting stops promptly with exit code 130', async () => {
    const controller = new AbortController();
    let seen = 0;
    ec2.on(DescribeSecurityGroupsCommand).callsFake(
      () =>
        new Promise(() => {
          if (++seen === 1) setTimeout(() => controller.abort(), 10);
        }),
    );
    const t0 = Date.now();
    const err = await collectLive(
      opts({ signal: controller.signal, regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SgAuditError);
    expect((err as SgAuditError).exitCode).toBe(130);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test('an already-aborted signal makes no call', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await collectLive(opts({ signal: controller.signal })).catch((e: unknown) => e);
    expect((err as SgAuditError).exitCode).toBe(130);
    expect(sts.calls()).toHaveLength(0);
  });
});
