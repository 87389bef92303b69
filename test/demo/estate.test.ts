/**
 * The demo estate's network data is consistent, as AWS would return it: every interface sits in a subnet of its
 * VPC with addresses from that subnet, every subnet has one ACL and at most one explicit route table, each VPC
 * one main table and one default ACL, load-balancer interfaces name their load balancer as AWS writes it
 * (`ELB app/<name>/<id>` for the ARN `…:loadbalancer/app/<name>/<id>`), listeners forward to target groups that
 * exist, instance targets are instances whose primary interface is in the snapshot, and every route to a VPC
 * peering connection names an active peering listed (as DescribeVpcPeeringConnections returns it to both sides) in
 * the region of each VPC it joins, with the VPCs' own CIDRs.
 */
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { loadInputFile } from '../../src/snapshot/load.js';
import type { RegionSnapshot } from '../../src/snapshot/schema.js';
import { DEMO_ESTATE } from '../helpers/files.js';

const demo = loadInputFile(DEMO_ESTATE);
const where = (r: RegionSnapshot) => `${r.accountId}/${r.region}`;

function inCidr(address: string, cidr: string): boolean {
  const ip = ipaddr.parse(address);
  const [net, len] = ipaddr.parseCIDR(cidr);
  return ip.kind() === net.kind() && ip.match(net, len);
}

describe('demo estate: network data', () => {
  it('has every kind of network data in the us-east-1 shop VPC', () => {
    const us = demo.regions.find((r) => r.accountId === '111122223333' && r.region === 'us-east-1')!;
    expect({
      vpcs: us.vpcs.length,
      subnets: us.subnets.length,
      routeTables: us.routeTables.length,
      internetGateways: us.internetGateways.length,
      egressOnlyInternetGateways: us.egressOnlyInternetGateways.length,
      networkAcls: us.networkAcls.length,
      loadBalancers: us.loadBalancers.length,
      listeners: us.listeners.length,
      targetGroups: us.targetGroups.length,
      networkInterfaces: us.networkInterfaces.length,
      securityGroups: us.securityGroups.length,
    }).toEqual({
      vpcs: 1,
      subnets: 7,
      routeTables: 4,
      internetGateways: 1,
      egressOnlyInternetGateways: 1,
      networkAcls: 1,
      loadBalancers: 4,
      listeners: 5,
      targetGroups: 3,
      networkInterfaces: 26,
      securityGroups: 24,
    });
    expect(demo.regions.flatMap((r) => r.securityGroups)).toHaveLength(38);
  });

  it('every interface is in a subnet of its VPC, with one primary address from the subnet (IPv6 too)', () => {
    for (const r of demo.regions) {
      const subnets = new Map(r.subnets.map((s) => [s.id, s]));
      for (const e of r.networkInterfaces) {
        const at = `${where(r)} ${e.id}`;
        const s = subnets.get(e.subnetId ?? '');
        expect(s, `${at}: subnet ${e.subnetId}`).toBeDefined();
        expect(s!.vpcId, at).toBe(e.vpcId);
        expect(e.privateIpAddresses, at).toBeDefined();
        expect(e.ipv6Addresses, at).toBeDefined();
        expect(
          e.privateIpAddresses!.filter((a) => a.primary),
          at,
        ).toHaveLength(1);
        for (const a of e.privateIpAddresses!)
          expect(inCidr(a.address, s!.cidrBlock!), `${at} ${a.address}`).toBe(true);
        // The interface's publicIp is the primary address's (AWS `Association.PublicIp`).
        expect(e.privateIpAddresses!.find((a) => a.primary)!.publicIp, at).toBe(e.publicIp);
        for (const v6 of e.ipv6Addresses!) {
          expect(
            s!.ipv6CidrBlocks.some((c) => inCidr(v6, c)),
            `${at} ${v6}`,
          ).toBe(true);
        }
      }
    }
  });

  it('addresses are unique in each VPC', () => {
    for (const r of demo.regions) {
      const seen = new Set<string>();
      for (const e of r.networkInterfaces) {
        for (const a of [
          ...e.privateIpAddresses!.flatMap((p) => [p.address, p.publicIp ?? []].flat()),
          ...e.ipv6Addresses!,
        ]) {
          expect(seen.has(a), `${where(r)} ${a} twice`).toBe(false);
          seen.add(a);
        }
      }
    }
  });

  it('each VPC has one main route table and one default ACL; each subnet one ACL, at most one explicit table', () => {
    for (const r of demo.regions) {
      for (const v of r.vpcs) {
        expect(
          r.routeTables.filter((t) => t.vpcId === v.id && t.main),
          `${where(r)} ${v.id}`,
        ).toHaveLength(1);
        expect(
          r.networkAcls.filter((a) => a.vpcId === v.id && a.isDefault),
          `${where(r)} ${v.id}`,
        ).toHaveLength(1);
      }
      for (const s of r.subnets) {
        expect(r.vpcs.map((v) => v.id)).toContain(s.vpcId);
        const acls = r.networkAcls.filter((a) => a.subnetIds.includes(s.id));
        expect(acls, `${where(r)} ${s.id} ACLs`).toHaveLength(1);
        expect(acls[0].vpcId).toBe(s.vpcId);
        const tables = r.routeTables.filter((t) => t.subnetIds.includes(s.id));
        expect(tables.length, `${where(r)} ${s.id} tables`).toBeLessThanOrEqual(1);
        if (tables[0]) expect(tables[0].vpcId).toBe(s.vpcId);
      }
    }
  });

  it('active routes to gateways name gateways attached to the VPC; the one blackhole points at a deleted one', () => {
    const blackholes: string[] = [];
    for (const r of demo.regions) {
      for (const t of r.routeTables) {
        for (const route of t.routes) {
          const igw = route.gatewayId?.startsWith('igw-') ? route.gatewayId : undefined;
          const eigw = route.egressOnlyInternetGatewayId;
          if (route.state === 'blackhole') {
            blackholes.push(`${t.id} ${route.destinationCidr} ${igw}`);
            expect(r.internetGateways.some((g) => g.id === igw)).toBe(false);
            continue;
          }
          if (igw) {
            const g = r.internetGateways.find((x) => x.id === igw);
            expect(g?.attachments, `${t.id} → ${igw}`).toContainEqual({ vpcId: t.vpcId, state: 'available' });
          }
          if (eigw) {
            const g = r.egressOnlyInternetGateways.find((x) => x.id === eigw);
            expect(g?.attachments, `${t.id} → ${eigw}`).toContainEqual({ vpcId: t.vpcId, state: 'attached' });
          }
        }
      }
    }
    expect(blackholes).toEqual(['rtb-0a1b2c3d4e5f65200 0.0.0.0/0 igw-0a1b2c3d4e5f65300']);
  });

  it('load-balancer interfaces name their load balancer as AWS does, and every load balancer has one', () => {
    for (const r of demo.regions) {
      const elb = r.networkInterfaces.filter((e) => e.description?.startsWith('ELB '));
      for (const e of elb) {
        const lb = r.loadBalancers.find((l) => l.arn.endsWith(`:loadbalancer/${e.description!.slice(4)}`));
        expect(lb, `${where(r)} ${e.id} ${e.description}`).toBeDefined();
        expect(e.requesterManaged).toBe(true);
        expect(e.groups).toEqual(lb!.securityGroups);
        expect(e.interfaceType).toBe(lb!.type === 'network' ? 'network_load_balancer' : 'interface');
        // Internal load balancers have no public address.
        if (lb!.scheme === 'internal') expect(e.publicIp).toBeUndefined();
      }
      for (const lb of r.loadBalancers) {
        expect(
          elb.some((e) => lb.arn.endsWith(`:loadbalancer/${e.description!.slice(4)}`)),
          lb.name,
        ).toBe(true);
      }
    }
  });

  it('listeners forward to target groups of their load balancer; instance targets are in the snapshot', () => {
    for (const r of demo.regions) {
      for (const l of r.listeners) {
        expect(r.loadBalancers.map((lb) => lb.arn)).toContain(l.loadBalancerArn);
        const forwards = [...l.defaultActions, ...l.rules.flatMap((x) => x.actions)].flatMap((a) => a.targetGroupArns);
        for (const arn of forwards) {
          const tg = r.targetGroups.find((t) => t.arn === arn);
          expect(tg?.loadBalancerArns, `${l.arn} → ${arn}`).toContain(l.loadBalancerArn);
        }
      }
      for (const tg of r.targetGroups) {
        expect(tg.targetType).toBe('instance');
        expect(tg.targets.length).toBeGreaterThan(0);
        for (const t of tg.targets) {
          const enis = r.networkInterfaces.filter((e) => e.attachment?.instanceId === t.id);
          expect(enis, `${tg.name} target ${t.id}`).toHaveLength(1);
          expect(enis[0].attachment!.deviceIndex).toBe(0);
          expect(enis[0].vpcId).toBe(tg.vpcId);
        }
      }
    }
  });

  it('every DB instance has an RDSNetworkInterface with exactly its security groups, and each such ENI a DB', () => {
    for (const r of demo.regions) {
      const key = (groups: string[]) => [...groups].sort().join(',');
      const rds = r.networkInterfaces.filter((e) => e.description === 'RDSNetworkInterface');
      for (const db of r.dbInstances) {
        expect(
          rds.some((e) => key(e.groups) === key(db.securityGroups)),
          `${where(r)} ${db.id}`,
        ).toBe(true);
      }
      for (const e of rds) {
        expect(e.requesterManaged).toBe(true);
        expect(
          r.dbInstances.some((db) => key(e.groups) === key(db.securityGroups)),
          `${where(r)} ${e.id}`,
        ).toBe(true);
      }
      // Only the publicly accessible one has a public address.
      for (const e of rds) {
        const db = r.dbInstances.find((x) => key(e.groups) === key(x.securityGroups))!;
        expect(e.publicIp !== undefined, `${e.id} (${db.id})`).toBe(db.publiclyAccessible === true);
      }
    }
  });

  // A peering connection is listed to both the requester's and the accepter's account
  // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcPeeringConnections.html); routes to it
  // are "pcx-…" targets in each side's tables (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html).
  it('routes to a peering connection name an active one, listed on both sides with their VPCs and CIDRs', () => {
    const routed: string[] = [];
    for (const r of demo.regions) {
      expect(r.collected, where(r)).toContain('vpcPeeringConnections');
      for (const t of r.routeTables) {
        for (const route of t.routes) {
          const id = route.vpcPeeringConnectionId;
          if (!id) continue;
          const pcx = r.vpcPeeringConnections.find((p) => p.id === id);
          expect(pcx, `${where(r)} ${t.id} → ${id}`).toBeDefined();
          expect(pcx!.status).toBe('active');
          const [here, there] =
            pcx!.requester.vpcId === t.vpcId ? [pcx!.requester, pcx!.accepter] : [pcx!.accepter, pcx!.requester];
          expect(here.vpcId, `${t.id} is in a VPC of ${id}`).toBe(t.vpcId);
          // The route's destination is the other side's CIDR, and that VPC (in its own scope) has that CIDR.
          expect(there.cidrs).toContain(route.destinationCidr);
          const other = demo.regions.find((x) => x.accountId === there.ownerId && x.region === there.region);
          expect(other?.vpcs.find((v) => v.id === there.vpcId)?.cidrBlocks).toEqual(there.cidrs);
          expect(other?.vpcPeeringConnections.map((p) => p.id)).toContain(id);
          expect(r.vpcs.find((v) => v.id === here.vpcId)?.cidrBlocks).toEqual(here.cidrs);
          routed.push(`${where(r)} ${t.id} ${route.destinationCidr}`);
        }
      }
    }
    expect(routed.sort()).toEqual([
      '111122223333/us-east-1 rtb-0a1b2c3d4e5f65203 10.40.0.0/16',
      '444455556666/us-east-1 rtb-04d5e6f7a8b9c5200 10.0.0.0/16',
    ]);
  });
});
