/**
 * The lateral reachability model (src/exposure/lateral.ts, issue #13): one test per semantic, the AWS page it relies
 * on in its name.
 */
import { describe, expect, it } from 'vitest';
import { analyseLateral } from '../../src/exposure/lateral.js';
import type { LateralPath, PortQuery } from '../../src/exposure/types.js';
import type { RegionSnapshot, Route, VpcPeeringConnection } from '../../src/snapshot/schema.js';
import {
  acl,
  aclRule,
  ALLOW_ALL,
  blackhole,
  collectedExcept,
  eni,
  graphOf,
  instance,
  lbEni,
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
  vpc,
} from '../helpers/estate.js';

type RegionParts = Parameters<typeof region>[0];

/**
 * vpc-1 (10.0.0.0/16): subnet-a (10.0.1.0/24) holds eni-app (10.0.1.10, sg-app), subnet-b (10.0.2.0/24) eni-db
 * (10.0.2.20, sg-db admitting tcp 5432 from sg-app); the main route table rtb-main (local route only), the default
 * ACL acl-default on both subnets.
 */
function twoSubnets(
  o: RegionParts & { appEgress?: ReturnType<typeof tcp>[]; dbIngress?: ReturnType<typeof tcp>[] } = {},
) {
  const { appEgress, dbIngress, ...rest } = o;
  return region({
    ...network({
      vpcs: [vpc('vpc-1')],
      subnets: [subnet('subnet-a', { cidr: '10.0.1.0/24' }), subnet('subnet-b', { cidr: '10.0.2.0/24' })],
      routeTables: [routeTable('rtb-main', { main: true })],
      networkAcls: [acl('acl-default', { subnetIds: ['subnet-a', 'subnet-b'] })],
    }),
    groups: [
      sg('sg-app', appEgress ? { egress: appEgress } : {}),
      sg('sg-db', { ingress: dbIngress ?? [tcp(5432, 'sg-app')] }),
    ],
    enis: [
      eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
      eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
    ],
    ...rest,
  });
}

const lateralOf = (...regions: RegionSnapshot[]) => analyseLateral(graphOf(snapshot(...regions)));

const APP = { type: 'network-interface', id: 'eni-app' } as const;
const DB = { type: 'network-interface', id: 'eni-db' } as const;

describe('analyseLateral: same VPC', () => {
  it('app → db on tcp 5432: egress, ACL out, local route, ACL in, ingress, as hops', () => {
    const v = lateralOf(twoSubnets()).between('eni-app', 'eni-db');
    const path: LateralPath = {
      from: APP,
      target: DB,
      protocol: 'tcp',
      ports: [[5432, 5432]],
      hops: [
        { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
        { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
        { type: 'route-table', id: 'rtb-main', route: 'local' },
        { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
        { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
      ],
      accountId: '111111111111',
      region: 'us-east-1',
      steps: 1,
    };
    expect(v).toEqual({
      status: 'reachable',
      reason:
        'tcp 5432 from eni-app to eni-db via sg-app egress 0, acl-default outbound rule 100, rtb-main local route, ' +
        'acl-default inbound rule 100, sg-db ingress 0',
      paths: [path],
    });
  });
});

describe('analyseLateral: security groups [AWS: Security group rules]', () => {
  it('egress blocks: sg-app egress allows only tcp 443, sg-db admits tcp 8080 from sg-app → unreachable, naming both', () => {
    const rs = twoSubnets({ appEgress: [tcp(443, '0.0.0.0/0')], dbIngress: [tcp(8080, 'sg-app')] });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toEqual({
      status: 'unreachable',
      reason: 'sg-app egress allows only tcp 443; sg-db admits tcp 8080 from sg-app',
      paths: [],
    });
  });

  it('no egress permission towards the target: unreachable, egress named first', () => {
    const rs = twoSubnets({ appEgress: [tcp(5432, '10.9.0.0/16')] });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toMatchObject({
      status: 'unreachable',
      reason: 'sg-app egress allows nothing to eni-db (10.0.2.20)',
    });
  });

  it('no ingress permission for the initiator: unreachable', () => {
    const rs = twoSubnets({ dbIngress: [tcp(5432, 'sg-other'), tcp(5432, '10.0.3.0/24')] });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toMatchObject({
      status: 'unreachable',
      reason: 'sg-db admits nothing from eni-app (10.0.1.10)',
    });
  });

  it('egress to a CIDR holding the target and ingress from a CIDR holding the initiator; ports intersected', () => {
    const rs = twoSubnets({
      appEgress: [tcp([5000, 5500], '10.0.2.0/24')],
      dbIngress: [tcp([5432, 6000], '10.0.1.10/32')],
    });
    const v = lateralOf(rs).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths.map((p) => [p.protocol, p.ports, p.hops[0], p.hops[4]])).toEqual([
      [
        'tcp',
        [[5432, 5500]],
        { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
        { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
      ],
    ]);
  });

  it('a prefix-list source holding the address admits; its entries not collected → unknown, never unreachable', () => {
    const pl = { id: 'pl-corp', name: 'corp', entries: [{ cidr: '10.0.1.0/24' }] };
    const known = twoSubnets({ dbIngress: [tcp(5432, 'pl-corp')], prefixLists: [pl] });
    const v = lateralOf(known).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths[0].hops[4]).toEqual({ type: 'security-group', id: 'sg-db', permissionIndex: 0 });
    const unknown = twoSubnets({ dbIngress: [tcp(5432, 'pl-corp')], prefixLists: [{ id: 'pl-corp', name: 'corp' }] });
    expect(lateralOf(unknown).between('eni-app', 'eni-db')).toEqual({
      status: 'unknown',
      reason: 'the entries of prefix list pl-corp (sg-db ingress 0) were not collected',
      paths: [],
    });
  });

  it('self reference: two interfaces sharing sg-app, which admits tcp 9000 from itself', () => {
    const rs = region({
      ...network({
        vpcs: [vpc('vpc-1')],
        subnets: [subnet('subnet-a', { cidr: '10.0.1.0/24' })],
        routeTables: [routeTable('rtb-main', { main: true })],
        networkAcls: [acl('acl-default', { subnetIds: ['subnet-a'] })],
      }),
      groups: [sg('sg-app', { ingress: [tcp(9000, 'sg-app')] })],
      enis: [
        eni('eni-1', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.11' }),
        eni('eni-2', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.12' }),
      ],
    });
    const v = lateralOf(rs).between('eni-1', 'eni-2');
    expect(v.paths).toEqual([
      {
        from: { type: 'network-interface', id: 'eni-1' },
        target: { type: 'network-interface', id: 'eni-2' },
        protocol: 'tcp',
        ports: [[9000, 9000]],
        hops: [
          { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
          { type: 'route-table', id: 'rtb-main', route: 'local' },
          { type: 'security-group', id: 'sg-app', permissionIndex: 0 },
        ],
        accountId: '111111111111',
        region: 'us-east-1',
        steps: 1,
      },
    ]);
  });
});

describe('analyseLateral: network ACLs [AWS: Control subnet traffic with network access control lists]', () => {
  it('same subnet: the ACL is not evaluated (rules apply as traffic enters and leaves the subnet)', () => {
    const denyAll = acl('acl-deny', { subnetIds: ['subnet-a'], inbound: [], outbound: [] });
    const rs = twoSubnets({
      networkAcls: [denyAll],
      subnets: [subnet('subnet-a', { cidr: '10.0.1.0/24' })],
      enis: [
        eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
        eni('eni-db', { subnetId: 'subnet-a', groups: ['sg-db'], privateIp: '10.0.1.20' }),
      ],
    });
    const v = lateralOf(rs).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths[0].hops.map((h) => h.type)).toEqual(['security-group', 'route-table', 'security-group']);
  });

  it('between subnets, the target subnet ACL denies the packet in: unreachable, naming the rule', () => {
    const rs = twoSubnets({
      networkAcls: [
        acl('acl-a', { subnetIds: ['subnet-a'] }),
        acl('acl-b', {
          subnetIds: ['subnet-b'],
          inbound: [aclRule(90, 'deny', 'tcp', 5432, '10.0.1.0/24'), ...ALLOW_ALL],
        }),
      ],
    });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toEqual({
      status: 'unreachable',
      reason: 'network ACL acl-b rule 90 denies tcp 5432 from 10.0.1.10/32',
      paths: [],
    });
  });

  it('between subnets, the reply denied out of the target subnet (stateless): unreachable', () => {
    const rs = twoSubnets({
      networkAcls: [
        acl('acl-a', { subnetIds: ['subnet-a'] }),
        acl('acl-b', { subnetIds: ['subnet-b'], outbound: [aclRule(100, 'allow', 'tcp', [0, 1023])] }),
      ],
    });
    const v = lateralOf(rs).between('eni-app', 'eni-db');
    expect(v.status).toBe('unreachable');
    expect(v.reason).toContain('but no reply gets out (network ACLs are stateless)');
    expect(v.reason).toContain('acl-b');
  });

  it('the initiator subnet ACL lets only part of the ports out: the path keeps those ports', () => {
    const rs = twoSubnets({
      dbIngress: [tcp([5000, 5999], 'sg-app')],
      networkAcls: [
        acl('acl-a', {
          subnetIds: ['subnet-a'],
          outbound: [aclRule(100, 'allow', 'tcp', [5400, 5500], '10.0.0.0/16')],
          inbound: ALLOW_ALL,
        }),
        acl('acl-b', { subnetIds: ['subnet-b'] }),
      ],
    });
    const v = lateralOf(rs).between('eni-app', 'eni-db');
    expect(v.paths.map((p) => [p.ports, p.hops[1]])).toEqual([
      [[[5400, 5500]], { type: 'network-acl', id: 'acl-a', direction: 'outbound', rule: 100 }],
    ]);
  });
});

describe('analyseLateral: ACL verdicts shared by a subnet only when no entry splits it', () => {
  const enis = [
    eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
    eni('eni-app2', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.11' }),
    eni('eni-app3', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.12' }),
    eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
  ];
  const from = (r: { paths: LateralPath[] }) => r.paths.map((p) => (p.from as { id: string }).id);

  it('a deny for one address of the initiator subnet blocks that interface only', () => {
    const rs = twoSubnets({
      enis,
      networkAcls: [
        acl('acl-a', { subnetIds: ['subnet-a'] }),
        acl('acl-b', {
          subnetIds: ['subnet-b'],
          inbound: [aclRule(90, 'deny', 'tcp', 5432, '10.0.1.11/32'), ...ALLOW_ALL],
        }),
      ],
    });
    expect(from(lateralOf(rs).inbound('eni-db'))).toEqual(['eni-app', 'eni-app3']);
  });

  it('a deny for the whole initiator subnet blocks all of it', () => {
    const rs = twoSubnets({
      enis,
      networkAcls: [
        acl('acl-a', { subnetIds: ['subnet-a'] }),
        acl('acl-b', {
          subnetIds: ['subnet-b'],
          inbound: [aclRule(90, 'deny', 'tcp', 5432, '10.0.0.0/16'), ...ALLOW_ALL],
        }),
      ],
    });
    expect(lateralOf(rs).inbound('eni-db')).toEqual({ paths: [], undecided: [] });
  });
});

describe('analyseLateral: missing data is unknown, never unreachable', () => {
  for (const kind of ['subnets', 'routeTables', 'networkAcls'] as const) {
    it(`${kind} not collected → unknown naming it`, () => {
      const v = lateralOf(twoSubnets({ collected: collectedExcept(kind) })).between('eni-app', 'eni-db');
      expect(v).toEqual({ status: 'unknown', reason: `${kind} not collected in 111111111111/us-east-1`, paths: [] });
    });
  }

  it('an interface without subnet (version-1 data) → unknown', () => {
    const rs = twoSubnets({
      enis: [
        eni('eni-app', ['sg-app']),
        eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
      ],
    });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toEqual({
      status: 'unknown',
      reason: 'the subnet of eni-app was not collected (version-1 snapshot data)',
      paths: [],
    });
  });

  it('an interface whose addresses were not read → unknown, in between and in inbound', () => {
    const rs = twoSubnets({
      enis: [
        eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
        { ...eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'] }), privateIpAddresses: undefined },
      ],
    });
    const reason = 'the addresses of eni-db were not collected (version-1 snapshot data)';
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toEqual({ status: 'unknown', reason, paths: [] });
    expect(lateralOf(rs).inbound('eni-db')).toEqual({ paths: [], undecided: [{ from: '*', to: 'eni-db', reason }] });
  });

  it('a security group of the initiator missing from the snapshot → unknown when the others do not decide', () => {
    const rs = twoSubnets({
      appEgress: [],
      enis: [
        eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app', 'sg-gone'], privateIp: '10.0.1.10' }),
        eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
      ],
    });
    expect(lateralOf(rs).between('eni-app', 'eni-db')).toMatchObject({
      status: 'unknown',
      reason: 'security group sg-gone of eni-app is not in the snapshot',
    });
  });
});

describe('analyseLateral: tiersOf and interfacesOfTier', () => {
  it('own tags, else the attached resource (load balancer, database, instance), else the security groups', () => {
    const alb = loadBalancer('web', { groups: ['sg-alb'], tier: 'lb' });
    const rs = region({
      groups: [sg('sg-alb', { tier: 'web' }), sg('sg-db', { tier: 'app' }), sg('sg-web', { tier: 'web' }), sg('sg-x')],
      lbs: [alb],
      instances: [instance('db-1', ['sg-db'], { tier: 'data' })],
      enis: [
        eni('eni-own', { subnetId: 'subnet-a', groups: ['sg-web'], tier: 'app' }),
        lbEni('eni-lb', alb),
        eni('eni-rds', { subnetId: 'subnet-a', groups: ['sg-db'], description: 'RDSNetworkInterface' }),
        eni('eni-i1', { subnetId: 'subnet-a', groups: ['sg-x'], instanceId: 'i-1' }),
        eni('eni-i2', { subnetId: 'subnet-a', groups: ['sg-x'], instanceId: 'i-1', tier: 'app' }),
        eni('eni-sg', { subnetId: 'subnet-a', groups: ['sg-web'] }),
        eni('eni-none', { subnetId: 'subnet-a', groups: ['sg-x'] }),
      ],
    });
    const l = lateralOf(rs);
    expect(['eni-own', 'eni-lb', 'eni-rds', 'eni-i1', 'eni-sg', 'eni-none'].map((id) => [id, l.tiersOf(id)])).toEqual([
      ['eni-own', ['app']],
      ['eni-lb', ['lb']],
      ['eni-rds', ['data']],
      ['eni-i1', ['app']],
      ['eni-sg', ['web']],
      ['eni-none', []],
    ]);
    expect(l.interfacesOfTier('app').map((r) => r.eniId)).toEqual(['eni-own', 'eni-i1', 'eni-i2']);
    expect(l.interfacesOfTier('data')[0]).toEqual({
      eniId: 'eni-rds',
      accountId: '111111111111',
      region: 'us-east-1',
      vpcId: 'vpc-1',
      subnetId: 'subnet-a',
      target: {
        type: 'network-interface',
        id: 'eni-rds',
        attachedTo: {
          type: 'db-instance',
          id: 'db-1',
          arn: 'arn:aws:rds:us-east-1:111111111111:db:db-1',
          name: 'db-1',
        },
      },
    });
  });
});

describe('analyseLateral: inbound', () => {
  it('every interface the target admits that can reach it, in one step; undecided ones listed, others not', () => {
    const rs = twoSubnets({
      dbIngress: [tcp(5432, 'sg-app'), tcp(5432, '10.0.3.0/24')],
      groups: [
        sg('sg-app'),
        sg('sg-db', { ingress: [tcp(5432, 'sg-app'), tcp(5432, '10.0.3.0/24')] }),
        sg('sg-out', { egress: [] }),
      ],
      enis: [
        eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
        eni('eni-app2', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.11' }),
        eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
        eni('eni-ops', { subnetId: 'subnet-b', groups: ['sg-app'], privateIp: '10.0.2.30' }),
        // In the admitted range but its egress lets nothing out: no path.
        eni('eni-quiet', { subnetId: 'subnet-c', groups: ['sg-out'], privateIp: '10.0.3.5' }),
        // In the admitted range, its subnet's ACL unknown (no ACL names subnet-c): undecided.
        eni('eni-c', { subnetId: 'subnet-c', groups: ['sg-app'], privateIp: '10.0.3.6' }),
        // Not admitted at all: not a candidate.
        eni('eni-other', { subnetId: 'subnet-a', groups: ['sg-out'], privateIp: '10.0.1.99' }),
      ],
    });
    const r = lateralOf(rs).inbound('eni-db', { protocol: 'tcp', ports: [[5432, 5432]] });
    expect(r.paths.map((p) => [(p.from as { id: string }).id, p.hops.length])).toEqual([
      ['eni-app', 5],
      ['eni-app2', 5],
      ['eni-ops', 3],
    ]);
    expect(r.undecided).toEqual([
      { from: 'eni-c', to: 'eni-db', reason: 'no network ACL known for subnet subnet-c (network ACLs not collected)' },
    ]);
  });

  it('a query on another port finds nothing', () => {
    expect(lateralOf(twoSubnets()).inbound('eni-db', { protocol: 'tcp', ports: [[22, 22]] })).toEqual({
      paths: [],
      undecided: [],
    });
  });
});

/**
 * Internet → bastion (public subnet, tcp 22 from anywhere) → database (private subnet, tcp 5432 from sg-bastion):
 * "Internet gateways" https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html for the first step.
 */
function bastionEstate() {
  return region({
    ...network(publicSubnet(), {
      subnets: [subnet('subnet-db', { cidr: '10.0.2.0/24' })],
    }),
    networkAcls: [acl('acl-default', { subnetIds: ['subnet-pub', 'subnet-db'], isDefault: true })],
    groups: [
      sg('sg-bastion', { ingress: [tcp(22, '0.0.0.0/0')] }),
      sg('sg-db', { ingress: [tcp(5432, 'sg-bastion')], tier: 'data' }),
    ],
    enis: [
      eni('eni-bastion', {
        subnetId: 'subnet-pub',
        groups: ['sg-bastion'],
        privateIp: '10.0.1.5',
        publicIp: '198.51.100.5',
      }),
      eni('eni-db', { subnetId: 'subnet-db', groups: ['sg-db'], privateIp: '10.0.2.20' }),
    ],
  });
}

describe('analyseLateral: search', () => {
  it('from the internet in two steps: bastion → database, joined by a network-interface hop', () => {
    const r = lateralOf(bastionEstate()).search('internet', ['eni-db'], { maxSteps: 2 });
    expect(r).toEqual({
      paths: [
        {
          from: 'internet',
          source: '0.0.0.0/0',
          target: DB,
          protocol: 'tcp',
          ports: [[5432, 5432]],
          hops: [
            { type: 'internet-gateway', id: 'igw-1' },
            { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
            { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
            { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
            { type: 'security-group', id: 'sg-bastion', permissionIndex: 0 },
            { type: 'network-interface', id: 'eni-bastion' },
            { type: 'security-group', id: 'sg-bastion', permissionIndex: 0, direction: 'egress' },
            { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
            { type: 'route-table', id: 'rtb-main', route: 'local' },
            { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
            { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
          ],
          accountId: '111111111111',
          region: 'us-east-1',
          steps: 2,
        },
      ],
      undecided: [],
    });
  });

  it('from the internet: a second step that cannot be decided is listed as undecided, via the exposed interface', () => {
    const rs = bastionEstate();
    rs.networkAcls = [acl('acl-default', { subnetIds: ['subnet-pub'], isDefault: true })];
    expect(lateralOf(rs).search('internet', ['eni-db'], { maxSteps: 2 })).toEqual({
      paths: [],
      undecided: [
        {
          from: 'internet',
          to: 'eni-db',
          reason: 'via eni-bastion: no network ACL known for subnet subnet-db (network ACLs not collected)',
        },
      ],
    });
  });

  it('maxSteps 1 excludes the two-step path (the database is not exposed directly)', () => {
    expect(lateralOf(bastionEstate()).search('internet', ['eni-db'], { maxSteps: 1 })).toEqual({
      paths: [],
      undecided: [],
    });
  });

  it('from interfaces: web → app → db in two steps; a path through another start is not listed', () => {
    const rs = twoSubnets({
      groups: [
        sg('sg-web'),
        sg('sg-app', { ingress: [tcp(8080, 'sg-web')] }),
        sg('sg-db', { ingress: [tcp(5432, 'sg-app')] }),
      ],
      enis: [
        eni('eni-web', { subnetId: 'subnet-a', groups: ['sg-web'], privateIp: '10.0.1.5' }),
        eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' }),
        eni('eni-db', { subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.0.2.20' }),
      ],
    });
    const l = lateralOf(rs);
    const two = l.search(['eni-web'], ['eni-db']);
    expect(two.paths.map((p) => [(p.from as { id: string }).id, p.steps, p.protocol, p.ports])).toEqual([
      ['eni-web', 2, 'tcp', [[5432, 5432]]],
    ]);
    expect(two.paths[0].hops).toEqual([
      { type: 'security-group', id: 'sg-web', permissionIndex: 0, direction: 'egress' },
      { type: 'route-table', id: 'rtb-main', route: 'local' },
      { type: 'security-group', id: 'sg-app', permissionIndex: 0 },
      { type: 'network-interface', id: 'eni-app' },
      { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
      { type: 'network-acl', id: 'acl-default', direction: 'outbound', rule: 100 },
      { type: 'route-table', id: 'rtb-main', route: 'local' },
      { type: 'network-acl', id: 'acl-default', direction: 'inbound', rule: 100 },
      { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
    ]);
    expect(l.search(['eni-web'], ['eni-db'], { maxSteps: 1 }).paths).toEqual([]);
    // eni-app reaches eni-db itself: web → app → db is not listed again.
    expect(
      l.search(['eni-web', 'eni-app'], ['eni-db']).paths.map((p) => [(p.from as { id: string }).id, p.steps]),
    ).toEqual([['eni-app', 1]]);
  });
});

// ---- between VPCs ----

function peering(status = 'active', o: { region2?: string; account2?: string } = {}): VpcPeeringConnection {
  return {
    id: 'pcx-1',
    status,
    requester: { vpcId: 'vpc-1', ownerId: '111111111111', region: 'us-east-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [] },
    accepter: {
      vpcId: 'vpc-2',
      ownerId: o.account2 ?? '111111111111',
      region: o.region2 ?? 'us-east-1',
      cidrs: ['10.1.0.0/16'],
      ipv6Cidrs: [],
    },
    tags: {},
  };
}

/**
 * vpc-1 (10.0.0.0/16, eni-app 10.0.1.10 in subnet-a, rtb-1) and vpc-2 (10.1.0.0/16, eni-db 10.1.2.20 in subnet-b,
 * rtb-2), peered by pcx-1 with routes both ways unless `routes1` / `routes2` say otherwise; vpc-2 in the same region
 * and account unless `region2` / `account2` move it (then in a second region snapshot).
 */
function peered(
  o: {
    status?: string;
    routes1?: Route[];
    routes2?: Route[];
    dbIngress?: ReturnType<typeof tcp>[];
    region2?: string;
    account2?: string;
    collected?: RegionSnapshot['collected'];
  } = {},
): RegionSnapshot[] {
  const pcx = peering(o.status, o);
  const side1: RegionParts = {
    vpcs: [vpc('vpc-1')],
    subnets: [subnet('subnet-a', { cidr: '10.0.1.0/24' })],
    routeTables: [routeTable('rtb-1', { main: true, routes: o.routes1 ?? [route('10.1.0.0/16', 'pcx-1')] })],
    networkAcls: [acl('acl-1', { subnetIds: ['subnet-a'] })],
    vpcPeeringConnections: [pcx],
    groups: [sg('sg-app')],
    enis: [eni('eni-app', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.10' })],
  };
  const side2: RegionParts = {
    vpcs: [vpc('vpc-2', { cidr: '10.1.0.0/16' })],
    subnets: [subnet('subnet-b', { vpcId: 'vpc-2', cidr: '10.1.2.0/24' })],
    routeTables: [
      routeTable('rtb-2', {
        vpcId: 'vpc-2',
        main: true,
        vpcCidr: '10.1.0.0/16',
        routes: o.routes2 ?? [route('10.0.0.0/16', 'pcx-1')],
      }),
    ],
    networkAcls: [acl('acl-2', { vpcId: 'vpc-2', subnetIds: ['subnet-b'] })],
    groups: [sg('sg-db', { vpcId: 'vpc-2', ingress: o.dbIngress ?? [tcp(5432, '10.0.1.0/24')] })],
    enis: [eni('eni-db', { vpcId: 'vpc-2', subnetId: 'subnet-b', groups: ['sg-db'], privateIp: '10.1.2.20' })],
  };
  const collected = o.collected ? { collected: o.collected } : {};
  if (!o.region2 && !o.account2) {
    const merged = network(side1, side2);
    return [
      region({
        ...merged,
        groups: [...side1.groups!, ...side2.groups!],
        enis: [...side1.enis!, ...side2.enis!],
        ...collected,
      }),
    ];
  }
  return [
    region({ ...side1, ...collected }),
    region({ ...side2, region: o.region2, accountId: o.account2, vpcPeeringConnections: [pcx], ...collected }),
  ];
}

const PEERED_HOPS = [
  { type: 'security-group', id: 'sg-app', permissionIndex: 0, direction: 'egress' },
  { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
  { type: 'route-table', id: 'rtb-1', route: '10.1.0.0/16' },
  { type: 'vpc-peering-connection', id: 'pcx-1' },
  { type: 'network-acl', id: 'acl-2', direction: 'inbound', rule: 100 },
  { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
];

describe('analyseLateral: VPC peering [AWS: Update your route tables for a VPC peering connection]', () => {
  it('an active peering routed both ways: reachable over pcx-1', () => {
    const v = lateralOf(...peered()).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths).toHaveLength(1);
    expect(v.paths[0].hops).toEqual(PEERED_HOPS);
    expect(v.paths[0].assumptions).toBeUndefined();
  });

  it('without the return route in the target subnet table: unreachable', () => {
    expect(lateralOf(...peered({ routes2: [] })).between('eni-app', 'eni-db')).toEqual({
      status: 'unreachable',
      reason: 'no route back from subnet-b to 10.0.1.10 over pcx-1 (route table rtb-2)',
      paths: [],
    });
  });

  it('the return route over another target: unreachable, naming it', () => {
    const v = lateralOf(...peered({ routes2: [route('10.0.0.0/8', 'nat-1')] })).between('eni-app', 'eni-db');
    expect(v.reason).toBe(
      'route table rtb-2 sends the replies to 10.0.1.10 (route 10.0.0.0/8) to NAT gateway nat-1, not pcx-1',
    );
  });

  it('no route to the peer VPC in the initiator subnet table: unreachable, naming the VPC range', () => {
    expect(lateralOf(...peered({ routes1: [] })).between('eni-app', 'eni-db')).toEqual({
      status: 'unreachable',
      reason: 'no route from subnet-a to 10.1.0.0/16',
      paths: [],
    });
  });

  it('a blackhole route to the peering is excluded: no route, the blackhole named', () => {
    const v = lateralOf(...peered({ routes1: [blackhole('10.1.0.0/16', 'pcx-1')] })).between('eni-app', 'eni-db');
    expect(v).toEqual({
      status: 'unreachable',
      reason: 'no route from subnet-a to 10.1.0.0/16 (blackhole route 10.1.0.0/16 excluded)',
      paths: [],
    });
  });

  it('a peering pending acceptance carries nothing [AWS: VpcPeeringConnection Status.Code]', () => {
    expect(lateralOf(...peered({ status: 'pending-acceptance' })).between('eni-app', 'eni-db')).toEqual({
      status: 'unreachable',
      reason: 'pcx-1 is not active (pending-acceptance)',
      paths: [],
    });
  });

  it('vpcPeeringConnections not collected → unknown, not unreachable', () => {
    const v = lateralOf(...peered({ collected: collectedExcept('vpcPeeringConnections') })).between(
      'eni-app',
      'eni-db',
    );
    expect(v).toEqual({
      status: 'unknown',
      reason: 'vpcPeeringConnections not collected in 111111111111/us-east-1',
      paths: [],
    });
  });

  it('a security-group reference to a group of the peered VPC admits [AWS: Update your security groups to reference peer security groups]', () => {
    const v = lateralOf(...peered({ dbIngress: [tcp(5432, 'sg-app')] })).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths[0].hops).toEqual(PEERED_HOPS);
  });

  it('cross-account peering in one Region: the reference holds too', () => {
    const v = lateralOf(...peered({ account2: '222222222222', dbIngress: [tcp(5432, '111111111111/sg-app')] })).between(
      'eni-app',
      'eni-db',
    );
    expect(v.status).toBe('reachable');
    expect(v.paths[0]).toMatchObject({ accountId: '222222222222', region: 'us-east-1', hops: PEERED_HOPS });
  });

  it("cross-Region peering: a reference to the peer's group does not count (\"You can't reference the security group of a peer VPC that's in a different Region\"); its CIDR does", () => {
    const ref = lateralOf(...peered({ region2: 'eu-west-1', dbIngress: [tcp(5432, 'sg-app')] }));
    expect(ref.between('eni-app', 'eni-db')).toMatchObject({
      status: 'unreachable',
      reason: 'sg-db admits nothing from eni-app (10.0.1.10)',
    });
    const cidr = lateralOf(...peered({ region2: 'eu-west-1' }));
    expect(cidr.between('eni-app', 'eni-db')).toMatchObject({ status: 'reachable', paths: [{ region: 'eu-west-1' }] });
  });

  it('a route to a peering connection not in the snapshot: undecided in inbound, never unreachable', () => {
    const rs = peered();
    for (const r of rs) r.vpcPeeringConnections = [];
    expect(lateralOf(...rs).inbound('eni-db')).toEqual({
      paths: [],
      undecided: [
        {
          from: 'eni-app',
          to: 'eni-db',
          reason:
            'route table rtb-1 sends 10.1.2.20 (route 10.1.0.0/16) to VPC peering connection pcx-1, which is not in ' +
            'the snapshot',
        },
      ],
    });
  });

  it('inbound: an initiator whose VPC routes nothing towards the target is not even asked about', () => {
    expect(lateralOf(...peered({ routes1: [route('10.9.0.0/16', 'pcx-1')] })).inbound('eni-db')).toEqual({
      paths: [],
      undecided: [],
    });
  });

  it('inbound finds the peered initiator', () => {
    const r = lateralOf(...peered()).inbound('eni-db');
    expect(r.paths.map((p) => (p.from as { id: string }).id)).toEqual(['eni-app']);
  });
});

describe('analyseLateral: transit gateways [AWS: Transit gateway route tables]', () => {
  it('routes both ways to a transit gateway: reachable with the assumption, never dropped', () => {
    const rs = peered({ routes1: [route('10.1.0.0/16', 'tgw-1')], routes2: [route('10.0.0.0/16', 'tgw-1')] });
    const v = lateralOf(...rs).between('eni-app', 'eni-db');
    expect(v.status).toBe('reachable');
    expect(v.paths[0].hops).toEqual([
      PEERED_HOPS[0],
      PEERED_HOPS[1],
      { type: 'route-table', id: 'rtb-1', route: '10.1.0.0/16' },
      { type: 'transit-gateway', id: 'tgw-1' },
      PEERED_HOPS[4],
      PEERED_HOPS[5],
    ]);
    expect(v.paths[0].assumptions).toEqual(['via tgw-1, not modelled further']);
    expect(v.reason).toContain('(via tgw-1, not modelled further)');
  });

  it('no return route to a transit gateway: unreachable', () => {
    const rs = peered({ routes1: [route('10.1.0.0/16', 'tgw-1')], routes2: [] });
    expect(lateralOf(...rs).between('eni-app', 'eni-db').reason).toBe(
      'no route back from subnet-b to 10.0.1.10 over tgw-1 (route table rtb-2)',
    );
  });

  it('the return route to another transit gateway: unreachable (replies must come back the same way)', () => {
    const rs = peered({ routes1: [route('10.1.0.0/16', 'tgw-1')], routes2: [route('10.0.0.0/16', 'tgw-2')] });
    expect(lateralOf(...rs).between('eni-app', 'eni-db').reason).toBe(
      'route table rtb-2 sends the replies to 10.0.1.10 (route 10.0.0.0/16) to transit gateway tgw-2, not tgw-1',
    );
  });

  it('inbound finds the initiator behind the transit gateway, with the assumption', () => {
    const rs = peered({ routes1: [route('10.1.0.0/16', 'tgw-1')], routes2: [route('10.0.0.0/16', 'tgw-1')] });
    const r = lateralOf(...rs).inbound('eni-db');
    expect(r.paths.map((p) => [(p.from as { id: string }).id, p.assumptions])).toEqual([
      ['eni-app', ['via tgw-1, not modelled further']],
    ]);
  });
});

describe('analyseLateral: what blocks, named', () => {
  it("egress allows everything, the target's ingress admits another port: the ingress is named as the blocker", () => {
    const v = lateralOf(twoSubnets({ dbIngress: [tcp(3306, 'sg-app')] })).between('eni-app', 'eni-db', {
      protocol: 'tcp',
      ports: [[5432, 5432]],
    });
    expect(v).toEqual({
      status: 'unreachable',
      paths: [],
      reason: 'sg-db admits nothing from sg-app on tcp 5432 to eni-db: it admits tcp 3306 from sg-app',
    });
  });

  it('a node of a network load balancer without security groups is undecided, not "egress allows nothing"', () => {
    const nlb = loadBalancer('edge', { type: 'network' });
    const rs = twoSubnets({ lbs: [nlb] });
    rs.networkInterfaces.push(lbEni('eni-nlb', nlb, { subnetId: 'subnet-a', privateIp: '10.0.1.31' }));
    const l = lateralOf(rs);
    expect(l.between('eni-nlb', 'eni-db')).toEqual({
      status: 'unreachable',
      paths: [],
      reason:
        'eni-nlb is a node of network load balancer edge, which has no security groups: it forwards only to its ' +
        'registered targets; eni-db is not one',
    });
    const withTarget = twoSubnets({
      lbs: [nlb],
      targetGroups: [targetGroup('edge', { port: 5432, protocol: 'TCP', lbs: [nlb], targets: [target('i-db')] })],
    });
    withTarget.networkInterfaces.push(lbEni('eni-nlb', nlb, { subnetId: 'subnet-a', privateIp: '10.0.1.31' }));
    const db = withTarget.networkInterfaces.find((n) => n.id === 'eni-db');
    if (db) db.attachment = { instanceId: 'i-db', deviceIndex: 0 };
    expect(lateralOf(withTarget).between('eni-nlb', 'eni-db')).toMatchObject({
      status: 'unknown',
      reason:
        'eni-nlb is a node of network load balancer edge, which has no security groups: it forwards to eni-db on ' +
        'what its listeners decide, not modelled here',
    });
    expect(l.between('eni-app', 'eni-nlb')).toMatchObject({
      status: 'unknown',
      reason:
        'eni-nlb is a node of network load balancer edge, which has no security groups: what it admits is ' +
        'decided by its listeners, not modelled for lateral paths',
    });
  });
});

describe('analyseLateral: asking only about some initiators (the rules skip the work they would ignore)', () => {
  it('inbound with initiators: a reachable initiator it does not accept is neither a path nor undecided', () => {
    const l = lateralOf(twoSubnets());
    expect(l.inbound('eni-db').paths.map((p) => (p.from === 'internet' ? 'internet' : p.from.id))).toEqual(['eni-app']);
    expect(l.inbound('eni-db', undefined, { initiators: (id) => id !== 'eni-app' })).toEqual({
      paths: [],
      undecided: [],
    });
  });

  it('search from the internet with entries: paths entering through an interface it does not accept are not built', () => {
    const l = lateralOf(bastionEstate());
    expect(l.search('internet', ['eni-db'], { maxSteps: 2 }).paths).toHaveLength(1);
    expect(l.search('internet', ['eni-db'], { maxSteps: 2, entries: (id) => id !== 'eni-bastion' })).toEqual({
      paths: [],
      undecided: [],
    });
  });

  it('search with entries: what is undecided through a refused entry interface is not listed', () => {
    const rs = bastionEstate();
    rs.networkAcls = [acl('acl-default', { subnetIds: ['subnet-pub'], isDefault: true })];
    const l = lateralOf(rs);
    expect(l.search('internet', ['eni-db'], { maxSteps: 2 }).undecided).toHaveLength(1);
    expect(l.search('internet', ['eni-db'], { maxSteps: 2, entries: () => false })).toEqual({
      paths: [],
      undecided: [],
    });
  });

  it('between answers the same for many initiators of one target as one at a time (the target side is reused)', () => {
    const rs = twoSubnets();
    rs.networkInterfaces.push(eni('eni-app2', { subnetId: 'subnet-a', groups: ['sg-app'], privateIp: '10.0.1.11' }));
    const q: PortQuery = { protocol: 'tcp', ports: [[5432, 5432]] };
    const together = lateralOf(rs);
    const both = [together.between('eni-app', 'eni-db', q), together.between('eni-app2', 'eni-db', q)];
    const alone = lateralOf(rs).between('eni-app2', 'eni-db', q);
    expect(both[1]).toEqual(alone);
    expect(both[1]).toMatchObject({ status: 'reachable', paths: [{ from: { id: 'eni-app2' } }] });
    expect(both[0]).toMatchObject({ status: 'reachable', paths: [{ from: { id: 'eni-app' } }] });
  });
});
