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
  /** The permission (index into the group's ingress list) that admits the packet. */
  | { type: 'security-group'; id: string; permissionIndex: number }
  /** An internet-facing load balancer (`id` its ARN) and the listener port the packet arrives on. */
  | { type: 'load-balancer'; id: string; listener: number; protocol?: string }
  /** A target group (`id` its ARN) and the port it forwards to. */
  | { type: 'target-group'; id: string; port: number }
  /** A network interface the path passes through (a load balancer's node, before its targets). */
  | { type: 'network-interface'; id: string };

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
