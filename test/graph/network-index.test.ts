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
} from '../helpers/estate.js';

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
});
