/**
 * Route-table leg of internet exposure. AWS pages the semantics come from:
 * - "Subnet route tables" https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html
 * - "How route priority works" https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 * - "Egress-only internet gateway basics"
 *   https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway-basics.html
 * - "Route" (EC2 API) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html
 */
import { describe, expect, it } from 'vitest';
import {
  routeForAddress,
  routeTableFor,
  routeToInternet,
  type InternetGateway,
  type PrefixList,
  type Route,
  type RouteTable,
} from '../../src/exposure/routes.js';

const VPC = 'vpc-1';
const IGW: InternetGateway = { id: 'igw-1', attachments: [{ vpcId: VPC, state: 'available' }] };
const LOCAL: Route = { destinationCidr: '10.0.0.0/16', gatewayId: 'local', state: 'active' };
const DEFAULT_IGW: Route = { destinationCidr: '0.0.0.0/0', gatewayId: 'igw-1', state: 'active' };

function table(routes: Route[], over: Partial<RouteTable> = {}): RouteTable {
  return { id: 'rtb-1', vpcId: VPC, main: false, subnetIds: [], routes: [LOCAL, ...routes], ...over };
}

const igwHop = { type: 'internet-gateway', id: 'igw-1' };
const rtHop = (route: string, extra: object = {}) => ({
  type: 'route-table',
  id: 'rtb-1',
  route,
  target: { type: 'internet-gateway', id: 'igw-1' },
  ...extra,
});

describe('routeTableFor (Subnet route tables: implicit association with the main route table)', () => {
  const main = table([], { id: 'rtb-main', main: true });
  const custom = table([], { id: 'rtb-custom', subnetIds: ['subnet-a'] });
  const otherVpcMain = table([], { id: 'rtb-other', vpcId: 'vpc-2', main: true });

  it('falls back to the VPC main table when the subnet has no explicit association (Subnet route tables)', () => {
    expect(routeTableFor('subnet-b', VPC, [otherVpcMain, main, custom])).toEqual({
      status: 'known',
      table: main,
      association: 'main',
    });
  });

  it('an explicit association wins over the main table (Subnet route tables)', () => {
    expect(routeTableFor('subnet-a', VPC, [main, custom])).toEqual({
      status: 'known',
      table: custom,
      association: 'explicit',
    });
  });

  it('no explicit association and no main table known for the VPC is unknown, not unreachable', () => {
    expect(routeTableFor('subnet-b', VPC, [otherVpcMain])).toEqual({
      status: 'unknown',
      reason: 'no route table known for subnet subnet-b: no explicit association and no main route table for vpc-1',
    });
  });
});

describe('routeToInternet', () => {
  it('a default route to an attached internet gateway is reachable, with the igw and route-table hops', () => {
    expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW]), [IGW], [])).toEqual({
      status: 'reachable',
      via: { internetGateway: igwHop, routeTable: rtHop('0.0.0.0/0') },
      hops: [igwHop, rtHop('0.0.0.0/0')],
    });
  });

  describe('longest prefix match (How route priority works)', () => {
    const t = table([DEFAULT_IGW, { destinationCidr: '198.51.100.0/24', natGatewayId: 'nat-1', state: 'active' }]);

    it('a source inside the more specific NAT route is unreachable, naming the NAT gateway', () => {
      expect(routeToInternet('198.51.100.9', t, [IGW], [])).toEqual({
        status: 'unreachable',
        reason:
          'route table rtb-1 sends 198.51.100.9 (route 198.51.100.0/24) to NAT gateway nat-1, not an internet gateway',
        hop: {
          type: 'route-table',
          id: 'rtb-1',
          route: '198.51.100.0/24',
          target: { type: 'nat-gateway', id: 'nat-1' },
        },
      });
    });

    it('a source outside it takes the /0 to the internet gateway', () => {
      expect(routeToInternet('198.51.101.9', t, [IGW], [])).toMatchObject({
        status: 'reachable',
        via: { routeTable: { route: '0.0.0.0/0' } },
      });
    });

    it('a CIDR source split by the routes is reachable for the part on the igw, and says why the rest is not', () => {
      expect(routeToInternet('0.0.0.0/0', t, [IGW], [])).toEqual({
        status: 'reachable',
        via: { internetGateway: igwHop, routeTable: rtHop('0.0.0.0/0') },
        hops: [igwHop, rtHop('0.0.0.0/0')],
        // The part on the local route (the VPC's own range, no internet host) explains nothing: left out.
        partial:
          'route table rtb-1 sends part of 0.0.0.0/0 (route 198.51.100.0/24) to NAT gateway nat-1, not an internet ' +
          'gateway',
      });
    });

    it('a source split only by the local route is named whole, and the local part is no reason', () => {
      const local = table([{ destinationCidr: '10.0.0.0/16', gatewayId: 'local', state: 'active' }]);
      expect(routeToInternet('0.0.0.0/0', local, [IGW], [])).toEqual({
        status: 'unreachable',
        reason: 'route table rtb-1 has no route to an internet gateway for 0.0.0.0/0',
      });
    });

    it('a CIDR source is reachable through a more specific igw route even when its default goes to a NAT', () => {
      const natDefault = table([
        { destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' },
        { destinationCidr: '203.0.113.0/24', gatewayId: 'igw-1', state: 'active' },
      ]);
      expect(routeToInternet('0.0.0.0/0', natDefault, [IGW], [])).toMatchObject({
        status: 'reachable',
        via: { routeTable: { route: '203.0.113.0/24' } },
        partial: expect.stringContaining('sends part of 0.0.0.0/0 (route 0.0.0.0/0) to NAT gateway nat-1') as unknown,
      });
    });

    it('a CIDR source entirely inside the NAT route is unreachable', () => {
      expect(routeToInternet('198.51.100.128/25', t, [IGW], [])).toMatchObject({
        status: 'unreachable',
        hop: { route: '198.51.100.0/24', target: { type: 'nat-gateway', id: 'nat-1' } },
      });
    });
  });

  it('a blackhole route is excluded: the shorter igw route matches, the verdict names it (Route)', () => {
    const t = table([DEFAULT_IGW, { destinationCidr: '203.0.113.0/24', natGatewayId: 'nat-gone', state: 'blackhole' }]);
    expect(routeToInternet('203.0.113.7', t, [IGW], [])).toEqual({
      status: 'reachable',
      via: { internetGateway: igwHop, routeTable: rtHop('0.0.0.0/0') },
      hops: [igwHop, rtHop('0.0.0.0/0')],
      skippedBlackholes: ['203.0.113.0/24'],
    });
  });

  it('a blackhole igw route with nothing shorter is unreachable: no route (Route)', () => {
    const t = table([{ ...DEFAULT_IGW, state: 'blackhole' }]);
    expect(routeToInternet('203.0.113.7', t, [IGW], [])).toEqual({
      status: 'unreachable',
      reason: 'route table rtb-1 has no route to an internet gateway for 203.0.113.7',
      skippedBlackholes: ['0.0.0.0/0'],
    });
  });

  describe('prefix-list destinations (How route priority works: route priority for prefix lists)', () => {
    const pl: PrefixList = { id: 'pl-1', entries: ['203.0.113.0/24', '192.0.2.0/24'] };
    const plToIgw: Route = { destinationPrefixListId: 'pl-1', gatewayId: 'igw-1', state: 'active' };

    it('a prefix-list route counts as its entries: the matching entry is the route', () => {
      expect(routeToInternet('192.0.2.10', table([plToIgw]), [IGW], [pl])).toEqual({
        status: 'reachable',
        via: { internetGateway: igwHop, routeTable: rtHop('192.0.2.0/24', { prefixListId: 'pl-1' }) },
        hops: [igwHop, rtHop('192.0.2.0/24', { prefixListId: 'pl-1' })],
      });
    });

    it('a more specific prefix-list entry beats a shorter CIDR route', () => {
      const t = table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' }, plToIgw]);
      expect(routeToInternet('203.0.113.1', t, [IGW], [pl])).toMatchObject({
        status: 'reachable',
        via: { routeTable: { route: '203.0.113.0/24', prefixListId: 'pl-1' } },
      });
    });

    it('at the same prefix length a static CIDR route beats the prefix-list route', () => {
      const t = table([{ destinationCidr: '203.0.113.0/24', natGatewayId: 'nat-1', state: 'active' }, plToIgw]);
      expect(routeToInternet('203.0.113.1', t, [IGW], [pl])).toMatchObject({
        status: 'unreachable',
        hop: { route: '203.0.113.0/24', target: { type: 'nat-gateway', id: 'nat-1' } },
      });
    });

    it('at the same prefix length the prefix-list route beats a propagated route', () => {
      const t = table([
        { destinationCidr: '203.0.113.0/24', gatewayId: 'vgw-1', origin: 'EnableVgwRoutePropagation', state: 'active' },
        plToIgw,
      ]);
      expect(routeToInternet('203.0.113.1', t, [IGW], [pl])).toMatchObject({
        status: 'reachable',
        via: { routeTable: { route: '203.0.113.0/24', prefixListId: 'pl-1' } },
      });
    });

    it('two prefix lists with the same entry and different targets are unknown: AWS picks one at random', () => {
      const t = table([plToIgw, { destinationPrefixListId: 'pl-2', natGatewayId: 'nat-1', state: 'active' }]);
      expect(routeToInternet('203.0.113.1', t, [IGW], [pl, { id: 'pl-2', entries: ['203.0.113.0/24'] }])).toEqual({
        status: 'unknown',
        reason:
          'prefix lists pl-1 and pl-2 both match 203.0.113.1 at /24 with different targets; AWS picks one at random',
      });
    });
  });

  describe('prefix list entries not collected', () => {
    const plToNat: Route = { destinationPrefixListId: 'pl-x', natGatewayId: 'nat-1', state: 'active' };

    it('is unknown when the list could be the longest match and would change the verdict', () => {
      expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW, plToNat]), [IGW], [{ id: 'pl-x' }])).toEqual({
        status: 'unknown',
        reason:
          'route table rtb-1 has a route for prefix list pl-x whose entries are not known; it could be the longest ' +
          'match for 203.0.113.7 (instead of an internet gateway)',
        hop: {
          type: 'route-table',
          id: 'rtb-1',
          route: 'pl-x',
          prefixListId: 'pl-x',
          target: { type: 'nat-gateway', id: 'nat-1' },
        },
      });
    });

    it('a list missing from the inputs is treated the same as one without entries', () => {
      expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW, plToNat]), [IGW], [])).toMatchObject({
        status: 'unknown',
      });
    });

    it('does not matter when its target gives the same verdict', () => {
      const t = table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-2', state: 'active' }, plToNat]);
      expect(routeToInternet('203.0.113.7', t, [IGW], [{ id: 'pl-x' }])).toMatchObject({
        status: 'unreachable',
        hop: { route: '0.0.0.0/0', target: { type: 'nat-gateway', id: 'nat-2' } },
      });
    });

    it('does not matter against a static host route, which wins every tie (How route priority works)', () => {
      const host: Route = { destinationCidr: '203.0.113.7/32', gatewayId: 'igw-1', state: 'active' };
      expect(routeToInternet('203.0.113.7', table([host, plToNat]), [IGW], [{ id: 'pl-x' }])).toMatchObject({
        status: 'reachable',
        via: { routeTable: { route: '203.0.113.7/32' } },
      });
    });
  });

  describe('IPv6 (How route priority works: IPv4 and IPv6 routes are independent)', () => {
    it('::/0 to an attached internet gateway is reachable', () => {
      const t = table([{ destinationIpv6Cidr: '::/0', gatewayId: 'igw-1', state: 'active' }]);
      expect(routeToInternet('2001:db8::1', t, [IGW], [])).toEqual({
        status: 'reachable',
        via: { internetGateway: igwHop, routeTable: rtHop('::/0') },
        hops: [igwHop, rtHop('::/0')],
      });
    });

    it('::/0 to an egress-only internet gateway admits nothing inbound (Egress-only internet gateway basics)', () => {
      const t = table([
        DEFAULT_IGW,
        { destinationIpv6Cidr: '::/0', egressOnlyInternetGatewayId: 'eigw-1', state: 'active' },
      ]);
      expect(routeToInternet('2001:db8::1', t, [IGW], [])).toEqual({
        status: 'unreachable',
        reason:
          'route table rtb-1 sends 2001:db8::1 (route ::/0) to egress-only internet gateway eigw-1, ' +
          'which admits no inbound connection',
        hop: {
          type: 'route-table',
          id: 'rtb-1',
          route: '::/0',
          target: { type: 'egress-only-internet-gateway', id: 'eigw-1' },
        },
      });
    });

    it('an IPv4 default route does not carry IPv6 sources', () => {
      expect(routeToInternet('2001:db8::1', table([DEFAULT_IGW]), [IGW], [])).toEqual({
        status: 'unreachable',
        reason: 'route table rtb-1 has no route to an internet gateway for 2001:db8::1',
      });
    });

    it('an IPv4-mapped IPv6 source is matched by the IPv4 routes', () => {
      expect(routeToInternet('::ffff:203.0.113.7', table([DEFAULT_IGW]), [IGW], [])).toMatchObject({
        status: 'reachable',
      });
    });
  });

  describe('internet gateway attachment', () => {
    it('an igw attached to another VPC is unreachable', () => {
      const elsewhere: InternetGateway = { id: 'igw-1', attachments: [{ vpcId: 'vpc-2', state: 'available' }] };
      expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW]), [elsewhere], [])).toEqual({
        status: 'unreachable',
        reason:
          'route table rtb-1 sends 203.0.113.7 (route 0.0.0.0/0) to internet gateway igw-1, ' +
          'which is not attached to vpc-1',
        hop: rtHop('0.0.0.0/0'),
      });
    });

    it('an igw not in the inputs is unknown, not unreachable', () => {
      expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW]), [], [])).toEqual({
        status: 'unknown',
        reason:
          'route table rtb-1 sends 203.0.113.7 (route 0.0.0.0/0) to internet gateway igw-1, which was not collected',
        hop: rtHop('0.0.0.0/0'),
      });
    });

    it('an igw attachment in transition is unknown', () => {
      const detaching: InternetGateway = { id: 'igw-1', attachments: [{ vpcId: VPC, state: 'detaching' }] };
      expect(routeToInternet('203.0.113.7', table([DEFAULT_IGW]), [detaching], [])).toMatchObject({
        status: 'unknown',
        reason:
          'route table rtb-1 sends 203.0.113.7 (route 0.0.0.0/0) to internet gateway igw-1, ' +
          'whose attachment to vpc-1 is detaching',
      });
    });
  });

  describe('targets that are not the internet path', () => {
    it.each([
      [{ transitGatewayId: 'tgw-1' }, 'transit gateway tgw-1', 'transit-gateway', 'tgw-1'],
      [{ vpcPeeringConnectionId: 'pcx-1' }, 'VPC peering connection pcx-1', 'vpc-peering-connection', 'pcx-1'],
      [{ networkInterfaceId: 'eni-1' }, 'network interface eni-1', 'network-interface', 'eni-1'],
      [{ instanceId: 'i-1' }, 'instance i-1', 'instance', 'i-1'],
      [{ gatewayId: 'vgw-1' }, 'virtual private gateway vgw-1', 'virtual-private-gateway', 'vgw-1'],
    ])('%o is unreachable and named', (target, label, type, id) => {
      const t = table([{ destinationCidr: '0.0.0.0/0', state: 'active', ...target }]);
      expect(routeToInternet('203.0.113.7', t, [IGW], [])).toEqual({
        status: 'unreachable',
        reason: `route table rtb-1 sends 203.0.113.7 (route 0.0.0.0/0) to ${label}, not an internet gateway`,
        hop: { type: 'route-table', id: 'rtb-1', route: '0.0.0.0/0', target: { type, id } },
      });
    });

    it('a source inside the VPC CIDR follows the local route', () => {
      expect(routeToInternet('10.0.3.4', table([DEFAULT_IGW]), [IGW], [])).toMatchObject({
        status: 'unreachable',
        reason: 'route table rtb-1 sends 10.0.3.4 (route 10.0.0.0/16) to the local route, not an internet gateway',
      });
    });
  });

  it('no route at all for the source is unreachable, saying so', () => {
    expect(routeToInternet('203.0.113.7', table([]), [IGW], [])).toEqual({
      status: 'unreachable',
      reason: 'route table rtb-1 has no route to an internet gateway for 203.0.113.7',
    });
  });

  it('a source that is not an address is unknown', () => {
    expect(routeToInternet('sg-123', table([DEFAULT_IGW]), [IGW], [])).toEqual({
      status: 'unknown',
      reason: 'source sg-123 is not an IP address or CIDR',
    });
  });
});

describe('routeForAddress (lateral paths: IPv4 and IPv6 routes never cross, "Route tables for your VPC")', () => {
  // The demo estate's shop-private table: 0.0.0.0/0 to a NAT gateway, ::/0 to an egress-only internet gateway.
  const dual = table(
    [
      { destinationIpv6Cidr: '2001:db8:1200::/56', gatewayId: 'local', state: 'active' },
      { destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' },
      { destinationIpv6Cidr: '::/0', egressOnlyInternetGatewayId: 'eigw-1', state: 'active' },
    ],
    { id: 'rtb-2' },
  );

  it('an IPv4 address outside the VPC matches only 0.0.0.0/0, not ::/0 as a tie', () => {
    expect(routeForAddress('10.40.1.50', dual, [])).toEqual({
      status: 'matched',
      hop: { type: 'route-table', id: 'rtb-2', route: '0.0.0.0/0', target: { type: 'nat-gateway', id: 'nat-1' } },
      route: { destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' },
    });
  });

  it('an IPv6 address matches only ::/0, not 0.0.0.0/0', () => {
    expect(routeForAddress('2001:db8:9999::5', dual, [])).toMatchObject({
      status: 'matched',
      hop: { route: '::/0', target: { type: 'egress-only-internet-gateway', id: 'eigw-1' } },
    });
  });

  it('two prefix lists tying with different targets name both lists', () => {
    const t = table([
      { destinationPrefixListId: 'pl-1', natGatewayId: 'nat-1', state: 'active' },
      { destinationPrefixListId: 'pl-2', gatewayId: 'igw-1', state: 'active' },
    ]);
    const pls = [
      { id: 'pl-1', entries: ['10.40.0.0/16'] },
      { id: 'pl-2', entries: ['10.40.0.0/16'] },
    ];
    expect(routeForAddress('10.40.1.50', t, pls)).toEqual({
      status: 'unknown',
      reason: 'prefix lists pl-1 and pl-2 both match 10.40.1.50 at /16 with different targets; AWS picks one at random',
    });
  });
});
