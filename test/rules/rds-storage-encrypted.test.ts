import { describe, expect, it } from 'vitest';
import { rdsStorageEncrypted as rule } from '../../rules/rds-storage-encrypted.js';
import { cluster, instance, region, sg, snapshot } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'rds-storage-encrypted';
const t = ruleTester(rule);

describe(ID, () => {
  it('stand-alone instances: encrypted passes, unencrypted fails, unknown is skipped', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-db')],
        instances: [
          instance('enc', ['sg-db']),
          instance('plain', ['sg-db'], { storageEncrypted: false }),
          instance('unknown', ['sg-db'], { storageEncrypted: undefined }),
        ],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'encrypted', resource: 'enc' }],
      findings: [{ messageId: 'unencrypted', resource: 'plain' }],
    });
    const f = t.finding(snap, 'plain');
    expect(f.message).toBe('DB instance plain (postgres) does not encrypt its storage at rest.');
    expect(f.remediation).toEqual([
      'aws rds create-db-snapshot --region us-east-1 --db-instance-identifier plain --db-snapshot-identifier plain-unencrypted',
      'aws rds copy-db-snapshot --region us-east-1 --source-db-snapshot-identifier plain-unencrypted --target-db-snapshot-identifier plain-encrypted --kms-key-id alias/aws/rds',
      'aws rds restore-db-instance-from-db-snapshot --region us-east-1 --db-instance-identifier plain-encrypted --db-snapshot-identifier plain-encrypted --vpc-security-group-ids sg-db',
    ]);
  });

  it('clusters are checked once; their members are covered by the cluster finding', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-a')],
        clusters: [cluster('aurora', ['sg-a'], { storageEncrypted: false, members: ['aurora-1'] })],
        instances: [
          instance('aurora-1', ['sg-a'], { clusterId: 'aurora', engine: 'aurora-mysql', storageEncrypted: false }),
        ],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'unencrypted', resource: 'aurora' }] });
    expect(t.finding(snap, 'aurora').remediation).toEqual([
      'aws rds create-db-cluster-snapshot --region us-east-1 --db-cluster-identifier aurora --db-cluster-snapshot-identifier aurora-unencrypted',
      'aws rds copy-db-cluster-snapshot --region us-east-1 --source-db-cluster-snapshot-identifier aurora-unencrypted --target-db-cluster-snapshot-identifier aurora-encrypted --kms-key-id alias/aws/rds',
      'aws rds restore-db-cluster-from-snapshot --region us-east-1 --db-cluster-identifier aurora-encrypted --snapshot-identifier aurora-encrypted --engine aurora-mysql --vpc-security-group-ids sg-a',
    ]);
  });

  it('a member whose cluster is not in the snapshot is checked itself', () => {
    const snap = snapshot(
      region({ instances: [instance('aurora-1', [], { clusterId: 'gone', storageEncrypted: true })] }),
    );
    t.assert({ snapshot: snap, passes: [{ messageId: 'encrypted', resource: 'aurora-1' }], findings: [] });
  });

  it('encrypted clusters pass', () => {
    t.assert({
      snapshot: snapshot(region({ clusters: [cluster('aurora', [])] })),
      passes: [{ messageId: 'encrypted', resource: 'aurora' }],
      findings: [],
    });
  });
});
