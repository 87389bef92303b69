/** DescribeDBInstances (RDS instances, cluster members included). */
import type { DBInstance as AwsDbInstance } from '@aws-sdk/client-rds';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { DbInstance } from '../../snapshot/schema.js';
import { rdsSdk } from '../aws/sdk.js';
import { RDS_PAGE_SIZE, vpcGroups } from './db-clusters.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const API = 'rds:DescribeDBInstances';

export function convertDbInstance(i: AwsDbInstance): DbInstance {
  if (!i.DBInstanceIdentifier) throw new InvalidResponseError('DB instance without DBInstanceIdentifier');
  const out: DbInstance = {
    id: i.DBInstanceIdentifier,
    engine: i.Engine ?? 'unknown',
    securityGroups: vpcGroups(i.VpcSecurityGroups),
    tags: tagsToRecord(i.TagList),
  };
  if (has(i.DBInstanceArn)) out.arn = i.DBInstanceArn;
  // The endpoint port is the listening port; DbInstancePort is 0 for most engines.
  const port = i.Endpoint?.Port ?? (i.DbInstancePort ? i.DbInstancePort : undefined);
  if (has(port)) out.port = port;
  if (has(i.DBClusterIdentifier)) out.clusterId = i.DBClusterIdentifier;
  if (has(i.PubliclyAccessible)) out.publiclyAccessible = i.PubliclyAccessible;
  if (has(i.StorageEncrypted)) out.storageEncrypted = i.StorageEncrypted;
  return out;
}

export const dbInstances: Lister = {
  kind: 'dbInstances',
  apis: [API],
  start(l) {
    const { DescribeDBInstancesCommand } = rdsSdk();
    const rds = l.rds();
    const work = listPages(
      l,
      (token, abortSignal) =>
        rds.send(new DescribeDBInstancesCommand({ MaxRecords: RDS_PAGE_SIZE, Marker: token }), { abortSignal }),
      (p) => p.Marker,
      (p) => {
        for (const i of p.DBInstances ?? []) l.rs.dbInstances.push(convertDbInstance(i));
      },
    );
    l.chain('dbInstances', API, work);
  },
};
