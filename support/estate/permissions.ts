/**
 * Phase 2 of the generator: ingress and egress permissions per group, drawn by role (SG references in the
 * same VPC, cross-account and peered, IPv4/IPv6 CIDRs, prefix lists, port ranges, protocol -1, ICMP, raw
 * protocol numbers), merged into AWS-style permissions.
 */
import type { CidrEntry, GroupPair, Permission } from '../../src/snapshot/schema.js';
import { PARTNER_ACCOUNT, type Ids, type Role, type ScopeState, type SgShell } from './model.js';
import type { Prng } from './prng.js';

/** Ingress permission count range per role. */
const IN_PERMS: Record<Role, readonly [number, number]> = {
  default: [1, 1],
  lb: [1, 3],
  web: [2, 6],
  app: [3, 8],
  data: [2, 5],
  bastion: [1, 3],
  misc: [3, 8],
};

/** One source grant before merging into AWS-style permissions (one per protocol + port range). */
interface Grant {
  protocol: string;
  from?: number;
  to?: number;
  ipv4?: CidrEntry;
  ipv6?: CidrEntry;
  pl?: { id: string; description?: string };
  group?: GroupPair;
}

class PermBuilder {
  readonly perms: Permission[] = [];
  private readonly byKey = new Map<string, Permission>();
  add(g: Grant): void {
    const key = `${g.protocol}:${g.from ?? ''}:${g.to ?? ''}`;
    let p = this.byKey.get(key);
    if (!p) {
      p = { protocol: g.protocol, ipv4: [], ipv6: [], prefixLists: [], groups: [] };
      if (g.from !== undefined) p.fromPort = g.from;
      if (g.to !== undefined) p.toPort = g.to;
      this.byKey.set(key, p);
      this.perms.push(p);
    }
    // AWS rejects duplicate sources in one permission; skip them like the API would.
    if (g.ipv4 && !p.ipv4.some((x) => x.cidr === g.ipv4!.cidr)) p.ipv4.push(g.ipv4);
    if (g.ipv6 && !p.ipv6.some((x) => x.cidr === g.ipv6!.cidr)) p.ipv6.push(g.ipv6);
    if (g.pl && !p.prefixLists.some((x) => x.id === g.pl!.id)) p.prefixLists.push(g.pl);
    if (g.group && !p.groups.some((x) => x.groupId === g.group!.groupId)) p.groups.push(g.group);
  }
}

export function fillPermissions(rng: Prng, ids: Ids, s: ScopeState, shell: SgShell, others: ScopeState[]): void {
  const { sg, vpc, role } = shell;
  const self: GroupPair = { groupId: sg.groupId, userId: s.accountId };
  const ref = (r: Role, description?: string): GroupPair | undefined => {
    const list = vpc.byRole.get(r);
    if (!list || list.length === 0) return undefined;
    const t = rng.pick(list);
    return { groupId: t.sg.groupId, userId: s.accountId, ...(description ? { description } : {}) };
  };
  const crossAccount = (): GroupPair => {
    if (others.length > 0 && rng.chance(0.5)) {
      const o = rng.pick(others);
      const t = rng.pick(o.shells);
      return {
        groupId: t.sg.groupId,
        userId: o.accountId,
        vpcId: t.vpc.id,
        vpcPeeringConnectionId: ids.next('pcx'),
        peeringStatus: 'active',
      };
    }
    return {
      groupId: ids.next('sg'),
      userId: PARTNER_ACCOUNT,
      ...(rng.chance(0.6)
        ? { vpcId: ids.next('vpc'), vpcPeeringConnectionId: ids.next('pcx'), peeringStatus: 'active' }
        : {}),
      ...(rng.chance(0.5) ? { description: 'partner integration' } : {}),
    };
  };
  const vpcCidr = (): CidrEntry => ({ cidr: vpc.cidr });
  const subnet = (): CidrEntry => ({ cidr: `10.${vpc.octet}.${rng.int(0, 255)}.0/${rng.pick([20, 22, 24, 26, 28])}` });
  const publicCidr = (): CidrEntry => ({
    cidr: `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}/${rng.pick([32, 32, 32, 29, 28, 24, 16])}`,
    ...(rng.chance(0.4)
      ? { description: rng.pick(['partner', 'home office', 'monitoring vendor', 'temp access']) }
      : {}),
  });
  const world4: CidrEntry = { cidr: '0.0.0.0/0' };
  const world6: CidrEntry = { cidr: '::/0' };
  // A few groups use the non-canonical forms AWS normalises ('6', tcp -1 ports) — the graph must cope.
  const tcp = (from: number, to = from): Pick<Grant, 'protocol' | 'from' | 'to'> => ({ protocol: 'tcp', from, to });

  /** One ingress grant for the group's role; may push two grants (IPv4 + IPv6 on the same ports). */
  const ingress = (b: PermBuilder): void => {
    const orCidr = (g: GroupPair | undefined, port: Pick<Grant, 'protocol' | 'from' | 'to'>) =>
      b.add(g ? { ...port, group: g } : { ...port, ipv4: vpcCidr() });
    switch (role) {
      case 'default':
        b.add({ protocol: '-1', group: self });
        return;
      case 'lb': {
        const k = rng.weighted([
          ['https', 5],
          ['http', 3],
          ['internal', 2],
          ['partner', 1],
        ] as const);
        if (k === 'https') {
          b.add({ ...tcp(443), ipv4: world4 });
          if (vpc.ipv6 || rng.chance(0.5)) b.add({ ...tcp(443), ipv6: world6 });
        } else if (k === 'http') b.add({ ...tcp(80), ipv4: world4 });
        else if (k === 'internal')
          b.add({ ...tcp(443), pl: { id: rng.pick([s.pl.corp, s.pl.vpn]), description: 'internal users' } });
        else b.add({ ...tcp(8443), ipv4: publicCidr() });
        return;
      }
      case 'web': {
        const k = rng.weighted([
          ['fromLb', 6],
          ['ssh', 2],
          ['world', 1],
          ['icmp', 1],
          ['self', 1],
          ['range', 1],
        ] as const);
        if (k === 'fromLb') orCidr(ref('lb', 'from ALB'), tcp(rng.pick([80, 443, 8080])));
        else if (k === 'ssh') {
          if (rng.chance(0.06)) b.add({ ...tcp(22), ipv4: world4 });
          else if (rng.chance(0.5)) orCidr(ref('bastion'), tcp(22));
          else b.add({ ...tcp(22), pl: { id: s.pl.corp } });
        } else if (k === 'world') {
          b.add({ ...tcp(rng.pick([80, 443])), ipv4: world4 });
          if (rng.chance(0.3)) b.add({ ...tcp(rng.pick([80, 443])), ipv6: world6 });
        } else if (k === 'icmp') b.add({ protocol: 'icmp', from: -1, to: -1, ipv4: vpcCidr() });
        else if (k === 'self') b.add({ protocol: '-1', group: self });
        else b.add({ ...tcp(8000, rng.pick([8010, 8080, 8999])), ipv4: subnet() });
        return;
      }
      case 'app': {
        const k = rng.weighted([
          ['fromWeb', 6],
          ['fromApp', 2],
          ['ssh', 1],
          ['wide', 1],
          ['cross', 1],
          ['statsd', 1],
          ['pl', 1],
        ] as const);
        if (k === 'fromWeb') orCidr(ref('web'), rng.chance(0.5) ? tcp(8080) : tcp(8080, 8090));
        else if (k === 'fromApp') orCidr(ref('app'), tcp(rng.pick([8443, 9090, 50051])));
        else if (k === 'ssh') orCidr(ref('bastion'), tcp(22));
        else if (k === 'wide') b.add({ ...tcp(1024, 65535), ipv4: vpcCidr() });
        else if (k === 'cross') b.add({ ...tcp(8443), group: crossAccount() });
        else if (k === 'statsd') b.add({ protocol: 'udp', from: 8125, to: 8125, ipv4: subnet() });
        else b.add({ ...tcp(443), pl: { id: s.pl.vpn } });
        return;
      }
      case 'data': {
        const port = tcp(shell.dbPort);
        const k = rng.weighted([
          ['fromApp', 5],
          ['vpc', 1.5],
          ['pl', 0.7],
          ['world', 0.3],
          ['public', 0.3],
          ['cross', 0.5],
          ['all', 0.3],
          ['ssh', 1.5],
          ['exporter', 1.5],
          ['replica', 1],
          ['icmp', 0.5],
        ] as const);
        if (k === 'fromApp') orCidr(ref('app', 'application servers'), port);
        else if (k === 'ssh') orCidr(ref('bastion'), tcp(22));
        else if (k === 'exporter') b.add({ ...tcp(9100, 9104), ipv4: vpcCidr() });
        else if (k === 'replica') b.add({ ...port, group: self });
        else if (k === 'icmp') b.add({ protocol: 'icmp', from: 8, to: -1, ipv4: subnet() });
        else if (k === 'vpc') b.add({ ...port, ipv4: rng.chance(0.5) ? vpcCidr() : { cidr: '10.0.0.0/8' } });
        else if (k === 'pl') b.add({ ...port, pl: { id: rng.pick([s.pl.vpn, s.pl.partnerV6]) } });
        else if (k === 'world') b.add({ ...port, ipv4: world4 });
        else if (k === 'public') b.add({ ...port, ipv4: publicCidr() });
        else if (k === 'cross') b.add({ ...port, group: crossAccount() });
        else b.add({ protocol: '-1', group: ref('app') ?? self });
        return;
      }
      case 'bastion': {
        const k = rng.weighted([
          ['office', 4],
          ['world', 1],
          ['rdp', 1],
          ['v6', 1],
        ] as const);
        if (k === 'office') b.add({ ...tcp(22), ipv4: publicCidr() });
        else if (k === 'world') b.add({ ...tcp(22), ipv4: world4 });
        else if (k === 'rdp') b.add({ ...tcp(3389), ipv4: rng.chance(0.3) ? world4 : publicCidr() });
        else b.add({ ...tcp(22), ipv6: { cidr: `2a02:${rng.hex(4)}:${rng.hex(4)}::/48` } });
        return;
      }
      case 'misc': {
        const k = rng.weighted([
          ['port', 6],
          ['dns', 1],
          ['range', 2],
          ['group', 2],
          ['icmpv6', 1],
          ['esp', 0.5],
          ['allPorts', 0.5],
          ['allWorld', 0.2],
          ['s3', 0.5],
          ['cross', 0.5],
          ['public', 1],
          ['udpRange', 0.5],
          ['num6', 0.2],
        ] as const);
        const port = rng.pick([22, 25, 443, 2049, 3000, 5000, 5601, 6443, 8080, 9000, 9200, 9300, 11211]);
        if (k === 'port') b.add({ ...tcp(port), ipv4: rng.chance(0.5) ? subnet() : vpcCidr() });
        else if (k === 'dns') b.add({ protocol: 'udp', from: 53, to: 53, ipv4: { cidr: '10.0.0.0/8' } });
        else if (k === 'range') {
          const from = rng.int(1, 60) * 1000;
          b.add({ ...tcp(from, from + rng.pick([9, 99, 999])), ipv4: subnet() });
        } else if (k === 'group') {
          const t = rng.pick(vpc.all).sg.groupId;
          b.add({ ...tcp(port), group: t === sg.groupId ? self : { groupId: t, userId: s.accountId } });
        } else if (k === 'icmpv6')
          b.add({ protocol: 'icmpv6', from: -1, to: -1, ipv6: vpc.ipv6 ? { cidr: vpc.ipv6 } : world6 });
        else if (k === 'esp') b.add({ protocol: '50', ipv4: publicCidr() });
        else if (k === 'allPorts') b.add({ ...tcp(0, 65535), ipv4: rng.chance(0.3) ? world4 : subnet() });
        else if (k === 'allWorld')
          b.add({ protocol: '-1', ipv4: world4, ...(rng.chance(0.5) ? { ipv6: world6 } : {}) });
        else if (k === 's3') b.add({ ...tcp(443), pl: { id: rng.pick([s.pl.s3, s.pl.dynamodb]) } });
        else if (k === 'cross') b.add({ ...tcp(port), group: crossAccount() });
        else if (k === 'public') b.add({ ...tcp(port), ipv4: publicCidr() });
        else if (k === 'udpRange')
          b.add({
            protocol: 'udp',
            from: 10000,
            to: 20000,
            ipv4: subnet(),
            ...(vpc.ipv6 ? { ipv6: { cidr: vpc.ipv6 } } : {}),
          });
        else b.add({ protocol: '6', from: port, to: port, ipv4: subnet() });
        return;
      }
    }
  };

  const egress = (b: PermBuilder): void => {
    const k = rng.weighted([
      ['allWorld', 15],
      ['https', 2],
      ['toData', 2],
      ['s3', 1],
      ['dns', 1],
    ] as const);
    if (k === 'allWorld')
      b.add({ protocol: '-1', ipv4: world4, ...(vpc.ipv6 && rng.chance(0.6) ? { ipv6: world6 } : {}) });
    else if (k === 'https') b.add({ ...tcp(443), ipv4: world4 });
    else if (k === 'toData') {
      const d = vpc.byRole.get('data');
      if (d && d.length) {
        const t = rng.pick(d);
        b.add({ ...tcp(t.dbPort), group: { groupId: t.sg.groupId, userId: s.accountId } });
      } else b.add({ ...tcp(5432), ipv4: vpcCidr() });
    } else if (k === 's3') b.add({ ...tcp(443), pl: { id: s.pl.s3 } });
    else b.add({ protocol: 'udp', from: 53, to: 53, ipv4: vpcCidr() });
  };

  const inb = new PermBuilder();
  // Permissions per role (about 6 per group overall); a few extra draws add sources to existing ports.
  const [lo, hi] = IN_PERMS[role];
  const nIn = rng.int(lo, hi);
  for (let tries = 0; inb.perms.length < nIn && tries < nIn + 3; tries++) ingress(inb);
  const outb = new PermBuilder();
  const nOut = role === 'default' ? 1 : rng.chance(0.5) ? 2 : 1;
  for (let tries = 0; outb.perms.length < nOut && tries < nOut + 2; tries++) egress(outb);
  sg.ingress = inb.perms;
  sg.egress = outb.perms;
}
