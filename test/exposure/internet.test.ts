/**
 * The internet-exposure model over built graphs (src/exposure/internet.ts): one test per semantic, the AWS page it
 * relies on in its name.
 */
import { describe, expect, it } from 'vitest';
import { analyseExposure } from '../../src/exposure/internet.js';
import type { ExposurePath } from '../../src/exposure/types.js';
import { parseInput } from '../../src/snapshot/load.js';
import type { RegionSnapshot } from '../../src/snapshot/schema.js';
import {
  acl,
  aclRule,
  ALLOW_ALL,
  all,
  blackhole,
  collectedExcept,
  eigw,
  eni,
  graphOf,
  icmp,
  instance,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  route,
  routeTable,
  sg,
  snapshot,
  subnet,
  target,
  targetGroup,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';

const PUBLIC_IP = '198.51.100.10';

function exposureOf(rs: RegionSnapshot) {
  return analyseExposure(graphOf(snapshot(rs)));
}

/** A public subnet, sg-web admitting tcp 22 from the world, eni-web (i-web) with a public IP: overrides per test. */
function webRegion(
  o: { eni?: Parameters<typeof eni>[1]; ingress?: ReturnType<typeof tcp>[] } & Parameters<typeof region>[0] = {},
) {
  const { eni: eniOptions, ingress, ...rest } = o;
  return region({
    ...publicSubnet(),
    groups: [sg('sg-web', { ingress: ingress ?? [tcp(22, '0.0.0.0/0')] })],
    enis: [
      eni('eni-web', {
        subnetId: 'subnet-pub',
        groups: ['sg-web'],
        publicIp: PUBLIC_IP,
        privateIp: '10.0.1.10',
        instanceId: 'i-web',
        ...(eniOptions as object),
      }),
    ],
    ...rest,
  });
}

const FULL_SSH_PATH: ExposurePath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: { type: 'network-interface', id: 'eni-web', attachedTo: { type: 'instance', id: 'i-web' } },
  protocol: 'tcp',
  ports: [[22, 22]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
    { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
    { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
    { type: 'security-group', id: 'sg-web', permissionIndex: 0 },
  ],
  accountId: '111111111111',
  region: 'us-east-1',
};

describe('direct paths to a network interface', () => {
  it('a public instance in a public subnet is reachable, with the full hop list [AWS: Internet gateways]', () => {
    const x = exposureOf(webRegion());
    expect(x.paths).toEqual([FULL_SSH_PATH]);
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'reachable',
      reason:
        'tcp 22 from 0.0.0.0/0 to eni-web via igw-1, rtb-main, acl-default rule 100, acl-default rule 100 (reply), ' +
        'sg-web',
      paths: [FULL_SSH_PATH],
    });
    expect(x.interfaces.map((i) => [i.eniId, i.status])).toEqual([['eni-web', 'reachable']]);
    expect(x.ofInterface('eni-nope')).toBeUndefined();
  });

  it('the result is computed once per graph and cached', () => {
    const g = graphOf(snapshot(webRegion()));
    expect(analyseExposure(g)).toBe(analyseExposure(g));
  });

  it('no public IPv4 address: unreachable, naming the interface [AWS: IP addressing for your VPCs and subnets]', () => {
    const x = exposureOf(webRegion({ eni: { publicIp: undefined } }));
    expect(x.paths).toEqual([]);
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason: 'eni-web has no public IPv4 address',
    });
  });

  it('an Elastic IP on a secondary private address makes it reachable [AWS: Elastic IP addresses]', () => {
    const x = exposureOf(
      webRegion({ eni: { publicIp: undefined, secondary: [{ address: '10.0.1.11', publicIp: '203.0.113.7' }] } }),
    );
    expect(x.ofInterface('eni-web')?.status).toBe('reachable');
  });

  it('a subnet with no explicit association uses the main route table [AWS: Subnet route tables]', () => {
    // publicSubnet's rtb-main is associated with nothing; an explicit private table for another subnet is ignored.
    const net = publicSubnet();
    net.routeTables.push(routeTable('rtb-other', { subnetIds: ['subnet-other'] }));
    const x = exposureOf(webRegion(net));
    expect(x.paths[0].hops[1]).toEqual({ type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' });
  });

  it('an explicitly associated table without an internet route wins over the main one: unreachable [AWS: Subnet route tables]', () => {
    const net = publicSubnet();
    net.routeTables.push(
      routeTable('rtb-private', { subnetIds: ['subnet-pub'], routes: [route('0.0.0.0/0', 'nat-1')] }),
    );
    const x = exposureOf(webRegion(net));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason: 'route table rtb-private sends 0.0.0.0/0 (route 0.0.0.0/0) to NAT gateway nat-1, not an internet gateway',
    });
  });

  it('a private subnet (only the local route) is unreachable [AWS: Subnet route tables]', () => {
    const net = publicSubnet();
    net.routeTables = [routeTable('rtb-main', { main: true })];
    const x = exposureOf(webRegion(net));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason: 'route table rtb-main has no route to an internet gateway for 0.0.0.0/0',
    });
  });

  it('a blackhole default route does not reach the internet gateway [AWS: Route (State blackhole)]', () => {
    const net = publicSubnet();
    net.routeTables = [routeTable('rtb-main', { main: true, routes: [blackhole('0.0.0.0/0', 'igw-old')] })];
    expect(exposureOf(webRegion(net)).ofInterface('eni-web')?.status).toBe('unreachable');
  });

  it('an ACL deny rule before the allow decides: first match in rule-number order [AWS: Custom network ACLs]', () => {
    const net = publicSubnet();
    net.networkAcls = [
      acl('acl-1', { subnetIds: ['subnet-pub'], inbound: [aclRule(90, 'deny', 'tcp', 22), ...ALLOW_ALL] }),
    ];
    const x = exposureOf(webRegion(net));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-1 rule 90 denies tcp 22 from 0.0.0.0/0',
    });
  });

  it('an ACL that lets the request in but not the reply out blocks it: ACLs are stateless [AWS: Network ACLs]', () => {
    const net = publicSubnet();
    net.networkAcls = [
      acl('acl-1', { subnetIds: ['subnet-pub'], inbound: ALLOW_ALL, outbound: [aclRule(100, 'allow', 'tcp', 443)] }),
    ];
    const x = exposureOf(webRegion(net));
    expect(x.ofInterface('eni-web')?.status).toBe('unreachable');
    expect(x.ofInterface('eni-web')?.reason).toContain('no reply gets out (network ACLs are stateless)');
  });

  it('an ACL admitting part of a port range: the path lists only the ports that get in [AWS: Custom network ACLs]', () => {
    const net = publicSubnet();
    net.networkAcls = [
      acl('acl-1', { subnetIds: ['subnet-pub'], inbound: [aclRule(90, 'deny', 'tcp', 22), ...ALLOW_ALL] }),
    ];
    const x = exposureOf(webRegion({ ...net, ingress: [tcp([20, 25], '0.0.0.0/0')] }));
    expect(x.paths.map((p) => p.ports)).toEqual([
      [
        [20, 21],
        [23, 25],
      ],
    ]);
  });

  it('an IPv6 source reaches a global IPv6 address through the internet gateway [AWS: IPv6 addressing]', () => {
    const x = exposureOf(
      webRegion({ eni: { publicIp: undefined, ipv6: ['2600:1f18::10'] }, ingress: [tcp(22, '::/0')] }),
    );
    expect(x.paths).toHaveLength(1);
    expect(x.paths[0]).toMatchObject({
      source: '::/0',
      hops: [
        { type: 'internet-gateway', id: 'igw-1' },
        { type: 'route-table', id: 'rtb-main', route: '::/0' },
        { rule: 101 },
        { rule: 101 },
        { type: 'security-group', id: 'sg-web' },
      ],
    });
  });

  it('a link-local or unique-local IPv6 address is not global: unreachable [AWS: IPv6 addressing]', () => {
    const x = exposureOf(webRegion({ eni: { ipv6: ['fe80::1', 'fd00::1'] }, ingress: [tcp(22, '::/0')] }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason: 'eni-web has no global IPv6 address',
    });
  });

  it('IPv6 routed only to an egress-only internet gateway is unreachable [AWS: Egress-only internet gateway basics]', () => {
    const net = publicSubnet();
    net.egressOnlyInternetGateways = [eigw('eigw-1')];
    net.routeTables = [
      routeTable('rtb-main', { main: true, routes: [route('0.0.0.0/0', 'igw-1'), route('::/0', 'eigw-1')] }),
    ];
    const x = exposureOf(webRegion({ ...net, eni: { ipv6: ['2600:1f18::10'] }, ingress: [tcp(22, '::/0')] }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unreachable',
      reason:
        'route table rtb-main sends ::/0 (route ::/0) to egress-only internet gateway eigw-1, which admits no ' +
        'inbound connection',
    });
  });

  it('private sources are not the internet; public CIDRs other than the world are [AWS: Security group rules]', () => {
    const x = exposureOf(webRegion({ ingress: [tcp(22, '10.0.0.0/8'), tcp(443, '203.0.113.0/24')] }));
    expect(x.paths.map((p) => [p.source, p.ports])).toEqual([['203.0.113.0/24', [[443, 443]]]]);
  });

  it('all traffic from the world is every TCP and UDP port and ICMP', () => {
    const x = exposureOf(webRegion({ ingress: [all('0.0.0.0/0')] }));
    expect(x.paths.map((p) => [p.protocol, p.ports])).toEqual([
      ['icmp', [[-1, -1]]],
      ['tcp', [[0, 65535]]],
      ['udp', [[0, 65535]]],
    ]);
  });

  it('a security group attached to no interface: ofPermissions says so', () => {
    const rs = webRegion();
    rs.securityGroups.push(sg('sg-idle', { ingress: [tcp(22, '0.0.0.0/0')] }));
    expect(exposureOf(rs).ofPermissions([{ groupId: 'sg-idle', permissionIndex: 0 }])).toEqual({
      status: 'unreachable',
      reason: 'sg-idle is attached to no network interface',
      paths: [],
    });
  });
});

describe('unknown, never unreachable, when the data was not collected', () => {
  it('network kinds not collected: unknown, naming them', () => {
    const x = exposureOf(webRegion({ collected: WITHOUT_NETWORK }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unknown',
      reason: 'subnets, routeTables, internetGateways, networkAcls not collected in 111111111111/us-east-1',
    });
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }]).status).toBe('unknown');
  });

  it('network ACLs alone not collected: unknown', () => {
    const x = exposureOf(webRegion({ collected: collectedExcept('networkAcls') }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unknown',
      reason: 'networkAcls not collected in 111111111111/us-east-1',
    });
  });

  it('a group of the interface missing from the snapshot: unknown, unless the interface has no public address', () => {
    const x = exposureOf(webRegion({ eni: { groups: ['sg-gone'] } }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unknown',
      reason: 'security group sg-gone of eni-web is not in the snapshot',
    });
    const y = exposureOf(webRegion({ eni: { groups: ['sg-gone'], publicIp: undefined } }));
    expect(y.ofInterface('eni-web')?.status).toBe('unreachable');
  });

  it('an interface without a subnet (v1 data) is unknown', () => {
    const x = exposureOf(webRegion({ eni: { subnetId: undefined } }));
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unknown',
      reason: 'the subnet of eni-web was not collected (version-1 snapshot data)',
    });
  });

  it('a version-1 snapshot, upgraded on load, is unknown', () => {
    const v1 = {
      schemaVersion: 1,
      tool: 'sg-audit',
      createdAt: '2026-01-01T00:00:00.000Z',
      regions: [
        {
          accountId: '111111111111',
          region: 'us-east-1',
          collected: ['securityGroups', 'networkInterfaces'],
          securityGroups: [sg('sg-web', { ingress: [tcp(22, '0.0.0.0/0')] })],
          networkInterfaces: [eni('eni-web', ['sg-web'], { attachment: { instanceId: 'i-web' } })],
        },
      ],
    };
    const x = analyseExposure(graphOf(parseInput(v1, 'v1.json')));
    expect(x.ofInterface('eni-web')?.status).toBe('unknown');
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }]).status).toBe('unknown');
  });

  it('a prefix list whose entries were not collected is unknown [AWS: Managed prefix lists]', () => {
    const rs = webRegion({ ingress: [tcp(22, 'pl-1')], prefixLists: [{ id: 'pl-1', name: 'office' }] });
    const x = exposureOf(rs);
    expect(x.ofInterface('eni-web')).toMatchObject({
      status: 'unknown',
      reason: 'the entries of prefix list pl-1 (sg-web permission 0) were not collected',
    });
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }]).status).toBe('unknown');
  });

  it('an AWS-managed prefix list whose entries were not collected is unknown too (CloudFront origin-facing)', () => {
    const rs = webRegion({
      ingress: [tcp(443, 'pl-cf')],
      prefixLists: [{ id: 'pl-cf', name: 'com.amazonaws.global.cloudfront.origin-facing', ownerId: 'AWS' }],
    });
    expect(exposureOf(rs).ofInterface('eni-web')?.status).toBe('unknown');
  });

  it("a resolved prefix list's public entries are internet sources", () => {
    const rs = webRegion({
      ingress: [tcp(22, 'pl-1')],
      prefixLists: [{ id: 'pl-1', entries: [{ cidr: '10.1.0.0/16' }, { cidr: '203.0.113.0/24' }] }],
    });
    expect(exposureOf(rs).paths.map((p) => p.source)).toEqual(['203.0.113.0/24']);
  });
});

describe('ofPermissions', () => {
  const rs = () => {
    const r = webRegion({ ingress: [tcp(22, '0.0.0.0/0'), tcp(3389, '0.0.0.0/0')] });
    r.networkAcls = [
      acl('acl-1', { subnetIds: ['subnet-pub'], inbound: [aclRule(90, 'deny', 'tcp', 3389), ...ALLOW_ALL] }),
    ];
    // A second interface of sg-web with no public address, in the same subnet.
    r.networkInterfaces.push(eni('eni-private', { subnetId: 'subnet-pub', groups: ['sg-web'] }));
    return r;
  };

  it('reachable when a path goes through one of the permissions, restricted to the query ports', () => {
    const x = exposureOf(rs());
    const ssh = x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }], { protocol: 'tcp', ports: [[22, 22]] });
    expect(ssh.status).toBe('reachable');
    expect(ssh.paths.map((p) => p.target.id)).toEqual(['eni-web']);
    const other = x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }], { protocol: 'tcp', ports: [[80, 80]] });
    expect(other.status).toBe('unreachable');
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 0 }], { protocol: 'udp' }).status).toBe(
      'unreachable',
    );
  });

  it('unreachable names the most common blocking leg among the interfaces', () => {
    const x = exposureOf(rs());
    // 3389: eni-web is blocked by the ACL, eni-private by its address; with a third address-less interface the
    // address leg is the most common.
    const r = rs();
    r.networkInterfaces.push(eni('eni-private-2', { subnetId: 'subnet-pub', groups: ['sg-web'] }));
    const y = exposureOf(r);
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 1 }]).status).toBe('unreachable');
    expect(y.ofPermissions([{ groupId: 'sg-web', permissionIndex: 1 }])).toEqual({
      status: 'unreachable',
      reason: 'eni-private has no public IPv4 address',
      paths: [],
    });
  });

  it('unknown when some interface using the permission could not be decided', () => {
    const r = rs();
    r.networkInterfaces.push(eni('eni-v1', ['sg-web']));
    const x = exposureOf(r);
    expect(x.ofPermissions([{ groupId: 'sg-web', permissionIndex: 1 }])).toMatchObject({
      status: 'unknown',
      reason: 'the addresses of eni-v1 were not collected (version-1 snapshot data)',
    });
  });
});

describe('attachedTo', () => {
  it('an RDS interface is attached to the DB instance with the same groups', () => {
    const rs = webRegion({
      eni: { instanceId: undefined, description: 'RDSNetworkInterface', requesterManaged: true },
      instances: [instance('db-1', ['sg-web']), instance('db-2', ['sg-other'])],
    });
    expect(exposureOf(rs).ofInterface('eni-web')?.target.attachedTo).toEqual({
      type: 'db-instance',
      id: 'db-1',
      arn: 'arn:aws:rds:us-east-1:111111111111:db:db-1',
      name: 'db-1',
    });
  });

  it('an RDS interface whose groups several databases share names the first and lists the others', () => {
    // RDS interfaces carry no database id (description "RDSNetworkInterface"); two instances on the same groups
    // cannot be told apart, so each counts as owning the interface.
    const rs = webRegion({
      eni: { instanceId: undefined, description: 'RDSNetworkInterface', requesterManaged: true },
      instances: [instance('db-b', ['sg-web']), instance('db-a', ['sg-web']), instance('db-c', ['sg-other'])],
    });
    expect(exposureOf(rs).ofInterface('eni-web')?.target.attachedTo).toEqual({
      type: 'db-instance',
      id: 'db-a',
      name: 'db-a',
      alternatives: [{ type: 'db-instance', id: 'db-b' }],
    });
  });

  it('Lambda, NAT gateway and VPC endpoint interfaces are told by type and description', () => {
    const rs = region({
      ...publicSubnet(),
      enis: [
        eni('eni-l', { subnetId: 'subnet-pub', interfaceType: 'lambda', description: 'AWS Lambda VPC ENI-fn-1' }),
        eni('eni-n', {
          subnetId: 'subnet-pub',
          interfaceType: 'nat_gateway',
          description: 'Interface for NAT Gateway nat-0a1',
        }),
        eni('eni-v', {
          subnetId: 'subnet-pub',
          interfaceType: 'vpc_endpoint',
          description: 'VPC Endpoint Interface vpce-0b2',
        }),
        eni('eni-x', { subnetId: 'subnet-pub' }),
      ],
    });
    const x = exposureOf(rs);
    expect(x.interfaces.map((i) => i.target.attachedTo)).toEqual([
      { type: 'lambda', id: 'fn-1' },
      { type: 'nat-gateway', id: 'nat-0a1' },
      { type: 'vpc-endpoint', id: 'vpce-0b2' },
      undefined,
    ]);
  });
});

describe('load balancers', () => {
  const alb = loadBalancer('web', { groups: ['sg-alb'] });
  const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-app')] });

  function albRegion(o: { appIngress?: ReturnType<typeof tcp>[]; lb?: typeof alb; tgs?: (typeof tg)[] } = {}) {
    const lb = o.lb ?? alb;
    const tgs = o.tgs ?? [tg];
    return region({
      ...network(publicSubnet(), {
        subnets: [subnet('subnet-app', { cidr: '10.0.2.0/24' })],
        routeTables: [],
      }),
      networkAcls: [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-app'], isDefault: true })],
      groups: [
        sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }),
        sg('sg-app', { ingress: o.appIngress ?? [tcp(8080, 'sg-alb')] }),
      ],
      lbs: [lb],
      enis: [
        lbEni('eni-alb', lb, { publicIp: '198.51.100.20', privateIp: '10.0.1.20' }),
        eni('eni-app', { subnetId: 'subnet-app', groups: ['sg-app'], privateIp: '10.0.2.30', instanceId: 'i-app' }),
      ],
      listeners: [
        listener(
          lb,
          443,
          tgs.map((t) => t.arn),
        ),
      ],
      targetGroups: tgs,
    });
  }

  it('ALB → instance target: reachable on the target port only through the LB, with the LB hops [AWS: ALB security groups]', () => {
    const x = exposureOf(albRegion());
    const app = x.ofInterface('eni-app')!;
    expect(app.status).toBe('reachable');
    expect(app.paths).toEqual([
      {
        from: 'internet',
        source: '0.0.0.0/0',
        target: { type: 'network-interface', id: 'eni-app', attachedTo: { type: 'instance', id: 'i-app' } },
        protocol: 'tcp',
        ports: [[8080, 8080]],
        hops: [
          { type: 'internet-gateway', id: 'igw-1' },
          { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
          { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
          { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
          { type: 'security-group', id: 'sg-alb', permissionIndex: 0 },
          { type: 'network-interface', id: 'eni-alb' },
          { type: 'load-balancer', id: alb.arn, listener: 443, protocol: 'HTTP' },
          { type: 'target-group', id: tg.arn, port: 8080 },
          { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
          { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
          { type: 'security-group', id: 'sg-app', permissionIndex: 0 },
        ],
        accountId: '111111111111',
        region: 'us-east-1',
        via: { loadBalancer: alb.arn, listener: 443 },
      },
    ]);
    expect(x.ofInterface('eni-alb')?.target.attachedTo).toEqual({
      type: 'load-balancer',
      id: 'web',
      arn: alb.arn,
      name: 'web',
    });
    expect(x.ofPermissions([{ groupId: 'sg-app', permissionIndex: 0 }]).status).toBe('reachable');
  });

  it("a CIDR holding the ALB node's private address admits it too [AWS: ALB security groups]", () => {
    const x = exposureOf(albRegion({ appIngress: [tcp(8080, '10.0.1.0/24')] }));
    expect(x.ofInterface('eni-app')?.status).toBe('reachable');
  });

  it('a target whose groups do not admit the LB has no path [AWS: ALB security groups]', () => {
    const x = exposureOf(albRegion({ appIngress: [tcp(8080, '10.9.0.0/16')] }));
    expect(x.ofInterface('eni-app')).toMatchObject({
      status: 'unreachable',
      reason: 'no security group of eni-app admits web (10.0.1.20) on tcp 8080',
    });
  });

  it('an internal load balancer is not an internet entry point', () => {
    const internal = loadBalancer('web', { groups: ['sg-alb'], scheme: 'internal' });
    const x = exposureOf(albRegion({ lb: internal }));
    expect(x.ofInterface('eni-app')?.status).toBe('unreachable');
    expect(x.paths.filter((p) => p.via)).toEqual([]);
  });

  it('listeners or target groups not collected: targets that admit the LB are unknown', () => {
    const rs = albRegion();
    rs.collected = collectedExcept('targetGroups');
    const x = exposureOf(rs);
    expect(x.ofInterface('eni-app')).toMatchObject({
      status: 'unknown',
      reason: 'targetGroups not collected in 111111111111/us-east-1: paths through web are unknown',
    });
  });

  it('a node of the LB that cannot be decided makes its targets unknown', () => {
    const rs = albRegion();
    rs.networkInterfaces[0] = { ...rs.networkInterfaces[0], subnetId: undefined };
    expect(exposureOf(rs).ofInterface('eni-app')).toMatchObject({
      status: 'unknown',
      reason: 'web listener 443: the subnet of eni-alb was not collected (version-1 snapshot data)',
    });
  });

  it('a target group the listener forwards to is not in the snapshot: targets that admit the LB are unknown', () => {
    const rs = albRegion();
    rs.targetGroups = [];
    expect(exposureOf(rs).ofInterface('eni-app')).toMatchObject({
      status: 'unknown',
      reason: `target group ${tg.arn} of web listener 443 is not in the snapshot`,
    });
  });

  it('listeners not collected, an NLB without groups: any interface of its VPC admitting the internet is unknown', () => {
    const nlb = loadBalancer('edge', { type: 'network' });
    const rs = region({
      ...publicSubnet(),
      collected: collectedExcept('listeners'),
      groups: [
        sg('sg-app', { ingress: [tcp(8443, '0.0.0.0/0')] }),
        sg('sg-other', { ingress: [tcp(22, '10.9.0.0/16')] }),
      ],
      lbs: [nlb],
      enis: [
        lbEni('eni-nlb', nlb, { publicIp: '198.51.100.30' }),
        eni('eni-app', { subnetId: 'subnet-pub', groups: ['sg-app'] }),
        eni('eni-other', { subnetId: 'subnet-pub', groups: ['sg-other'] }),
        eni('eni-elsewhere', { subnetId: 'subnet-pub', groups: ['sg-app'], vpcId: 'vpc-2' }),
      ],
    });
    const x = exposureOf(rs);
    expect(x.interfaces.map((i) => [i.eniId, i.status])).toEqual([
      ['eni-nlb', 'unknown'],
      ['eni-app', 'unknown'],
      ['eni-other', 'unreachable'],
      ['eni-elsewhere', 'unreachable'],
    ]);
    expect(x.ofInterface('eni-app')?.reason).toBe(
      'listeners not collected in 111111111111/us-east-1: paths through edge are unknown',
    );
  });

  describe('NLB without security groups [AWS: Client IP preservation, NLB security groups]', () => {
    const nlb = loadBalancer('edge', { type: 'network' });
    const ntg = (targetType: 'instance' | 'ip', id: string) =>
      targetGroup('edge', { port: 8443, protocol: 'TCP', targetType, lbs: [nlb], targets: [target(id)] });
    const nlbRegion = (appIngress: ReturnType<typeof tcp>[], targetGroupOf = ntg('instance', 'i-app')) =>
      region({
        ...network(publicSubnet(), { subnets: [subnet('subnet-app', { cidr: '10.0.2.0/24' })] }),
        networkAcls: [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-app'], isDefault: true })],
        groups: [sg('sg-app', { ingress: appIngress })],
        lbs: [nlb],
        enis: [
          lbEni('eni-nlb', nlb, { publicIp: '198.51.100.30', privateIp: '10.0.1.30' }),
          eni('eni-app', { subnetId: 'subnet-app', groups: ['sg-app'], privateIp: '10.0.2.30', instanceId: 'i-app' }),
        ],
        listeners: [listener(nlb, 443, [targetGroupOf.arn])],
        targetGroups: [targetGroupOf],
      });

    it('the node is reachable on its listener port with no security-group hop', () => {
      const x = exposureOf(nlbRegion([tcp(8443, '0.0.0.0/0')]));
      expect(x.ofInterface('eni-nlb')?.paths.map((p) => [p.ports, p.hops.map((h) => h.type), p.via])).toEqual([
        [
          [[443, 443]],
          ['internet-gateway', 'route-table', 'network-acl', 'network-acl', 'load-balancer'],
          { loadBalancer: nlb.arn, listener: 443 },
        ],
      ]);
    });

    it('an instance target sees the client: its groups must admit 0.0.0.0/0', () => {
      const x = exposureOf(nlbRegion([tcp(8443, '0.0.0.0/0')]));
      const app = x.ofInterface('eni-app')!;
      expect(app.status).toBe('reachable');
      expect(app.paths[0]).toMatchObject({ source: '0.0.0.0/0', ports: [[8443, 8443]], via: { listener: 443 } });
      expect(app.paths[0].hops.map((h) => h.type)).toEqual([
        'internet-gateway',
        'route-table',
        'network-acl',
        'network-acl',
        'network-interface',
        'load-balancer',
        'target-group',
        'network-acl',
        'network-acl',
        'security-group',
      ]);
      // Admitting only the NLB's subnet does not let the clients in.
      expect(exposureOf(nlbRegion([tcp(8443, '10.0.1.0/24')])).ofInterface('eni-app')).toMatchObject({
        status: 'unreachable',
        reason: 'no security group of eni-app admits the client 0.0.0.0/0 on tcp 8443',
      });
    });

    it("a TCP IP target sees the NLB's private address", () => {
      const ipTarget = ntg('ip', '10.0.2.30');
      expect(exposureOf(nlbRegion([tcp(8443, '10.0.1.0/24')], ipTarget)).ofInterface('eni-app')?.status).toBe(
        'reachable',
      );
      // A client range does not hold the NLB's address.
      const x = exposureOf(nlbRegion([tcp(8443, '203.0.113.0/24')], ipTarget));
      expect(x.ofInterface('eni-app')?.status).toBe('unreachable');
      expect(x.paths.map((p) => p.target.id)).toEqual(['eni-nlb']);
    });
  });
});

describe('load balancer targets', () => {
  const base = (o: {
    lb: ReturnType<typeof loadBalancer>;
    tg: ReturnType<typeof targetGroup>;
    appIngress: ReturnType<typeof tcp>[];
    appEnis?: ReturnType<typeof eni>[];
    appAcl?: ReturnType<typeof acl>;
    rules?: string[][];
    lbIngress?: ReturnType<typeof tcp>[];
  }) =>
    region({
      ...network(publicSubnet(), { subnets: [subnet('subnet-app', { cidr: '10.0.2.0/24' })] }),
      networkAcls: o.appAcl
        ? [acl('acl-default', { subnetIds: ['subnet-pub'], isDefault: true }), o.appAcl]
        : [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-app'], isDefault: true })],
      groups: [
        sg('sg-lb', { ingress: o.lbIngress ?? [tcp(443, '0.0.0.0/0')] }),
        sg('sg-app', { ingress: o.appIngress }),
      ],
      lbs: [o.lb],
      enis: [
        lbEni('eni-lb', o.lb, { publicIp: '198.51.100.40', privateIp: '10.0.1.40' }),
        ...(o.appEnis ?? [
          eni('eni-app', { subnetId: 'subnet-app', groups: ['sg-app'], privateIp: '10.0.2.30', instanceId: 'i-app' }),
        ]),
      ],
      listeners: [listener(o.lb, 443, o.rules ? [] : [o.tg.arn], { rules: o.rules })],
      targetGroups: [o.tg],
    });

  it("an NLB with security groups: a target referencing the NLB's group admits it even with client IP preservation [AWS: NLB security groups]", () => {
    const nlb = loadBalancer('edge', { type: 'network', groups: ['sg-lb'] });
    const tg = targetGroup('edge', { port: 8443, protocol: 'TCP', lbs: [nlb], targets: [target('i-app')] });
    const x = exposureOf(base({ lb: nlb, tg, appIngress: [tcp(8443, 'sg-lb')] }));
    expect(x.ofInterface('eni-app')?.paths.map((p) => p.hops.map((h) => `${h.type}:${h.id}`))).toEqual([
      [
        'internet-gateway:igw-1',
        'route-table:rtb-main',
        'network-acl:acl-default',
        'network-acl:acl-default',
        'security-group:sg-lb',
        'network-interface:eni-lb',
        `load-balancer:${nlb.arn}`,
        `target-group:${tg.arn}`,
        'network-acl:acl-default',
        'network-acl:acl-default',
        'security-group:sg-app',
      ],
    ]);
    // The NLB's own group decides who gets in: closed to the world, no path.
    const closed = exposureOf(base({ lb: nlb, tg, appIngress: [tcp(8443, 'sg-lb')], lbIngress: [] }));
    expect(closed.ofInterface('eni-app')?.status).toBe('unreachable');
  });

  it("a preserved client narrowed by the target's CIDR: the path's source is the narrower range", () => {
    const nlb = loadBalancer('edge', { type: 'network' });
    const tg = targetGroup('edge', { port: 8443, protocol: 'TCP', lbs: [nlb], targets: [target('i-app')] });
    const x = exposureOf(base({ lb: nlb, tg, appIngress: [tcp(8443, '203.0.113.0/24')] }));
    expect(x.ofInterface('eni-app')?.paths.map((p) => p.source)).toEqual(['203.0.113.0/24']);
  });

  it('an instance target is reached through its primary interface (device index 0) when device indexes are known', () => {
    const alb = loadBalancer('web', { groups: ['sg-lb'] });
    const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-app')] });
    const appEnis = [
      eni('eni-app-0', { subnetId: 'subnet-app', groups: ['sg-app'], instanceId: 'i-app', deviceIndex: 0 }),
      eni('eni-app-1', { subnetId: 'subnet-app', groups: ['sg-app'], instanceId: 'i-app', deviceIndex: 1 }),
    ];
    const x = exposureOf(base({ lb: alb, tg, appIngress: [tcp(8080, 'sg-lb')], appEnis }));
    expect(x.paths.filter((p) => p.via).map((p) => p.target.id)).toEqual(['eni-app-0']);
  });

  it('an IP target is reached through the interface holding that address, on the target port', () => {
    const alb = loadBalancer('web', { groups: ['sg-lb'] });
    const tg = targetGroup('app', { port: 80, targetType: 'ip', lbs: [alb], targets: [target('10.0.2.30', 9000)] });
    const x = exposureOf(base({ lb: alb, tg, appIngress: [tcp(9000, 'sg-lb')] }));
    expect(
      x.ofInterface('eni-app')?.paths.map((p) => [p.ports, p.hops.find((h) => h.type === 'target-group')]),
    ).toEqual([[[[9000, 9000]], { type: 'target-group', id: tg.arn, port: 9000 }]]);
  });

  it("listener rules' forward actions count as well as the default action", () => {
    const alb = loadBalancer('web', { groups: ['sg-lb'] });
    const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-app')] });
    const x = exposureOf(base({ lb: alb, tg, appIngress: [tcp(8080, 'sg-lb')], rules: [[tg.arn]] }));
    expect(x.ofInterface('eni-app')?.status).toBe('reachable');
  });

  it("the target subnet's network ACL must admit the load balancer's traffic [AWS: Network ACLs]", () => {
    const alb = loadBalancer('web', { groups: ['sg-lb'] });
    const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-app')] });
    const appAcl = acl('acl-app', {
      subnetIds: ['subnet-app'],
      inbound: [aclRule(100, 'allow', 'tcp', 22, '10.0.0.0/16')],
    });
    const x = exposureOf(base({ lb: alb, tg, appIngress: [tcp(8080, 'sg-lb')], appAcl }));
    expect(x.ofInterface('eni-app')).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-app: no rule allows tcp 8080 from 10.0.1.40/32: the default * rule denies it',
    });
  });
});

describe('ICMP', () => {
  it('ICMP from the world on a public instance is reachable as icmp', () => {
    const x = exposureOf(webRegion({ ingress: [icmp('0.0.0.0/0')] }));
    expect(x.paths.map((p) => [p.protocol, p.ports])).toEqual([['icmp', [[-1, -1]]]]);
  });
});
