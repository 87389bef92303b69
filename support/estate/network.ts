/**
 * Phase 4 of the generator: the network around the groups (issue #12) — per VPC, subnets in two or three
 * availability zones (public, private, isolated), route tables, internet and egress-only gateways, network
 * ACLs; every network interface placed in a subnet of its VPC with its private address, a public IPv4 on a
 * share and IPv6 addresses in dual-stack subnets; listeners and target groups (with registered targets) for
 * the load balancers.
 *
 * It draws from its own PRNG stream (seeded from the estate's seed), after the other phases: the groups,
 * permissions and attachments of a seed are the same as before the network existed, and the network of a
 * seed is the same on every machine.
 *
 * Ratios (per VPC unless said):
 * - 88% have an attached internet gateway and public subnets; 5% a detached one, whose default route is a
 *   blackhole (AWS marks routes to a deleted or detached gateway blackhole); 7% none (private only, default
 *   route to a transit gateway).
 * - Subnets per AZ: public (when there is an internet gateway; `mapPublicIpOnLaunch` on 80%), private, and in
 *   60% of VPCs isolated. Dual-stack (the 40% of VPCs with an IPv6 /56) gives every subnet a /64.
 * - Route tables: the main table (local routes only; in 10% of VPCs with a gateway also 0.0.0.0/0 → igw, so
 *   the isolated subnets, which use the main table implicitly, are public), one public table (0.0.0.0/0 and
 *   ::/0 → igw; 8% also route the corp prefix list to a transit gateway), one private table per AZ
 *   (0.0.0.0/0 → NAT gateway, ::/0 → egress-only gateway; 6% with the NAT route blackholed; 10% with a
 *   peering route, a fifth of them blackholed). Half the public and private tables route the S3 prefix list
 *   to a gateway endpoint.
 * - Network ACLs: the default ACL (allow all, IPv6 too, then the `*` deny) on every subnet not taken by a
 *   custom one; 30% of VPCs with public subnets put them under a custom ACL (deny from a bad range, deny
 *   tcp 22 and 3389, allow 80/443, the ephemeral ports and the VPC; outbound allow all, or in a quarter of
 *   them only 80/443 out: replies on ephemeral ports are dropped); half the VPCs with isolated subnets put
 *   them under an ACL that admits only the VPC's own range.
 * - Network interfaces: internet-facing load balancers in public subnets with a public IPv4; internal ones
 *   and Lambda in private subnets; databases in isolated subnets (private when there are none), publicly
 *   accessible ones in a public subnet with a public IPv4; instances in a public subnet by role (web 30%,
 *   bastion 70%, others 8%), 65% of those with a public IPv4 (about 14% of all instance ENIs); 5% of
 *   instances have a secondary private address, 40% of those with an Elastic IP on it only; in dual-stack
 *   subnets half the interfaces (30% of load balancers') have a global IPv6 address.
 * - Listeners: an ALB HTTPS 443 (90%, rules forwarding to one to three target groups), HTTP 80 (70%; a
 *   redirect when 443 exists, else a forward), HTTP 8080 (10%); an NLB TCP 443 (80%), TCP 80 (40%), TCP 22
 *   (10%), UDP 53 (5%); every LB at least one. Target groups are `instance` (65%) or `ip`, with one to six
 *   registered targets from the web/app instances of the VPC (ip targets: a primary private address), mostly
 *   healthy, 10% on a port other than the group's; 5% of groups belong to no load balancer.
 */
import type {
  InternetGateway,
  Listener,
  ListenerRule,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  Route,
  RouteTable,
  Subnet,
  TargetGroup,
} from '../../src/snapshot/schema.js';
import { Ids, type EniMeta, type ScopeState, type Vpc } from './model.js';
import { Prng } from './prng.js';

/** Mixed into the estate seed for the network's PRNG stream. */
const NETWORK_STREAM = 0x6e657477;
/** First octets of the synthetic public IPv4 addresses (AWS ranges). */
const PUBLIC_FIRST_OCTETS = [3, 13, 18, 34, 35, 44, 52, 54] as const;
/** A /20 holds 4096 addresses; AWS reserves the first four and the last. */
const SUBNET_ADDRESSES = 4096 - 5;

type Tier = 'public' | 'private' | 'isolated';

interface NetSubnet {
  subnet: Subnet;
  tier: Tier;
  /** Third octet of the subnet's /20 in the VPC's /16. */
  third: number;
  /** IPv6 /64 prefix (four groups) in dual-stack subnets. */
  v6?: string;
  used: number;
}

interface NetVpc {
  vpc: Vpc;
  public: NetSubnet[];
  private: NetSubnet[];
  isolated: NetSubnet[];
}

export interface NetworkState {
  rng: Prng;
  ids: Ids;
  /** Public IPv4 addresses handed out so far (they are unique across the estate). */
  publicIps: number;
}

/**
 * The network's own PRNG and ids. Its id prefixes (subnet, rtb, igw, eigw, nat, tgw, pcx, vpce, acl) are not
 * the other phases', so its ids are unique across the estate too.
 */
export function newNetworkState(seed: number): NetworkState {
  const rng = new Prng(seed ^ NETWORK_STREAM);
  return { rng, ids: new Ids(rng), publicIps: 0 };
}

export function makeNetwork(net: NetworkState, s: ScopeState): void {
  const { rng } = net;
  const { rs, accountId, region } = s;
  const nets = new Map<string, NetVpc>();
  for (const vpc of s.vpcs) nets.set(vpc.id, makeVpcNetwork(net, s, vpc));

  // Interfaces: subnet, addresses.
  const publicIp = (): string => {
    const n = net.publicIps++;
    const k = Math.floor(n / PUBLIC_FIRST_OCTETS.length) + 256;
    return `${PUBLIC_FIRST_OCTETS[n % PUBLIC_FIRST_OCTETS.length]}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  };
  const place = (m: EniMeta): void => {
    const nv = nets.get(m.vpc.id)!;
    const privateOr = (list: NetSubnet[]) => (list.length > 0 ? list : nv.private);
    let tier: NetSubnet[];
    let pub = false;
    let v6Share = 0.5;
    if (m.kind === 'lb') {
      const facing = m.lb!.scheme === 'internet-facing';
      tier = facing ? privateOr(nv.public) : nv.private;
      pub = facing && nv.public.length > 0;
      v6Share = 0.3;
    } else if (m.kind === 'db') {
      const open = m.db!.publiclyAccessible === true && nv.public.length > 0;
      tier = open ? nv.public : privateOr(nv.isolated);
      pub = open;
    } else if (m.kind === 'lambda') {
      tier = nv.private;
    } else {
      const pPublic = m.role === 'web' ? 0.3 : m.role === 'bastion' ? 0.7 : 0.08;
      const inPublic = nv.public.length > 0 && rng.chance(pPublic);
      tier = inPublic ? nv.public : rng.chance(0.85) || nv.isolated.length === 0 ? nv.private : nv.isolated;
      pub = inPublic && m.eni.status === 'in-use' && rng.chance(0.65);
    }
    const sn = rng.pick(tier);
    const eni: NetworkInterface = m.eni;
    eni.subnetId = sn.subnet.id;
    const primary = { address: nextAddress(sn, m.vpc), primary: true, ...(pub ? { publicIp: publicIp() } : {}) };
    eni.privateIpAddresses = [primary];
    if (primary.publicIp) eni.publicIp = primary.publicIp;
    if (m.kind === 'instance' && rng.chance(0.05)) {
      const eip = sn.tier === 'public' && m.eni.status === 'in-use' && rng.chance(0.4);
      eni.privateIpAddresses.push({
        address: nextAddress(sn, m.vpc),
        primary: false,
        ...(eip ? { publicIp: publicIp() } : {}),
      });
    }
    eni.ipv6Addresses =
      sn.v6 && rng.chance(v6Share) ? [`${sn.v6}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`] : [];
  };
  for (const m of s.enis) place(m);
  const azOf = new Map(rs.subnets.map((x) => [x.id, x.availabilityZone]));

  // Load balancers: listeners, their rules, target groups and targets.
  const targetsByVpc = new Map<string, { web: EniMeta[]; any: EniMeta[] }>();
  for (const m of s.enis) {
    if (m.kind !== 'instance' || m.eni.status !== 'in-use') continue;
    let t = targetsByVpc.get(m.vpc.id);
    if (!t) targetsByVpc.set(m.vpc.id, (t = { web: [], any: [] }));
    t.any.push(m);
    if (m.role === 'web' || m.role === 'app') t.web.push(m);
  }
  const arnBase = `arn:aws:elasticloadbalancing:${region}:${accountId}`;
  const httpPort = () => rng.pick([80, 8080, 8080, 3000]);
  /** `port`: an NLB forwards to the listener's port; an ALB's groups listen on their own. */
  const makeGroup = (vpcId: string, protocol: string, lbArns: string[], port: number): TargetGroup => {
    const targetType = rng.chance(0.65) ? 'instance' : 'ip';
    const name = `tg-${rng.hex(6)}-${port}`;
    const pool = targetsByVpc.get(vpcId);
    const targets: TargetGroup['targets'] = [];
    if (pool && pool.any.length > 0) {
      const n = rng.int(1, 6);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = rng.pick(pool.web.length > 0 && rng.chance(0.8) ? pool.web : pool.any);
        const id = targetType === 'instance' ? m.eni.attachment!.instanceId! : m.eni.privateIpAddresses![0].address;
        if (seen.has(id)) continue;
        seen.add(id);
        targets.push({
          id,
          port: rng.chance(0.1) ? rng.pick([8081, 9000, 8443]) : port,
          availabilityZone: azOf.get(m.eni.subnetId!),
          health: rng.weighted([
            ['healthy', 85],
            ['unhealthy', 10],
            ['draining', 5],
          ] as const),
        });
      }
    }
    const tg: TargetGroup = {
      arn: `${arnBase}:targetgroup/${name}/${rng.hex(16)}`,
      name,
      protocol,
      port,
      targetType,
      vpcId,
      loadBalancerArns: lbArns,
      targets,
    };
    rs.targetGroups.push(tg);
    return tg;
  };
  for (const lb of rs.loadBalancers) {
    const alb = lb.type === 'application';
    const lbPath = lb.arn.slice(lb.arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
    const specs: [protocol: string, port: number][] = [];
    if (alb) {
      if (rng.chance(0.9)) specs.push(['HTTPS', 443]);
      if (rng.chance(0.7) || specs.length === 0) specs.push(['HTTP', 80]);
      if (rng.chance(0.1)) specs.push(['HTTP', 8080]);
    } else {
      if (rng.chance(0.8)) specs.push(['TCP', 443]);
      if (rng.chance(0.4) || specs.length === 0) specs.push(['TCP', 80]);
      if (rng.chance(0.1)) specs.push(['TCP', 22]);
      if (rng.chance(0.05)) specs.push(['UDP', 53]);
    }
    const https = specs.some(([p]) => p === 'HTTPS');
    for (const [protocol, port] of specs) {
      const listenerArn = `${arnBase}:listener/${lbPath}/${rng.hex(16)}`;
      const redirect = alb && protocol === 'HTTP' && port === 80 && https;
      const forward = (tgs: TargetGroup[]) => [{ type: 'forward', targetGroupArns: tgs.map((t) => t.arn) }];
      const tgProtocol = alb ? 'HTTP' : protocol;
      const defaultActions = redirect
        ? [{ type: 'redirect', targetGroupArns: [] }]
        : forward([makeGroup(lb.vpcId!, tgProtocol, [lb.arn], alb ? httpPort() : port)]);
      const rules: ListenerRule[] = [];
      if (alb) {
        const ruleArn = () =>
          `${arnBase}:listener-rule/${listenerArn.slice(listenerArn.indexOf('listener/') + 9)}/${rng.hex(16)}`;
        const extra = redirect ? 0 : rng.int(0, 2);
        for (let i = 0; i < extra; i++)
          rules.push({
            arn: ruleArn(),
            priority: String((i + 1) * 10),
            isDefault: false,
            actions: forward([makeGroup(lb.vpcId!, tgProtocol, [lb.arn], httpPort())]),
          });
        rules.push({ arn: ruleArn(), priority: 'default', isDefault: true, actions: defaultActions });
      }
      const listener: Listener = { arn: listenerArn, loadBalancerArn: lb.arn, protocol, port, defaultActions, rules };
      rs.listeners.push(listener);
    }
  }
  // Target groups no load balancer uses.
  const orphans = Math.round(rs.targetGroups.length * 0.05);
  for (let i = 0; i < orphans; i++) makeGroup(rng.pick(s.vpcs).id, 'HTTP', [], httpPort());
}

function makeVpcNetwork(net: NetworkState, s: ScopeState, vpc: Vpc): NetVpc {
  const { rng, ids } = net;
  const { rs, accountId, region } = s;
  const gateway = rng.weighted([
    ['attached', 88],
    ['detached', 5],
    ['none', 7],
  ] as const);
  const nAz = rng.int(2, 3);
  const hasIsolated = rng.chance(0.6);
  rs.vpcs.push({
    id: vpc.id,
    cidrBlock: vpc.cidr,
    cidrBlocks: [vpc.cidr],
    ipv6CidrBlocks: vpc.ipv6 ? [vpc.ipv6] : [],
    isDefault: false,
    ownerId: accountId,
    tags: { Name: `vpc-${vpc.octet}` },
  });
  // 2600:1fab:cdef:1200::/56 → subnet n: 2600:1fab:cdef:12nn::/64
  const v6 = vpc.ipv6 ? vpc.ipv6.split('::')[0].split(':') : undefined;
  const nv: NetVpc = { vpc, public: [], private: [], isolated: [] };
  let index = 0;
  const subnet = (tier: Tier, az: number): NetSubnet => {
    const third = (tier === 'public' ? 0 : tier === 'private' ? 64 : 128) + az * 16;
    const v6Prefix = v6
      ? `${v6[0]}:${v6[1]}:${v6[2]}:${v6[3].slice(0, 2)}${index.toString(16).padStart(2, '0')}`
      : undefined;
    index++;
    const sn: Subnet = {
      id: ids.next('subnet'),
      vpcId: vpc.id,
      cidrBlock: `10.${vpc.octet}.${third}.0/20`,
      ipv6CidrBlocks: v6Prefix ? [`${v6Prefix}::/64`] : [],
      availabilityZone: `${region}${'abc'[az]}`,
      mapPublicIpOnLaunch: tier === 'public' && rng.chance(0.8),
      tags: { Name: `${tier}-${'abc'[az]}` },
    };
    rs.subnets.push(sn);
    const ns: NetSubnet = { subnet: sn, tier, third, v6: v6Prefix, used: 0 };
    nv[tier].push(ns);
    return ns;
  };
  for (let az = 0; az < nAz; az++) {
    if (gateway !== 'none') subnet('public', az);
    subnet('private', az);
    if (hasIsolated) subnet('isolated', az);
  }

  // Gateways.
  let igwId: string | undefined;
  if (gateway !== 'none') {
    igwId = ids.next('igw');
    const igw: InternetGateway = {
      id: igwId,
      attachments: gateway === 'attached' ? [{ vpcId: vpc.id, state: 'available' }] : [],
      ownerId: accountId,
      tags: {},
    };
    rs.internetGateways.push(igw);
  }
  let eigwId: string | undefined;
  if (vpc.ipv6) {
    eigwId = ids.next('eigw');
    rs.egressOnlyInternetGateways.push({ id: eigwId, attachments: [{ vpcId: vpc.id, state: 'attached' }], tags: {} });
  }

  // Route tables.
  const local = (): Route[] => [
    { destinationCidr: vpc.cidr, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' },
    ...(vpc.ipv6
      ? [{ destinationIpv6Cidr: vpc.ipv6, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' } as const]
      : []),
  ];
  const table = (main: boolean, subnetIds: string[], routes: Route[], name: string): void => {
    const rt: RouteTable = { id: ids.next('rtb'), vpcId: vpc.id, main, subnetIds, routes, tags: { Name: name } };
    rs.routeTables.push(rt);
  };
  const vpce = rng.chance(0.5) ? ids.next('vpce') : undefined;
  const s3Route = (): Route[] =>
    vpce ? [{ destinationPrefixListId: s.pl.s3, gatewayId: vpce, origin: 'CreateRoute', state: 'active' }] : [];
  const igwState = gateway === 'attached' ? 'active' : 'blackhole';
  const mainRoutes = local();
  if (igwId && rng.chance(0.1))
    mainRoutes.push({ destinationCidr: '0.0.0.0/0', gatewayId: igwId, origin: 'CreateRoute', state: igwState });
  table(true, [], mainRoutes, 'main');
  if (igwId) {
    const routes = local();
    routes.push({ destinationCidr: '0.0.0.0/0', gatewayId: igwId, origin: 'CreateRoute', state: igwState });
    if (vpc.ipv6)
      routes.push({ destinationIpv6Cidr: '::/0', gatewayId: igwId, origin: 'CreateRoute', state: igwState });
    if (rng.chance(0.08)) {
      routes.push({
        destinationPrefixListId: s.pl.corp,
        transitGatewayId: ids.next('tgw'),
        origin: 'CreateRoute',
        state: 'active',
      });
    }
    routes.push(...s3Route());
    table(
      false,
      nv.public.map((x) => x.subnet.id),
      routes,
      'public',
    );
  }
  const tgw = igwId ? undefined : ids.next('tgw');
  for (let az = 0; az < nAz; az++) {
    const routes = local();
    if (igwId) {
      routes.push({
        destinationCidr: '0.0.0.0/0',
        natGatewayId: ids.next('nat'),
        origin: 'CreateRoute',
        state: gateway === 'attached' && rng.chance(0.94) ? 'active' : 'blackhole',
      });
    } else {
      routes.push({ destinationCidr: '0.0.0.0/0', transitGatewayId: tgw, origin: 'CreateRoute', state: 'active' });
    }
    if (eigwId)
      routes.push({
        destinationIpv6Cidr: '::/0',
        egressOnlyInternetGatewayId: eigwId,
        origin: 'CreateRoute',
        state: 'active',
      });
    if (rng.chance(0.1)) {
      routes.push({
        destinationCidr: `172.${16 + rng.int(0, 15)}.0.0/16`,
        vpcPeeringConnectionId: ids.next('pcx'),
        origin: 'CreateRoute',
        state: rng.chance(0.2) ? 'blackhole' : 'active',
      });
    }
    routes.push(...s3Route());
    table(
      false,
      nv.private.filter((_, i) => i === az).map((x) => x.subnet.id),
      routes,
      `private-${'abc'[az]}`,
    );
  }

  // Network ACLs: custom ones take their subnets; the default ACL has the rest.
  const taken = new Set<string>();
  const customAcl = (subnets: NetSubnet[], entries: NetworkAclEntry[], name: string): void => {
    const acl: NetworkAcl = {
      id: ids.next('acl'),
      vpcId: vpc.id,
      isDefault: false,
      subnetIds: subnets.map((x) => x.subnet.id),
      entries: [...entries, ...denyAll(vpc.ipv6 !== undefined)],
      tags: { Name: name },
    };
    for (const x of subnets) taken.add(x.subnet.id);
    rs.networkAcls.push(acl);
  };
  if (nv.public.length > 0 && rng.chance(0.3)) {
    const tight = rng.chance(0.25);
    const e = (
      ruleNumber: number,
      egress: boolean,
      protocol: string,
      action: 'allow' | 'deny',
      cidr: string,
      ports?: [number, number],
    ): NetworkAclEntry => ({
      ruleNumber,
      egress,
      protocol,
      ruleAction: action,
      ...(cidr.includes(':') ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr }),
      ...(ports ? { portRange: { from: ports[0], to: ports[1] } } : {}),
    });
    const entries: NetworkAclEntry[] = [
      e(50, false, '-1', 'deny', '198.51.100.0/24'),
      e(90, false, '6', 'deny', '0.0.0.0/0', [22, 22]),
      e(91, false, '6', 'deny', '0.0.0.0/0', [3389, 3389]),
      e(100, false, '6', 'allow', '0.0.0.0/0', [80, 80]),
      e(110, false, '6', 'allow', '0.0.0.0/0', [443, 443]),
      e(120, false, '6', 'allow', '0.0.0.0/0', [1024, 65535]),
      e(130, false, '-1', 'allow', vpc.cidr),
      ...(vpc.ipv6 ? [e(140, false, '6', 'allow', '::/0', [443, 443])] : []),
      ...(tight
        ? [e(100, true, '6', 'allow', '0.0.0.0/0', [80, 80]), e(110, true, '6', 'allow', '0.0.0.0/0', [443, 443])]
        : [e(100, true, '-1', 'allow', '0.0.0.0/0'), ...(vpc.ipv6 ? [e(101, true, '-1', 'allow', '::/0')] : [])]),
    ];
    customAcl(nv.public, entries, tight ? 'public-tight' : 'public');
  }
  if (nv.isolated.length > 0 && rng.chance(0.5)) {
    customAcl(
      nv.isolated,
      [
        { ruleNumber: 100, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: vpc.cidr },
        { ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: vpc.cidr },
      ],
      'isolated',
    );
  }
  const allowAll = (egress: boolean): NetworkAclEntry[] => [
    { ruleNumber: 100, egress, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
    ...(vpc.ipv6
      ? [{ ruleNumber: 101, egress, protocol: '-1', ruleAction: 'allow', ipv6CidrBlock: '::/0' } as const]
      : []),
  ];
  rs.networkAcls.push({
    id: ids.next('acl'),
    vpcId: vpc.id,
    isDefault: true,
    subnetIds: [...nv.public, ...nv.private, ...nv.isolated].map((x) => x.subnet.id).filter((id) => !taken.has(id)),
    entries: [...allowAll(false), ...allowAll(true), ...denyAll(vpc.ipv6 !== undefined)],
    tags: {},
  });
  return nv;
}

/** The `*` entries every ACL ends with (rule number 32767), both directions. */
function denyAll(ipv6: boolean): NetworkAclEntry[] {
  const out: NetworkAclEntry[] = [];
  for (const egress of [false, true]) {
    out.push({ ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' });
    if (ipv6) out.push({ ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny', ipv6CidrBlock: '::/0' });
  }
  return out;
}

/** The next free private address of the subnet (wrapping when a /20 is full: the estate stays loadable). */
function nextAddress(sn: NetSubnet, vpc: Vpc): string {
  const n = 4 + (sn.used++ % SUBNET_ADDRESSES);
  return `10.${vpc.octet}.${sn.third + (n >> 8)}.${n & 255}`;
}
