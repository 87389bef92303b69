/**
 * Small, shared predicates over rule entries. Rules use these instead of re-deriving port/protocol logic.
 */
import type { CidrInfo } from './net.js';
import type { RuleEntry, Source } from './model.js';

/** Does the entry admit `protocol` traffic on `port`? `all` covers every protocol; other protocols never cover tcp. */
export function coversPort(e: RuleEntry, protocol: 'tcp' | 'udp', port: number): boolean {
  if (e.protocol === 'all') return true;
  if (e.protocol !== protocol) return false;
  return e.fromPort <= port && port <= e.toPort;
}

/** Does the entry admit tcp (or udp) on any port in [from, to]? */
export function overlapsRange(e: RuleEntry, protocol: 'tcp' | 'udp', from: number, to: number): boolean {
  if (e.protocol === 'all') return true;
  if (e.protocol !== protocol) return false;
  return e.fromPort <= to && from <= e.toPort;
}

/** CIDRs behind a source: the CIDR itself, the resolved prefix-list entries, or none (groups / unknown lists). */
export function cidrsOf(s: Source): CidrInfo[] {
  if (s.kind === 'cidr') return [s.cidr];
  if (s.kind === 'prefixList') return s.entries ?? [];
  return [];
}

/**
 * The whole internet: 0.0.0.0/0 or ::/0, or a prefix list holding either (a list is the CIDRs it holds;
 * security group rules that reference a prefix list admit every CIDR in it, see
 * https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html). A prefix list whose entries
 * were not collected is not known to be the world: see `isUnknownSource`.
 */
export function isWorldSource(s: Source): boolean {
  if (s.kind === 'cidr') return s.cidr.world;
  return s.kind === 'prefixList' && s.worldEntries.length > 0;
}

/**
 * A prefix list whose entries were not collected (and that is not AWS-managed): it may hold 0.0.0.0/0 or
 * public ranges, or nothing of the kind. A rule must neither pass nor fail on it, but say the verdict is
 * unknown.
 */
export function isUnknownSource(s: Source): boolean {
  return s.kind === 'prefixList' && s.entries === undefined && !s.awsManaged;
}

/** Public (non-private) addresses, world included; prefix lists count through their resolved entries. */
export function hasPublicCidr(s: Source): boolean {
  return cidrsOf(s).some((c) => c.world || c.public);
}

/**
 * Human label of a source: `0.0.0.0/0`, `pl-123 (name)`, `pl-123 (name; holds 0.0.0.0/0)` for a list that
 * is the world, `sg-123`, `111…/sg-123` across accounts.
 */
export function describeSource(s: Source): string {
  switch (s.kind) {
    case 'cidr':
      return s.cidr.cidr;
    case 'prefixList': {
      const parts: string[] = [];
      if (s.name) parts.push(s.name);
      if (s.worldEntries.length) parts.push(`holds ${[...new Set(s.worldEntries.map((c) => c.cidr))].join(', ')}`);
      return parts.length ? `${s.prefixListId} (${parts.join('; ')})` : s.prefixListId;
    }
    case 'group':
      return s.userId && s.crossAccount ? `${s.userId}/${s.groupId}` : s.groupId;
  }
}

/** `tcp 3306`, `tcp 0-65535`, `all traffic`, `icmp`. */
export function describePorts(e: RuleEntry): string {
  if (e.protocol === 'all') return 'all traffic';
  if (e.protocol === 'tcp' || e.protocol === 'udp') {
    return e.fromPort === e.toPort ? `${e.protocol} ${e.fromPort}` : `${e.protocol} ${e.fromPort}-${e.toPort}`;
  }
  if (e.fromPort === -1) return e.protocol;
  return `${e.protocol} type ${e.fromPort}${e.toPort !== -1 ? ` code ${e.toPort}` : ''}`;
}
