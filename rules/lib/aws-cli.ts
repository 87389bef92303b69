/**
 * Remediation command builders: real AWS CLI commands with the ids, region and exact permissions filled
 * in. Revocations are rebuilt from the raw snapshot permission so that the command matches the rule AWS
 * stores (same protocol spelling, same ports, same CIDR text).
 */
import type { GroupNode, RuleEntry } from '../../src/graph/model.js';
import { classifyCidr } from '../../src/graph/net.js';
import type { Permission } from '../../src/snapshot/schema.js';

/** Quote one shell argument with single quotes. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return s.includes("'") ? `'${s.replace(/'/g, `'\\''`)}'` : `'${s}'`;
}

type IpPermissionJson = {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6: string }>;
  PrefixListIds?: Array<{ PrefixListId: string }>;
  UserIdGroupPairs?: Array<{ GroupId: string; UserId?: string }>;
};

/** The raw permission an entry came from. */
export function rawPermission(e: RuleEntry): Permission {
  const list = e.direction === 'ingress' ? e.group.sg.ingress : e.group.sg.egress;
  return list[e.permissionIndex];
}

/**
 * `IpPermissions` JSON covering exactly the given entries (one object per source permission, only the
 * offending sources of each). Entries must belong to one group and direction.
 */
export function ipPermissions(entries: readonly RuleEntry[]): IpPermissionJson[] {
  if (entries.length === 1) return [singleEntryPermission(entries[0])];
  const byIndex = new Map<number, RuleEntry[]>();
  for (const e of entries) {
    const list = byIndex.get(e.permissionIndex);
    if (list) list.push(e);
    else byIndex.set(e.permissionIndex, [e]);
  }
  const out: IpPermissionJson[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const es = byIndex.get(index)!;
    if (es.length === 1) {
      out.push(singleEntryPermission(es[0]));
      continue;
    }
    const raw = rawPermission(es[0]);
    const p: IpPermissionJson = { IpProtocol: raw.protocol };
    if (raw.protocol !== '-1') {
      if (raw.fromPort !== undefined) p.FromPort = raw.fromPort;
      if (raw.toPort !== undefined) p.ToPort = raw.toPort;
    }
    const v4 = new Set<string>();
    const v6 = new Set<string>();
    const pls = new Set<string>();
    const pairs = new Map<string, { GroupId: string; UserId?: string }>();
    for (const e of es) {
      const s = e.source;
      if (s.kind === 'cidr') {
        // Use the raw text: an IPv4-mapped IPv6 CIDR is normalised to IPv4 in the graph.
        const text = s.cidr.cidr;
        if (raw.ipv4.some((r) => r.cidr === text)) v4.add(text);
        else if (raw.ipv6.some((r) => r.cidr === text)) v6.add(text);
        else {
          const r6 = raw.ipv6.find((r) => classifyCidr(r.cidr).cidr === text);
          if (r6) v6.add(r6.cidr);
          else (s.cidr.family === 6 ? v6 : v4).add(text);
        }
      } else if (s.kind === 'prefixList') pls.add(s.prefixListId);
      else {
        const rawPair = raw.groups.find((g) => g.groupId === s.groupId);
        pairs.set(s.groupId, { GroupId: s.groupId, ...(rawPair?.userId ? { UserId: rawPair.userId } : {}) });
      }
    }
    if (v4.size) p.IpRanges = [...v4].map((CidrIp) => ({ CidrIp }));
    if (v6.size) p.Ipv6Ranges = [...v6].map((CidrIpv6) => ({ CidrIpv6 }));
    if (pls.size) p.PrefixListIds = [...pls].map((PrefixListId) => ({ PrefixListId }));
    if (pairs.size) p.UserIdGroupPairs = [...pairs.values()];
    out.push(p);
  }
  return out;
}

/** `ipPermissions([e])` without the grouping maps and sets: most revocations name one entry (issue #6). */
function singleEntryPermission(e: RuleEntry): IpPermissionJson {
  const raw = rawPermission(e);
  const p: IpPermissionJson = { IpProtocol: raw.protocol };
  if (raw.protocol !== '-1') {
    if (raw.fromPort !== undefined) p.FromPort = raw.fromPort;
    if (raw.toPort !== undefined) p.ToPort = raw.toPort;
  }
  const s = e.source;
  if (s.kind === 'cidr') {
    const text = s.cidr.cidr;
    let v6: string | undefined;
    let v4: string | undefined;
    if (raw.ipv4.some((r) => r.cidr === text)) v4 = text;
    else if (raw.ipv6.some((r) => r.cidr === text)) v6 = text;
    else {
      const r6 = raw.ipv6.find((r) => classifyCidr(r.cidr).cidr === text);
      if (r6) v6 = r6.cidr;
      else if (s.cidr.family === 6) v6 = text;
      else v4 = text;
    }
    if (v4 !== undefined) p.IpRanges = [{ CidrIp: v4 }];
    if (v6 !== undefined) p.Ipv6Ranges = [{ CidrIpv6: v6 }];
  } else if (s.kind === 'prefixList') p.PrefixListIds = [{ PrefixListId: s.prefixListId }];
  else {
    const rawPair = raw.groups.find((g) => g.groupId === s.groupId);
    p.UserIdGroupPairs = [{ GroupId: s.groupId, ...(rawPair?.userId ? { UserId: rawPair.userId } : {}) }];
  }
  return p;
}

/**
 * `aws ec2 revoke-security-group-ingress|egress` commands removing exactly these entries: one command per
 * group and direction, in input order of groups.
 */
export function revokeCommands(entries: readonly RuleEntry[]): string[] {
  if (entries.length === 1) return [revokeEntryCommand(entries[0])];
  const first = entries[0];
  let oneCommand = true;
  for (const e of entries) {
    if (e.group.id !== first.group.id || e.direction !== first.direction) {
      oneCommand = false;
      break;
    }
  }
  if (oneCommand) return entries.length === 0 ? [] : [revokeCommand(entries)];
  const byKey = new Map<string, RuleEntry[]>();
  for (const e of entries) {
    const key = `${e.group.id}|${e.direction}`;
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  const out: string[] = [];
  for (const es of byKey.values()) out.push(revokeCommand(es));
  return out;
}

/** Single-entry revocations by entry: several rules revoke the same world-open entry (issue #6). */
const entryRevokes = new WeakMap<RuleEntry, string>();

/** The `aws ec2 revoke-security-group-*` command removing exactly this entry (built once per entry). */
export function revokeEntryCommand(e: RuleEntry): string {
  let cmd = entryRevokes.get(e);
  if (cmd === undefined) {
    cmd = revokeCommand([e]);
    entryRevokes.set(e, cmd);
  }
  return cmd;
}

/** One command for entries of one group and direction. */
function revokeCommand(es: readonly RuleEntry[]): string {
  const { group, direction } = es[0];
  return `aws ec2 revoke-security-group-${direction} --region ${group.region} --group-id ${group.id} --ip-permissions ${shellQuote(JSON.stringify(ipPermissions(es)))}`;
}

export function deleteGroupCommand(g: GroupNode): string {
  return `aws ec2 delete-security-group --region ${g.region} --group-id ${g.id}`;
}

export function describeGroupCommand(g: GroupNode): string {
  return `aws ec2 describe-security-group-rules --region ${g.region} --filters Name=group-id,Values=${g.id}`;
}

export function prefixListEntriesCommand(region: string, prefixListId: string): string {
  return `aws ec2 get-managed-prefix-list-entries --region ${region} --prefix-list-id ${prefixListId}`;
}
