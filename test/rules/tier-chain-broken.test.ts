/**
 * tier-chain-broken: each link of lb → web → app → data has a working path (issue #13 "Tier chain"), else one
 * finding per downstream resource naming what blocks the nearest upstream interface. AWS semantics relied on:
 * security groups are stateful but the initiator's egress rules apply to the packet it sends
 * (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html); network ACLs are stateless and
 * apply between subnets, the reply on ephemeral ports included
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html); a load balancer connects to its targets
 * on the target port, so its group must let that out and the target's group let it in
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html).
 */
import { describe, expect, it } from 'vitest';
import { tierChainBroken as rule } from '../../rules/tier-chain-broken.js';
import type { Permission, ResourceKind, SecurityGroup } from '../../src/snapshot/schema.js';
import {
  acl,
  aclRule,
  ALLOW_ALL,
  ACCOUNT,
  collectedExcept,
  eni,
  instance,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  REGION,
  route,
  routeTable,
  settingsWith,
  sg,
  snapshot,
  subnet,
  target,
  targetGroup,
  tcp,
  vpc,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { reportOf } from '../report/fixture.js';

const t = ruleTester(rule);

/** The ALB in front of the web tier: its node eni-lb1 in the public subnet, listener 443 → target group `web`. */
const alb = loadBalancer('front', { groups: ['sg-alb'] });
/** An internet-facing NLB without security groups. */
const nlb = loadBalancer('edge', { type: 'network', lbId: 'aaaabbbbccccdddd' });
/** A second, internal ALB (sg-internal, tier lb) that registers nothing. */
const internal = loadBalancer('inner', { groups: ['sg-internal'], scheme: 'internal', lbId: 'fedcba9876543210' });

interface ChainOptions {
  /** Permissions per group (replacing the working chain's). */
  ingress?: Partial<Record<'alb' | 'web' | 'app' | 'db', Permission[]>>;
  egress?: Partial<Record<'alb' | 'web' | 'app' | 'db', Permission[]>>;
  /** Target port of the `web` target group (default 80). */
  webTargetPort?: number;
  /** Register i-web1 in the target group (default true). */
  registered?: boolean;
  /** Leave out a tier's interfaces. */
  without?: ('lb' | 'web' | 'app' | 'data')[];
  /** Inbound ACL rules of the data subnet (default: allow all). */
  dataAclInbound?: ReturnType<typeof aclRule>[];
  /** More groups and interfaces. */
  groups?: SecurityGroup[];
  enis?: ReturnType<typeof eni>[];
  /** A peered VPC vpc-2 (over pcx-1), with or without the routes to it in both VPCs' tables. */
  peer?: { routes: boolean };
  /** More target groups. */
  extraTargetGroups?: ReturnType<typeof targetGroup>[];
  /** More load balancers. */
  lbs?: ReturnType<typeof loadBalancer>[];
  /** The DB instance's endpoint port (default 5432). */
  dbPort?: number;
  collected?: ResourceKind[];
}

/**
 * The working chain in vpc-1 (10.0.0.0/16): ALB `front` (sg-alb, tier lb, node eni-lb1 in subnet-pub) → web
 * instance i-web1 (eni-web1, subnet-web 10.0.2.0/24, sg-web admits tcp 80 from sg-alb) → app instance i-app1
 * (eni-app1, subnet-app 10.0.3.0/24, sg-app admits tcp 8080 from sg-web) → DB instance `orders` (postgres 5432,
 * eni-db1, subnet-data 10.0.4.0/24, sg-db admits tcp 5432 from sg-app). Groups keep AWS's allow-all egress; every
 * subnet uses the default allow-all ACL unless `dataAclInbound` gives the data subnet its own.
 */
function chain(o: ChainOptions = {}) {
  const without = new Set(o.without ?? []);
  const g = (key: 'alb' | 'web' | 'app' | 'db', id: string, tier: string, ingress: Permission[]) =>
    sg(id, { tier, ingress: o.ingress?.[key] ?? ingress, ...(o.egress?.[key] ? { egress: o.egress[key] } : {}) });
  const tg = targetGroup('web', {
    port: o.webTargetPort ?? 80,
    lbs: [alb],
    targets: o.registered === false ? [] : [target('i-web1')],
  });
  const enis = [
    ...(without.has('lb') ? [] : [lbEni('eni-lb1', alb, { publicIp: '198.51.100.21', privateIp: '10.0.1.21' })]),
    ...(without.has('web')
      ? []
      : [
          eni('eni-web1', { subnetId: 'subnet-web', groups: ['sg-web'], instanceId: 'i-web1', privateIp: '10.0.2.10' }),
        ]),
    ...(without.has('app')
      ? []
      : [
          eni('eni-app1', { subnetId: 'subnet-app', groups: ['sg-app'], instanceId: 'i-app1', privateIp: '10.0.3.10' }),
        ]),
    ...(without.has('data')
      ? []
      : [
          eni('eni-db1', {
            subnetId: 'subnet-data',
            groups: ['sg-db'],
            description: 'RDSNetworkInterface',
            requesterManaged: true,
            privateIp: '10.0.4.10',
          }),
        ]),
    ...(o.enis ?? []),
  ];
  const dataAcl = o.dataAclInbound
    ? [acl('acl-data', { subnetIds: ['subnet-data'], inbound: [...o.dataAclInbound, ...ALLOW_ALL] })]
    : [];
  const defaultAcl = acl('acl-default', {
    isDefault: true,
    subnetIds: ['subnet-pub', 'subnet-web', 'subnet-app', ...(o.dataAclInbound ? [] : ['subnet-data'])],
  });
  const net = network(publicSubnet(), {
    subnets: [
      subnet('subnet-web', { cidr: '10.0.2.0/24' }),
      subnet('subnet-app', { cidr: '10.0.3.0/24' }),
      subnet('subnet-data', { cidr: '10.0.4.0/24' }),
    ],
    listeners: [listener(alb, 443, [tg.arn], { protocol: 'HTTPS' })],
    targetGroups: [tg, ...(o.extraTargetGroups ?? [])],
  });
  // publicSubnet's default ACL covers subnet-pub only: replace it with one covering every subnet but data's.
  net.networkAcls = [defaultAcl, ...dataAcl];
  if (o.peer) {
    // vpc-2 (10.1.0.0/16) peered with vpc-1 over pcx-1; routes to the other side in each main table when `routes`.
    const routes = o.peer.routes;
    net.routeTables[0].routes.push(...(routes ? [route('10.1.0.0/16', 'pcx-1')] : []));
    net.vpcs.push(vpc('vpc-2', { cidr: '10.1.0.0/16' }));
    net.subnets.push(subnet('subnet-peer', { vpcId: 'vpc-2', cidr: '10.1.1.0/24' }));
    net.routeTables.push(
      routeTable('rtb-peer', {
        vpcId: 'vpc-2',
        main: true,
        vpcCidr: '10.1.0.0/16',
        routes: routes ? [route('10.0.0.0/16', 'pcx-1')] : [],
      }),
    );
    net.networkAcls.push(acl('acl-peer', { vpcId: 'vpc-2', subnetIds: ['subnet-peer'], isDefault: true }));
    net.vpcPeeringConnections.push({
      id: 'pcx-1',
      status: 'active',
      requester: { vpcId: 'vpc-1', ownerId: ACCOUNT, region: REGION, cidrs: ['10.0.0.0/16'], ipv6Cidrs: [] },
      accepter: { vpcId: 'vpc-2', ownerId: ACCOUNT, region: REGION, cidrs: ['10.1.0.0/16'], ipv6Cidrs: [] },
      tags: {},
    });
  }
  return snapshot(
    region({
      groups: [
        g('alb', 'sg-alb', 'lb', [tcp(443, '0.0.0.0/0')]),
        g('web', 'sg-web', 'web', [tcp(80, 'sg-alb')]),
        g('app', 'sg-app', 'app', [tcp(8080, 'sg-web')]),
        g('db', 'sg-db', 'data', [tcp(5432, 'sg-app')]),
        ...(o.groups ?? []),
      ],
      enis,
      lbs: [alb, ...(o.lbs ?? [])],
      instances: without.has('data') ? [] : [instance('orders', ['sg-db'], { port: o.dbPort ?? 5432 })],
      ...(o.collected ? { collected: o.collected } : {}),
      ...net,
    }),
  );
}

const authorize = (group: string, port: number, source: string) =>
  `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${group} --protocol tcp --port ${port} ` +
  `--source-group ${source}`;

const ALL_PASS = [
  { messageId: 'reachable' as const, resource: 'i-web1' },
  { messageId: 'reachable' as const, resource: 'i-app1' },
  { messageId: 'reachable' as const, resource: 'orders' },
];

t.run({
  valid: [
    {
      name: 'the working chain: the ALB node reaches the web instance on its target port 80, web → app 8080, app → DB 5432',
      snapshot: chain(),
      passes: ALL_PASS,
      check: (fs) => {
        const web = fs.find((f) => f.resource.id === 'i-web1')!;
        expect(web.data).toMatchObject({ link: 'lb → web', ports: 'tcp 80', from: 'eni-lb1 (load balancer front)' });
        expect(fs.find((f) => f.resource.id === 'orders')!.data).toMatchObject({ ports: 'tcp 5432' });
        expect(fs.find((f) => f.resource.id === 'i-app1')!.data).toMatchObject({ ports: 'tcp (any port)' });
      },
    },
    {
      name: 'an unregistered web server is checked on the web ports (settings.ports.web): the ALB reaches it on 80',
      snapshot: chain({ registered: false }),
      passes: ALL_PASS,
      check: (fs) => expect(fs.find((f) => f.resource.id === 'i-web1')!.data).toMatchObject({ ports: 'tcp 80, 443' }),
    },
    {
      name: 'no load balancer and no web tier: neither link into web nor into app is checked (no finding, no pass)',
      snapshot: chain({ without: ['lb', 'web'] }),
      passes: [{ messageId: 'reachable', resource: 'orders' }],
    },
    {
      name: 'no app tier: app → data is not checked, even though nothing reaches the database',
      snapshot: chain({ without: ['app'] }),
      passes: [{ messageId: 'reachable', resource: 'i-web1' }],
    },
    {
      name: 'without the network kinds (a v1 snapshot) nothing is decided: no finding and no pass (missing data)',
      snapshot: chain({ collected: WITHOUT_NETWORK }),
      passes: [],
    },
    {
      name: 'without the peering connections the model cannot route between VPCs: nothing is decided either',
      snapshot: chain({ collected: collectedExcept('vpcPeeringConnections') }),
      passes: [],
    },
    {
      name: 'registered in a target group no load balancer uses: checked on the web ports from any load balancer',
      snapshot: chain({
        registered: false,
        extraTargetGroups: [targetGroup('spare', { port: 9000, targets: [target('i-web1')] })],
      }),
      passes: ALL_PASS,
      check: (fs) => expect(fs.find((f) => f.resource.id === 'i-web1')!.data).toMatchObject({ ports: 'tcp 80, 443' }),
    },
    {
      name: 'behind a network load balancer without security groups only, a web server is not checked (client IPs)',
      // Instance targets of an NLB see the clients' addresses (client IP preservation), not the node's:
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
      snapshot: chain({
        without: ['lb'],
        lbs: [nlb],
        enis: [lbEni('eni-nlb1', nlb, { publicIp: '198.51.100.31', privateIp: '10.0.1.31' })],
        extraTargetGroups: [
          targetGroup('edge', { port: 80, protocol: 'TCP', lbs: [nlb], targets: [target('i-web1')] }),
        ],
        registered: false,
      }),
      passes: [
        { messageId: 'reachable', resource: 'i-app1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
    },
    {
      name: 'settings ports.app [8080, 8443]: the web tier reaches the app tier on one of them',
      snapshot: chain(),
      settings: settingsWith({ ports: { ...settingsWith().ports, app: [8080, 8443] } }),
      passes: ALL_PASS,
    },
    {
      name: 'one of two web servers reaching the app server is a working link',
      snapshot: chain({
        groups: [sg('sg-web-old', { tier: 'web', ingress: [tcp(80, 'sg-alb')], egress: [tcp(443, '0.0.0.0/0')] })],
        enis: [eni('eni-web2', { subnetId: 'subnet-app', groups: ['sg-web-old'], instanceId: 'i-web2' })],
      }),
      passes: [...ALL_PASS, { messageId: 'reachable', resource: 'i-web2' }],
    },
    {
      name: 'an unregistered web server reached by any load balancer on a web port passes',
      snapshot: chain({
        registered: false,
        lbs: [internal],
        groups: [sg('sg-internal', { tier: 'lb' })],
        enis: [lbEni('eni-lb9', internal, { privateIp: '10.0.1.99' })],
        ingress: { web: [tcp(443, 'sg-internal')] },
      }),
      passes: ALL_PASS,
    },
    {
      name: 'a web server in a peered VPC reaches the app server over an active, routed peering connection',
      snapshot: chain({
        without: ['web'],
        peer: { routes: true },
        ingress: { app: [tcp(8080, '10.1.0.0/16')] },
        groups: [sg('sg-web9', { tier: 'web', vpcId: 'vpc-2', ingress: [tcp(80, '10.0.1.0/24')] })],
        enis: [
          eni('eni-web9', {
            subnetId: 'subnet-peer',
            vpcId: 'vpc-2',
            groups: ['sg-web9'],
            instanceId: 'i-web9',
            privateIp: '10.1.1.9',
          }),
        ],
      }),
      passes: [
        { messageId: 'reachable', resource: 'i-web9' },
        { messageId: 'reachable', resource: 'i-app1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      check: (fs) =>
        expect(fs.find((f) => f.resource.id === 'i-app1')!.data).toMatchObject({ from: 'eni-web9 (instance i-web9)' }),
    },
  ],
  invalid: [
    {
      name: 'the same peering without routes to it: neither the ALB reaches the web server nor the web server the app',
      snapshot: chain({
        without: ['web'],
        peer: { routes: false },
        ingress: { app: [tcp(8080, '10.1.0.0/16')] },
        groups: [sg('sg-web9', { tier: 'web', vpcId: 'vpc-2', ingress: [tcp(80, '10.0.1.0/24')] })],
        enis: [
          eni('eni-web9', {
            subnetId: 'subnet-peer',
            vpcId: 'vpc-2',
            groups: ['sg-web9'],
            instanceId: 'i-web9',
            privateIp: '10.1.1.9',
          }),
        ],
      }),
      passes: [{ messageId: 'reachable', resource: 'orders' }],
      findings: [
        { messageId: 'webUnreachable', resource: 'i-web9', check: (f) => expect(f.data?.reason).toMatch(/route/) },
        {
          messageId: 'appUnreachable',
          resource: 'i-app1',
          data: { from: 'eni-web9 (instance i-web9)' },
          check: (f) => expect(f.data?.reason).toMatch(/route/),
        },
      ],
    },
    {
      name: "egress-blocked web → app (the issue's example): sg-web lets out only tcp 443, the app admits 8080 from web",
      snapshot: chain({ egress: { web: [tcp(443, '0.0.0.0/0')] } }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'appUnreachable',
          resource: 'i-app1',
          severity: 'medium',
          related: [{ type: 'instance', id: 'i-web1' }],
          // The app admits the web tier: the blocking hop is the web tier's egress, left to the reason.
          remediation: [],
          data: {
            link: 'web → app',
            target: 'eni-app1 (instance i-app1)',
            ports: 'tcp (any port)',
            from: 'eni-web1 (instance i-web1)',
            candidates: '1 web-tier interface',
          },
          // The blocking hop: the initiator's egress, and what the target admits instead.
          check: (f) =>
            expect(f.data?.reason).toMatch(/^sg-web egress allows only tcp 443; sg-app admits tcp 8080 from sg-web/),
        },
      ],
    },
    {
      name: 'a network ACL between the app and data subnets denies 5432: named by rule number',
      snapshot: chain({ dataAclInbound: [aclRule(90, 'deny', 'tcp', 5432, '10.0.3.0/24')] }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'i-app1' },
      ],
      findings: [
        {
          messageId: 'dataUnreachable',
          resource: 'orders',
          data: { link: 'app → data', ports: 'tcp 5432', from: 'eni-app1 (instance i-app1)' },
          check: (f) => {
            expect(f.resource).toEqual({
              type: 'db-instance',
              id: 'orders',
              arn: expect.stringContaining(':db:orders'),
            });
            expect(f.data?.reason).toMatch(/^network ACL acl-data rule 90 denies tcp 5432 from 10\.0\.3\.10\/32/);
          },
        },
      ],
    },
    {
      name: 'data port mismatch: the app can reach 3306, the database listens on 5432 (its endpoint port)',
      snapshot: chain({ ingress: { db: [tcp(3306, 'sg-app')] } }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'i-app1' },
      ],
      findings: [
        {
          messageId: 'dataUnreachable',
          resource: 'orders',
          data: { ports: 'tcp 5432', target: 'eni-db1 (DB instance orders)' },
          remediation: [authorize('sg-db', 5432, 'sg-app')],
          check: (f) =>
            expect(f.data?.reason).toBe(
              'sg-db admits nothing from sg-app on tcp 5432 to eni-db1: it admits tcp 3306 from sg-app',
            ),
        },
      ],
    },
    {
      name: 'the load balancer forwards to 8080 but the web server admits it only on 80: the target port decides',
      snapshot: chain({ webTargetPort: 8080 }),
      passes: [
        { messageId: 'reachable', resource: 'i-app1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'webUnreachable',
          resource: 'i-web1',
          related: [{ type: 'load-balancer', id: 'front', arn: alb.arn, name: 'front' }],
          data: { link: 'lb → web', ports: 'tcp 8080', from: 'eni-lb1 (load balancer front)' },
          // sg-web admits the ALB on 80 only: the command admits it on the target port.
          remediation: [authorize('sg-web', 8080, 'sg-alb')],
          check: (f) =>
            expect(f.data?.reason).toBe(
              'sg-web admits nothing from sg-alb on tcp 8080 to eni-web1: it admits tcp 80 from sg-alb',
            ),
        },
      ],
    },
    {
      name: "a registered web server is judged from its target group's load balancer: another one reaching it does not count",
      snapshot: chain({
        lbs: [internal],
        groups: [sg('sg-internal', { tier: 'lb' })],
        enis: [lbEni('eni-lb9', internal, { privateIp: '10.0.1.99' })],
        ingress: { web: [tcp(80, 'sg-internal')] },
      }),
      passes: [
        { messageId: 'reachable', resource: 'i-app1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'webUnreachable',
          resource: 'i-web1',
          related: [{ type: 'load-balancer', id: 'front', arn: alb.arn, name: 'front' }],
          data: { from: 'eni-lb1 (load balancer front)', candidates: '1 load-balancer interface' },
        },
      ],
    },
    {
      name: 'settings ports.app [8443]: the app tier admits only 8080 from web, so the link is broken on 8443',
      snapshot: chain(),
      settings: settingsWith({ ports: { ...settingsWith().ports, app: [8443] } }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'appUnreachable',
          resource: 'i-app1',
          data: { ports: 'tcp 8443' },
          remediation: [authorize('sg-app', 8443, 'sg-web')],
        },
      ],
    },
    {
      name: 'among web servers the app admits, the nearest (same subnet as the app) is the one named; both are related',
      snapshot: chain({
        ingress: { app: [tcp(8080, 'sg-web', 'sg-web2')] },
        egress: { web: [tcp(443, '0.0.0.0/0')] },
        groups: [sg('sg-web2', { tier: 'web', ingress: [tcp(80, 'sg-alb')], egress: [tcp(443, '0.0.0.0/0')] })],
        enis: [eni('eni-web2', { subnetId: 'subnet-app', groups: ['sg-web2'], instanceId: 'i-web2' })],
      }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'i-web2' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'appUnreachable',
          resource: 'i-app1',
          related: [
            { type: 'instance', id: 'i-web2' },
            { type: 'instance', id: 'i-web1' },
          ],
          data: { from: 'eni-web2 (instance i-web2)', candidates: '2 web-tier interfaces' },
          check: (f) => expect(f.data?.reason).toMatch(/^sg-web2 egress allows only tcp 443/),
        },
      ],
    },
    {
      name: 'the web server the app admits is named before a nearer one it does not admit: its egress is what blocks',
      snapshot: chain({
        egress: { web: [tcp(443, '0.0.0.0/0')] },
        groups: [sg('sg-web2', { tier: 'web', ingress: [tcp(80, 'sg-alb')] })],
        enis: [eni('eni-web2', { subnetId: 'subnet-app', groups: ['sg-web2'], instanceId: 'i-web2' })],
      }),
      passes: [
        { messageId: 'reachable', resource: 'i-web1' },
        { messageId: 'reachable', resource: 'i-web2' },
        { messageId: 'reachable', resource: 'orders' },
      ],
      findings: [
        {
          messageId: 'appUnreachable',
          resource: 'i-app1',
          related: [
            { type: 'instance', id: 'i-web1' },
            { type: 'instance', id: 'i-web2' },
          ],
          data: { from: 'eni-web1 (instance i-web1)', candidates: '2 web-tier interfaces' },
          check: (f) => expect(f.data?.reason).toMatch(/^sg-web egress allows only tcp 443; sg-app admits tcp 8080/),
        },
      ],
    },
    {
      name: 'a data-tier instance that is not a known database: checked on the data ports (settings.ports.data)',
      snapshot: chain({
        groups: [sg('sg-mongo', { tier: 'data', ingress: [tcp(27017, 'sg-app')] })],
        enis: [eni('eni-mongo', { subnetId: 'subnet-data', groups: ['sg-mongo'], instanceId: 'i-mongo' })],
      }),
      passes: ALL_PASS,
      findings: [{ messageId: 'dataUnreachable', resource: 'i-mongo', data: { ports: 'tcp 1433, 1521, 3306, 5432' } }],
    },
    {
      name: 'an app interface whose subnet is unknown: web → app and app → data are unknown (error), never a pass',
      snapshot: chain({
        without: ['app'],
        enis: [eni('eni-app1', { groups: ['sg-app'], instanceId: 'i-app1', privateIp: '10.0.3.10' })],
      }),
      passes: [{ messageId: 'reachable', resource: 'i-web1' }],
      findings: [
        {
          messageId: 'unknown',
          resource: 'i-app1',
          status: 'error',
          message:
            'Whether app-tier eni-app1 (instance i-app1) is reachable from the web tier on tcp (any port) is unknown: ' +
            'the subnet of eni-app1 was not collected (version-1 snapshot data).',
        },
        { messageId: 'unknown', resource: 'orders', status: 'error', data: { ports: 'tcp 5432' } },
      ],
    },
  ],
});

describe('tier-chain-broken in the report', () => {
  it('names the network kinds a v1 snapshot lacks as missing data, peering connections included', () => {
    const { report } = reportOf(chain({ collected: WITHOUT_NETWORK }), { rules: [rule] });
    expect(report.rules.find((r) => r.id === 'tier-chain-broken')?.missingData).toContain('vpcPeeringConnections');
    expect(report.findings.filter((f) => f.ruleId === 'tier-chain-broken')).toEqual([]);
  });

  it('the message names the link, the ports, the blocking hop and the nearest upstream interface', () => {
    const f = t.finding(chain({ egress: { web: [tcp(443, '0.0.0.0/0')] } }), 'i-app1');
    expect(f.message).toBe(
      `App-tier eni-app1 (instance i-app1) is not reachable from the web tier on tcp (any port): ${String(f.data?.reason)} ` +
        '(nearest: eni-web1 (instance i-web1), of 1 web-tier interface checked).',
    );
  });
});
