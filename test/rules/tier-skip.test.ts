/**
 * tier-skip (issue #13 "Tier chain"): a data-tier resource that something outside the app tier can open a
 * connection to (the web tier directly, an untagged instance, an interface in a peered VPC), and an app-tier
 * resource the internet reaches through an internet-facing load balancer. Effective paths: egress, routes, ACLs
 * and ingress, as the lateral model decides them (src/exposure/lateral.ts); AWS semantics cited where relied on.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internetExposure } from '../../rules/internet-exposure.js';
import { tierSkip as rule } from '../../rules/tier-skip.js';
import type { Finding } from '../../src/engine/types.js';
import { exitCodeFor } from '../../src/gate/gate.js';
import { loadInputFile } from '../../src/snapshot/load.js';
import type { NetworkInterface, SecurityGroup, VpcPeeringConnection } from '../../src/snapshot/schema.js';
import {
  acl,
  collectedExcept,
  eni,
  instance,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  route,
  routeTable,
  runRules,
  settingsWith,
  sg,
  snapshot,
  subnet,
  target,
  targetGroup,
  tcp,
  vpc,
  WITHOUT_NETWORK,
  type Network,
} from '../helpers/estate.js';
import { DEMO_ESTATE, RAW_DESCRIBE } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { PRIVATE, twoSubnetEstate as estate, type TwoSubnetParts as Parts } from '../helpers/two-subnets.js';
import { reportOf } from '../report/fixture.js';

const t = ruleTester(rule);

/** The RDS interface of DB instance `orders` (postgres, endpoint port 5432), in the private subnet. */
const dbEni = (groups = ['sg-db']) =>
  eni('eni-db', {
    subnetId: 'subnet-priv',
    groups,
    privateIp: '10.0.2.50',
    description: 'RDSNetworkInterface',
    requesterManaged: true,
    requesterId: 'amazon-rds',
  });
const ORDERS = instance('orders', ['sg-db'], { tier: 'data' });

/** An instance's interface in the private subnet. */
const host = (id: string, groups: string[], instanceId: string, privateIp: string) =>
  eni(id, { subnetId: 'subnet-priv', groups, instanceId, privateIp });

const sgDb = (...ingress: SecurityGroup['ingress']) => sg('sg-db', { tier: 'data', ingress });
const sgApp = (...ingress: SecurityGroup['ingress']) => sg('sg-app', { tier: 'app', ingress });
const sgWeb = () => sg('sg-web', { tier: 'web' });

const APP = host('eni-app', ['sg-app'], 'i-app', '10.0.2.10');
const WEB = host('eni-web', ['sg-web'], 'i-web', '10.0.2.20');

const revoke = (group: string, json: string) =>
  `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id ${group} --ip-permissions '${json}'`;

/** An internet-facing ALB `front` (sg-alb admits 443 from anywhere) with one node and a 443 listener to `tg`. */
const alb = loadBalancer('front', { groups: ['sg-alb'] });
const albParts = (scheme: 'internet-facing' | 'internal' = 'internet-facing') => {
  const lb = scheme === 'internal' ? loadBalancer('inner', { groups: ['sg-alb'], scheme }) : alb;
  const tg = targetGroup('app', { port: 8080, lbs: [lb], targets: [target('i-app')] });
  return {
    lb,
    tg,
    groups: [sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }), sgApp(tcp(8080, 'sg-alb'))],
    enis: [lbEni('eni-lb1', lb, scheme === 'internet-facing' ? { publicIp: '198.51.100.21' } : {}), APP],
    lbs: [lb],
    listeners: [listener(lb, 443, [tg.arn], { protocol: 'HTTPS' })],
    targetGroups: [tg],
  };
};

/** vpc-2 (10.1.0.0/16) peered with vpc-1 over pcx-1 (active), routed both ways; subnet-peer in it. */
function peered(status = 'active'): Network {
  const pcx: VpcPeeringConnection = {
    id: 'pcx-1',
    status,
    requester: { vpcId: 'vpc-1', ownerId: '111111111111', region: 'us-east-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [] },
    accepter: { vpcId: 'vpc-2', ownerId: '111111111111', region: 'us-east-1', cidrs: ['10.1.0.0/16'], ipv6Cidrs: [] },
    tags: {},
  };
  return {
    vpcs: [vpc('vpc-2', { cidr: '10.1.0.0/16' })],
    subnets: [subnet('subnet-peer', { vpcId: 'vpc-2', cidr: '10.1.1.0/24' })],
    routeTables: [
      // The private subnet's table (PRIVATE) has no route to 10.1.0.0/16: vpc-1's main table carries it for
      // subnet-pub, and rtb-priv2 replaces rtb-priv for subnet-priv below.
      routeTable('rtb-peer', {
        vpcId: 'vpc-2',
        main: true,
        vpcCidr: '10.1.0.0/16',
        routes: [route('10.0.0.0/16', 'pcx-1')],
      }),
    ],
    networkAcls: [acl('acl-peer', { vpcId: 'vpc-2', subnetIds: ['subnet-peer'] })],
    vpcPeeringConnections: [pcx],
  };
}

/** PRIVATE with its route table also sending 10.1.0.0/16 over pcx-1. */
const PRIVATE_PEERED: Network = {
  ...PRIVATE,
  routeTables: [
    routeTable('rtb-priv', {
      subnetIds: ['subnet-priv'],
      routes: [route('0.0.0.0/0', 'nat-1'), route('10.1.0.0/16', 'pcx-1')],
    }),
  ],
};

function peeredEstate(p: Parts & { peer: NetworkInterface; peerGroups: SecurityGroup[] }, status = 'active') {
  const net = network(publicSubnet(), PRIVATE_PEERED, peered(status));
  return snapshot(
    region({
      groups: [...p.groups, ...p.peerGroups],
      enis: [...p.enis, p.peer],
      instances: p.instances,
      ...net,
    }),
  );
}

const peerEni = (groups: string[], tier?: string) =>
  eni('eni-peer', {
    subnetId: 'subnet-peer',
    vpcId: 'vpc-2',
    groups,
    instanceId: 'i-peer',
    privateIp: '10.1.1.30',
    tier,
  });

const hopTypes = (f: Finding) => f.paths?.map((p) => p.hops.map((h) => h.type));

t.run({
  valid: [
    {
      name: 'a database the app tier reaches on its endpoint port, and nothing else: both resources pass',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-app')), sgApp()],
        enis: [dbEni(), APP],
        instances: [ORDERS],
      }),
      passes: [
        { messageId: 'dataCompliant', resource: 'orders' },
        { messageId: 'appCompliant', resource: 'i-app' },
      ],
    },
    {
      name: 'data-tier interfaces reaching each other (replication, a self reference) are not a skip',
      snapshot: estate({
        groups: [sg('sg-dbh', { tier: 'data', ingress: [tcp(5432, 'sg-dbh')] })],
        enis: [host('eni-db1', ['sg-dbh'], 'i-db1', '10.0.2.61'), host('eni-db2', ['sg-dbh'], 'i-db2', '10.0.2.62')],
      }),
      passes: [
        { messageId: 'dataCompliant', resource: 'i-db1' },
        { messageId: 'dataCompliant', resource: 'i-db2' },
      ],
    },
    {
      name: 'the web tier admitted on the database port but its egress allows only tcp 443: egress matters, no path',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-web')), sg('sg-web', { tier: 'web', egress: [tcp(443, '0.0.0.0/0')] })],
        enis: [dbEni(), WEB],
        instances: [ORDERS],
      }),
      passes: [{ messageId: 'dataCompliant', resource: 'orders' }],
    },
    {
      name: 'a source admitted on another port than the endpoint port (3306 on a postgres on 5432) is no path to it',
      snapshot: estate({
        groups: [sgDb(tcp(3306, 'sg-web')), sgWeb()],
        enis: [dbEni(), WEB],
        instances: [ORDERS],
      }),
      passes: [{ messageId: 'dataCompliant', resource: 'orders' }],
    },
    {
      name: 'an app server behind an internal load balancer is the intended chain, not a skip',
      snapshot: estate(albParts('internal')),
      passes: [{ messageId: 'appCompliant', resource: 'i-app' }],
    },
    {
      name: 'an app server reachable from the internet directly is internet-exposure’s finding, not a skip',
      snapshot: estate({
        groups: [sgApp(tcp(8080, '0.0.0.0/0'))],
        enis: [
          eni('eni-app', { subnetId: 'subnet-pub', groups: ['sg-app'], instanceId: 'i-app', publicIp: '198.51.100.5' }),
        ],
      }),
      passes: [{ messageId: 'appCompliant', resource: 'i-app' }],
    },
    {
      name: 'a load balancer node inside a range the database admits is no source: it connects only to its targets',
      snapshot: (() => {
        const p = albParts('internal');
        return estate({
          ...p,
          groups: [...p.groups, sgDb(tcp(5432, '10.0.0.0/16'))],
          enis: [...p.enis, dbEni()],
          instances: [ORDERS],
        });
      })(),
      passes: [
        { messageId: 'dataCompliant', resource: 'orders' },
        { messageId: 'appCompliant', resource: 'i-app' },
      ],
    },
    {
      name: 'without the network kinds (a v1 snapshot, raw input) the rule reports nothing: missing data, never a pass',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-web')), sgWeb()],
        enis: [dbEni(), WEB],
        instances: [ORDERS],
        collected: WITHOUT_NETWORK,
      }),
      passes: [],
    },
    {
      name: 'peering connections not collected: nothing reported either (a peered source could not be ruled out)',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-web')), sgWeb()],
        enis: [dbEni(), WEB],
        instances: [ORDERS],
        collected: collectedExcept('vpcPeeringConnections'),
      }),
      passes: [],
    },
  ],
  invalid: [
    {
      name: 'the web tier reaching the database directly is a skip: one finding on the database, the path, the revoke',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-app', 'sg-web')), sgApp(), sgWeb()],
        enis: [dbEni(), APP, WEB],
        instances: [ORDERS],
      }),
      passes: [{ messageId: 'appCompliant', resource: 'i-app' }],
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          severity: 'high',
          data: {
            resource: 'DB instance orders',
            ports: 'tcp 5432',
            sources: 'eni-web (instance i-web, web tier)',
            sourceCount: 1,
            pathCount: 1,
            enis: 'eni-db',
          },
          message:
            'Data-tier DB instance orders is reachable on tcp 5432 from outside the app tier: eni-web (instance i-web, ' +
            'web tier). Shortest path: tcp 5432 from eni-web: sg-web egress → rtb-priv (local) → sg-db → eni-db.',
          related: [{ type: 'instance', id: 'i-web' }],
          remediation: [
            revoke(
              'sg-db',
              '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"UserIdGroupPairs":[{"GroupId":"sg-web"}]}]',
            ),
          ],
          check: (f) => {
            expect(f.resource).toEqual({ type: 'db-instance', id: 'orders', arn: ORDERS.arn });
            expect(
              f.paths?.map((p) => [p.from !== 'internet' && p.from.id, p.target.id, p.protocol, p.ports, p.steps]),
            ).toEqual([['eni-web', 'eni-db', 'tcp', [[5432, 5432]], 1]]);
            // Same subnet: no ACL hop (traffic within a subnet does not cross its network ACL).
            expect(hopTypes(f)).toEqual([['security-group', 'route-table', 'security-group']]);
          },
        },
      ],
    },
    {
      name: 'an untagged instance inside a VPC-wide range the database admits is a skip; the app tier in it is not',
      snapshot: estate({
        groups: [sgDb(tcp(5432, '10.0.0.0/16')), sgApp(), sg('sg-misc')],
        enis: [dbEni(), APP, host('eni-x', ['sg-misc'], 'i-x', '10.0.2.40')],
        instances: [ORDERS],
      }),
      passes: [{ messageId: 'appCompliant', resource: 'i-app' }],
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: { sources: 'eni-x (instance i-x, untagged)', sourceCount: 1 },
          related: [{ type: 'instance', id: 'i-x' }],
          // A range may hold the app tier too: narrowing it is the reader's call, no revoke command.
          remediation: [],
        },
      ],
    },
    {
      name: 'many offending sources: one finding naming three and the count, three paths and the total',
      snapshot: estate({
        groups: [sgDb(tcp(5432, '10.0.2.0/24')), sg('sg-misc')],
        enis: [dbEni(), ...[1, 2, 3, 4, 5].map((n) => host(`eni-x${n}`, ['sg-misc'], `i-x${n}`, `10.0.2.${100 + n}`))],
        instances: [ORDERS],
      }),
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: { sourceCount: 5, pathCount: 5 },
          check: (f) => {
            expect(f.data?.sources).toMatch(/^eni-x\d \(instance i-x\d, untagged\), .+ and 2 more$/);
            expect(f.paths).toHaveLength(3);
            expect(f.related).toHaveLength(5);
          },
        },
      ],
    },
    {
      name: 'a world-open database: every interface reaches it; related lists ten of them, the count says how many',
      snapshot: estate({
        groups: [sgDb(tcp(5432, '0.0.0.0/0')), sg('sg-misc')],
        enis: [
          dbEni(),
          ...Array.from({ length: 12 }, (_, n) => host(`eni-w${n}`, ['sg-misc'], `i-w${n}`, `10.0.2.${120 + n}`)),
        ],
        instances: [ORDERS],
      }),
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: { sourceCount: 12, pathCount: 12 },
          check: (f) => {
            expect(f.related).toHaveLength(10);
            expect(f.data?.sources).toMatch(/ and 9 more$/);
          },
        },
      ],
    },
    {
      name: 'an RDS interface two databases could own (same groups and VPC) counts for each: one finding per database',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'sg-web')), sgWeb()],
        enis: [dbEni(), WEB],
        instances: [ORDERS, instance('orders-b', ['sg-db'], { tier: 'data' })],
      }),
      findings: [
        { messageId: 'dataSkip', resource: 'orders', data: { enis: 'eni-db' } },
        { messageId: 'dataSkip', resource: 'orders-b', data: { enis: 'eni-db' } },
      ],
    },
    {
      name: 'a data-tier instance without a database uses settings.ports.data',
      settings: settingsWith({ ports: { data: [6379], web: [80, 443] } }),
      snapshot: estate({
        groups: [sg('sg-cache', { tier: 'data', ingress: [tcp(6379, 'sg-web')] }), sgWeb()],
        enis: [host('eni-cache', ['sg-cache'], 'i-cache', '10.0.2.70'), WEB],
      }),
      findings: [{ messageId: 'dataSkip', resource: 'i-cache', data: { ports: 'tcp 6379' } }],
    },
    {
      name: 'an app server registered with an internet-facing load balancer is reachable from the internet skipping the web tier',
      snapshot: estate(albParts()),
      findings: [
        {
          messageId: 'appSkip',
          resource: 'i-app',
          severity: 'high',
          message:
            'App-tier instance i-app is reachable from the internet through internet-facing load balancer front on ' +
            'tcp 8080, skipping the web tier. Shortest path: tcp 8080 from 0.0.0.0/0: igw-1 → rtb-main (0.0.0.0/0) → ' +
            'acl-default inbound rule 100 → acl-default outbound rule 100 → sg-alb → eni-lb1 → load balancer front ' +
            'listener 443 → target group app port 8080 → acl-priv inbound rule 100 → acl-priv outbound rule 100 → ' +
            'sg-app → eni-app.',
          data: { lbs: 'front', ports: 'tcp 8080' },
          related: [{ type: 'load-balancer', id: 'front', arn: alb.arn, name: 'front' }],
          check: (f) => {
            expect(f.paths?.[0].from).toBe('internet');
            expect(f.paths?.[0].hops.map((h) => h.type)).toContain('load-balancer');
          },
        },
      ],
    },
    {
      name: 'a database registered as a target of an internet-facing load balancer is reachable from the internet skipping every tier',
      snapshot: (() => {
        const nlb = loadBalancer('db-nlb', { type: 'network', groups: ['sg-nlb'], lbId: 'bbbbbbbbbbbbbbbb' });
        const tg = targetGroup('db', {
          port: 5432,
          protocol: 'TCP',
          targetType: 'ip',
          lbs: [nlb],
          targets: [target('10.0.2.50', 5432)],
        });
        return estate({
          groups: [sg('sg-nlb', { ingress: [tcp(5432, '0.0.0.0/0')] }), sgDb(tcp(5432, 'sg-nlb'))],
          enis: [lbEni('eni-nlb1', nlb, { publicIp: '198.51.100.31' }), dbEni()],
          lbs: [nlb],
          listeners: [listener(nlb, 5432, [tg.arn])],
          targetGroups: [tg],
          instances: [ORDERS],
        });
      })(),
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: { sources: 'the internet through load balancer db-nlb', ports: 'tcp 5432' },
          related: [],
          check: (f) => {
            expect(f.paths?.map((p) => [p.from, p.source, p.steps])).toEqual([['internet', '0.0.0.0/0', 1]]);
            expect(f.paths?.[0].hops.map((h) => h.type)).toContain('target-group');
          },
        },
      ],
    },
    {
      name: 'an untagged interface in a peered VPC (pcx-1 active, routed both ways) reaching the database is a skip',
      snapshot: peeredEstate({
        groups: [sgDb(tcp(5432, '10.1.0.0/16'))],
        enis: [dbEni()],
        instances: [ORDERS],
        peer: peerEni(['sg-peer']),
        peerGroups: [sg('sg-peer', { vpcId: 'vpc-2' })],
      }),
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: { sources: 'eni-peer (instance i-peer, untagged, via pcx-1)' },
          check: (f) => expect(f.paths?.[0].hops.map((h) => h.type)).toContain('vpc-peering-connection'),
        },
      ],
    },
    {
      name: 'an untagged interface in a VPC routed over a transit gateway is a skip taken on trust: the assumption is stated',
      snapshot: (() => {
        const tgwNet: Network = {
          ...peered(),
          routeTables: [
            routeTable('rtb-peer', {
              vpcId: 'vpc-2',
              main: true,
              vpcCidr: '10.1.0.0/16',
              routes: [route('10.0.0.0/16', 'tgw-1')],
            }),
          ],
          vpcPeeringConnections: [],
        };
        const privateTgw: Network = {
          ...PRIVATE,
          routeTables: [
            routeTable('rtb-priv', {
              subnetIds: ['subnet-priv'],
              routes: [route('0.0.0.0/0', 'nat-1'), route('10.1.0.0/16', 'tgw-1')],
            }),
          ],
        };
        return snapshot(
          region({
            groups: [sgDb(tcp(5432, '10.1.0.0/16')), sg('sg-peer', { vpcId: 'vpc-2' })],
            enis: [dbEni(), peerEni(['sg-peer'])],
            instances: [ORDERS],
            ...network(publicSubnet(), privateTgw, tgwNet),
          }),
        );
      })(),
      findings: [
        {
          messageId: 'dataSkip',
          resource: 'orders',
          data: {
            sources: 'eni-peer (instance i-peer, untagged, via tgw-1)',
            assumptions: 'via tgw-1, not modelled further',
          },
          check: (f) => {
            expect(f.paths?.[0].hops.map((h) => h.type)).toContain('transit-gateway');
            expect(f.paths?.[0].assumptions).toEqual(['via tgw-1, not modelled further']);
          },
        },
      ],
    },
    {
      name: 'a prefix list whose entries were not read admits the database port: whether an untagged source is in it is unknown',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'pl-1')), sg('sg-misc')],
        enis: [dbEni(), host('eni-x', ['sg-misc'], 'i-x', '10.0.2.40')],
        instances: [ORDERS],
        prefixLists: [{ id: 'pl-1', name: 'partners' }],
      }),
      findings: [
        {
          messageId: 'unknown',
          resource: 'orders',
          status: 'error',
          data: { tier: 'data' },
          message:
            'Whether anything outside the app and data tiers reaches data-tier DB instance orders is unknown: the ' +
            'entries of prefix list pl-1 (sg-db ingress 0) were not collected.',
        },
      ],
    },
  ],
});

describe('tier-skip', () => {
  it('an app-tier interface in a peered VPC is app tier: the tier tags decide, not the VPC', () => {
    t.assert({
      snapshot: peeredEstate({
        groups: [sgDb(tcp(5432, '10.1.0.0/16'))],
        enis: [dbEni()],
        instances: [ORDERS],
        peer: peerEni(['sg-peer'], 'app'),
        peerGroups: [sg('sg-peer', { vpcId: 'vpc-2' })],
      }),
      passes: [
        { messageId: 'dataCompliant', resource: 'orders' },
        { messageId: 'appCompliant', resource: 'i-peer' },
      ],
      findings: [],
    });
  });

  it('a peering connection that is not active carries nothing: no path, no skip', () => {
    t.assert({
      snapshot: peeredEstate(
        {
          groups: [sgDb(tcp(5432, '10.1.0.0/16'))],
          enis: [dbEni()],
          instances: [ORDERS],
          peer: peerEni(['sg-peer']),
          peerGroups: [sg('sg-peer', { vpcId: 'vpc-2' })],
        },
        'pending-acceptance',
      ),
      passes: [{ messageId: 'dataCompliant', resource: 'orders' }],
      findings: [],
    });
  });

  it('one problem, one finding: an app server exposed directly is internet-exposure’s, behind a public LB tier-skip’s', () => {
    const direct = estate({
      groups: [sgApp(tcp(8080, '0.0.0.0/0'))],
      enis: [
        eni('eni-app', { subnetId: 'subnet-pub', groups: ['sg-app'], instanceId: 'i-app', publicIp: '198.51.100.5' }),
      ],
    });
    const failing = (snap: ReturnType<typeof estate>) =>
      runRules([rule, internetExposure], snap)
        .filter((f) => f.status !== 'pass')
        .map((f) => [f.ruleId, f.messageId, f.resource.id]);
    expect(failing(direct)).toEqual([['internet-exposure', 'exposed', 'eni-app']]);
    expect(failing(estate(albParts()))).toEqual([['tier-skip', 'appSkip', 'i-app']]);
  });

  it('names the network kinds a v1 snapshot or raw input lacks as missing data, and reports nothing', () => {
    for (const snap of [
      loadInputFile(path.join(path.dirname(DEMO_ESTATE), '../snapshots/demo-v1.json')),
      loadInputFile(RAW_DESCRIBE, { region: 'eu-west-1' }),
    ]) {
      const { report } = reportOf(snap, { rules: [rule] });
      expect(report.rules.find((r) => r.id === 'tier-skip')?.missingData).toContain('routeTables');
      expect(report.findings.filter((f) => f.ruleId === 'tier-skip')).toEqual([]);
    }
  });

  it('a skip fails the scan (exit 1); an undecided source makes it incomplete (exit 3)', () => {
    const exit = (ingress: SecurityGroup['ingress']) =>
      exitCodeFor(
        reportOf(
          estate({
            groups: [sgDb(...ingress), sg('sg-misc')],
            enis: [dbEni(), host('eni-x', ['sg-misc'], 'i-x', '10.0.2.40')],
            instances: [ORDERS],
            prefixLists: [{ id: 'pl-1', name: 'partners' }],
          }),
          { rules: [rule] },
        ).report,
      );
    expect(exit([tcp(5432, 'sg-misc')])).toBe(1);
    expect(exit([tcp(5432, 'pl-1')])).toBe(3);
    expect(exit([tcp(5432, '10.9.0.0/16')])).toBe(0);
  });

  it('is on by default, high, in the tier-paths category, and reads every kind the lateral model needs', () => {
    expect(rule.meta.defaultEnabled).not.toBe(false);
    expect([rule.meta.severity, rule.meta.category]).toEqual(['high', 'tier-paths']);
    expect(rule.meta.needs).toContain('vpcPeeringConnections');
    expect(rule.meta.needs).toContain('networkAcls');
  });
});
