/**
 * Network ACLs in the exposure model: does a subnet's network ACL let an internet packet in, and its reply out?
 * Pure: the ACLs come from the snapshot, nothing is called.
 *
 * AWS semantics this module follows (the pages are the spec; tests that rely on one name it):
 * - "Control traffic to subnets using network ACLs",
 *   https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 *   — each subnet is associated with exactly one network ACL (the default one unless another is associated);
 *   network ACLs are stateless: responses to allowed inbound traffic are subject to the outbound rules.
 * - "Custom network ACLs for your VPC", https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html
 *   — rules are evaluated starting with the lowest-numbered rule and the first match decides; a packet that
 *   matches no numbered rule is denied by the `*` rule; IPv4 and IPv6 traffic are evaluated separately, so no
 *   IPv4 rule applies to IPv6 traffic and vice versa.
 * - "Default network ACL for a VPC", https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
 *   — rules 100 (0.0.0.0/0) and 101 (::/0) allow all traffic both ways, then the `*` denies (DescribeNetworkAcls
 *   returns the `*` rules as rule number 32767).
 * - "Ephemeral ports", https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 *   — the client that initiates the request chooses the ephemeral port range, which varies by client
 *   (Linux 32768-61000, Windows Server 2008+ 49152-65535, ELB, NAT gateways and Lambda 1024-65535); a
 *   public-facing server's ACL needs an outbound rule for the clients' ephemeral ports.
 * - "IcmpTypeCode", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IcmpTypeCode.html
 *   — type -1 means all types; code -1 means all codes of the type.
 *
 * Decisions where the pages leave a choice:
 * - A peer range (e.g. the whole internet, 0.0.0.0/0) is split, not sampled: an entry whose CIDR holds the whole
 *   remaining range decides it; an entry whose CIDR lies inside it decides that part and the rest goes on to later
 *   entries (CIDRs are either nested or disjoint, so nothing else can happen). Every part gets its own outcome.
 *   The verdict is existential, the question exposure asks: `reachable` when some part of the peer range gets
 *   through (it names which), `unknown` when none is known to but some part could not be decided, `unreachable`
 *   only when every part is denied. Sampling one address (say the first) would call "allow 203.0.113.0/24, deny
 *   the rest" unreachable from the internet; the verdict would depend on which address was sampled.
 * - The reply check is on any port of the ephemeral range 1024-65535, not the whole range: the client picks its
 *   port, and an attacker picks one the ACL lets back, so an ACL that returns only 32768-65535 still exposes the
 *   port. The verdict lists the client ports the replies can reach. Source ports below 1024 (privileged, also an
 *   attacker's choice) are not considered, after the AWS page's widest range; `ephemeral` in the options widens it.
 * - An entry this module cannot evaluate (no CIDR, an unparsable CIDR or protocol, a TCP/UDP entry without a port
 *   range, a packet without the port or ICMP type the entry tests) makes the parts it is reached by `unknown`:
 *   whether it matches decides everything after it, so guessing either way could turn unknown into "not reachable".
 */
import ipaddr from 'ipaddr.js';

// ---- input, after the EC2 DescribeNetworkAcls shape (camelCase) ----

export interface PortRange {
  from: number;
  to: number;
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  /** IANA protocol number as a string ("6" tcp, "17" udp, "1" icmp, "58" icmpv6), or "-1" for all protocols. */
  protocol: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: PortRange;
  icmpTypeCode?: { type: number; code: number };
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  /** Subnets associated with this ACL (DescribeNetworkAcls lists implicit default associations too). */
  subnetIds: string[];
  entries: NetworkAclEntry[];
}

export type AclDirection = 'inbound' | 'outbound';

export interface AclPacket {
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number;
  /** Destination port (TCP/UDP). */
  port?: number;
  /** Destination ports (TCP/UDP), instead of `port`: the verdict says which of them get through. */
  ports?: PortRange;
  icmpType?: number;
  icmpCode?: number;
  /** The remote end, an IP address or a CIDR: the source of an inbound packet, the destination of an outbound one. */
  peer: string;
}

// ---- verdicts ----

/** The ACL entry that decided, as a path hop. `rule` 32767 is the default `*` rule. */
export interface AclHop {
  type: 'network-acl';
  id: string;
  direction: AclDirection;
  rule: number;
}

/** What happened to one part of the peer range (and, for the reply check, one range of client ports). */
export interface AclOutcome {
  peer: string;
  ports?: PortRange;
  status: 'allow' | 'deny' | 'unknown';
  /** The deciding rule; absent when undecided or when the implicit `*` rule (not in the data) denied. */
  rule?: number;
  reason: string;
}

export type AclVerdict =
  | { status: 'reachable'; reason: string; via: AclHop; outcomes: AclOutcome[] }
  | { status: 'unreachable'; reason: string; hop: AclHop; outcomes: AclOutcome[] }
  | { status: 'unknown'; reason: string; hop?: AclHop; outcomes: AclOutcome[] };

export interface AclAdmission {
  peer: string;
  /** Destination ports (TCP/UDP) admitted inbound from `peer`, within the packet's. */
  ports?: PortRange;
  /** Client ports the reply can reach (TCP/UDP), inside the ephemeral range. */
  replyPorts?: PortRange;
  inbound: AclHop;
  /** Absent when no reply is expected (ICMP other than echo request). */
  outbound?: AclHop;
}

export type AclInternetVerdict =
  | { status: 'reachable'; reason: string; via: AclHop[]; admitted: AclAdmission[]; inbound: AclVerdict }
  | { status: 'unreachable'; reason: string; hop: AclHop; inbound: AclVerdict; outbound?: AclVerdict }
  | { status: 'unknown'; reason: string; hop?: AclHop; inbound: AclVerdict; outbound?: AclVerdict };

export type AclLookup = { status: 'known'; acl: NetworkAcl } | { status: 'unknown'; reason: string };

export const DEFAULT_RULE_NUMBER = 32767;
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };

const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 } as const;
const PROTOCOL_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
/** Echo request → echo reply, the one ICMP exchange with a reply (RFC 792, RFC 4443). */
const ICMP_ECHO_REPLY: Record<number, Record<number, number>> = { 1: { 8: 0 }, 58: { 128: 129 } };

// ---- association ----

/**
 * The network ACL of a subnet. AWS associates every subnet with exactly one ACL and DescribeNetworkAcls lists
 * implicit (default ACL) associations too, so a subnet no ACL names means the ACLs were not (all) collected:
 * unknown, not a guess at the VPC's default ACL.
 */
export function aclFor(subnetId: string, vpcId: string, acls: readonly NetworkAcl[]): AclLookup {
  const named = acls.filter((a) => a.subnetIds.includes(subnetId));
  if (named.length === 0) {
    return { status: 'unknown', reason: `no network ACL known for subnet ${subnetId} (network ACLs not collected)` };
  }
  if (named.length > 1) {
    const ids = named.map((a) => a.id).join(', ');
    return { status: 'unknown', reason: `subnet ${subnetId} is associated with ${named.length} network ACLs (${ids})` };
  }
  const acl = named[0];
  if (acl.vpcId !== vpcId) {
    return {
      status: 'unknown',
      reason: `network ACL ${acl.id} of subnet ${subnetId} belongs to ${acl.vpcId}, not the subnet's ${vpcId}`,
    };
  }
  return { status: 'known', acl };
}

// ---- address ranges (ipaddr.js does the parsing and matching) ----

interface Range {
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  len: number;
  /** `rangeText`, once computed. */
  text?: string;
}

const ranges = new Map<string, Range | undefined>();

/** Parsed once per text: ACL entries and peers recur across every subnet and source (ranges are never mutated). */
function parseRange(text: string): Range | undefined {
  if (ranges.has(text)) return ranges.get(text);
  const range = parseRangeText(text);
  if (ranges.size < 100_000) ranges.set(text, range);
  return range;
}

function parseRangeText(text: string): Range | undefined {
  try {
    // Without ':' it cannot be IPv6: parse IPv4 directly (ipaddr.parse tries IPv6 first, and throws).
    const network = text.includes(':') ? ipaddr.IPv6 : ipaddr.IPv4;
    if (text.includes('/')) {
      const [, len] = network.parseCIDR(text);
      return { addr: network.networkAddressFromCIDR(text), len };
    }
    const addr = network.parse(text);
    return { addr, len: addr.kind() === 'ipv4' ? 32 : 128 };
  } catch {
    return undefined;
  }
}

function rangeText(r: Range): string {
  return (r.text ??= `${r.addr.toString()}/${r.len}`);
}

/** `inner` lies inside `outer` (same family). */
function within(inner: Range, outer: Range): boolean {
  return inner.addr.kind() === outer.addr.kind() && inner.len >= outer.len && inner.addr.match(outer.addr, outer.len);
}

/**
 * `outer` minus `inner` (inner strictly inside outer): at each prefix length between them, the sibling of the
 * half that holds `inner`.
 */
function subtract(outer: Range, inner: Range): Range[] {
  const rest: Range[] = [];
  const network = inner.addr.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  for (let len = outer.len + 1; len <= inner.len; len++) {
    const bytes = inner.addr.toByteArray();
    const bit = len - 1;
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
    const flipped = ipaddr.fromByteArray(bytes).toString();
    rest.push({ addr: network.networkAddressFromCIDR(`${flipped}/${len}`), len });
  }
  return rest;
}

// ---- evaluation ----

/** A part of the traffic still undecided: a peer range and, for TCP/UDP, a range of destination ports. */
interface Piece {
  range: Range;
  ports?: PortRange;
}

interface Flow {
  protocol: number;
  icmpType?: number;
  icmpCode?: number;
}

function protocolNumber(p: AclPacket['protocol']): number {
  return typeof p === 'number' ? p : PROTOCOL_NUMBERS[p];
}

function protocolName(n: number): string {
  return PROTOCOL_NAMES[n] ?? `protocol ${n}`;
}

function portsText(p: PortRange): string {
  return p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`;
}

function ruleText(rule: number | undefined): string {
  return rule === undefined || rule === DEFAULT_RULE_NUMBER ? 'the default * rule' : `rule ${rule}`;
}

type Match =
  | { kind: 'no' }
  | { kind: 'undecidable'; why: string }
  /** The entry applies to `hit`; `rest` goes on to later entries. */
  | { kind: 'yes'; hit: Piece; rest: Piece[] };

/** Whether an entry's protocol, ports or ICMP type apply to the flow, before looking at addresses. */
function matchTraffic(e: NetworkAclEntry, flow: Flow, piece: Piece): Match | { kind: 'ports'; ports?: PortRange } {
  if (e.protocol !== '-1') {
    const n = Number(e.protocol);
    if (!Number.isInteger(n) || e.protocol.trim() === '') {
      return { kind: 'undecidable', why: `its protocol ${JSON.stringify(e.protocol)} is not understood` };
    }
    if (n !== flow.protocol) return { kind: 'no' };
  }
  if (e.protocol === '-1') return { kind: 'ports', ports: piece.ports };
  if (flow.protocol === 6 || flow.protocol === 17) {
    if (!e.portRange) return { kind: 'undecidable', why: 'it has no port range' };
    if (!piece.ports) return { kind: 'undecidable', why: 'it tests the port and the packet has none' };
    const from = Math.max(e.portRange.from, piece.ports.from);
    const to = Math.min(e.portRange.to, piece.ports.to);
    if (from > to) return { kind: 'no' };
    return { kind: 'ports', ports: { from, to } };
  }
  if (flow.protocol === 1 || flow.protocol === 58) {
    const tc = e.icmpTypeCode;
    if (!tc || tc.type === -1) return { kind: 'ports' };
    if (flow.icmpType === undefined)
      return { kind: 'undecidable', why: 'it tests the ICMP type and the packet has none' };
    if (tc.type !== flow.icmpType) return { kind: 'no' };
    if (tc.code === -1) return { kind: 'ports' };
    if (flow.icmpCode === undefined)
      return { kind: 'undecidable', why: 'it tests the ICMP code and the packet has none' };
    return tc.code === flow.icmpCode ? { kind: 'ports' } : { kind: 'no' };
  }
  return { kind: 'ports' };
}

function matchEntry(e: NetworkAclEntry, flow: Flow, piece: Piece): Match {
  const traffic = matchTraffic(e, flow, piece);
  if (traffic.kind !== 'ports') return traffic;
  const v6 = piece.range.addr.kind() === 'ipv6';
  const cidr = v6 ? e.ipv6CidrBlock : e.cidrBlock;
  if (cidr === undefined) {
    // An entry of the other family never applies; one with no CIDR at all cannot be placed.
    if ((v6 ? e.cidrBlock : e.ipv6CidrBlock) !== undefined) return { kind: 'no' };
    return { kind: 'undecidable', why: 'it has no CIDR block' };
  }
  const range = parseRange(cidr);
  if (!range || range.addr.kind() !== piece.range.addr.kind()) {
    return { kind: 'undecidable', why: `its CIDR ${JSON.stringify(cidr)} is not a valid ${v6 ? 'IPv6' : 'IPv4'} CIDR` };
  }
  const rest: Piece[] = [];
  if (piece.ports && traffic.ports && (traffic.ports.from > piece.ports.from || traffic.ports.to < piece.ports.to)) {
    if (traffic.ports.from > piece.ports.from) {
      rest.push({ range: piece.range, ports: { from: piece.ports.from, to: traffic.ports.from - 1 } });
    }
    if (traffic.ports.to < piece.ports.to) {
      rest.push({ range: piece.range, ports: { from: traffic.ports.to + 1, to: piece.ports.to } });
    }
  }
  const ports = traffic.ports;
  if (within(piece.range, range)) return { kind: 'yes', hit: { range: piece.range, ports }, rest };
  if (within(range, piece.range)) {
    // Only the part inside the entry's CIDR matches; on the ports the entry covers, the rest of the range goes on.
    const outside = subtract(piece.range, range).map((r) => ({ range: r, ports }));
    return { kind: 'yes', hit: { range, ports }, rest: [...rest, ...outside] };
  }
  return { kind: 'no' };
}

function entriesOf(acl: NetworkAcl, direction: AclDirection): NetworkAclEntry[] {
  const egress = direction === 'outbound';
  return acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
}

function flowText(flow: Flow, ports: PortRange | undefined): string {
  const name = protocolName(flow.protocol);
  if (ports) return `${name} ${portsText(ports)}`;
  if (flow.icmpType !== undefined) {
    return `${name} type ${flow.icmpType}${flow.icmpCode === undefined ? '' : ` code ${flow.icmpCode}`}`;
  }
  return name;
}

function outcomeFor(acl: NetworkAcl, direction: AclDirection, flow: Flow, piece: Piece, e?: NetworkAclEntry) {
  const dir = direction === 'inbound' ? 'from' : 'to';
  const what = `${flowText(flow, piece.ports)} ${dir} ${rangeText(piece.range)}`;
  if (!e) {
    const reason = `network ACL ${acl.id}: no rule allows ${what}: the default * rule denies it`;
    return { peer: rangeText(piece.range), ports: piece.ports, status: 'deny' as const, reason };
  }
  const verb = e.ruleAction === 'allow' ? 'allows' : 'denies';
  const reason =
    e.ruleNumber === DEFAULT_RULE_NUMBER
      ? `network ACL ${acl.id}: no rule allows ${what}: the default * rule denies it`
      : `network ACL ${acl.id} ${ruleText(e.ruleNumber)} ${verb} ${what}`;
  const status = e.ruleAction === 'allow' ? ('allow' as const) : ('deny' as const);
  return { peer: rangeText(piece.range), ports: piece.ports, status, rule: e.ruleNumber, reason };
}

/** First match per piece, splitting pieces an entry only partly covers. */
function evaluatePieces(acl: NetworkAcl, direction: AclDirection, flow: Flow, start: Piece[]): AclOutcome[] {
  const outcomes: AclOutcome[] = [];
  let pending = start;
  for (const e of entriesOf(acl, direction)) {
    if (pending.length === 0) break;
    const next: Piece[] = [];
    for (const piece of pending) {
      const m = matchEntry(e, flow, piece);
      if (m.kind === 'no') next.push(piece);
      else if (m.kind === 'undecidable') {
        const dir = direction === 'inbound' ? 'from' : 'to';
        const what = `${flowText(flow, piece.ports)} ${dir} ${rangeText(piece.range)}`;
        const reason = `network ACL ${acl.id} ${ruleText(e.ruleNumber)} cannot be evaluated for ${what}: ${m.why}`;
        outcomes.push({
          peer: rangeText(piece.range),
          ports: piece.ports,
          status: 'unknown',
          rule: e.ruleNumber,
          reason,
        });
      } else {
        outcomes.push(outcomeFor(acl, direction, flow, m.hit, e));
        next.push(...m.rest);
      }
    }
    pending = next;
  }
  for (const piece of pending) outcomes.push(outcomeFor(acl, direction, flow, piece));
  return outcomes;
}

function hopOf(acl: NetworkAcl, direction: AclDirection, o: AclOutcome): AclHop {
  return { type: 'network-acl', id: acl.id, direction, rule: o.rule ?? DEFAULT_RULE_NUMBER };
}

/** "rule 100 for 1.2.0.0/16; the default * rule for 0.0.0.0/8 and 24 more" — one clause per deciding rule. */
function byRule(outcomes: AclOutcome[]): string {
  const groups = new Map<number, AclOutcome[]>();
  for (const o of outcomes) {
    const key = o.rule ?? DEFAULT_RULE_NUMBER;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.entries()]
    .map(([rule, list]) => {
      const parts = list.slice(0, 2).map((o) => {
        if (!o.ports) return o.peer;
        return `${o.peer} ${o.ports.from === o.ports.to ? 'port' : 'ports'} ${portsText(o.ports)}`;
      });
      const more = list.length > 2 ? ` and ${list.length - 2} more` : '';
      return `${ruleText(rule)} for ${parts.join(', ')}${more}`;
    })
    .join('; ');
}

function summarise(acl: NetworkAcl, direction: AclDirection, what: string, outcomes: AclOutcome[]): AclVerdict {
  const allowed = outcomes.filter((o) => o.status === 'allow');
  const unknown = outcomes.filter((o) => o.status === 'unknown');
  const denied = outcomes.filter((o) => o.status === 'deny');
  if (allowed.length > 0) {
    const only =
      outcomes.length === allowed.length
        ? ''
        : ` (only part of it: ${[...denied, ...unknown].length} other part(s) ${
            unknown.length > 0 ? 'denied or undecided' : 'denied'
          }: ${byRule([...denied, ...unknown])})`;
    const reason =
      allowed.length === 1 && only === ''
        ? allowed[0].reason
        : `network ACL ${acl.id} allows ${what}: ${byRule(allowed)}${only}`;
    return { status: 'reachable', reason, via: hopOf(acl, direction, allowed[0]), outcomes };
  }
  if (unknown.length > 0) {
    const others = outcomes.filter((o) => o !== unknown[0]);
    const reason = others.length === 0 ? unknown[0].reason : `${unknown[0].reason} (other parts: ${byRule(others)})`;
    return { status: 'unknown', reason, hop: hopOf(acl, direction, unknown[0]), outcomes };
  }
  const reason = denied.length === 1 ? denied[0].reason : `network ACL ${acl.id} denies ${what}: ${byRule(denied)}`;
  return { status: 'unreachable', reason, hop: hopOf(acl, direction, denied[0]), outcomes };
}

function flowOf(packet: AclPacket): Flow {
  return { protocol: protocolNumber(packet.protocol), icmpType: packet.icmpType, icmpCode: packet.icmpCode };
}

function startPieces(packet: AclPacket, flow: Flow): Piece[] | string {
  const range = parseRange(packet.peer);
  if (!range) return `peer ${JSON.stringify(packet.peer)} is not an IP address or CIDR`;
  const tcpUdp = flow.protocol === 6 || flow.protocol === 17;
  const ports = packet.ports ?? (packet.port !== undefined ? { from: packet.port, to: packet.port } : undefined);
  return [{ range, ports: tcpUdp && ports ? { ...ports } : undefined }];
}

function unknownAcl(direction: AclDirection): AclVerdict {
  return {
    status: 'unknown',
    reason: `no network ACL known (not collected): ${direction} traffic unknown`,
    outcomes: [],
  };
}

/**
 * One direction of a network ACL for a packet: entries of that direction in rule-number order, first match wins,
 * the `*` rule denies what nothing matched. `acl` undefined (not collected) is unknown.
 */
export function evaluateAcl(acl: NetworkAcl | undefined, direction: AclDirection, packet: AclPacket): AclVerdict {
  if (!acl) return unknownAcl(direction);
  const flow = flowOf(packet);
  const start = startPieces(packet, flow);
  if (typeof start === 'string') return { status: 'unknown', reason: start, outcomes: [] };
  const what = `${flowText(flow, start[0].ports)} ${direction === 'inbound' ? 'from' : 'to'} ${packet.peer}`;
  return summarise(acl, direction, what, evaluatePieces(acl, direction, flow, start));
}

/**
 * Inbound on the packet's port AND the reply outbound to the same peer (ACLs are stateless). TCP/UDP replies go to
 * the client's ephemeral port: any port of `ephemeral` (default 1024-65535) that gets out counts, since the client
 * chooses it. ICMP echo requests expect an echo reply; other ICMP messages expect none, so only inbound is checked;
 * other protocols expect a reply of the same protocol.
 */
export function aclAdmitsInternet(
  acl: NetworkAcl | undefined,
  packet: AclPacket,
  options: { ephemeral?: PortRange } = {},
): AclInternetVerdict {
  const v = aclAdmitsFlow(acl, 'inbound', packet, options);
  if (v.status === 'reachable') {
    const admitted = v.admitted.map(({ request, reply, ...rest }) => ({
      ...rest,
      inbound: request,
      ...(reply ? { outbound: reply } : {}),
    }));
    return { status: 'reachable', reason: v.reason, via: v.via, admitted, inbound: v.request };
  }
  const out: AclInternetVerdict =
    v.status === 'unreachable'
      ? { status: 'unreachable', reason: v.reason, hop: v.hop, inbound: v.request }
      : { status: 'unknown', reason: v.reason, hop: v.hop, inbound: v.request };
  if (v.reply) out.outbound = v.reply;
  return out;
}

/** One admitted part of a flow, as aclAdmitsFlow reports it: the request's ACL entry and its reply's. */
export interface AclFlowAdmission {
  peer: string;
  /** Destination ports (TCP/UDP) the request gets through on, within the packet's. */
  ports?: PortRange;
  /** Client ports the reply can reach (TCP/UDP), inside the ephemeral range. */
  replyPorts?: PortRange;
  request: AclHop;
  /** Absent when no reply is expected (ICMP other than echo request). */
  reply?: AclHop;
}

export type AclFlowVerdict =
  | { status: 'reachable'; reason: string; via: AclHop[]; admitted: AclFlowAdmission[]; request: AclVerdict }
  | { status: 'unreachable'; reason: string; hop: AclHop; request: AclVerdict; reply?: AclVerdict }
  | { status: 'unknown'; reason: string; hop?: AclHop; request: AclVerdict; reply?: AclVerdict };

/**
 * A request crossing the ACL in `direction` (`inbound`: a packet from `peer` into the subnet; `outbound`: a packet
 * from the subnet to `peer`) AND its reply crossing back the other way (ACLs are stateless). TCP/UDP replies go to
 * the client's ephemeral port: for an inbound request any port of `ephemeral` (default 1024-65535) that gets out
 * counts, since the client chooses it; for an outbound request the subnet's own interface is the client and the
 * reply comes back to its ephemeral port, checked the same way. ICMP echo requests expect an echo reply; other ICMP
 * messages expect none, so only the request is checked; other protocols expect a reply of the same protocol.
 */
export function aclAdmitsFlow(
  acl: NetworkAcl | undefined,
  direction: AclDirection,
  packet: AclPacket,
  options: { ephemeral?: PortRange } = {},
): AclFlowVerdict {
  const back: AclDirection = direction === 'inbound' ? 'outbound' : 'inbound';
  const request = evaluateAcl(acl, direction, packet);
  if (request.status !== 'reachable' || !acl) {
    const { status, reason } = request;
    if (status === 'unreachable') return { status, reason, hop: request.hop, request };
    return { status: 'unknown', reason, hop: status === 'unknown' ? request.hop : undefined, request };
  }
  const flow = flowOf(packet);
  const allowed = request.outcomes.filter((o) => o.status === 'allow');
  // The request parts a reply part belongs to (one per port range the request's rules split the packet's ports into).
  const requestOf = (peer: Range): AclOutcome[] => {
    const holding = allowed.filter((a) => within(peer, parseRange(a.peer)!));
    return holding.length ? holding : [allowed[0]];
  };
  let reply: Flow | undefined = { protocol: flow.protocol };
  let replyPorts: PortRange | undefined;
  if (flow.protocol === 6 || flow.protocol === 17) replyPorts = options.ephemeral ?? EPHEMERAL_PORTS;
  else if (flow.protocol === 1 || flow.protocol === 58) {
    const type = flow.icmpType === undefined ? undefined : ICMP_ECHO_REPLY[flow.protocol][flow.icmpType];
    reply = type === undefined ? undefined : { protocol: flow.protocol, icmpType: type, icmpCode: 0 };
  }
  if (!reply) {
    const admitted = allowed.map((o) => ({
      peer: o.peer,
      ...(o.ports ? { ports: o.ports } : {}),
      request: hopOf(acl, direction, o),
    }));
    const reason = `${request.reason}; no reply expected for ${flowText(flow, undefined)}`;
    return { status: 'reachable', reason, via: [request.via], admitted, request };
  }
  // The reply's ACL check depends on the peer only (entries match the destination port: the client's), so each
  // admitted peer range is asked once, however many port ranges it was admitted on.
  const peers = [...new Set(allowed.map((o) => o.peer))];
  const starts = peers.map((peer) => ({ range: parseRange(peer)!, ports: replyPorts }));
  const outcomes = evaluatePieces(acl, back, reply, starts);
  const toFrom = back === 'outbound' ? 'to' : 'from';
  const replyWhat = `replies (${flowText(reply, replyPorts)}) ${toFrom} ${peers.join(', ')}`;
  const replied = summarise(acl, back, replyWhat, outcomes);
  const stateless = '(network ACLs are stateless)';
  if (replied.status === 'reachable') {
    const admitted: AclFlowAdmission[] = [];
    for (const o of outcomes) {
      if (o.status !== 'allow') continue;
      for (const i of requestOf(parseRange(o.peer)!)) {
        admitted.push({
          peer: o.peer,
          ...(i.ports ? { ports: i.ports } : {}),
          replyPorts: o.ports,
          request: hopOf(acl, direction, i),
          reply: hopOf(acl, back, o),
        });
      }
    }
    const reason = `${request.reason}, and ${replied.reason}`;
    return { status: 'reachable', reason, via: [request.via, replied.via], admitted, request };
  }
  if (replied.status === 'unknown') {
    const reason = `${request.reason}, but the reply is unknown: ${replied.reason}`;
    return { status: 'unknown', reason, hop: replied.hop, request, reply: replied };
  }
  const gets = back === 'outbound' ? 'out' : 'back in';
  const reason = `${request.reason}, but no reply gets ${gets} ${stateless}: ${replied.reason}`;
  return { status: 'unreachable', reason, hop: replied.hop, request, reply: replied };
}

const openAcls: WeakMap<NetworkAcl, [AclHop, AclHop] | null>[] = [new WeakMap(), new WeakMap()];

/**
 * When the first rule (by number) of the family, each way, allows all traffic from and to anywhere — the default
 * ACL — the hops of those two rules; every packet of the family gets in and its reply out on them (either way: the
 * same two rules admit a request out and its reply in). Cached per ACL and family.
 */
export function allowAllHops(acl: NetworkAcl, v6: boolean): [AclHop, AclHop] | undefined {
  const cache = openAcls[v6 ? 1 : 0];
  let hit = cache.get(acl);
  if (hit === undefined) {
    const first = (egress: boolean) => {
      let best: NetworkAcl['entries'][number] | undefined;
      for (const e of acl.entries) {
        if (e.egress !== egress) continue;
        const mine = v6 ? e.ipv6CidrBlock : e.cidrBlock;
        const other = v6 ? e.cidrBlock : e.ipv6CidrBlock;
        if (mine === undefined && other !== undefined) continue; // never applies to this family
        if (!best || e.ruleNumber < best.ruleNumber) best = e;
      }
      const world = v6 ? '::/0' : '0.0.0.0/0';
      const open =
        best &&
        best.ruleAction === 'allow' &&
        best.protocol === '-1' &&
        (v6 ? best.ipv6CidrBlock : best.cidrBlock) === world;
      return open ? best : undefined;
    };
    const inbound = first(false);
    const outbound = first(true);
    hit =
      inbound && outbound
        ? [
            { type: 'network-acl', id: acl.id, direction: 'inbound', rule: inbound.ruleNumber },
            { type: 'network-acl', id: acl.id, direction: 'outbound', rule: outbound.ruleNumber },
          ]
        : null;
    cache.set(acl, hit);
  }
  return hit ?? undefined;
}
