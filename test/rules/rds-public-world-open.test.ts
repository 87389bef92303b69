import { describe, expect, it } from 'vitest';
import { rdsPublicWorldOpen as rule } from '../../rules/rds-public-world-open.js';
import { all, cluster, instance, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'rds-public-world-open';
const t = ruleTester(rule);
const pg = (publiclyAccessible: boolean | undefined, o: Parameters<typeof instance>[2] = {}) =>
  instance('pg', ['sg-db'], { publiclyAccessible, ...o });
const estate = (ingress: ReturnType<typeof tcp>[], inst = pg(true)) =>
  snapshot(region({ groups: [sg('sg-db', { ingress })], instances: [inst] }));

describe(ID, () => {
  t.run(
    t.each(
      [
        ['tcp 5432 from 0.0.0.0/0', [tcp(5432, '0.0.0.0/0')]],
        ['tcp 5432 from ::/0', [tcp(5432, '::/0')]],
        ['a tcp range covering 5432', [tcp([5000, 6000], '0.0.0.0/0')]],
        ['all traffic from the world', [all('0.0.0.0/0')]],
      ],
      (_name, ingress) => ({
        name: `public DB, ${_name} → critical`,
        snapshot: estate(ingress),
        passes: [],
        findings: [{ messageId: 'open', resource: 'pg' }],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['another port from the world', [tcp(3306, '0.0.0.0/0')]],
        ['udp 5432 from the world', [udp(5432, '0.0.0.0/0')]],
        ['the port from the VPC', [tcp(5432, '10.0.0.0/16')]],
        ['the port from the app tier', [tcp(5432, 'sg-app')]],
      ],
      (_name, ingress) => ({
        name: `public DB, ${_name} → publicClosed`,
        snapshot: estate(ingress),
        passes: [{ messageId: 'publicClosed', resource: 'pg' }],
        findings: [],
      }),
    ),
  );

  describe('prefix lists are the CIDRs they hold (issue #10)', () => {
    const withList = (prefixLists: { id: string; entries?: { cidr: string }[] }[], ingress = [tcp(5432, 'pl-1')]) =>
      snapshot(region({ groups: [sg('sg-db', { ingress })], instances: [pg(true)], prefixLists }));

    it('the port from a list holding ::/0 → critical, naming the list', () => {
      const snap = withList([{ id: 'pl-1', entries: [{ cidr: '::/0' }] }]);
      t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'pg' }] });
      expect(t.finding(snap, 'pg').data).toMatchObject({ sources: 'pl-1 (holds ::/0)' });
    });

    it('the port from a list of private ranges → publicClosed', () => {
      t.assert({
        snapshot: withList([{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }] }]),
        passes: [{ messageId: 'publicClosed', resource: 'pg' }],
        findings: [],
      });
    });

    it('the port from a list whose entries were not collected → unknown (error), never publicClosed', () => {
      const snap = withList([{ id: 'pl-1' }]);
      t.assert({ snapshot: snap, passes: [], findings: [{ status: 'error', messageId: 'unknown', resource: 'pg' }] });
      const f = t.finding(snap, 'pg');
      expect(f.message).toBe(
        'DB instance pg is publicly accessible and security group(s) sg-db admit tcp 5432 from pl-1; the entries of pl-1 were not collected, so whether its port tcp 5432 is open to the internet is unknown.',
      );
      expect(f.remediation).toEqual([
        'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-1',
      ]);
      // Another port from the unknown list does not matter.
      t.assert({
        snapshot: withList([{ id: 'pl-1' }], [tcp(443, 'pl-1')]),
        passes: [{ messageId: 'publicClosed', resource: 'pg' }],
        findings: [],
      });
    });
  });

  it('a private DB passes even with a world-open group (world-open-database-ports reports the group)', () => {
    t.assert({
      snapshot: estate([tcp(5432, '0.0.0.0/0')], pg(false)),
      passes: [{ messageId: 'notPublic', resource: 'pg' }],
      findings: [],
    });
  });

  it('unknown PubliclyAccessible gives no finding', () => {
    t.assert({ snapshot: estate([tcp(5432, '0.0.0.0/0')], pg(undefined)), passes: [], findings: [] });
  });

  it('a public DB whose groups are not all in the snapshot is undecided unless an open group is known', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-db')],
        instances: [instance('pg', ['sg-db', 'sg-gone'], { publiclyAccessible: true })],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [] });
    const open = snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(5432, '0.0.0.0/0')] })],
        instances: [instance('pg', ['sg-db', 'sg-gone'], { publiclyAccessible: true })],
      }),
    );
    t.assert({ snapshot: open, passes: [], findings: [{ messageId: 'open', resource: 'pg' }] });
  });

  it('uses the endpoint port, else the engine default', () => {
    t.assert({
      snapshot: estate([tcp(5432, '0.0.0.0/0')], pg(true, { port: 6543 })),
      passes: [{ messageId: 'publicClosed', resource: 'pg' }],
      findings: [],
    });
    t.assert({
      snapshot: estate([tcp(6543, '0.0.0.0/0')], pg(true, { port: 6543 })),
      passes: [],
      findings: [{ messageId: 'open', resource: 'pg' }],
    });
    t.assert({
      snapshot: estate([tcp(3306, '0.0.0.0/0')], pg(true, { port: undefined, engine: 'mysql' })),
      passes: [],
      findings: [{ messageId: 'open', resource: 'pg' }],
    });
  });

  it('fails at critical severity with the fix: turn off public access, revoke the world rules', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-db', { ingress: [tcp(5432, '0.0.0.0/0', '::/0', '10.0.0.0/8')] }),
          sg('sg-x', { ingress: [all('0.0.0.0/0')] }),
        ],
        instances: [instance('pg', ['sg-db', 'sg-x'], { publiclyAccessible: true })],
      }),
    );
    // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
    exposureUnknown(snap);
    const f = t.finding(snap, 'pg');
    expect(f.severity).toBe('critical');
    expect(f.message).toBe(
      'DB instance pg is publicly accessible and security group(s) sg-db, sg-x admit its port tcp 5432 from 0.0.0.0/0, ::/0.',
    );
    expect(f.related.map((r) => r.id)).toEqual(['sg-db', 'sg-x']);
    expect(f.remediation).toEqual([
      'aws rds modify-db-instance --region us-east-1 --db-instance-identifier pg --no-publicly-accessible --apply-immediately',
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"0.0.0.0/0"}],"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-x --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('Aurora members are checked with the cluster groups and port; the Aurora cluster itself is not reported twice', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-aurora', { ingress: [tcp(3306, '0.0.0.0/0')] })],
        clusters: [
          cluster('aurora', ['sg-aurora'], { members: ['aurora-1', 'aurora-2'], publiclyAccessible: undefined }),
        ],
        instances: [
          instance('aurora-1', [], {
            clusterId: 'aurora',
            engine: 'aurora-mysql',
            port: undefined,
            publiclyAccessible: true,
          }),
          instance('aurora-2', [], {
            clusterId: 'aurora',
            engine: 'aurora-mysql',
            port: undefined,
            publiclyAccessible: false,
          }),
        ],
      }),
    );
    t.assert({
      snapshot: snap,
      passes: [{ messageId: 'notPublic', resource: 'aurora-2' }],
      findings: [{ messageId: 'open', resource: 'aurora-1' }],
    });
  });

  it('a Multi-AZ DB cluster without members in the snapshot is checked as a cluster', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-m', { ingress: [tcp(5432, '::/0')] })],
        clusters: [cluster('maz', ['sg-m'], { engine: 'postgres', port: 5432, publiclyAccessible: true })],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'maz' }] });
    expect(t.finding(snap, 'maz').remediation[0]).toBe(
      'aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier maz --no-publicly-accessible --apply-immediately',
    );
  });
});
