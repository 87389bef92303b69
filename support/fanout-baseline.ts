/**
 * The fan-out benchmark's baseline: the read calls `sg-audit collect --regions all` makes, written the
 * obvious way with the bare AWS SDK — SDK paginators, every region and every API at once, one process,
 * default clients. It only counts what it reads, so a test can check it reads exactly what the fake
 * endpoint serves and the benchmark can trust its counts. bench/fanout-baseline.ts runs it as a process.
 */
import {
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateGetManagedPrefixListEntries,
} from '@aws-sdk/client-ec2';
import {
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { paginateDescribeDBClusters, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

export interface BaselineCounts {
  account: string;
  regions: number;
  securityGroups: number;
  networkInterfaces: number;
  prefixLists: number;
  prefixListEntries: number;
  loadBalancers: number;
  loadBalancerTags: number;
  dbClusters: number;
  dbInstances: number;
}

/** The page sizes sg-audit asks for (src/collect/listings/*.ts: PAGE_SIZE, RDS_PAGE_SIZE, TAGS_BATCH). */
const PAGE = { ec2: 1000, ec2PrefixLists: 100, elbv2: 400, elbv2Tags: 20, rds: 100 } as const;

export async function runBaseline(opts: {
  retryMode: 'standard' | 'adaptive';
  maxAttempts: number;
  homeRegion: string;
}): Promise<BaselineCounts> {
  const cfg = (region: string) => ({ region, retryMode: opts.retryMode, maxAttempts: opts.maxAttempts });
  const id = await new STSClient(cfg(opts.homeRegion)).send(new GetCallerIdentityCommand({}));
  const regionList = await new EC2Client(cfg(opts.homeRegion)).send(new DescribeRegionsCommand({ AllRegions: true }));
  const regions = (regionList.Regions ?? []).filter((r) => r.OptInStatus !== 'not-opted-in').map((r) => r.RegionName!);
  const counts: BaselineCounts = {
    account: id.Account ?? '',
    regions: regions.length,
    securityGroups: 0,
    networkInterfaces: 0,
    prefixLists: 0,
    prefixListEntries: 0,
    loadBalancers: 0,
    loadBalancerTags: 0,
    dbClusters: 0,
    dbInstances: 0,
  };
  await Promise.all(
    regions.map(async (region) => {
      const ec2 = new EC2Client(cfg(region));
      const elb = new ElasticLoadBalancingV2Client(cfg(region));
      const rds = new RDSClient(cfg(region));
      await Promise.all([
        (async () => {
          for await (const p of paginateDescribeSecurityGroups({ client: ec2, pageSize: PAGE.ec2 }, {}))
            counts.securityGroups += p.SecurityGroups?.length ?? 0;
        })(),
        (async () => {
          for await (const p of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: PAGE.ec2 }, {}))
            counts.networkInterfaces += p.NetworkInterfaces?.length ?? 0;
        })(),
        (async () => {
          const entries: Promise<void>[] = [];
          for await (const p of paginateDescribeManagedPrefixLists(
            { client: ec2, pageSize: PAGE.ec2PrefixLists },
            {},
          )) {
            for (const pl of p.PrefixLists ?? []) {
              counts.prefixLists++;
              entries.push(
                (async () => {
                  for await (const e of paginateGetManagedPrefixListEntries(
                    { client: ec2, pageSize: PAGE.ec2PrefixLists },
                    { PrefixListId: pl.PrefixListId },
                  ))
                    counts.prefixListEntries += e.Entries?.length ?? 0;
                })(),
              );
            }
          }
          await Promise.all(entries);
        })(),
        (async () => {
          const tags: Promise<void>[] = [];
          for await (const p of paginateDescribeLoadBalancers({ client: elb, pageSize: PAGE.elbv2 }, {})) {
            const arns = (p.LoadBalancers ?? []).map((lb) => lb.LoadBalancerArn!);
            counts.loadBalancers += arns.length;
            for (let i = 0; i < arns.length; i += PAGE.elbv2Tags) {
              tags.push(
                elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + PAGE.elbv2Tags) })).then((t) => {
                  counts.loadBalancerTags += t.TagDescriptions?.length ?? 0;
                }),
              );
            }
          }
          await Promise.all(tags);
        })(),
        (async () => {
          for await (const p of paginateDescribeDBClusters({ client: rds, pageSize: PAGE.rds }, {}))
            counts.dbClusters += p.DBClusters?.length ?? 0;
        })(),
        (async () => {
          for await (const p of paginateDescribeDBInstances({ client: rds, pageSize: PAGE.rds }, {}))
            counts.dbInstances += p.DBInstances?.length ?? 0;
        })(),
      ]);
    }),
  );
  return counts;
}
