import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { dataTierSg } from '../../rules/data-tier-sg.js';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  all,
  cluster,
  eni,
  instance,
  lb,
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

const ID = 'data-tier-sg';
const t = ruleTester(dataTierSg);
type M = keyof typeof dataTierSg.meta.messages;
const ok = (resource: string) => ({ messageId: 'compliant' as const, resource });
const bad = (messageId: M, resource: string) => ({ messageId, resource });

const app = sg('sg-app', { tier: 'app' });
const one = (...groups: ReturnType<typeof sg>[]) => snapshot(region({ groups }));

const valid: ValidCase<M>[] = [
  // --- not applicable ---
  {
    name: 'no tier tags anywhere: not applicable',
    snapshot: one(sg('sg-a', { ingress: [tcp(3306, '0.0.0.0/0')] })),
    passes: [],
  },
  {
    name: 'a different tag value is not the data tier',
    snapshot: one(sg('sg-a', { tags: { Tier: 'database' }, ingress: [tcp(3306, '0.0.0.0/0')] })),
    passes: [],
  },
  { name: 'empty estate', snapshot: snapshot(), passes: [] },
  // --- compliant ---
  {
    name: 'tcp 3306 from the app tier',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })),
    passes: [ok('sg-data')],
  },
  {
    name: 'tcp 5432 (any data port) from the app tier',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(5432, 'sg-app')] })),
    passes: [ok('sg-data')],
  },
  {
    name: 'a self reference is allowed (cluster members)',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app'), all('sg-data')] })),
    passes: [ok('sg-data')],
  },
  {
    name: 'a narrow range from the app tier (3306-3308) is explicit enough',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp([3306, 3308], 'sg-app')] })),
    passes: [ok('sg-data')],
  },
  {
    name: 'protocol given as number 6 is tcp',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [proto('6', 3306, 3306, 'sg-app')] })),
    passes: [ok('sg-data')],
  },
  {
    name: 'a DB on a non-default port: its endpoint port is what counts',
    snapshot: snapshot(
      region({
        groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(3307, 'sg-app')] })],
        clusters: [cluster('orders', ['sg-data'], { port: 3307 })],
      }),
    ),
    passes: [ok('sg-data')],
  },
  {
    name: 'a DB without a recorded port uses its engine default (postgres 5432)',
    snapshot: snapshot(
      region({
        groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(5432, 'sg-app')] })],
        instances: [instance('pg', ['sg-data'], { port: undefined })],
      }),
    ),
    passes: [ok('sg-data')],
  },
  {
    name: 'two data groups in two regions, both compliant',
    snapshot: snapshot(
      region({ groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })] }),
      region({
        region: 'eu-west-1',
        groups: [sg('sg-app2', { tier: 'app' }), sg('sg-data2', { tier: 'data', ingress: [tcp(1433, 'sg-app2')] })],
      }),
    ),
    passes: [ok('sg-data'), ok('sg-data2')],
  },
  // --- cross-account references ---
  {
    name: 'cross-account app group in the merged estate counts as app tier',
    snapshot: snapshot(
      region({ groups: [sg('sg-data', { tier: 'data', ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-app`)] })] }),
      region({ accountId: OTHER_ACCOUNT, groups: [app] }),
    ),
    passes: [ok('sg-data')],
  },
  {
    name: 'groups not collected in that region: not reported (the collection error covers it)',
    snapshot: snapshot(
      region({ collected: ['dbClusters'], clusters: [cluster('orders', ['sg-x'], { tier: 'data' })] }),
    ),
    passes: [],
  },
];

const invalid: InvalidCase<M>[] = [
  // --- missing app access ---
  {
    name: 'no inbound rule at all',
    snapshot: one(app, sg('sg-data', { tier: 'data' })),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data')],
  },
  {
    name: 'app tier allowed on a non-DB port only',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(22, 'sg-app')] })),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data')],
  },
  {
    name: 'udp 3306 from the app tier does not cover tcp',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [udp(3306, 'sg-app')] })),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data')],
  },
  {
    name: 'no app-tier group exists at all',
    snapshot: one(sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-other')] }), sg('sg-other')),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data'), bad('nonAppGroup', 'sg-data')],
  },
  {
    name: 'DB endpoint port (aurora-postgresql 5432) not allowed although 3306 is',
    snapshot: snapshot(
      region({
        groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })],
        clusters: [cluster('pg', ['sg-data'], { engine: 'aurora-postgresql', port: 5432 })],
      }),
    ),
    passes: [],
    findings: [bad('missingDbPortAccess', 'sg-data')],
  },
  {
    name: 'a group protecting two DBs must allow both ports',
    snapshot: snapshot(
      region({
        groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })],
        clusters: [cluster('mysql', ['sg-data'])],
        instances: [instance('pg', ['sg-data'])],
      }),
    ),
    passes: [],
    findings: [bad('missingDbPortAccess', 'sg-data')],
  },
  // --- other sources ---
  {
    name: 'open to the world (and no app access)',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, '0.0.0.0/0')] })),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data'), bad('worldSource', 'sg-data')],
  },
  {
    name: 'open to ::/0 next to app access',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app', '::/0')] })),
    passes: [],
    findings: [bad('worldSource', 'sg-data')],
  },
  {
    name: 'a private CIDR is still not the app tier',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app'), tcp(3306, '10.0.0.0/16')] })),
    passes: [],
    findings: [bad('cidrSource', 'sg-data')],
  },
  {
    name: 'one finding per source: IPv4 CIDR, IPv6 CIDR and prefix list in one permission',
    snapshot: one(
      app,
      sg('sg-data', {
        tier: 'data',
        ingress: [tcp(3306, 'sg-app'), tcp(5432, '203.0.113.0/24', '2001:db8::/32', 'pl-0123')],
      }),
    ),
    passes: [],
    findings: [bad('cidrSource', 'sg-data'), bad('cidrSource', 'sg-data'), bad('cidrSource', 'sg-data')],
  },
  {
    name: 'a non-app group (web tier) reaching the database',
    snapshot: one(
      app,
      sg('sg-web', { tier: 'web' }),
      sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app', 'sg-web')] }),
    ),
    passes: [],
    findings: [bad('nonAppGroup', 'sg-data')],
  },
  {
    name: 'icmp from a CIDR is another source too',
    snapshot: one(
      app,
      sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app'), proto('icmp', -1, -1, '10.0.0.0/8')] }),
    ),
    passes: [],
    findings: [bad('cidrSource', 'sg-data')],
  },
  // --- wide ranges ---
  {
    name: 'all traffic from the app tier is wide (but access exists)',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [all('sg-app')] })),
    passes: [],
    findings: [bad('wideRange', 'sg-data')],
  },
  {
    name: 'tcp 3000-4000 from the app tier is wide',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp([3000, 4000], 'sg-app')] })),
    passes: [],
    findings: [bad('wideRange', 'sg-data')],
  },
  {
    name: 'tcp 0-65535 from the app tier is wide',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp([0, 65535], 'sg-app')] })),
    passes: [],
    findings: [bad('wideRange', 'sg-data')],
  },
  {
    name: 'all traffic from the world: one finding (world), not also wide',
    snapshot: one(app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app'), all('0.0.0.0/0')] })),
    passes: [],
    findings: [bad('worldSource', 'sg-data')],
  },
  {
    name: 'cross-account group absent from the estate is not proof of app tier',
    snapshot: one(sg('sg-data', { tier: 'data', ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-app`)] })),
    passes: [],
    findings: [bad('unverifiedGroup', 'sg-data')],
  },
  {
    name: 'cross-account group in the estate but not tagged app',
    snapshot: snapshot(
      region({ groups: [sg('sg-data', { tier: 'data', ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-x`)] })] }),
      region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-x')] }),
    ),
    passes: [],
    findings: [bad('missingAppAccess', 'sg-data'), bad('nonAppGroup', 'sg-data')],
  },
  // --- tier resources without a tier group ---
  {
    name: 'data-tier DB but no data-tier group',
    snapshot: snapshot(
      region({ groups: [app, sg('sg-x')], clusters: [cluster('orders', ['sg-x'], { tier: 'data' })] }),
    ),
    passes: [],
    findings: [bad('noTierGroup', `${ACCOUNT}/us-east-1`)],
  },
  {
    name: 'data-tier ENI and load balancer, no group at all',
    snapshot: snapshot(region({ enis: [eni('eni-1', [], { tier: 'data' })], lbs: [lb('nlb', [], { tier: 'data' })] })),
    passes: [],
    findings: [bad('noTierGroup', `${ACCOUNT}/us-east-1`)],
  },
  {
    name: 'another region has the data-tier group: each region stands alone',
    snapshot: snapshot(
      region({ groups: [app, sg('sg-data', { tier: 'data', ingress: [tcp(3306, 'sg-app')] })] }),
      region({ region: 'eu-west-1', instances: [instance('pg', [], { tier: 'data' })] }),
    ),
    passes: [ok('sg-data')],
    findings: [bad('noTierGroup', `${ACCOUNT}/eu-west-1`)],
  },
];

describe('data-tier-sg', () => {
  t.run({ valid, invalid });

  describe('settings', () => {
    it('custom tier tags (key + value) replace the defaults', () => {
      const settings = settingsWithTiers({
        app: [{ key: 'Layer', value: 'application' }],
        data: [{ key: 'Layer', value: 'database' }],
      });
      const snap = one(
        sg('sg-app', { tags: { Layer: 'application' } }),
        sg('sg-data', { tags: { Layer: 'database' }, ingress: [tcp(3306, 'sg-app')] }),
        // Default tags no longer mean anything.
        sg('sg-old', { tier: 'data', ingress: [tcp(3306, '0.0.0.0/0')] }),
      );
      t.assert({ snapshot: snap, settings: settings, passes: [ok('sg-data')], findings: [] });
      t.assert({
        snapshot: snap,
        passes: [],
        findings: [bad('missingAppAccess', 'sg-old'), bad('worldSource', 'sg-old')],
      });
    });

    it('a key without a value matches any value of the key', () => {
      const settings = settingsWithTiers({ app: [{ key: 'app' }], data: [{ key: 'db' }] });
      const snap = one(
        sg('sg-app', { tags: { app: 'checkout' } }),
        sg('sg-data', { tags: { db: '' }, ingress: [tcp(3306, 'sg-app')] }),
        sg('sg-data2', { tags: { db: 'orders' }, ingress: [tcp(3306, '10.0.0.0/8')] }),
      );
      t.assert({
        snapshot: snap,
        settings: settings,
        passes: [ok('sg-data')],
        findings: [bad('cidrSource', 'sg-data2'), bad('missingAppAccess', 'sg-data2')],
      });
    });

    it('honours custom ports.data', () => {
      const settings = settingsWith({ ports: { data: [6379], web: [80, 443] } });
      const snap = one(
        app,
        sg('sg-redis', { tier: 'data', ingress: [tcp(6379, 'sg-app')] }),
        sg('sg-mysql', { tier: 'data', ingress: [tcp(3306, 'sg-app')] }),
      );
      t.assert({
        snapshot: snap,
        settings: settings,
        passes: [ok('sg-redis')],
        findings: [bad('missingAppAccess', 'sg-mysql')],
      });
      t.assert({ snapshot: snap, passes: [ok('sg-mysql')], findings: [bad('missingAppAccess', 'sg-redis')] });
    });

    it('options.maxPortRange decides what a wide range is', () => {
      const snap = one(app, sg('sg-data', { tier: 'data', ingress: [tcp([3306, 3308], 'sg-app')] }));
      const strict = withOptions(ID, { maxPortRange: 1 });
      t.assert({ snapshot: snap, settings: strict, passes: [], findings: [bad('wideRange', 'sg-data')] });
      t.assert({ snapshot: snap, passes: [ok('sg-data')], findings: [] });
    });
  });

  describe('finding content', () => {
    const findings = (snap: Snapshot, settings?: Settings) => runRules([dataTierSg], snap, settings);

    it('names account, region, resource, related DB (not its RDS-managed ENI), severity and a filled message', () => {
      const snap = snapshot(
        region({
          groups: [app, sg('sg-data', { name: 'orders-db', tier: 'data', ingress: [tcp(3306, 'sg-app')] })],
          clusters: [cluster('orders', ['sg-data'])],
          enis: [
            eni('eni-rds', ['sg-data'], {
              description: 'RDSNetworkInterface',
              requesterManaged: true,
              requesterId: 'amazon-rds',
            }),
          ],
        }),
      );
      const [f] = findings(snap);
      expect(f).toMatchObject({
        ruleId: ID,
        status: 'pass',
        severity: 'medium',
        category: 'data-tier',
        tier: 'data',
        accountId: ACCOUNT,
        region: 'us-east-1',
        resource: { type: 'security-group', id: 'sg-data', name: 'orders-db' },
        related: [{ type: 'db-cluster', id: 'orders', arn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders` }],
        message:
          'Data-tier security group sg-data (orders-db) admits tcp 3306 only from app-tier security groups (sg-app).',
        remediation: [],
      });
    });

    it('missing access: authorize from the app group in the same VPC, with the DB endpoint port', () => {
      const snap = snapshot(
        region({
          groups: [
            sg('sg-app-far', { tier: 'app', vpcId: 'vpc-2' }),
            sg('sg-app-near', { tier: 'app', vpcId: 'vpc-1' }),
            sg('sg-data', { tier: 'data', vpcId: 'vpc-1' }),
          ],
          clusters: [cluster('orders', ['sg-data'], { engine: 'aurora-postgresql', port: 5432 })],
        }),
      );
      const [f] = findings(snap);
      expect(f.message).toBe(
        'Data-tier security group sg-data (data) does not allow tcp 5432, the endpoint port of db-cluster orders, from an app-tier security group.',
      );
      expect(f.remediation).toEqual([
        'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-data --protocol tcp --port 5432 --source-group sg-app-near',
      ]);
    });

    it('missing access without any app group uses a placeholder and the port already exposed', () => {
      const fs = findings(one(sg('sg-data', { tier: 'data', ingress: [tcp(5432, '0.0.0.0/0')] })));
      expect(fs.map((f) => f.messageId)).toEqual(['worldSource', 'missingAppAccess']);
      const missing = fs[1];
      expect(missing.message).toBe(
        'Data-tier security group sg-data (data) does not allow any database port (tcp 3306, 1433, 1521 or 5432) from an app-tier security group.',
      );
      expect(missing.remediation).toEqual([
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-data --protocol tcp --port 5432 --source-group '<app-tier-sg-id>'`,
      ]);
    });

    it('a cross-account app group is authorized with its UserId', () => {
      const snap = snapshot(
        region({ groups: [sg('sg-data', { tier: 'data' })] }),
        region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-app', { tier: 'app', vpcId: 'vpc-1' })] }),
      );
      expect(findings(snap)[0].remediation).toEqual([
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"tcp","FromPort":3306,"ToPort":3306,"UserIdGroupPairs":[{"GroupId":"sg-app","UserId":"${OTHER_ACCOUNT}"}]}]'`,
      ]);
    });

    it('other sources: says which source and port, and revokes exactly that entry', () => {
      const snap = one(
        app,
        sg('sg-data', {
          tier: 'data',
          ingress: [tcp(3306, 'sg-app'), tcp(5432, '0.0.0.0/0', '2001:db8::/32'), all('pl-0abc')],
        }),
      );
      // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
      exposureUnknown(snap);
      const byMsg = findings(snap).map((f) => [f.messageId, f.message, f.remediation]);
      expect(byMsg).toEqual([
        [
          'worldSource',
          'Data-tier security group sg-data (data) admits tcp 5432 from the whole internet (0.0.0.0/0); only the app-tier security group should reach the database.',
          [
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
          ],
        ],
        [
          'cidrSource',
          'Data-tier security group sg-data (data) admits tcp 5432 from 2001:db8::/32, an address range, instead of only the app-tier security group.',
          [
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"Ipv6Ranges":[{"CidrIpv6":"2001:db8::/32"}]}]'`,
          ],
        ],
        [
          'cidrSource',
          'Data-tier security group sg-data (data) admits all traffic from prefix list pl-0abc, an address range, instead of only the app-tier security group.',
          [
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"-1","PrefixListIds":[{"PrefixListId":"pl-0abc"}]}]'`,
          ],
        ],
      ]);
    });

    it('unverified cross-account group: explains why and names the account', () => {
      const [f] = findings(one(sg('sg-data', { tier: 'data', ingress: [tcp(3306, `${OTHER_ACCOUNT}/sg-app`)] })));
      expect(f.message).toBe(
        `Data-tier security group sg-data (data) admits tcp 3306 from security group ${OTHER_ACCOUNT}/sg-app, which is not in the scanned estate, so it is not counted as app tier (add account ${OTHER_ACCOUNT} to the scan, or revoke the rule).`,
      );
      expect(f.remediation).toEqual([
        `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"tcp","FromPort":3306,"ToPort":3306,"UserIdGroupPairs":[{"GroupId":"sg-app","UserId":"${OTHER_ACCOUNT}"}]}]'`,
      ]);
    });

    it('wide range: allow the explicit DB port from the same app group, then revoke the wide rule', () => {
      const snap = snapshot(
        region({
          groups: [app, sg('sg-data', { tier: 'data', ingress: [all('sg-app')] })],
          clusters: [cluster('orders', ['sg-data'])],
        }),
      );
      const [f] = findings(snap);
      expect(f.message).toBe(
        'Data-tier security group sg-data (data) admits all traffic from app-tier group sg-app: all traffic or a wide port range instead of explicit database ports.',
      );
      expect(f.remediation).toEqual([
        'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-data --protocol tcp --port 3306 --source-group sg-app',
        `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-data --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-app"}]}]'`,
      ]);
    });

    it('no data-tier group: lists the resources and the commands to create, tag and attach one', () => {
      const snap = snapshot(
        region({
          groups: [sg('sg-app', { tier: 'app', vpcId: 'vpc-9' }), sg('sg-x', { vpcId: 'vpc-9' })],
          clusters: [cluster('orders', ['sg-x'], { tier: 'data', engine: 'aurora-postgresql', port: 5432 })],
        }),
      );
      const [f] = findings(snap);
      expect(f).toMatchObject({
        status: 'fail',
        messageId: 'noTierGroup',
        resource: { type: 'account-region', id: `${ACCOUNT}/us-east-1` },
        related: [{ type: 'db-cluster', id: 'orders' }],
        message: `Account ${ACCOUNT} region us-east-1 has data-tier resources (db-cluster orders) but no security group tagged for the data tier.`,
      });
      expect(f.remediation).toEqual([
        "aws ec2 create-security-group --region us-east-1 --group-name data-tier --description 'Data-tier security group' --vpc-id vpc-9",
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id '<new-data-tier-sg-id>' --protocol tcp --port 5432 --source-group sg-app`,
        `aws ec2 create-tags --region us-east-1 --resources '<new-data-tier-sg-id>' --tags Key=Tier,Value=data`,
        `aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier orders --vpc-security-group-ids '<new-data-tier-sg-id>' --apply-immediately`,
      ]);
    });

    it('a key-only tier matcher tags with the key alone', () => {
      const settings = settingsWithTiers({ data: [{ key: 'DataTier' }] });
      const [f] = findings(
        snapshot(region({ instances: [instance('pg', [], { tags: { DataTier: 'yes' } })] })),
        settings,
      );
      expect(f.remediation).toContain(
        `aws ec2 create-tags --region us-east-1 --resources '<new-data-tier-sg-id>' --tags Key=DataTier`,
      );
      expect(f.remediation).toContain(
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id '<new-data-tier-sg-id>' --protocol tcp --port 5432 --source-group '<app-tier-sg-id>'`,
      );
    });
  });
});
