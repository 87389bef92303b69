/**
 * Collect one account/region: every API the selected rules need, paginated with the largest page size,
 * all chains started at once, dependent calls fired as soon as the pages that reveal them arrive
 * (prefix-list entries per SG page, LB tag batches per LB page). The region's cost is its longest chain
 * of pages, not the sum of its calls.
 *
 * A kind is listed in `collected` only when every call for it succeeded. A kind whose calls failed is
 * dropped (a partial listing is not an inventory) and its error recorded; prefix lists are kept per list,
 * without `entries` for a list whose entries could not be read.
 */
import type { ManagedPrefixList } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { tagsToRecord } from '../snapshot/from-aws.js';
import { emptyRegion, RESOURCE_KINDS, type CidrEntry, type LoadBalancer, type RegionSnapshot, type ResourceKind } from '../snapshot/schema.js';
import { ec2Client, elbClient, rdsClient, type SdkSettings } from './aws.js';
import {
  convertDbCluster,
  convertDbInstance,
  convertLoadBalancer,
  convertNetworkInterface,
  convertPrefixList,
  convertPrefixListEntries,
  convertSecurityGroup,
  referencedPrefixLists,
} from './convert.js';
import { isAbortError, toCollectionError, type Scrubber } from './errors.js';
import { parseNetworkInterfacesPage, parseSecurityGroupsPage, withFastPath } from './fast-xml.js';
import { paginate, type CallRunner } from './runner.js';
import { ec2Sdk, elbSdk, rdsSdk } from './sdk.js';

/** Largest page sizes each API accepts. */
export const PAGE_SIZE = {
  ec2: 1000,
  ec2PrefixLists: 100,
  elbv2: 400,
  elbv2Tags: 20,
  rds: 100,
} as const;

/** IAM action names of every call, per resource kind (also the README's minimal policy). */
export const APIS_BY_KIND: Record<ResourceKind, string[]> = {
  securityGroups: ['ec2:DescribeSecurityGroups'],
  networkInterfaces: ['ec2:DescribeNetworkInterfaces'],
  loadBalancers: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
  dbClusters: ['rds:DescribeDBClusters'],
  dbInstances: ['rds:DescribeDBInstances'],
  prefixLists: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
};

export interface RegionJob {
  accountId: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  needs: Set<ResourceKind>;
  sdk: SdkSettings;
  runner: CallRunner;
  scrubber: Scrubber;
  now?: () => Date;
}

export async function collectRegion(job: RegionJob): Promise<RegionSnapshot> {
  const { accountId, region, credentials, needs, sdk, runner, scrubber } = job;
  const rs = emptyRegion(accountId, region);
  const failed = new Set<ResourceKind>();
  const seenErrors = new Set<string>();

  const fail = (kind: ResourceKind, api: string, err: unknown, context?: string) => {
    if (isAbortError(err)) throw err;
    failed.add(kind);
    const e = toCollectionError(api, err, scrubber);
    if (context) e.message = `${context}: ${e.message}`;
    const key = `${e.api}\u0000${e.code}\u0000${e.message}`;
    if (!seenErrors.has(key)) {
      seenErrors.add(key);
      rs.errors.push(e);
    }
  };
  const guard = (kind: ResourceKind, api: string, p: Promise<void>, context?: string): Promise<void> => {
    const guarded = p.catch((err: unknown) => fail(kind, api, err, context));
    // Only interruptions get through `fail`; mark them handled here, they are awaited below.
    guarded.catch(() => {});
    return guarded;
  };

  const fastXml = sdk.fastXml !== false;
  const { DescribeManagedPrefixListsCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, GetManagedPrefixListEntriesCommand } = ec2Sdk();
  // Security groups are always collected, so there is always an EC2 client.
  const ec2 = ec2Client(region, credentials, sdk);
  const elb = needs.has('loadBalancers') ? elbClient(region, credentials, sdk) : undefined;
  const { DescribeLoadBalancersCommand, DescribeTagsCommand } = elb ? elbSdk() : ({} as ReturnType<typeof elbSdk>);
  const rds = needs.has('dbClusters') || needs.has('dbInstances') ? rdsClient(region, credentials, sdk) : undefined;
  const { DescribeDBClustersCommand, DescribeDBInstancesCommand } = rds ? rdsSdk() : ({} as ReturnType<typeof rdsSdk>);

  const chains: Promise<void>[] = [];
  /** Calls fired from inside a chain's pages; all pushed before the chains settle. */
  const followUps: Promise<void>[] = [];

  // Prefix lists: metadata (names) in parallel with the SG chain; entries for each referenced list as
  // soon as an SG page reveals its id.
  const wantPrefixLists = needs.has('prefixLists');
  const plMeta = new Map<string, ManagedPrefixList>();
  const plEntries = new Map<string, CidrEntry[] | undefined>();
  if (wantPrefixLists) {
    chains.push(
      guard(
        'prefixLists',
        'ec2:DescribeManagedPrefixLists',
        paginate(
          (token) =>
            runner.run((abortSignal) =>
              ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: PAGE_SIZE.ec2PrefixLists, NextToken: token }), { abortSignal }),
            ),
          (p) => p.NextToken,
          (p) => {
            for (const pl of p.PrefixLists ?? []) if (pl.PrefixListId) plMeta.set(pl.PrefixListId, pl);
          },
        ),
      ),
    );
  }
  const onPrefixListReference = (id: string) => {
    if (!wantPrefixLists || plEntries.has(id)) return;
    plEntries.set(id, undefined);
    const entries: CidrEntry[] = [];
    followUps.push(
      guard(
        'prefixLists',
        'ec2:GetManagedPrefixListEntries',
        paginate(
          (token) =>
            runner.run((abortSignal) =>
              ec2.send(
                new GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: PAGE_SIZE.ec2PrefixLists, NextToken: token }),
                { abortSignal },
              ),
            ),
          (p) => p.NextToken,
          (p) => entries.push(...convertPrefixListEntries(p.Entries)),
        ).then(() => {
          plEntries.set(id, entries);
        }),
        id,
      ),
    );
  };

  chains.push(
    guard(
      'securityGroups',
      'ec2:DescribeSecurityGroups',
      paginate(
        (token) =>
          runner.run(async (abortSignal) => {
            const command = new DescribeSecurityGroupsCommand({ MaxResults: PAGE_SIZE.ec2, NextToken: token });
            const fast = fastXml ? withFastPath(command, 'DescribeSecurityGroupsResponse', parseSecurityGroupsPage) : undefined;
            const page = await ec2.send(command, { abortSignal });
            return { ...page, records: fast?.records };
          }),
        (p) => p.NextToken,
        (p) => {
          // Records from the fast path, or the SDK's output converted (the fast path stepped aside).
          for (const sg of p.records ?? (p.SecurityGroups ?? []).map(convertSecurityGroup)) {
            rs.securityGroups.push(sg);
            for (const id of referencedPrefixLists(sg)) onPrefixListReference(id);
          }
        },
      ),
    ),
  );

  if (needs.has('networkInterfaces')) {
    chains.push(
      guard(
        'networkInterfaces',
        'ec2:DescribeNetworkInterfaces',
        paginate(
          (token) =>
            runner.run(async (abortSignal) => {
              const command = new DescribeNetworkInterfacesCommand({ MaxResults: PAGE_SIZE.ec2, NextToken: token });
              const fast = fastXml ? withFastPath(command, 'DescribeNetworkInterfacesResponse', parseNetworkInterfacesPage) : undefined;
              const page = await ec2.send(command, { abortSignal });
              return { ...page, records: fast?.records };
            }),
          (p) => p.NextToken,
          (p) => {
            for (const n of p.records ?? (p.NetworkInterfaces ?? []).map(convertNetworkInterface)) rs.networkInterfaces.push(n);
          },
        ),
      ),
    );
  }

  if (elb) {
    const byArn = new Map<string, LoadBalancer>();
    const fetchTags = (arns: string[]) =>
      guard(
        'loadBalancers',
        'elasticloadbalancing:DescribeTags',
        runner
          .run((abortSignal) => elb.send(new DescribeTagsCommand({ ResourceArns: arns }), { abortSignal }))
          .then((out) => {
            for (const d of out.TagDescriptions ?? []) {
              const lb = d.ResourceArn ? byArn.get(d.ResourceArn) : undefined;
              if (lb) lb.tags = tagsToRecord(d.Tags);
            }
          }),
      );
    chains.push(
      guard(
        'loadBalancers',
        'elasticloadbalancing:DescribeLoadBalancers',
        paginate(
          (token) =>
            runner.run((abortSignal) =>
              elb.send(new DescribeLoadBalancersCommand({ PageSize: PAGE_SIZE.elbv2, Marker: token }), { abortSignal }),
            ),
          (p) => p.NextMarker,
          (p) => {
            const arns: string[] = [];
            for (const raw of p.LoadBalancers ?? []) {
              const lb = convertLoadBalancer(raw);
              if (byArn.has(lb.arn)) continue;
              byArn.set(lb.arn, lb);
              rs.loadBalancers.push(lb);
              arns.push(lb.arn);
            }
            for (let i = 0; i < arns.length; i += PAGE_SIZE.elbv2Tags) followUps.push(fetchTags(arns.slice(i, i + PAGE_SIZE.elbv2Tags)));
          },
        ),
      ),
    );
  }

  if (rds && needs.has('dbClusters')) {
    chains.push(
      guard(
        'dbClusters',
        'rds:DescribeDBClusters',
        paginate(
          (token) =>
            runner.run((abortSignal) =>
              rds.send(new DescribeDBClustersCommand({ MaxRecords: PAGE_SIZE.rds, Marker: token }), { abortSignal }),
            ),
          (p) => p.Marker,
          (p) => {
            for (const c of p.DBClusters ?? []) rs.dbClusters.push(convertDbCluster(c));
          },
        ),
      ),
    );
  }
  if (rds && needs.has('dbInstances')) {
    chains.push(
      guard(
        'dbInstances',
        'rds:DescribeDBInstances',
        paginate(
          (token) =>
            runner.run((abortSignal) =>
              rds.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE_SIZE.rds, Marker: token }), { abortSignal }),
            ),
          (p) => p.Marker,
          (p) => {
            for (const i of p.DBInstances ?? []) rs.dbInstances.push(convertDbInstance(i));
          },
        ),
      ),
    );
  }

  await Promise.all(chains);
  await Promise.all(followUps);

  // Referenced prefix lists are only known completely when every SG page was read.
  if (failed.has('securityGroups')) failed.add('prefixLists');
  rs.collected = RESOURCE_KINDS.filter((k) => needs.has(k) && !failed.has(k));
  if (failed.has('securityGroups')) rs.securityGroups = [];
  if (failed.has('networkInterfaces')) rs.networkInterfaces = [];
  if (failed.has('loadBalancers')) rs.loadBalancers = [];
  if (failed.has('dbClusters')) rs.dbClusters = [];
  if (failed.has('dbInstances')) rs.dbInstances = [];
  if (wantPrefixLists) {
    rs.prefixLists = [...plEntries.keys()].map((id) => convertPrefixList(id, plMeta.get(id), plEntries.get(id)));
  }
  rs.errors.sort((a, b) => a.api.localeCompare(b.api) || a.message.localeCompare(b.message));
  rs.collectedAt = (job.now ?? (() => new Date()))().toISOString();
  return rs;
}
