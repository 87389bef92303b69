import { describe, expect, it } from 'vitest';
import { RegionSnapshotSchema } from '../../src/snapshot/schema.js';
import {
  acl,
  aclRule,
  eni,
  lbEni,
  listener,
  loadBalancer,
  publicSubnet,
  region,
  sg,
  target,
  targetGroup,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';

describe('network estate builders', () => {
  it('build a region the snapshot schema accepts unchanged', () => {
    const alb = loadBalancer('web', { groups: ['sg-alb'] });
    const tg = targetGroup('web', { port: 8080, lbs: [alb], targets: [target('i-1')] });
    const rs = region({
      ...publicSubnet(),
      groups: [sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] })],
      enis: [
        eni('eni-1', { subnetId: 'subnet-pub', groups: ['sg-alb'], publicIp: '198.51.100.1', instanceId: 'i-1' }),
        lbEni('eni-alb', alb, { publicIp: '198.51.100.2' }),
      ],
      lbs: [alb],
      listeners: [listener(alb, 443, [tg.arn])],
      targetGroups: [tg],
    });
    expect(RegionSnapshotSchema.parse(rs)).toEqual(rs);
    expect(rs.networkInterfaces[1].description).toBe('ELB app/web/0123456789abcdef');
    expect(rs.networkInterfaces[0].privateIpAddresses?.[0]).toMatchObject({ primary: true, publicIp: '198.51.100.1' });
  });

  it('acl() appends the * deny rules each way; custom rules make a non-default ACL', () => {
    const a = acl('acl-1', { subnetIds: ['subnet-1'], inbound: [aclRule(100, 'deny', 'tcp', 22)] });
    expect(a.isDefault).toBe(false);
    expect(a.entries.map((e) => [e.egress, e.ruleNumber, e.ruleAction])).toEqual([
      [false, 100, 'deny'],
      [false, 32767, 'deny'],
      [false, 32767, 'deny'],
      [true, 100, 'allow'],
      [true, 101, 'allow'],
      [true, 32767, 'deny'],
      [true, 32767, 'deny'],
    ]);
  });

  it('WITHOUT_NETWORK leaves the network kinds out of collected', () => {
    expect(region({ collected: WITHOUT_NETWORK }).collected).not.toContain('subnets');
    expect(region().collected).toContain('networkAcls');
  });
});
