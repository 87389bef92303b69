import { describe, expect, it } from 'vitest';
import {
  acl,
  eni,
  graphOf,
  lbEni,
  listener,
  loadBalancer,
  publicSubnet,
  region,
  routeTable,
  snapshot,
  target,
  targetGroup,
  vpc,
} from '../helpers/estate.js';
import type { VpcPeeringConnection } from '../../src/snapshot/schema.js';

const pcx = (id: string, status: string, requester: string, accepter: string): VpcPeeringConnection => ({
  id,
  status,
  requester: { vpcId: requester, cidrs: [], ipv6Cidrs: [] },
  accepter: { vpcId: accepter, cidrs: [], ipv6Cidrs: [] },
  tags: {},
});

describe('scope network indexes (graph build)', () => {
  it('index subnets, route tables per VPC, ACLs per subnet, listeners, target groups and interfaces', () => {
    const alb = loadBalancer('web', { groups: [] });
    const tg = targetGroup('app', { lbs: [alb], targets: [target('i-1')] });
    const net = publicSubnet();
    net.routeTables.push(routeTable('rtb-2', { vpcId: 'vpc-2' }));
    net.networkAcls.push(acl('acl-2', { subnetIds: ['subnet-pub', 'subnet-x'] }));
    const rs = region({
      ...net,
      lbs: [alb],
      enis: [
        eni('eni-1', {
          subnetId: 'subnet-pub',
          instanceId: 'i-1',
          privateIp: '10.0.1.5',
          secondary: [{ address: '10.0.1.6' }],
        }),
        eni('eni-2', { subnetId: 'subnet-pub', instanceId: 'i-1', privateIp: '10.0.1.7' }),
        lbEni('eni-lb', alb, { privateIp: '10.0.1.8' }),
      ],
      listeners: [listener(alb, 80, [tg.arn]), listener(alb, 443, [tg.arn])],
      targetGroups: [tg],
    });
    const scope = graphOf(snapshot(rs)).scopes[0];
    const n = scope.net;
    expect([...n.subnets.keys()]).toEqual(['subnet-pub']);
    expect([...n.routeTablesByVpc].map(([vpc, ts]) => [vpc, ts.map((t) => t.id)])).toEqual([
      ['vpc-1', ['rtb-main']],
      ['vpc-2', ['rtb-2']],
    ]);
    expect([...n.aclsBySubnet].map(([s, as]) => [s, as.map((a) => a.id)])).toEqual([
      ['subnet-pub', ['acl-default', 'acl-2']],
      ['subnet-x', ['acl-2']],
    ]);
    expect(n.internetGateways.map((g) => g.id)).toEqual(['igw-1']);
    expect(n.listenersByLoadBalancer.get(alb.arn)?.map((l) => l.port)).toEqual([80, 443]);
    expect(n.targetGroups.get(tg.arn)?.name).toBe('app');
    expect(n.loadBalancersByArn.get(alb.arn)?.lb.name).toBe('web');
    expect(n.interfacesById.get('eni-lb')?.eni.description).toBe('ELB app/web/0123456789abcdef');
    expect(n.interfacesByInstance.get('i-1')?.map((i) => i.eni.id)).toEqual(['eni-1', 'eni-2']);
    expect(n.interfacesByAddress.get('10.0.1.6')?.map((i) => i.eni.id)).toEqual(['eni-1']);
    expect(n.interfacesByAddress.get('10.0.1.8')?.map((i) => i.eni.id)).toEqual(['eni-lb']);
  });

  // Issue #13: what the lateral model (src/exposure/lateral.ts) looks up across VPCs and scopes.
  it('index VPCs and peering connections per scope (by id, per VPC of either side) and estate-wide', () => {
    const east = region({
      vpcs: [vpc('vpc-1'), vpc('vpc-2', { cidr: '10.2.0.0/16' })],
      vpcPeeringConnections: [
        pcx('pcx-12', 'active', 'vpc-1', 'vpc-2'),
        pcx('pcx-1w', 'pending-acceptance', 'vpc-1', 'vpc-w'),
        pcx('pcx-12', 'deleted', 'vpc-1', 'vpc-2'),
      ],
    });
    // Cross-region: both regions list pcx-1w (the requester's and the accepter's side).
    const west = region({
      region: 'us-west-2',
      vpcs: [vpc('vpc-w', { cidr: '10.9.0.0/16' })],
      vpcPeeringConnections: [pcx('pcx-1w', 'pending-acceptance', 'vpc-1', 'vpc-w')],
    });
    const g = graphOf(snapshot(east, west));
    const [e, w] = g.scopes;
    expect([...e.net.vpcs.keys()]).toEqual(['vpc-1', 'vpc-2']);
    // A repeated id in one scope: the first record wins.
    expect([...e.net.peeringConnections].map(([id, p]) => [id, p.status])).toEqual([
      ['pcx-12', 'active'],
      ['pcx-1w', 'pending-acceptance'],
    ]);
    expect([...e.net.peeringConnectionsByVpc].map(([v, ps]) => [v, ps.map((p) => p.id)])).toEqual([
      ['vpc-1', ['pcx-12', 'pcx-1w']],
      ['vpc-2', ['pcx-12']],
      ['vpc-w', ['pcx-1w']],
    ]);
    expect([...w.net.peeringConnectionsByVpc.keys()]).toEqual(['vpc-1', 'vpc-w']);
    expect([...g.vpcs].map(([id, x]) => [id, x.scope.region, x.vpc.cidrBlock])).toEqual([
      ['vpc-1', 'us-east-1', '10.0.0.0/16'],
      ['vpc-2', 'us-east-1', '10.2.0.0/16'],
      ['vpc-w', 'us-west-2', '10.9.0.0/16'],
    ]);
    expect(
      [...g.peeringConnections].map(([id, x]) => [id, x.connection.status, x.scopes.map((s) => s.region)]),
    ).toEqual([
      ['pcx-12', 'active', ['us-east-1']],
      ['pcx-1w', 'pending-acceptance', ['us-east-1', 'us-west-2']],
    ]);
  });
});
