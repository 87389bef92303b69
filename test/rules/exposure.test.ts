/**
 * Internet exposure on world-open, public-source and tier findings (issue #12 "What users get", bullets 3-4):
 * the same security group in a public subnet with a public address (reachable: severity unchanged, the paths),
 * without a public address or in a private subnet (unreachable: one step lower, what blocks it in the message),
 * and in a region whose network was not collected (unknown: severity unchanged). Reachability follows the Amazon
 * VPC User Guide: a public IPv4 address, a route to an internet gateway
 * (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html) and network ACLs both ways
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
 */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/config/schema.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import type { Permission, SecurityGroup, Snapshot } from '../../src/snapshot/schema.js';
import { appTierFromWebOnly } from '../../rules/app-tier-from-web-only.js';
import { auroraSg } from '../../rules/aurora-sg.js';
import { dataTierSg } from '../../rules/data-tier-sg.js';
import { publicAddressIngress } from '../../rules/public-address-ingress.js';
import { rdsPublicWorldOpen } from '../../rules/rds-public-world-open.js';
import { restrictedCommonPorts } from '../../rules/restricted-common-ports.js';
import { webTierSg } from '../../rules/web-tier-sg.js';
import { widePublicCidrIngress } from '../../rules/wide-public-cidr-ingress.js';
import { worldOpenAdminPorts } from '../../rules/world-open-admin-ports.js';
import { worldOpenAllTraffic } from '../../rules/world-open-all-traffic.js';
import { worldOpenDatabasePorts } from '../../rules/world-open-database-ports.js';
import { worldOpenHighRiskPorts } from '../../rules/world-open-high-risk-ports.js';
import { worldOpenIcmp } from '../../rules/world-open-icmp.js';
import { worldOpenUnauthorizedPorts } from '../../rules/world-open-unauthorized-ports.js';
import {
  acl,
  aclRule,
  all,
  cluster,
  eni,
  icmp,
  instance,
  network,
  publicSubnet,
  region,
  route,
  routeTable,
  runRules,
  sg,
  snapshot,
  subnet,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

/**
 * Where the group's one interface eni-1 (instance i-1) sits: `public` (subnet-pub, routed to igw-1, public IPv4),
 * `no-address` (the same subnet, no public IPv4), `private` (subnet-priv, 0.0.0.0/0 → nat-1, a public IPv4 that
 * no route brings traffic to), `unknown` (a region whose network kinds were not collected: the v1 shape).
 */
type Where = 'public' | 'no-address' | 'private' | 'unknown';

function estate(
  where: Where,
  groups: SecurityGroup[],
  o: { eniGroups?: string[]; extra?: Partial<Parameters<typeof region>[0]> } = {},
): Snapshot {
  const ids = o.eniGroups ?? groups.map((g) => g.groupId);
  if (where === 'unknown') {
    return snapshot(
      region({
        groups,
        enis: [eni('eni-1', ids, { attachment: { instanceId: 'i-1' } })],
        collected: WITHOUT_NETWORK,
        ...o.extra,
      }),
    );
  }
  const net = network(publicSubnet(), {
    subnets: [subnet('subnet-priv', { cidr: '10.0.2.0/24' })],
    routeTables: [routeTable('rtb-priv', { subnetIds: ['subnet-priv'], routes: [route('0.0.0.0/0', 'nat-1')] })],
  });
  // The default ACL covers both subnets.
  net.networkAcls = [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-priv'], isDefault: true })];
  const subnetId = where === 'private' ? 'subnet-priv' : 'subnet-pub';
  const publicIp = where === 'no-address' ? undefined : '198.51.100.10';
  return snapshot(
    region({
      groups,
      enis: [
        eni('eni-1', {
          subnetId,
          groups: ids,
          instanceId: 'i-1',
          privateIp: where === 'private' ? '10.0.2.10' : '10.0.1.10',
          ...(publicIp ? { publicIp } : {}),
        }),
      ],
      ...net,
      ...o.extra,
    }),
  );
}

const LOWER: Record<Severity, Severity> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'info',
  info: 'info',
};

/** What blocks eni-1 where it is: the model's reason names the blocking resource. */
const BLOCKED: Record<'no-address' | 'private', RegExp> = {
  'no-address': /eni-1 has no public IPv4/,
  private: /route table rtb-priv .*not an internet gateway/,
};

function expectReachable(f: Finding, severity: Severity): void {
  expect(f.severity).toBe(severity);
  expect(f.exposure?.status).toBe('reachable');
  expect(f.exposure!.paths.length).toBeGreaterThan(0);
  const p = f.exposure!.paths[0];
  expect(p.target.id).toBe('eni-1');
  // From the internet gateway through the route table and the subnet's ACL to the security group's permission.
  const types = p.hops.map((h) => h.type);
  expect(types.slice(0, 3)).toEqual(['internet-gateway', 'route-table', 'network-acl']);
  expect(types[types.length - 1]).toBe('security-group');
  expect(f.message).not.toContain('Not reachable');
}

function expectUnreachable(f: Finding, severity: Severity, where: 'no-address' | 'private'): void {
  expect(f.severity).toBe(LOWER[severity]);
  expect(f.exposure).toMatchObject({ status: 'unreachable', paths: [] });
  expect(f.exposure!.reason).toMatch(BLOCKED[where]);
  expect(f.message).toContain(` Not reachable from the internet: `);
  expect(f.message).toMatch(BLOCKED[where]);
  expect(f.message).toContain(`(severity lowered from ${severity}).`);
}

function expectUnknown(f: Finding, severity: Severity): void {
  expect(f.severity).toBe(severity);
  expect(f.exposure).toMatchObject({ status: 'unknown', paths: [] });
  expect(f.exposure!.reason).toMatch(/not collected/);
  expect(f.message).not.toContain('Not reachable');
}

/** One rule family: the same failing finding of `rule` in each place, its exact findings (by message id) too. */
interface FamilyCase {
  name: string;
  rule: Rule;
  ingress: Permission[];
  messageId: string;
  tier?: string;
}

const FAMILIES: FamilyCase[] = [
  // checkWorldOpenPorts
  { name: 'admin ports (22)', rule: worldOpenAdminPorts, ingress: [tcp(22, '0.0.0.0/0')], messageId: 'open' },
  { name: 'database ports (3306)', rule: worldOpenDatabasePorts, ingress: [tcp(3306, '0.0.0.0/0')], messageId: 'open' },
  { name: 'high-risk ports (23)', rule: worldOpenHighRiskPorts, ingress: [tcp(23, '0.0.0.0/0')], messageId: 'open' },
  {
    name: 'restricted common ports (3389)',
    rule: restrictedCommonPorts,
    ingress: [tcp(3389, '0.0.0.0/0')],
    messageId: 'open',
  },
  // reportWorldEntries
  { name: 'all traffic', rule: worldOpenAllTraffic, ingress: [all('0.0.0.0/0')], messageId: 'open' },
  { name: 'ICMP', rule: worldOpenIcmp, ingress: [icmp('0.0.0.0/0')], messageId: 'open' },
  // reportWorldOpen directly
  {
    name: 'unauthorized ports (8080)',
    rule: worldOpenUnauthorizedPorts,
    ingress: [tcp(8080, '0.0.0.0/0')],
    messageId: 'open',
  },
  // public sources
  { name: 'wide public range', rule: widePublicCidrIngress, ingress: [tcp(22, '198.51.0.0/16')], messageId: 'wide' },
  { name: 'public address', rule: publicAddressIngress, ingress: [tcp(22, '198.51.100.7/32')], messageId: 'addresses' },
  // tier rules: the world-source finding
  {
    name: 'app tier from the world',
    rule: appTierFromWebOnly,
    ingress: [tcp(8080, '0.0.0.0/0')],
    messageId: 'otherSources',
    tier: 'app',
  },
];

describe.each(FAMILIES)('$name: exposure decides the severity', ({ rule, ingress, messageId, tier }) => {
  const groups = [sg('sg-1', { ingress, ...(tier ? { tier } : {}) })];
  const severity = rule.meta.severity;
  const t = ruleTester(rule);
  const one = (where: Where) => {
    const fs = t.findings(estate(where, groups)).filter((f) => f.status !== 'pass');
    expect(fs.map((f) => [f.status, f.messageId, f.resource.id])).toEqual([['fail', messageId, 'sg-1']]);
    return fs[0];
  };

  it('reachable (public subnet, public IPv4): severity unchanged, exposure.paths from the internet', () =>
    expectReachable(one('public'), severity));
  it('no public IPv4: one step lower, the message says what blocks it', () =>
    expectUnreachable(one('no-address'), severity, 'no-address'));
  it('private subnet (0.0.0.0/0 → NAT gateway): one step lower, the route table named', () =>
    expectUnreachable(one('private'), severity, 'private'));
  it('network not collected: unknown, severity unchanged', () => expectUnknown(one('unknown'), severity));
});

describe('port rules ask about the offending ports only', () => {
  it('a world-open range is reachable on 80 but an ACL denies 22: the admin finding is unreachable', () => {
    const snap = estate('public', [sg('sg-1', { ingress: [tcp([0, 1024], '0.0.0.0/0')] })]);
    // The subnet's ACL denies tcp 22 inbound before allowing everything (rule order, first match wins).
    const r = snap.regions[0];
    r.networkAcls = [
      acl('acl-deny-ssh', {
        subnetIds: ['subnet-pub', 'subnet-priv'],
        inbound: [
          {
            ruleNumber: 90,
            ruleAction: 'deny',
            protocol: '6',
            cidrBlock: '0.0.0.0/0',
            portRange: { from: 22, to: 22 },
          },
          { ruleNumber: 100, ruleAction: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0' },
        ],
      }),
    ];
    const [f] = runRules([worldOpenAdminPorts], snap).filter((x) => x.status === 'fail');
    expect(f.severity).toBe('medium');
    expect(f.exposure).toMatchObject({ status: 'unreachable' });
    expect(f.exposure!.reason).toMatch(/tcp 22/);
    // The high-risk rule's offending ports in 0-1024 (20, 21, 22, 23, …) include ports the ACL lets through.
    const [h] = runRules([worldOpenHighRiskPorts], snap).filter((x) => x.status === 'fail');
    expect(h.exposure?.status).toBe('reachable');
    expect(h.exposure!.paths.every((p) => p.ports.every(([a, b]) => a > 22 || b < 22))).toBe(true);
  });
});

describe('world-open-unauthorized-ports: only paths on unauthorized ports count', () => {
  /** tcp 80-443 from the world (unauthorized: 81-442), behind an ACL that admits `inbound` only. */
  const run = (inbound: number[]) => {
    const snap = estate('public', [sg('sg-1', { ingress: [tcp([80, 443], '0.0.0.0/0')] })]);
    snap.regions[0].networkAcls = [
      acl('acl-web', {
        subnetIds: ['subnet-pub', 'subnet-priv'],
        inbound: inbound.map((port, i) => aclRule(100 + i, 'allow', 'tcp', port)),
      }),
    ];
    return runRules([worldOpenUnauthorizedPorts], snap).filter((f) => f.status === 'fail');
  };

  it('the ACL lets only 80 and 443 in: the unauthorized ports are not reachable, one step lower', () => {
    const [f] = run([80, 443]);
    expect([f.messageId, f.severity, f.exposure?.status]).toEqual(['open', 'low', 'unreachable']);
    expect(f.exposure!.reason).toBe('the internet reaches sg-1 only on authorized ports (tcp 80, 443)');
  });

  it('the ACL also lets 100 in, an unauthorized port: reachable, the path narrowed to it', () => {
    const [f] = run([80, 100, 443]);
    expect([f.severity, f.exposure?.status]).toEqual(['medium', 'reachable']);
    expect(f.exposure!.paths.map((p) => p.ports)).toEqual([[[100, 100]]]);
    expect(f.exposure!.reason).toMatch(/^tcp 100 from 0\.0\.0\.0\/0/);
  });
});

describe("a permission's other sources are not the finding's", () => {
  it('tcp 22 from 0.0.0.0/0 and 198.51.100.7/32 in one permission: public-address-ingress keeps the /32 path', () => {
    const snap = estate('public', [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0', '198.51.100.7/32')] })]);
    const [f] = runRules([publicAddressIngress], snap).filter((x) => x.status === 'fail');
    expect(f.exposure!.paths.map((p) => p.source)).toEqual(['198.51.100.7/32']);
    expect(f.exposure!.reason).toMatch(/^tcp 22 from 198\.51\.100\.7\/32 /);
    // The world holds the /32: both paths are the world-open finding's.
    const [w] = runRules([worldOpenAdminPorts], snap).filter((x) => x.status === 'fail');
    expect(w.exposure!.paths.map((p) => p.source)).toEqual(['0.0.0.0/0', '198.51.100.7/32']);
  });
});

describe('world-open-icmp: only ICMP paths count', () => {
  it('all traffic from the world behind an ACL that admits tcp only: the ICMP finding is not reachable', () => {
    const snap = estate('public', [sg('sg-1', { ingress: [all('0.0.0.0/0')] })]);
    snap.regions[0].networkAcls = [
      acl('acl-tcp', { subnetIds: ['subnet-pub', 'subnet-priv'], inbound: [aclRule(100, 'allow', 'tcp', [0, 65535])] }),
    ];
    const [f] = runRules([worldOpenIcmp], snap).filter((x) => x.status === 'fail');
    expect([f.severity, f.exposure?.status]).toEqual(['info', 'unreachable']);
    expect(f.exposure!.reason).toBe('the internet reaches sg-1 only with other protocols than ICMP');
    const [a] = runRules([worldOpenAllTraffic], snap).filter((x) => x.status === 'fail');
    expect([a.severity, a.exposure?.status]).toEqual(['high', 'reachable']);
    expect(new Set(a.exposure!.paths.map((p) => p.protocol))).toEqual(new Set(['tcp']));
  });
});

describe('tier rules: exposure only for internet sources', () => {
  const data = (where: Where, ingress: Permission[]) =>
    runRules(
      [dataTierSg],
      estate(where, [sg('sg-data', { tier: 'data', ingress }), sg('sg-app', { tier: 'app' }), sg('sg-other')], {
        eniGroups: ['sg-data'],
      }),
    ).filter((f) => f.status === 'fail');

  it('data-tier-sg: the world source carries exposure; missing app access and a group reference do not', () => {
    const fs = data('no-address', [tcp(3306, '0.0.0.0/0'), tcp(3306, 'sg-other'), tcp(3306, '10.0.0.0/8')]);
    expect(fs.map((f) => [f.messageId, f.severity, f.exposure?.status ?? 'none']).sort()).toEqual([
      ['cidrSource', 'medium', 'none'],
      ['missingAppAccess', 'medium', 'none'],
      ['nonAppGroup', 'medium', 'none'],
      ['worldSource', 'low', 'unreachable'],
    ]);
  });

  it('data-tier-sg: a public CIDR source is internet exposure, reachable in a public subnet', () => {
    const fs = data('public', [tcp(3306, '203.0.113.0/24'), tcp(3306, 'sg-app')]);
    expect(fs.map((f) => f.messageId)).toEqual(['cidrSource']);
    expectReachable(fs[0], 'medium');
  });

  it('web-tier-sg: the world source is reachable; missing load-balancer access carries none', () => {
    const fs = runRules(
      [webTierSg],
      estate('public', [sg('sg-web', { tier: 'web', ingress: [tcp(443, '0.0.0.0/0')] })]),
    ).filter((f) => f.status === 'fail');
    expect(fs.map((f) => f.messageId).sort()).toEqual(['missingLbAccess', 'worldSource']);
    expectReachable(
      fs.find((f) => f.messageId === 'worldSource')!,
      'medium',
    );
    expect(fs.find((f) => f.messageId === 'missingLbAccess')!.exposure).toBeUndefined();
  });

  it('web-tier-sg: unknown when the network was not collected', () => {
    const fs = runRules(
      [webTierSg],
      estate('unknown', [sg('sg-web', { tier: 'web', ingress: [tcp(443, '0.0.0.0/0')] })]),
    );
    expectUnknown(
      fs.find((f) => f.messageId === 'worldSource')!,
      'medium',
    );
  });

  it('app-tier-from-web-only: sources that are all groups or private ranges carry no exposure', () => {
    const fs = runRules(
      [appTierFromWebOnly],
      estate(
        'public',
        [sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-other', '10.0.0.0/8')] }), sg('sg-other')],
        {
          eniGroups: ['sg-app'],
        },
      ),
    ).filter((f) => f.status === 'fail');
    expect(fs.map((f) => [f.messageId, f.severity])).toEqual([['otherSources', 'medium']]);
    expect(fs[0].exposure).toBeUndefined();
  });

  it('aurora-sg: the world source is lowered when the interface has no public address; other ports carry none', () => {
    const snap = estate('no-address', [sg('sg-aurora', { ingress: [tcp(3306, '0.0.0.0/0'), tcp(22, 'sg-aurora')] })], {
      extra: {
        clusters: [cluster('orders', ['sg-aurora'], { engine: 'aurora-mysql', port: 3306 })],
        instances: [instance('orders-1', ['sg-aurora'], { engine: 'aurora-mysql', clusterId: 'orders' })],
      },
    });
    // eni-1 is the member's RDS interface.
    const n = snap.regions[0].networkInterfaces[0];
    delete n.attachment;
    n.description = 'RDSNetworkInterface';
    n.requesterManaged = true;
    const fs = runRules([auroraSg], snap).filter((f) => f.status === 'fail');
    expect(fs.map((f) => [f.messageId, f.severity, f.exposure?.status ?? 'none']).sort()).toEqual([
      ['otherPort', 'medium', 'none'],
      ['worldSource', 'medium', 'unreachable'],
    ]);
  });
});

describe('a group protecting a load balancer or database whose interfaces are missing is unknown, never lowered', () => {
  it('world-open 3306 on the group of an Aurora cluster with no interface in the snapshot: unknown, high', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-aurora', { ingress: [tcp(3306, '0.0.0.0/0')] })],
        clusters: [cluster('orders', ['sg-aurora'], { engine: 'aurora-mysql', port: 3306 })],
        ...publicSubnet(),
      }),
    );
    const [f] = runRules([worldOpenDatabasePorts], snap).filter((x) => x.status === 'fail');
    expect([f.severity, f.exposure?.status]).toEqual(['high', 'unknown']);
    expect(f.exposure!.reason).toBe(
      'sg-aurora protects db-cluster orders, none of whose network interfaces is in the snapshot',
    );
  });

  it('a group attached to nothing in a region without network data (a version-1 snapshot): unknown, high', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1', { ingress: [tcp(3306, '0.0.0.0/0')] })], collected: WITHOUT_NETWORK }),
    );
    const [f] = runRules([worldOpenDatabasePorts], snap).filter((x) => x.status === 'fail');
    expect([f.severity, f.exposure?.status]).toEqual(['high', 'unknown']);
    expect(f.exposure!.reason).toBe(
      'subnets, routeTables, internetGateways, networkAcls not collected in 111111111111/us-east-1',
    );
  });

  it('the same group attached to nothing at all: not reachable, lowered', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(3306, '0.0.0.0/0')] })], ...publicSubnet() }));
    const [f] = runRules([worldOpenDatabasePorts], snap).filter((x) => x.status === 'fail');
    expect([f.severity, f.exposure?.status, f.exposure?.reason]).toEqual([
      'medium',
      'unreachable',
      'sg-1 is attached to no network interface',
    ]);
  });
});

describe('rds-public-world-open: the real path to the database decides', () => {
  /** A publicly accessible MySQL instance db-1 on its RDS interface eni-db in `where`, plus eni-1 (an instance). */
  function rds(where: Where, o: { instanceWhere?: Where } = {}) {
    const groups = [sg('sg-db', { ingress: [tcp(3306, '0.0.0.0/0')] })];
    const db = instance('db-1', ['sg-db'], { engine: 'mysql', port: 3306, publiclyAccessible: true });
    const base = estate(o.instanceWhere ?? where, groups, { extra: { instances: [db] } });
    const r = base.regions[0];
    const dbEni =
      where === 'unknown'
        ? eni('eni-db', ['sg-db'], { description: 'RDSNetworkInterface', requesterManaged: true })
        : eni('eni-db', {
            subnetId: where === 'private' ? 'subnet-priv' : 'subnet-pub',
            groups: ['sg-db'],
            description: 'RDSNetworkInterface',
            requesterManaged: true,
            privateIp: where === 'private' ? '10.0.2.20' : '10.0.1.20',
            ...(where === 'no-address' ? {} : { publicIp: '198.51.100.20' }),
          });
    r.networkInterfaces.push(dbEni);
    return runRules([rdsPublicWorldOpen], base).filter((f) => f.status !== 'pass');
  }

  it('reachable: critical, the paths end at the database interface', () => {
    const [f] = rds('public');
    expect([f.status, f.messageId, f.resource.id, f.severity]).toEqual(['fail', 'open', 'db-1', 'critical']);
    expect(f.exposure?.status).toBe('reachable');
    expect(f.exposure!.paths.map((p) => p.target.id)).toEqual(['eni-db']);
    expect(f.exposure!.paths[0].target.attachedTo).toMatchObject({ type: 'db-instance', id: 'db-1' });
  });

  it('no public address on the database interface: still a finding, lowered to high, with the reason', () => {
    const [f] = rds('no-address');
    expect([f.messageId, f.severity]).toEqual(['open', 'high']);
    expect(f.exposure).toMatchObject({ status: 'unreachable' });
    expect(f.message).toMatch(/Not reachable from the internet: eni-db has no public IPv4/);
  });

  it('the group reaches a public instance, but not the private database: the database is not reachable', () => {
    const [f] = rds('private', { instanceWhere: 'public' });
    expect([f.messageId, f.severity]).toEqual(['open', 'high']);
    expect(f.exposure!.status).toBe('unreachable');
    expect(f.exposure!.reason).toMatch(/rtb-priv/);
  });

  it('no interface of the database in the snapshot: unknown (never lowered for missing data), critical', () => {
    const snap = estate('public', [sg('sg-db', { ingress: [tcp(3306, '0.0.0.0/0')] })], {
      eniGroups: ['sg-other'],
      extra: { instances: [instance('db-1', ['sg-db'], { engine: 'mysql', port: 3306, publiclyAccessible: true })] },
    });
    const [f] = runRules([rdsPublicWorldOpen], snap).filter((x) => x.status !== 'pass');
    expect([f.messageId, f.severity, f.exposure?.status]).toEqual(['open', 'critical', 'unknown']);
    expect(f.exposure!.reason).toMatch(/db-instance db-1, none of whose network interfaces is in the snapshot/);
  });

  it("a database id repeated in another region: each finding names its own region's interface", () => {
    /** db-1 on its own group and RDS interface eni-dbN in `regionName`, placed as `where` says. */
    const dbIn = (where: 'public' | 'no-address' | 'private', regionName: string, n: number): Snapshot => {
      const snap = estate(where, [sg(`sg-db${n}`, { ingress: [tcp(3306, '0.0.0.0/0')] })], {
        eniGroups: [`sg-db${n}`],
        extra: {
          instances: [instance('db-1', [`sg-db${n}`], { engine: 'mysql', port: 3306, publiclyAccessible: true })],
        },
      });
      const r = snap.regions[0];
      r.region = regionName;
      r.networkInterfaces = [
        eni(`eni-db${n}`, {
          subnetId: where === 'private' ? 'subnet-priv' : 'subnet-pub',
          groups: [`sg-db${n}`],
          description: 'RDSNetworkInterface',
          requesterManaged: true,
          privateIp: where === 'private' ? `10.0.2.${20 + n}` : `10.0.1.${20 + n}`,
          ...(where === 'no-address' ? {} : { publicIp: `198.51.100.${20 + n}` }),
        }),
      ];
      return snap;
    };
    const snap = dbIn('no-address', 'eu-west-1', 2);
    snap.regions.push(dbIn('private', 'us-east-1', 1).regions[0], dbIn('public', 'ap-south-1', 3).regions[0]);
    const fs = runRules([rdsPublicWorldOpen], snap).filter((x) => x.status !== 'pass');
    expect(fs.map((f) => [f.region, f.severity, f.exposure?.status])).toEqual([
      ['eu-west-1', 'high', 'unreachable'],
      ['us-east-1', 'high', 'unreachable'],
      ['ap-south-1', 'critical', 'reachable'],
    ]);
    expect(fs[0].exposure!.reason).toMatch(/eni-db2 has no public IPv4/);
    // us-east-1's database is blocked by its own route table, not by eu-west-1's interface having no address.
    expect(fs[1].exposure!.reason).toMatch(/rtb-priv/);
    expect(fs[1].exposure!.reason).not.toMatch(/eni-db2/);
    expect(fs[2].exposure!.paths.map((p) => p.target.id)).toEqual(['eni-db3']);
  });

  it('network not collected: unknown, critical as today', () => {
    const [f] = rds('unknown');
    expect([f.messageId, f.severity, f.exposure?.status]).toEqual(['open', 'critical', 'unknown']);
  });
});

describe('passes never carry exposure', () => {
  it('a closed group passes without exposure', () => {
    const fs = ruleTester(worldOpenAdminPorts).findings(
      estate('public', [sg('sg-1', { ingress: [tcp(443, '10.0.0.0/8')] })]),
    );
    expect(fs.map((f) => [f.status, 'exposure' in f])).toEqual([['pass', false]]);
  });
});
