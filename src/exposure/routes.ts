/**
 * Does a subnet's route table send traffic for an internet source to an internet gateway?
 *
 * A connection from the internet enters through the VPC's internet gateway, but the replies leave the ENI through the
 * subnet's route table: the ENI is reachable from S only when that table routes S back to an internet gateway
 * attached to the VPC. Pure: inputs are EC2 API shapes (camelCase), the verdict always says why.
 *
 * AWS semantics followed (Amazon VPC User Guide):
 * - "Subnet route tables" https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html and
 *   "DescribeRouteTables" https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html:
 *   a subnet not explicitly associated with a route table is implicitly associated with the main route table.
 * - "How route priority works" https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html:
 *   longest prefix match; IPv4 and IPv6 routes are independent; at the same destination a static route beats a
 *   prefix-list route, which beats a propagated route; overlapping prefix lists to different targets: AWS picks one
 *   at random (then always the same), so the verdict is unknown when the candidates disagree.
 * - "Egress-only internet gateway basics"
 *   https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway-basics.html: it prevents the
 *   internet from initiating IPv6 connections, so it admits nothing inbound.
 * - "Route" https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html: a blackhole route's target is not
 *   available. The docs do not say whether traffic then falls back to a less specific route; we exclude blackhole
 *   routes (the longest remaining match decides) because over-reporting exposure is the safe error, and the
 *   verdict names the shadowing blackhole route so a report can show it.
 */
import ipaddr from 'ipaddr.js';

export interface Route {
  destinationCidr?: string;
  destinationIpv6Cidr?: string;
  destinationPrefixListId?: string;
  /** igw-…, local, vgw-…, vpce-… */
  gatewayId?: string;
  egressOnlyInternetGatewayId?: string;
  natGatewayId?: string;
  transitGatewayId?: string;
  vpcPeeringConnectionId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  /** EnableVgwRoutePropagation marks a propagated route (lower priority at an equal destination). */
  origin?: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  state: 'active' | 'blackhole';
}

export interface RouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  /** Explicit subnet associations only (DescribeRouteTables omits implicit ones). */
  subnetIds: string[];
  routes: Route[];
}

export interface InternetGateway {
  id: string;
  attachments: { vpcId: string; state: string }[];
}

export interface PrefixList {
  id: string;
  /** CIDRs; missing = not collected (unknown). */
  entries?: string[];
}

export type TargetType =
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  | 'transit-gateway'
  | 'vpc-peering-connection'
  | 'network-interface'
  | 'instance'
  | 'local'
  | 'virtual-private-gateway'
  | 'vpc-endpoint'
  | 'gateway';

export interface RouteTarget {
  type: TargetType;
  id: string;
}

export interface RouteTableHop {
  type: 'route-table';
  id: string;
  /** The matched destination: a CIDR, or the prefix-list entry that matched. */
  route: string;
  prefixListId?: string;
  target: RouteTarget;
}

export interface InternetGatewayHop {
  type: 'internet-gateway';
  id: string;
}

export type RouteVerdict =
  | {
      status: 'reachable';
      via: { internetGateway: InternetGatewayHop; routeTable: RouteTableHop };
      /** In path order, as the exposure hops list them. */
      hops: [InternetGatewayHop, RouteTableHop];
      /** Set when only part of a CIDR source is routed to the internet gateway: why the rest is not. */
      partial?: string;
      /** More specific blackhole routes that were skipped for this source. */
      skippedBlackholes?: string[];
    }
  | { status: 'unreachable'; reason: string; hop?: RouteTableHop; skippedBlackholes?: string[] }
  | { status: 'unknown'; reason: string; hop?: RouteTableHop };

export type RouteTableLookup =
  { status: 'known'; table: RouteTable; association: 'explicit' | 'main' } | { status: 'unknown'; reason: string };

/** The subnet's route table: its explicit association, else its VPC's main table. */
export function routeTableFor(subnetId: string, vpcId: string, tables: readonly RouteTable[]): RouteTableLookup {
  const inVpc = tables.filter((t) => t.vpcId === vpcId);
  const explicit = inVpc.filter((t) => t.subnetIds.includes(subnetId));
  if (explicit.length === 1) return { status: 'known', table: explicit[0], association: 'explicit' };
  if (explicit.length > 1) {
    return {
      status: 'unknown',
      reason: `subnet ${subnetId} is associated with several route tables (${explicit.map((t) => t.id).join(', ')})`,
    };
  }
  const main = inVpc.filter((t) => t.main);
  if (main.length === 1) return { status: 'known', table: main[0], association: 'main' };
  if (main.length > 1) {
    return {
      status: 'unknown',
      reason: `${vpcId} has several main route tables (${main.map((t) => t.id).join(', ')})`,
    };
  }
  return {
    status: 'unknown',
    reason: `no route table known for subnet ${subnetId}: no explicit association and no main route table for ${vpcId}`,
  };
}

export interface Block {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
  len: number;
  text: string;
}

/** Static CIDR route 0, prefix-list route 1, propagated route 2: lower wins at an equal prefix length. */
type Rank = 0 | 1 | 2;

interface Candidate {
  route: Route;
  /** undefined: destination not known (prefix list not collected, or unparseable). */
  block?: Block;
  /** For an unknown destination: the family it applies to, or both. */
  families: (4 | 6)[];
  rank: Rank;
  destination: string;
}

type Outcome =
  | { status: 'reachable'; igw: InternetGatewayHop; hop: RouteTableHop }
  | { status: 'unreachable'; reason: string; hop?: RouteTableHop }
  | { status: 'unknown'; reason: string; hop?: RouteTableHop };

const blocks = new Map<string, Block | undefined>();

/** Parsed once per text (blocks are never mutated): route destinations recur across every source asked. */
export function parseBlock(text: string): Block | undefined {
  if (blocks.has(text)) return blocks.get(text);
  const block = parseBlockText(text);
  if (blocks.size < 100_000) blocks.set(text, block);
  return block;
}

function parseBlockText(text: string): Block | undefined {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let len: number;
  try {
    if (text.includes('/')) [addr, len] = text.includes(':') ? ipaddr.parseCIDR(text) : ipaddr.IPv4.parseCIDR(text);
    else {
      addr = ipaddr.parse(text);
      len = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return undefined;
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    // ::ffff:a.b.c.d is an IPv4 packet on the wire, matched by IPv4 routes.
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    len = text.includes('/') ? Math.max(0, len - 96) : 32;
  }
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  let value = 0n;
  for (const byte of addr.toByteArray()) value = (value << 8n) | BigInt(byte);
  const hostMask = (1n << BigInt(bits - len)) - 1n;
  const lo = value & ~hostMask;
  return { family, lo, hi: lo | hostMask, len, text };
}

function targetOf(route: Route): RouteTarget | undefined {
  if (route.egressOnlyInternetGatewayId)
    return { type: 'egress-only-internet-gateway', id: route.egressOnlyInternetGatewayId };
  if (route.natGatewayId) return { type: 'nat-gateway', id: route.natGatewayId };
  if (route.transitGatewayId) return { type: 'transit-gateway', id: route.transitGatewayId };
  if (route.vpcPeeringConnectionId) return { type: 'vpc-peering-connection', id: route.vpcPeeringConnectionId };
  if (route.networkInterfaceId) return { type: 'network-interface', id: route.networkInterfaceId };
  if (route.instanceId) return { type: 'instance', id: route.instanceId };
  const gw = route.gatewayId;
  if (!gw) return undefined;
  if (gw === 'local') return { type: 'local', id: 'local' };
  if (gw.startsWith('igw-')) return { type: 'internet-gateway', id: gw };
  if (gw.startsWith('vgw-')) return { type: 'virtual-private-gateway', id: gw };
  if (gw.startsWith('vpce-')) return { type: 'vpc-endpoint', id: gw };
  return { type: 'gateway', id: gw };
}

const TARGET_LABEL: Record<TargetType, string> = {
  'internet-gateway': 'internet gateway',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'nat-gateway': 'NAT gateway',
  'transit-gateway': 'transit gateway',
  'vpc-peering-connection': 'VPC peering connection',
  'network-interface': 'network interface',
  instance: 'instance',
  local: 'the local route',
  'virtual-private-gateway': 'virtual private gateway',
  'vpc-endpoint': 'VPC endpoint',
  gateway: 'gateway',
};

function describeTarget(t: RouteTarget): string {
  return t.type === 'local' ? TARGET_LABEL.local : `${TARGET_LABEL[t.type]} ${t.id}`;
}

function outcomeOf(
  c: Candidate,
  table: RouteTable,
  igws: readonly InternetGateway[],
  source: string,
  matched: string,
): Outcome {
  const target = targetOf(c.route);
  const where = c.route.destinationPrefixListId
    ? `${matched} (prefix list ${c.route.destinationPrefixListId})`
    : matched;
  if (!target) {
    return {
      status: 'unknown',
      reason: `route table ${table.id} routes ${source} (route ${where}) to a target not modelled`,
    };
  }
  const hop: RouteTableHop = { type: 'route-table', id: table.id, route: matched, target };
  if (c.route.destinationPrefixListId) hop.prefixListId = c.route.destinationPrefixListId;
  const sends = `route table ${table.id} sends ${source} (route ${where}) to ${describeTarget(target)}`;
  if (target.type === 'egress-only-internet-gateway') {
    return { status: 'unreachable', reason: `${sends}, which admits no inbound connection`, hop };
  }
  if (target.type !== 'internet-gateway') {
    return { status: 'unreachable', reason: `${sends}, not an internet gateway`, hop };
  }
  const igw = igws.find((g) => g.id === target.id);
  if (!igw) return { status: 'unknown', reason: `${sends}, which was not collected`, hop };
  const attachment = igw.attachments.find((a) => a.vpcId === table.vpcId);
  if (!attachment || attachment.state === 'detached') {
    return { status: 'unreachable', reason: `${sends}, which is not attached to ${table.vpcId}`, hop };
  }
  if (attachment.state !== 'available' && attachment.state !== 'attached') {
    return { status: 'unknown', reason: `${sends}, whose attachment to ${table.vpcId} is ${attachment.state}`, hop };
  }
  return { status: 'reachable', igw: { type: 'internet-gateway', id: igw.id }, hop };
}

function candidatesOf(table: RouteTable, prefixLists: readonly PrefixList[]): Candidate[] {
  const out: Candidate[] = [];
  for (const route of table.routes) {
    if (route.state === 'blackhole') continue;
    const rank: Rank = route.origin === 'EnableVgwRoutePropagation' ? 2 : 0;
    if (route.destinationPrefixListId) {
      const list = prefixLists.find((p) => p.id === route.destinationPrefixListId);
      const blocks = list?.entries?.map(parseBlock);
      if (!blocks || blocks.some((b) => !b)) {
        out.push({ route, families: [4, 6], rank: 1, destination: route.destinationPrefixListId });
        continue;
      }
      for (const block of blocks as Block[]) {
        out.push({ route, block, families: [block.family], rank: 1, destination: block.text });
      }
      continue;
    }
    const text = route.destinationCidr ?? route.destinationIpv6Cidr;
    if (text === undefined) continue;
    const block = parseBlock(text);
    const families: (4 | 6)[] = block ? [block.family] : [route.destinationIpv6Cidr !== undefined ? 6 : 4];
    out.push({ route, block, families, rank, destination: text });
  }
  return out;
}

/** Longest prefix first, then static < prefix list < propagated. */
function better(a: Candidate, b: Candidate): boolean {
  const la = a.block?.len ?? -1;
  const lb = b.block?.len ?? -1;
  return la !== lb ? la > lb : a.rank < b.rank;
}

/**
 * The verdict for an internet source (an IP or a CIDR, IPv4 or IPv6). A CIDR source is split where the table's
 * routes split it; it is reachable when any part is routed to an attached internet gateway.
 */
export function routeToInternet(
  source: string,
  table: RouteTable,
  igws: readonly InternetGateway[],
  prefixLists: readonly PrefixList[],
): RouteVerdict {
  const src = parseBlock(source);
  if (!src) return { status: 'unknown', reason: `source ${source} is not an IP address or CIDR` };
  const all = candidatesOf(table, prefixLists);
  const known = all.filter(
    (c) => c.block && c.block.family === src.family && c.block.hi >= src.lo && c.block.lo <= src.hi,
  );
  const wildcards = all.filter((c) => !c.block && c.families.includes(src.family));
  const bits = src.family === 4 ? 32 : 128;

  // Elementary segments of the source: no route boundary falls inside one.
  const cuts = new Set<bigint>([src.lo, src.hi + 1n]);
  for (const c of known) {
    const b = c.block as Block;
    if (b.lo > src.lo) cuts.add(b.lo);
    if (b.hi < src.hi) cuts.add(b.hi + 1n);
  }
  const points = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const segments = points.slice(0, -1).map((lo) => {
    const matching = known.filter((c) => (c.block as Block).lo <= lo && (c.block as Block).hi >= lo);
    const best = matching.reduce<Candidate | undefined>((acc, c) => (!acc || better(c, acc) ? c : acc), undefined);
    return { matching, best };
  });
  // "part of" only when routes other than the local one split the source (the VPC's range is no internet host).
  const deciding = new Set(segments.filter((x) => x.best?.route.gatewayId !== 'local').map((x) => x.best));
  const whole = points.length === 2 || deciding.size <= 1;
  const outcomes: Outcome[] = [];
  for (const { matching, best } of segments) {
    const label = whole ? source : `part of ${source}`;
    let outcome: Outcome = best
      ? outcomeOf(best, table, igws, label, best.destination)
      : { status: 'unreachable', reason: `route table ${table.id} has no route to an internet gateway for ${label}` };
    // Same length and rank: only overlapping prefix lists tie; AWS picks one of them at random.
    const ties = best ? matching.filter((c) => c !== best && !better(best, c)) : [];
    for (const tie of ties) {
      const other = outcomeOf(tie, table, igws, label, tie.destination);
      if (other.status !== outcome.status) {
        outcome = {
          status: 'unknown',
          reason:
            `prefix lists ${best?.route.destinationPrefixListId} and ${tie.route.destinationPrefixListId} both match ` +
            `${label} at /${best?.block?.len} with different targets; AWS picks one at random`,
        };
      }
    }
    // An uncollected prefix list could hold any CIDR; only a static host route (/32, /128) is sure to beat it.
    const hostRoute = best?.rank === 0 && best.block?.len === bits;
    for (const w of hostRoute ? [] : wildcards) {
      const other = outcomeOf(w, table, igws, label, w.destination);
      if (other.status !== outcome.status) {
        outcome = {
          status: 'unknown',
          reason:
            `route table ${table.id} has a route for prefix list ${w.destination} whose entries are not known; ` +
            `it could be the longest match for ${label} (${other.status === 'reachable' ? 'to' : 'instead of'} ` +
            `an internet gateway)`,
          hop: 'hop' in other ? other.hop : undefined,
        };
        break;
      }
    }
    outcomes.push(outcome);
  }

  const skipped = blackholesOverlapping(src, table);
  const reachable = outcomes.find((o) => o.status === 'reachable');
  if (reachable && reachable.status === 'reachable') {
    const verdict: RouteVerdict = {
      status: 'reachable',
      via: { internetGateway: reachable.igw, routeTable: reachable.hop },
      hops: [reachable.igw, reachable.hop],
    };
    const rest = [
      ...new Set(
        outsideVpc(outcomes)
          .filter((o) => o.status !== 'reachable')
          .map((o) => (o as { reason: string }).reason),
      ),
    ];
    if (rest.length) verdict.partial = rest.join('; ');
    if (skipped.length) verdict.skippedBlackholes = skipped;
    return verdict;
  }
  const unknown = outcomes.find((o) => o.status === 'unknown');
  if (unknown && unknown.status === 'unknown') {
    return unknown.hop
      ? { status: 'unknown', reason: unknown.reason, hop: unknown.hop }
      : { status: 'unknown', reason: unknown.reason };
  }
  const blocked = outsideVpc(outcomes) as Extract<Outcome, { status: 'unreachable' }>[];
  const reasons = [...new Set(blocked.map((o) => o.reason))];
  const verdict: RouteVerdict = { status: 'unreachable', reason: reasons.join('; ') };
  if (blocked[0].hop) verdict.hop = blocked[0].hop;
  if (skipped.length) verdict.skippedBlackholes = skipped;
  return verdict;
}

/**
 * The outcomes of the parts not routed locally: a part of the source inside the VPC's own range (the `local` route)
 * is not an internet host, so it explains nothing about the internet route and its reason is left out — unless
 * every part is local.
 */
function outsideVpc(outcomes: Outcome[]): Outcome[] {
  const rest = outcomes.filter((o) => o.hop?.target.type !== 'local');
  return rest.length ? rest : outcomes;
}

/** Blackhole routes overlapping the source, by destination: excluded from the match, named in the verdict. */
function blackholesOverlapping(src: Block, table: RouteTable): string[] {
  const out: string[] = [];
  for (const route of table.routes) {
    if (route.state !== 'blackhole') continue;
    const text = route.destinationCidr ?? route.destinationIpv6Cidr ?? route.destinationPrefixListId;
    if (text === undefined) continue;
    const b = parseBlock(text);
    if (!b || (b.family === src.family && b.hi >= src.lo && b.lo <= src.hi)) out.push(text);
  }
  return out;
}

// ---- lateral paths (issue #13): where does a subnet's route table send a packet for a private address? ----

/**
 * The route a table uses for one destination address (IPv4 or IPv6), by longest prefix match over its active
 * routes (same priority order as routeToInternet: static, then prefix list, then propagated; blackhole routes
 * excluded, named in `skippedBlackholes`). `none`: no route matches (the packet is dropped). `unknown`: a route whose
 * destination is an uncollected prefix list could be the longest match, or two prefix lists tie with different
 * targets (AWS picks one at random) — "How route priority works",
 * https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html.
 */
export type AddressRoute =
  | { status: 'matched'; hop: RouteTableHop; route: Route; skippedBlackholes?: string[] }
  | { status: 'none'; reason: string; skippedBlackholes?: string[] }
  | { status: 'unknown'; reason: string };

export function routeForAddress(address: string, table: RouteTable, prefixLists: readonly PrefixList[]): AddressRoute {
  const dst = parseBlock(address);
  if (!dst) return { status: 'unknown', reason: `${address} is not an IP address` };
  const all = candidatesOf(table, prefixLists);
  let best: Candidate | undefined;
  for (const c of all) {
    const b = c.block;
    if (!b || b.family !== dst.family || b.lo > dst.lo || b.hi < dst.hi) continue;
    if (!best || better(c, best)) best = c;
  }
  const skipped = blackholesOverlapping(dst, table);
  const skippedText = skipped.length ? ` (blackhole route ${skipped.join(', ')} excluded)` : '';
  const bits = dst.family === 4 ? 32 : 128;
  // An uncollected prefix list could hold any CIDR; only a static host route is sure to beat it.
  if (!(best?.rank === 0 && best.block?.len === bits)) {
    const wild = all.find((c) => !c.block && c.families.includes(dst.family));
    if (wild) {
      return {
        status: 'unknown',
        reason:
          `route table ${table.id} has a route for prefix list ${wild.destination} whose entries are not known; ` +
          `it could be the longest match for ${address}`,
      };
    }
  }
  if (!best) {
    const out: AddressRoute = {
      status: 'none',
      reason: `route table ${table.id} has no route for ${address}${skippedText}`,
    };
    if (skipped.length) out.skippedBlackholes = skipped;
    return out;
  }
  // Families never cross: an IPv4 address matches only IPv4 routes (0.0.0.0/0), an IPv6 one only IPv6 routes (::/0)
  // ("Route tables for your VPC": IPv4 and IPv6 traffic are treated separately, each by its own routes,
  // https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html).
  const ties = all.filter(
    (c) =>
      c !== best &&
      c.block &&
      c.block.family === dst.family &&
      c.block.lo <= dst.lo &&
      c.block.hi >= dst.hi &&
      !better(best, c),
  );
  for (const t of ties) {
    const a = targetOf(best.route);
    const b = targetOf(t.route);
    if (a?.type !== b?.type || a?.id !== b?.id) {
      const [x, y] = [best.route.destinationPrefixListId, t.route.destinationPrefixListId];
      return {
        status: 'unknown',
        reason:
          `${x && y ? `prefix lists ${x} and ${y}` : `routes ${x ?? best.destination} and ${y ?? t.destination}`} ` +
          `both match ` +
          `${address} at /${best.block?.len} with different targets; AWS picks one at random`,
      };
    }
  }
  const target = targetOf(best.route);
  if (!target) {
    return { status: 'unknown', reason: `route table ${table.id} routes ${address} to a target not modelled` };
  }
  const hop: RouteTableHop = { type: 'route-table', id: table.id, route: best.destination, target };
  if (best.route.destinationPrefixListId) hop.prefixListId = best.route.destinationPrefixListId;
  const out: AddressRoute = { status: 'matched', hop, route: best.route };
  if (skipped.length) out.skippedBlackholes = skipped;
  return out;
}

/** "the local route", "VPC peering connection pcx-1": a route target as a reason names it. */
export function routeTargetText(t: RouteTarget): string {
  return describeTarget(t);
}
