import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/schema.js';
import type { Permission, PrefixList } from '../../src/snapshot/schema.js';
import { auroraSg } from '../../rules/aurora-sg.js';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  all,
  cluster,
  instance,
  proto,
  region,
  runRules,
  settingsWith,
  settingsWithTiers,
  sg,
  snapshot,
  tcp,
  udp,
} from '../helpers/estate.js';
import { ruleTester, withOptions, type InvalidCase, type ValidCase } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'aurora-sg';
const t = ruleTester(auroraSg);
type M = keyof typeof auroraSg.meta.messages;
const ok = (resource: string) => ({ messageId: 'compliant' as const, resource });
const bad = (messageId: M, resource: string) => ({ messageId, resource });

/** A group with no egress (so only ingress matters) protecting one aurora-mysql cluster on 3306. */
const db = (ingress: Permission[], o: { egress?: Permission[]; prefixLists?: PrefixList[] } = {}) =>
  snapshot(
    region({
      groups: [sg('sg-db', { ingress, egress: o.egress ?? [] })],
      clusters: [cluster('orders', ['sg-db'])],
      prefixLists: o.prefixLists,
    }),
  );

const valid: ValidCase<M>[] = [
  // --- not applicable ---
  {
    name: 'no cluster',
    snapshot: snapshot(region({ groups: [sg('sg-db', { ingress: [tcp(3306, '0.0.0.0/0')] })] })),
    passes: [],
  },
  {
    name: 'non-Aurora engines are out of scope',
    snapshot: snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(5432, '0.0.0.0/0')] })],
        clusters: [cluster('pg', ['sg-db'], { engine: 'postgres', port: 5432 })],
        instances: [instance('pg1', ['sg-db'])],
      }),
    ),
    passes: [],
  },
  // --- compliant ---
  { name: 'cluster port from a security group, no egress', snapshot: db([tcp(3306, 'sg-app')]), passes: [ok('sg-db')] },
  {
    name: 'cluster port from private CIDRs (10/8, 172.16/12, 192.168/16, ULA)',
    snapshot: db([tcp(3306, '10.0.0.0/16', '172.16.0.0/12', '192.168.1.0/24', 'fd00::/8')]),
    passes: [ok('sg-db')],
  },
  {
    name: 'cluster port from a cross-account group (resolved or not, a group is allowed)',
    snapshot: db([tcp(3306, `${OTHER_ACCOUNT}/sg-app`)]),
    passes: [ok('sg-db')],
  },
  {
    name: 'prefix list whose entries are all private',
    snapshot: db([tcp(3306, 'pl-corp')], {
      prefixLists: [{ id: 'pl-corp', entries: [{ cidr: '10.1.0.0/16' }, { cidr: '192.168.0.0/16' }] }],
    }),
    passes: [ok('sg-db')],
  },
  {
    name: 'a custom cluster port (3307)',
    snapshot: snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(3307, 'sg-app')], egress: [] })],
        clusters: [cluster('orders', ['sg-db'], { port: 3307 })],
      }),
    ),
    passes: [ok('sg-db')],
  },
  {
    name: 'aurora-postgresql without a recorded port uses 5432',
    snapshot: snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(5432, 'sg-app')], egress: [] })],
        clusters: [cluster('pg', ['sg-db'], { engine: 'aurora-postgresql', port: undefined })],
      }),
    ),
    passes: [ok('sg-db')],
  },
  {
    name: 'egress restricted to a group is not unrestricted',
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('sg-app'), tcp(443, '0.0.0.0/0')] }),
    passes: [ok('sg-db')],
  },
  {
    name: 'a group shared by two clusters is checked for each',
    snapshot: snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(3306, 'sg-app')], egress: [] })],
        clusters: [cluster('a', ['sg-db']), cluster('b', ['sg-db'])],
      }),
    ),
    passes: [ok('sg-db'), ok('sg-db')],
  },
  // --- egress (opt-in: AWS adds all traffic to 0.0.0.0/0, and ::/0 in IPv6 VPCs, to every new group;
  //     Amazon VPC User Guide, "Security group rules") ---
  {
    name: "AWS's default egress (all traffic to 0.0.0.0/0) passes by default",
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0')] }),
    passes: [ok('sg-db')],
  },
  {
    name: "AWS's default IPv4 and IPv6 egress passes by default",
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0', '::/0')] }),
    passes: [ok('sg-db')],
  },
  {
    name: 'egress check off explicitly',
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0')] }),
    settings: withOptions(ID, { checkEgress: false }),
    passes: [ok('sg-db')],
  },
  {
    name: 'default group next to a dedicated group: not default-only',
    snapshot: snapshot(
      region({
        groups: [
          sg('sg-def', { name: 'default', egress: [] }),
          sg('sg-db', { ingress: [tcp(3306, 'sg-app')], egress: [] }),
        ],
        clusters: [cluster('orders', ['sg-def', 'sg-db'])],
      }),
    ),
    passes: [ok('sg-db'), ok('sg-def')],
  },
  {
    name: 'groups not collected in that region: no groupNotFound (the collection error covers it)',
    snapshot: snapshot(region({ collected: ['dbClusters'], clusters: [cluster('orders', ['sg-gone'])] })),
    passes: [],
  },
];

const invalid: InvalidCase<M>[] = [
  // --- public sources ---
  {
    name: '3306 from 0.0.0.0/0',
    snapshot: db([tcp(3306, '0.0.0.0/0')]),
    passes: [],
    findings: [bad('worldSource', 'sg-db')],
  },
  { name: '3306 from ::/0', snapshot: db([tcp(3306, '::/0')]), passes: [], findings: [bad('worldSource', 'sg-db')] },
  {
    name: 'a public IPv4 CIDR',
    snapshot: db([tcp(3306, '203.0.113.0/24')]),
    passes: [],
    findings: [bad('publicSource', 'sg-db')],
  },
  {
    name: 'a public IPv6 CIDR',
    snapshot: db([tcp(3306, '2001:db8::/32')]),
    passes: [],
    findings: [bad('publicSource', 'sg-db')],
  },
  {
    name: 'a single public address',
    snapshot: db([tcp(3306, '198.51.100.7/32')]),
    passes: [],
    findings: [bad('publicSource', 'sg-db')],
  },
  {
    name: 'a prefix list with a public entry',
    snapshot: db([tcp(3306, 'pl-mixed')], {
      prefixLists: [{ id: 'pl-mixed', entries: [{ cidr: '10.0.0.0/8' }, { cidr: '203.0.113.0/24' }] }],
    }),
    passes: [],
    findings: [bad('publicSource', 'sg-db')],
  },
  {
    name: 'a prefix list containing 0.0.0.0/0 is the world (issue #10)',
    snapshot: db([tcp(3306, 'pl-all')], { prefixLists: [{ id: 'pl-all', entries: [{ cidr: '0.0.0.0/0' }] }] }),
    passes: [],
    findings: [bad('worldSource', 'sg-db')],
  },
  {
    name: 'a prefix list whose entries are unknown',
    snapshot: db([tcp(3306, 'pl-unknown')]),
    passes: [],
    findings: [bad('unknownPrefixList', 'sg-db')],
  },
  {
    name: 'all traffic from the world: one finding (world)',
    snapshot: db([all('0.0.0.0/0')]),
    passes: [],
    findings: [bad('worldSource', 'sg-db')],
  },
  // --- all traffic / other ports ---
  {
    name: 'all traffic from a group',
    snapshot: db([all('sg-app')]),
    passes: [],
    findings: [bad('allTraffic', 'sg-db')],
  },
  {
    name: 'all traffic from a private range',
    snapshot: db([all('10.0.0.0/8')]),
    passes: [],
    findings: [bad('allTraffic', 'sg-db')],
  },
  {
    name: 'another port (5432) on a MySQL cluster',
    snapshot: db([tcp(3306, 'sg-app'), tcp(5432, 'sg-app')]),
    passes: [],
    findings: [bad('otherPort', 'sg-db')],
  },
  {
    name: 'a range around the cluster port',
    snapshot: db([tcp([3300, 3310], 'sg-app')]),
    passes: [],
    findings: [bad('otherPort', 'sg-db')],
  },
  {
    name: 'udp on the cluster port',
    snapshot: db([udp(3306, '10.0.0.0/8')]),
    passes: [],
    findings: [bad('otherPort', 'sg-db')],
  },
  {
    name: 'icmp from a private range',
    snapshot: db([proto('icmp', -1, -1, '10.0.0.0/8')]),
    passes: [],
    findings: [bad('otherPort', 'sg-db')],
  },
  {
    name: 'egress check on (options.checkEgress): default egress fails',
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0')] }),
    settings: withOptions(ID, { checkEgress: true }),
    passes: [],
    findings: [bad('unrestrictedEgress', 'sg-db')],
  },
  {
    name: 'egress check on: IPv4 and IPv6 world egress, one finding',
    snapshot: db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0', '::/0')] }),
    settings: withOptions(ID, { checkEgress: true }),
    passes: [],
    findings: [bad('unrestrictedEgress', 'sg-db')],
  },
  // --- default group / missing groups ---
  {
    name: "protected only by the VPC's default group (with AWS's default self reference)",
    snapshot: snapshot(
      region({
        groups: [sg('sg-def', { name: 'default', ingress: [all('sg-def')], egress: [] })],
        clusters: [cluster('orders', ['sg-def'])],
      }),
    ),
    passes: [],
    findings: [bad('allTraffic', 'sg-def'), bad('defaultGroupOnly', 'sg-def')],
  },
  {
    name: 'default group with no rules, alone: still default-only',
    snapshot: snapshot(
      region({ groups: [sg('sg-def', { name: 'default', egress: [] })], clusters: [cluster('orders', ['sg-def'])] }),
    ),
    passes: [],
    findings: [bad('defaultGroupOnly', 'sg-def')],
  },
  {
    name: 'a group the snapshot lacks',
    snapshot: snapshot(
      region({
        groups: [sg('sg-db', { ingress: [tcp(3306, 'sg-app')], egress: [] })],
        clusters: [cluster('orders', ['sg-db', 'sg-gone'])],
      }),
    ),
    passes: [ok('sg-db')],
    findings: [bad('groupNotFound', 'sg-gone')],
  },
];

describe('aurora-sg', () => {
  t.run({ valid, invalid });

  describe('severity', () => {
    it('world/public high, all-traffic/other-port/default medium, egress low', () => {
      const snap = snapshot(
        region({
          groups: [
            sg('sg-db', {
              ingress: [tcp(3306, '0.0.0.0/0'), tcp(3306, '203.0.113.0/24'), all('sg-app'), tcp(22, '10.0.0.0/8')],
              egress: [all('0.0.0.0/0')],
            }),
            sg('sg-def', { name: 'default', egress: [] }),
          ],
          clusters: [cluster('orders', ['sg-db']), cluster('legacy', ['sg-def'])],
        }),
      );
      // Exposure unknown (interfaces not collected): the rule's own severities (test/helpers/exposure.ts).
      exposureUnknown(snap);
      expect(
        runRules([auroraSg], snap, withOptions(ID, { checkEgress: true })).map((f) => [f.messageId, f.severity]),
      ).toEqual([
        ['worldSource', 'high'],
        ['publicSource', 'high'],
        ['allTraffic', 'medium'],
        ['otherPort', 'medium'],
        ['unrestrictedEgress', 'low'],
        ['defaultGroupOnly', 'medium'],
      ]);
    });

    it('a settings severity override wins over per-finding severities', () => {
      const snap = db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0')] });
      const settings = settingsWith({ rules: { [ID]: { severity: 'info', options: { checkEgress: true } } } });
      expect(runRules([auroraSg], snap, settings).map((f) => f.severity)).toEqual(['info']);
    });
  });

  describe('finding content', () => {
    it('resource is the group, related is the cluster; the message is filled', () => {
      const [f] = runRules([auroraSg], db([tcp(3306, 'sg-app')]));
      expect(f).toMatchObject({
        ruleId: ID,
        status: 'pass',
        category: 'aurora',
        accountId: ACCOUNT,
        region: 'us-east-1',
        resource: { type: 'security-group', id: 'sg-db', name: 'db' },
        related: [{ type: 'db-cluster', id: 'orders', arn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders` }],
        message:
          'Security group sg-db (db) of Aurora cluster orders admits only tcp 3306 from security groups or private ranges.',
      });
    });

    it('public source: revoke that entry', () => {
      const [f] = runRules([auroraSg], exposureUnknown(db([tcp(3306, '203.0.113.0/24')])));
      expect(f.message).toBe(
        'Security group sg-db (db) of Aurora cluster orders admits tcp 3306 from 203.0.113.0/24, which is not a private address range.',
      );
      expect(f.remediation).toEqual([
        `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":3306,"ToPort":3306,"IpRanges":[{"CidrIp":"203.0.113.0/24"}]}]'`,
      ]);
    });

    it('over-broad rule from an acceptable source: allow the cluster port from it, then revoke', () => {
      const fs = runRules([auroraSg], db([tcp([3300, 3310], 'sg-app'), all('10.0.0.0/8'), tcp(22, 'sg-app')]));
      expect(fs.map((f) => [f.messageId, f.message, f.remediation])).toEqual([
        [
          'otherPort',
          'Security group sg-db (db) of Aurora cluster orders admits tcp 3300-3310 from sg-app; only tcp 3306, the cluster port, should be open.',
          [
            `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":3306,"ToPort":3306,"UserIdGroupPairs":[{"GroupId":"sg-app"}]}]'`,
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":3300,"ToPort":3310,"UserIdGroupPairs":[{"GroupId":"sg-app"}]}]'`,
          ],
        ],
        [
          'allTraffic',
          'Security group sg-db (db) of Aurora cluster orders admits all traffic from 10.0.0.0/8 instead of only tcp 3306.',
          [
            'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-db --protocol tcp --port 3306 --cidr 10.0.0.0/8',
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"10.0.0.0/8"}]}]'`,
          ],
        ],
        [
          'otherPort',
          'Security group sg-db (db) of Aurora cluster orders admits tcp 22 from sg-app; only tcp 3306, the cluster port, should be open.',
          [
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"UserIdGroupPairs":[{"GroupId":"sg-app"}]}]'`,
          ],
        ],
      ]);
    });

    it('unrestricted egress: revoke each world egress entry', () => {
      const [f] = runRules(
        [auroraSg],
        db([tcp(3306, 'sg-app')], { egress: [all('0.0.0.0/0', '::/0')] }),
        withOptions(ID, { checkEgress: true }),
      );
      expect(f.message).toBe(
        'Security group sg-db (db) of Aurora cluster orders allows all outbound traffic to 0.0.0.0/0 and ::/0.',
      );
      expect(f.remediation).toEqual([
        `aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
        `aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-db --ip-permissions '[{"IpProtocol":"-1","Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`,
      ]);
    });

    it('default group only: create a dedicated group in the VPC, allow the app tier, move the cluster', () => {
      const snap = snapshot(
        region({
          groups: [
            sg('sg-def', { name: 'default', vpcId: 'vpc-7', egress: [] }),
            sg('sg-app', { tier: 'app', vpcId: 'vpc-7' }),
          ],
          clusters: [cluster('legacy', ['sg-def'], { engine: 'aurora-postgresql', port: 5432 })],
        }),
      );
      const [f] = runRules([auroraSg], snap);
      expect(f.message).toBe('Aurora cluster legacy is protected only by the default security group sg-def of vpc-7.');
      expect(f.remediation).toEqual([
        "aws ec2 create-security-group --region us-east-1 --group-name legacy-aurora --description 'Aurora cluster legacy' --vpc-id vpc-7",
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id '<new-aurora-sg-id>' --protocol tcp --port 5432 --source-group sg-app`,
        `aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier legacy --vpc-security-group-ids '<new-aurora-sg-id>' --apply-immediately`,
      ]);
    });

    it('custom tier tags (key + value, and key without value) pick the app group for the remediation', () => {
      const snap = snapshot(
        region({
          groups: [
            sg('sg-def', { name: 'default', egress: [] }),
            sg('sg-svc', { tags: { Layer: 'service' } }),
            sg('sg-svc2', { tags: { Svc: 'x' } }),
          ],
          clusters: [cluster('legacy', ['sg-def'])],
        }),
      );
      const remediationWith = (settings?: Settings) => runRules([auroraSg], snap, settings)[0].remediation[1];
      expect(remediationWith()).toContain(`--source-group '<app-tier-sg-id>'`);
      const withValue = settingsWithTiers({ app: [{ key: 'Layer', value: 'service' }] });
      expect(remediationWith(withValue)).toContain('--source-group sg-svc');
      const keyOnly = settingsWithTiers({ app: [{ key: 'Svc' }] });
      expect(remediationWith(keyOnly)).toContain('--source-group sg-svc2');
    });

    it('unknown prefix list: suggests reading its entries, or revoking', () => {
      const [f] = runRules([auroraSg], exposureUnknown(db([tcp(3306, 'pl-0abc')])));
      expect(f.message).toBe(
        'Security group sg-db (db) of Aurora cluster orders admits tcp 3306 from prefix list pl-0abc, whose entries were not collected, so it cannot be confirmed private.',
      );
      expect(f.remediation[0]).toBe(
        'aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-0abc',
      );
    });
  });
});
