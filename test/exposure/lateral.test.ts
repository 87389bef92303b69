/**
 * The lateral reachability model (src/exposure/lateral.ts, issue #13): one test per semantic, the AWS page it relies
 * on in its name.
 */
import { describe, expect, it } from 'vitest';
import { analyseLateral } from '../../src/exposure/lateral.js';
import type { LateralPath } from '../../src/exposure/types.js';
import type { RegionSnapshot } from '../../src/snapshot/schema.js';
import {
  acl,
  aclRule,
  ALLOW_ALL,
  collectedExcept,
  eni,
  instance,
  lbEni,
  loadBalancer,
  publicSubnet,
  graphOf,
  network,
  region,
  routeTable,
  sg,
  snapshot,
  subnet,
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
