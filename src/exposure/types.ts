import type { Tier } from '../config/schema.js';

/**
 * The internet-exposure contract (issue #12): what `analyseExposure(graph)` (src/exposure/internet.ts) returns and
 * what findings, `sg-audit paths` and the reports read. Pure data; JSON-serialisable as is (the `paths` JSON
 * contract of the issue is `ExposurePath`).
 */

/** Reachability of something from the internet. `unknown`: data that decides it was not collected. */
export type ReachStatus = 'reachable' | 'unreachable' | 'unknown';

/** What a path target is attached to (the report's resource types, plus what an ENI alone tells). */
export type AttachedType =
  | 'instance'
  | 'db-instance'
  | 'db-cluster'
  | 'load-balancer'
  | 'lambda'
  | 'ecs-task'
  | 'nat-gateway'
  | 'vpc-endpoint'
  | 'network-interface';

/** One step of a path, in the order a packet from the internet meets them. */
export type Hop =
  | { type: 'internet-gateway'; id: string }
  /** `route`: the destination that matched (a CIDR, or the prefix-list entry, then `prefixListId` is set). */
  | { type: 'route-table'; id: string; route: string; prefixListId?: string }
  /** `rule`: the deciding entry's number; 32767 is the `*` rule. */
  | { type: 'network-acl'; id: string; direction: 'inbound' | 'outbound'; rule: number }
  /**
   * The permission (index into the group's ingress list) that admits the packet; for a lateral path's initiator
   * (`direction: 'egress'`) the index into its egress list of the permission that lets the packet out.
   */
  | { type: 'security-group'; id: string; permissionIndex: number; direction?: 'egress' }
  /** An internet-facing load balancer (`id` its ARN) and the listener port the packet arrives on. */
  | { type: 'load-balancer'; id: string; listener: number; protocol?: string }
  /** A target group (`id` its ARN) and the port it forwards to. */
  | { type: 'target-group'; id: string; port: number }
  /**
   * A network interface the path passes through: a load balancer's node before its targets, or, in a multi-step
   * lateral path, the interface a step starts from (internet → bastion → database).
   */
  | { type: 'network-interface'; id: string }
  /** An active VPC peering connection the route sends the packet over (lateral paths between VPCs). */
  | { type: 'vpc-peering-connection'; id: string }
  /**
   * A transit gateway the route sends the packet to. Not modelled further: the path is reachable with the
   * assumption that the transit gateway's own route tables and attachments forward it (`LateralPath.assumptions`).
   */
  | { type: 'transit-gateway'; id: string };

export interface PathTarget {
  type: 'network-interface';
  id: string;
  attachedTo?: {
    type: AttachedType;
    id: string;
    arn?: string;
    name?: string;
    /**
     * Other resources the interface may belong to: an RDS interface does not name its database, it is matched by
     * its security groups and VPC, and several databases can share them. `id` is the first by id; each of these
     * is treated as having this interface too (over-reporting exposure is the safe error).
     */
    alternatives?: { type: AttachedType; id: string }[];
  };
}

/** `[from, to]`, inclusive. TCP/UDP ports; for ICMP the type (`[-1, -1]`: every type); `all`: `[0, 65535]`. */
export type PortSpan = [number, number];

/** One internet-reachable (target, protocol, ports) and how a packet gets there. */
export interface ExposurePath {
  from: 'internet';
  /**
   * The internet range the path admits, as the security group (or ACL split) states it: `0.0.0.0/0`,
   * `203.0.113.0/24`.
   */
  source: string;
  target: PathTarget;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or an IP protocol number as a string. */
  protocol: string;
  /** Sorted, non-overlapping. */
  ports: PortSpan[];
  hops: Hop[];
  accountId: string;
  region: string;
  /** Set when the path enters through a load balancer: its ARN and listener port (also in `hops`). */
  via?: { loadBalancer: string; listener: number };
}

/** A verdict with the reason that decided it and, when reachable, the paths. */
export interface Exposure {
  status: ReachStatus;
  /**
   * One line a person reads: for `reachable` the first path ("tcp 22 from 0.0.0.0/0 via igw-… rtb-… acl-… rule
   * 100"); for `unreachable` what blocks it ("no public address", "route table rtb-… has no route to an internet
   * gateway", "network ACL acl-… rule 100 denies tcp 22"); for `unknown` what was not collected.
   */
  reason: string;
  paths: ExposurePath[];
  /**
   * On a finding: how many paths there are in all, set only when `paths` holds fewer (a finding keeps the first
   * `FINDING_PATHS` = 3, in model order: one interface can be reached on 300 paths, and the report would carry
   * them all for every finding about it). `sg-audit paths --to <id>` and `analyseExposure()` list every path.
   */
  pathCount?: number;
}

/** Per network interface. */
export interface InterfaceExposure extends Exposure {
  eniId: string;
  accountId: string;
  region: string;
  target: PathTarget;
}

/** An ingress permission entry to ask about: the group and the permission index (graph `RuleEntry` carries both). */
export interface PermissionRef {
  groupId: string;
  permissionIndex: number;
}

/** A protocol and ports to restrict a question to (a rule's offending ports). */
export interface PortQuery {
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | (string & {});
  ports?: PortSpan[];
}

export interface InternetExposure {
  /** Every internet-reachable path in the estate, sorted by account, region, target id, protocol, first port. */
  paths: ExposurePath[];
  /** Every network interface's verdict, in graph order. */
  interfaces: InterfaceExposure[];
  /**
   * Exposure of ingress permissions (a finding's offending entries): `reachable` when some path's
   * security-group hop is one of them (restricted to `query` when given); else `unknown` when some interface
   * using the group could not be decided; else `unreachable`, the reason naming what blocks it (the most common
   * blocking leg among the group's interfaces, or "sg-… is attached to no network interface").
   */
  ofPermissions(refs: readonly PermissionRef[], query?: PortQuery): Exposure;
  /** Exposure of one interface (`undefined` when the id is not in the estate). */
  ofInterface(eniId: string): InterfaceExposure | undefined;
}

/* ------------------------------------------------------------------------------------------------------------ *
 * Lateral reachability (issue #13): who can open a connection to whom inside the estate (same VPC, VPC peering,
 * transit gateways as an assumption). `analyseLateral(graph): LateralReach` lives in src/exposure/lateral.ts.
 * ------------------------------------------------------------------------------------------------------------ */

/**
 * One (initiator → target, protocol, ports) the estate allows, and how. `from` is the initiating interface, or
 * `internet` for a multi-step path that starts with an internet leg (then `source` is the internet range, as in
 * `ExposurePath`). A one-step lateral path's hops, in the order the packet meets them:
 * 1. `security-group` with `direction: 'egress'`: the initiator's egress permission that lets it out;
 * 2. `network-acl` outbound of the initiator's subnet, when the subnets differ (and its inbound entry admitting the
 *    reply on 1024–65535 is checked, not listed);
 * 3. `route-table` of the initiator's subnet (`route`: `local`, or the peering / transit-gateway destination that
 *    matched), then a `vpc-peering-connection` or `transit-gateway` hop when the route goes there;
 * 4. `network-acl` inbound of the target's subnet, when the subnets differ (reply checked likewise);
 * 5. `security-group` (ingress): the target's permission that admits the packet.
 * A multi-step path joins steps with a `network-interface` hop naming the interface the next step starts from
 * (internet hops …, `{type:'network-interface', id: bastion}`, bastion → database hops …).
 */
export interface LateralPath {
  from: 'internet' | PathTarget;
  /** The internet range, when `from` is `internet`. */
  source?: string;
  target: PathTarget;
  protocol: string;
  /**
   * Sorted, non-overlapping: the ports the step into the target admits (for a one-step path, what egress, ingress
   * and both ACLs all admit; a multi-step path's earlier steps are in its hops, on their own ports).
   */
  ports: PortSpan[];
  hops: Hop[];
  /** Of the target. */
  accountId: string;
  region: string;
  /** Interface-to-interface steps: 1 for a direct lateral edge; internet → bastion → database is 2. */
  steps: number;
  /** Legs taken on trust, one line each: "via tgw-0a1, not modelled further". Absent when none. */
  assumptions?: string[];
}

/** A verdict between two ends, with what decided it. */
export interface LateralVerdict {
  status: ReachStatus;
  /**
   * One line a person reads. `reachable`: the first path ("tcp 5432 from eni-… via sg-app egress 0, local route,
   * sg-db ingress 1"). `unreachable`: the hop that blocks it, naming the resource and what it allows instead
   * ("sg-web egress allows only tcp 443; sg-app admits tcp 8080 from sg-web", "network ACL acl-… rule 90 denies
   * tcp 5432 from 10.0.1.0/24", "no route from subnet-… to 10.1.0.0/16", "pcx-… is not active (pending-acceptance)").
   * `unknown`: what was not collected ("routeTables not collected in 111…/us-east-1").
   */
  reason: string;
  /** When reachable: every path, sorted by protocol and first port. */
  paths: LateralPath[];
}

/**
 * What a reachability question is restricted to (a tier's ports, `--port`). `protocol` may be left out (with
 * `ports`): any protocol, as `all`.
 */
export interface LateralQuery extends Omit<PortQuery, 'protocol'> {
  protocol?: PortQuery['protocol'];
  /** Stop after this many steps (default 2 for `search`; the internet leg of a path from `internet` is one). */
  maxSteps?: number;
  /**
   * From `internet` only: the entry interfaces (the first interface of a path of two or more steps, by ENI id) to
   * consider; paths entering elsewhere are not built and what was undecided about them is not listed. The
   * interfaces between the entry and the target are not filtered.
   */
  entries?: (eniId: string) => boolean;
}

/** An end a search starts from or goes to: the internet, or interfaces by id. */
export type LateralEnd = 'internet' | readonly string[];

export interface LateralSearch {
  /** Every path found, shortest first, then by target id, protocol, first port. */
  paths: LateralPath[];
  /**
   * Pairs (or internet legs) the model could not decide (data not collected): never read as "not reachable".
   * `from` is an ENI id or `internet` (the start of the undecided leg; for a leg further along a multi-step path the
   * reason says `via eni-…`), or `*` when the target itself cannot be placed (no subnet or private address known);
   * `to` is the target asked about.
   */
  undecided: { from: string; to: string; reason: string }[];
}

/** Options of `inbound`. */
export interface InboundOptions {
  /** Only the initiators (ENI ids) this accepts are decided. */
  initiators?: (eniId: string) => boolean;
}

export interface LateralReach {
  /**
   * Tiers of an interface: its own tier tags, else those of the resource it is attached to (load balancer,
   * database, instance via its interfaces' tags), else its security groups' tier tags. Empty: untagged.
   */
  tiersOf(eniId: string): Tier[];
  /** Interfaces of a tier (by `tiersOf`), in graph order. */
  interfacesOfTier(tier: Tier): InterfaceNodeRef[];
  /** Can `from` open a connection to `to` in one step on `query` (default: any protocol and port)? */
  between(fromEni: string, toEni: string, query?: PortQuery): LateralVerdict;
  /**
   * Every one-step path into `toEni` on `query` from any interface of the estate, plus what was undecided.
   * `options.initiators`: decide only the initiators it accepts (by ENI id; the others are neither paths nor
   * undecided) — a rule that ignores some initiators skips their work. A target that cannot be placed is still
   * undecided (`from: '*'`).
   */
  inbound(toEni: string, query?: PortQuery, options?: InboundOptions): LateralSearch;
  /**
   * Paths from `from` to `to` within `query.maxSteps` steps (default 2). From `internet`, the first step is an
   * internet path of the exposure model (`analyseExposure`), joined by a `network-interface` hop.
   */
  search(from: LateralEnd, to: LateralEnd, query?: LateralQuery): LateralSearch;
}

/** An interface as the lateral model names it. */
export interface InterfaceNodeRef {
  eniId: string;
  accountId: string;
  region: string;
  vpcId?: string;
  subnetId?: string;
  target: PathTarget;
}
