/** DescribeDBClusters (Aurora and Multi-AZ DB clusters). */
import type { DBCluster as AwsDbCluster } from '@aws-sdk/client-rds';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { DbCluster } from '../../snapshot/schema.js';
import { rdsSdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

/** The largest page the RDS Describe calls accept. */
export const RDS_PAGE_SIZE = 100;
const API = 'rds:DescribeDBClusters';

/** The VPC security groups of a cluster or instance. */
export function vpcGroups(list: ReadonlyArray<{ VpcSecurityGroupId?: string }> | undefined): string[] {
  return (list ?? []).map((m) => m.VpcSecurityGroupId).filter(has);
}

export function convertDbCluster(c: AwsDbCluster): DbCluster {
  if (!c.DBClusterIdentifier) throw new InvalidResponseError('DB cluster without DBClusterIdentifier');
  const out: DbCluster = {
    id: c.DBClusterIdentifier,
    engine: c.Engine ?? 'unknown',
    securityGroups: vpcGroups(c.VpcSecurityGroups),
    members: (c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier).filter(has),
    tags: tagsToRecord(c.TagList),
  };
  if (has(c.DBClusterArn)) out.arn = c.DBClusterArn;
  if (has(c.Port)) out.port = c.Port;
  if (has(c.PubliclyAccessible)) out.publiclyAccessible = c.PubliclyAccessible;
  if (has(c.StorageEncrypted)) out.storageEncrypted = c.StorageEncrypted;
  return out;
}

export const dbClusters: Lister = {
  kind: 'dbClusters',
  apis: [API],
  start(l) {
    const { DescribeDBClustersCommand } = rdsSdk();
    const rds = l.rds();
    const work = listPages(
      l,
      (token, abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ MaxRecords: RDS_PAGE_SIZE, Marker: token }), { abortSignal }),
      (p) => p.Marker,
      (p) => {
        for (const c of p.DBClusters ?? []) l.rs.dbClusters.push(convertDbCluster(c));
      },
    );
    l.chain('dbClusters', API, work);
  },
};
