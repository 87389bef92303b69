/**
 * rds-storage-encrypted — RDS DB instances and Aurora / Multi-AZ DB clusters encrypt their storage at rest.
 */
import {
  cisAws,
  configRule,
  dbRef,
  defineRule,
  encryptedCopyCommands,
  type GroupNode,
  type ReportTypeOf,
  securityHubRds,
  sgRef,
} from './lib/index.js';

export const rdsStorageEncrypted = defineRule({
  meta: {
    id: 'rds-storage-encrypted',
    title: 'RDS and Aurora storage is encrypted at rest',
    severity: 'medium',
    category: 'rds',
    rationale:
      'Unencrypted database storage, its automated backups, snapshots and read replicas are readable by anyone ' +
      'who obtains a copy (a shared snapshot, a misrouted backup). Encryption with KMS costs nothing noticeable ' +
      'but can only be chosen when a database is created, so it is checked per cluster (Aurora and Multi-AZ DB ' +
      'clusters, whose members share its storage) and per stand-alone instance. A database whose encryption ' +
      'flag is not in the snapshot gets no finding.',
    remediation:
      'Encryption cannot be switched on in place: snapshot the database, copy the snapshot with a KMS key, ' +
      'restore from the encrypted copy (add instances to a restored Aurora cluster), then switch clients over.',
    references: [
      securityHubRds(3, 'RDS DB instances should have encryption at rest enabled'),
      securityHubRds(27, 'RDS DB clusters should be encrypted at rest'),
      cisAws('2.3.1', 'encryption-at-rest is enabled for RDS instances'),
      configRule('rds-storage-encrypted', 'storage encryption is enabled for RDS DB instances'),
    ],
    messages: {
      unencrypted: '{{kind}} {{db}} ({{engine}}) does not encrypt its storage at rest.',
      encrypted: '{{kind}} {{db}} ({{engine}}) encrypts its storage at rest.',
    },
    needs: ['dbClusters', 'dbInstances'],
  },
  check({ graph, report, pass }) {
    for (const scope of graph.scopes) {
      const r = scope.region;
      /**
       * One finding per database: `encrypted` (pass), or `unencrypted` with `fix` (snapshot, encrypted copy, restore).
       */
      const judge = (
        type: ReportTypeOf<'dbClusters' | 'dbInstances'>,
        db: { id: string; arn?: string; engine: string; storageEncrypted?: boolean },
        groups: readonly GroupNode[],
        fix: () => string[],
      ) => {
        const base = {
          accountId: scope.accountId,
          region: r,
          resource: dbRef(type, db.id, db.arn),
          related: groups.map(sgRef),
          data: { kind: type === 'db-cluster' ? 'DB cluster' : 'DB instance', db: db.id, engine: db.engine },
        };
        if (db.storageEncrypted) pass('encrypted', () => base);
        else report({ ...base, status: 'fail', messageId: 'unencrypted', remediation: fix() });
      };
      const clusterIds = new Set(scope.dbClusters.map((c) => c.cluster.id));
      for (const n of scope.dbClusters) {
        const c = n.cluster;
        if (c.storageEncrypted === undefined) continue;
        judge('db-cluster', c, n.groups, () =>
          encryptedCopyCommands({
            region: r,
            kind: 'db-cluster',
            id: c.id,
            engine: c.engine,
            groupIds: c.securityGroups,
          }),
        );
      }
      for (const n of scope.dbInstances) {
        const i = n.instance;
        // Cluster members share the cluster's storage: the cluster finding covers them.
        if (i.storageEncrypted === undefined || (i.clusterId && clusterIds.has(i.clusterId))) continue;
        judge('db-instance', i, n.groups, () =>
          encryptedCopyCommands({
            region: r,
            kind: 'db-instance',
            id: i.id,
            engine: i.engine,
            groupIds: i.securityGroups,
          }),
        );
      }
    }
  },
});
