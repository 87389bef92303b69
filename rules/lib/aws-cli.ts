/**
 * Remediation command builders: real AWS CLI commands with the ids, region and exact permissions filled
 * in. Revocations are rebuilt from the raw snapshot permission so that the command matches the rule AWS
 * stores (same protocol spelling, same ports, same CIDR text).
 *
 * Commands are data for a shell, and the ids, names and tags in them come from the estate. Every command is
 * built here, by `awsCommand`, from an argv of code-literal flags and `Arg` values; every value is checked
 * against its AWS format before use and POSIX-quoted on output. A value that fails its check gives no
 * command, only a `# No command: …` line naming what was wrong (never the value: it may hold a newline);
 * the engine then drops the finding's other commands (src/engine/remediation.ts).
 */
import ipaddr from 'ipaddr.js';
import { isRegionName } from '../../src/snapshot/aws-values.js';
import { NO_COMMAND } from '../../src/engine/remediation.js';
import type { GroupNode, RuleEntry } from '../../src/graph/model.js';
import type { ReportTypeOf } from '../../src/engine/resource-types.js';
import { classifyCidr } from '../../src/graph/net.js';
import type { Permission } from '../../src/snapshot/schema.js';

// ---------------------------------------------------------------------------------------------------
// Quoting

/**
 * Characters no POSIX shell (nor bash or zsh) gives a meaning inside a word: a value made only of these is
 * left bare (`sg-0abc`, `us-east-1`, `Key=Tier,Value=web`, `0.0.0.0/0`); anything else is single-quoted. A
 * leading `=` is quoted too (zsh expands `=cmd`). Python's `shlex.quote` set, ASCII only.
 */
const BARE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * One shell word that the shell turns back into exactly `s`: bare when `s` is made of inert characters
 * only, else in POSIX single quotes, inside which nothing is special; a `'` becomes `'\''` (close, escaped
 * quote, reopen). The empty string is `''`.
 */
export function shellQuote(s: string): string {
  if (BARE.test(s)) return s;
  return s.includes("'") ? `'${s.replace(/'/g, `'\\''`)}'` : `'${s}'`;
}

// ---------------------------------------------------------------------------------------------------
// Values

/** A command value: its text, or why it must not be used. */
export interface Arg {
  readonly text: string;
  /** Set when the value failed its format check: no command is built with it. */
  readonly problem?: string;
}

const ok = (text: string): Arg => ({ text });
const bad = (problem: string): Arg => ({ text: '', problem });

/**
 * Placeholders the user replaces (`<new-sg-id>`, `<vpc-id>`, `<new-web-tier-sg-id-vpc-0abc>`): accepted where
 * an id goes, quoted on output (`<` and `>` are redirections).
 */
const PLACEHOLDER = /^<[A-Za-z0-9-]+>$/;

/**
 * EC2 resource ids: the type prefix, a hyphen, then lowercase letters and digits (AWS issues 8 or 17 hex
 * digits: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). The length is not
 * enforced, so hand-written estates (`sg-app`, `vpc-1`) keep their commands; what matters here is that
 * the value cannot be anything but an id (no option, no space, no shell or CLI syntax).
 */
function ec2Id(prefix: string, label: string): (id: string, placeholder?: boolean) => Arg {
  const re = new RegExp(`^${prefix}-[0-9a-z]+(?:-[0-9a-z]+)*$`);
  return (id, placeholder = true) =>
    re.test(id) || (placeholder && PLACEHOLDER.test(id))
      ? ok(id)
      : bad(`the ${label} is not an AWS ${label} (${prefix}-…)`);
}

/**
 * RDS DB instance / cluster / snapshot identifiers: 1 to 63 (snapshots 255) letters, digits or hyphens,
 * first a letter, no trailing hyphen, no two hyphens in a row
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, DBInstanceIdentifier).
 */
function rdsId(label: string, max: number): (id: string) => Arg {
  return (id) =>
    id.length <= max && /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/.test(id) && !id.endsWith('-')
      ? ok(id)
      : bad(`the ${label} is not an RDS identifier (a letter, then letters, digits and single hyphens)`);
}

/**
 * Prefixes the AWS CLI reads as "load this parameter from a file or URL"
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-file.html): never at the start of a value.
 */
const PARAM_FILE = /^(?:file|fileb|https?):\/\//i;

/** arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app|net|gwy/NAME/ID (groups: partition, region). */
const LOAD_BALANCER_ARN = new RegExp(
  /^arn:([a-z-]+):elasticloadbalancing:([a-z0-9-]+):(\d{12}):/.source +
    /loadbalancer\/(?:app|net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/.source,
);
const PARTITION = /^aws(?:-[a-z]+)*$/;

/** Value constructors, one per kind of value a command takes. */
export const arg = {
  /** A region name (AWS pattern, as `--regions` checks it). Raw input without a region has none. */
  region(r: string): Arg {
    if (isRegionName(r)) return ok(r);
    return r === 'unknown'
      ? bad('the snapshot does not record the region (raw describe-security-groups input: pass --region)')
      : bad('the region is not an AWS region name');
  },
  /** A 12-digit AWS account id. */
  account(a: string): Arg {
    return /^\d{12}$/.test(a) ? ok(a) : bad('the account id is not 12 digits');
  },
  group: ec2Id('sg', 'security group id'),
  vpc: ec2Id('vpc', 'VPC id'),
  networkInterface: ec2Id('eni', 'network interface id'),
  prefixList: ec2Id('pl', 'prefix list id'),
  dbInstance: rdsId('DB instance identifier', 63),
  dbCluster: rdsId('DB cluster identifier', 63),
  dbSnapshot: rdsId('DB snapshot identifier', 255),
  /** An RDS engine name (`aurora-mysql`, `postgres`, `sqlserver-ee`). */
  engine(e: string): Arg {
    return /^[a-z][a-z0-9-]{0,63}$/.test(e) ? ok(e) : bad('the DB engine is not an RDS engine name');
  },
  /**
   * An ELBv2 load balancer ARN: arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app|net|gwy/NAME/ID
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html).
   */
  loadBalancerArn(a: string): Arg {
    if (PLACEHOLDER.test(a)) return ok(a);
    const m = LOAD_BALANCER_ARN.exec(a);
    return m && PARTITION.test(m[1]) && isRegionName(m[2])
      ? ok(a)
      : bad('the load balancer ARN is not an ELBv2 load balancer ARN');
  },
  /** An IPv4 or IPv6 CIDR block. */
  cidr(c: string): Arg {
    const slash = c.indexOf('/');
    const ip = c.slice(0, slash);
    const bits = c.slice(slash + 1);
    const valid =
      slash > 0 &&
      /^\d{1,3}$/.test(bits) &&
      ((ipaddr.IPv4.isValidFourPartDecimal(ip) && Number(bits) <= 32) ||
        (/^[0-9A-Fa-f:.]+$/.test(ip) && ipaddr.IPv6.isValid(ip) && Number(bits) <= 128));
    return valid ? ok(c) : bad('the CIDR block is not an IPv4 or IPv6 CIDR');
  },
  /** An integer port (or ICMP type/code, -1 for all) in AWS's range. */
  port(n: number): Arg {
    return Number.isInteger(n) && n >= -1 && n <= 65535 ? ok(String(n)) : bad('the port is not an integer -1–65535');
  },
  /** Free text (a description, a query): any characters but NUL, quoted as needed. */
  text(s: string): Arg {
    if (s.includes('\0')) return bad('the text holds a NUL character');
    if (PARAM_FILE.test(s)) return bad('the text starts like an AWS CLI file or URL parameter');
    return ok(s);
  },
  /** `text` made from checked values (`orders-aurora` from the cluster id): `base`'s problem if it has one. */
  derived(base: Arg, text: string): Arg {
    return base.problem !== undefined ? base : arg.text(text);
  },
  /** JSON of `value`, e.g. `--ip-permissions`; every id in it must have been checked by the caller. */
  json(value: unknown): Arg {
    return ok(JSON.stringify(value));
  },
};

// ---------------------------------------------------------------------------------------------------
// Commands

/**
 * An option's value(s): one value, several (`--groups sg-1 sg-2`), `true` for a bare flag, `undefined` to leave it
 * out.
 */
export type OptionValue = Arg | readonly Arg[] | true | undefined;

const FLAG = /^--[a-z0-9]+(?:-[a-z0-9]+)*$/;
const WORD = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * `aws SERVICE OPERATION --flag value …`, each value checked and quoted; or, when a value failed its check,
 * the `# No command: …` line saying which. Service, operation and flags are code literals (asserted).
 */
export function awsCommand(service: string, operation: string, options: Record<string, OptionValue>): string {
  if (!WORD.test(service) || !WORD.test(operation))
    throw new Error(`awsCommand: bad service/operation '${service} ${operation}'`);
  let out = `aws ${service} ${operation}`;
  for (const flag of Object.keys(options)) {
    const v = options[flag];
    if (v === undefined) continue;
    if (!FLAG.test(flag)) throw new Error(`awsCommand: bad flag '${flag}'`);
    out += ` ${flag}`;
    if (v === true) continue;
    const values: readonly Arg[] = Array.isArray(v) ? v : [v as Arg];
    for (const a of values) {
      if (a.problem !== undefined) return noCommand(a.problem);
      out += ` ${shellQuote(a.text)}`;
    }
  }
  return out;
}

/** The line standing for a command that was not built. */
export function noCommand(problem: string): string {
  return `${NO_COMMAND}${problem}.`;
}

/** Is this remediation line a `# No command` line? */
export function isNoCommand(line: string): boolean {
  return line.startsWith(NO_COMMAND);
}

// ---------------------------------------------------------------------------------------------------
// Security group permissions

export type IpPermissionJson = {
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

/** `ipPermissions([e])` without the grouping maps and sets: most revocations name one entry. */
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

const PROTOCOL = /^(?:-1|tcp|udp|icmp|icmpv6|\d{1,3})$/i;

/**
 * `--ip-permissions` JSON, with every value in it checked: protocol (`-1`, a name or a number 0–255),
 * ports, CIDRs, prefix list and group ids, account ids
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
 */
export function permissionsArg(perms: readonly IpPermissionJson[]): Arg {
  for (const p of perms) {
    if (!PROTOCOL.test(p.IpProtocol) || (/^\d+$/.test(p.IpProtocol) && Number(p.IpProtocol) > 255)) {
      return bad('the IP protocol is not -1, a protocol name or a number 0–255');
    }
    for (const n of [p.FromPort, p.ToPort]) {
      if (n === undefined) continue;
      const a = arg.port(n);
      if (a.problem) return a;
    }
    for (const r of p.IpRanges ?? []) if (arg.cidr(r.CidrIp).problem) return arg.cidr(r.CidrIp);
    for (const r of p.Ipv6Ranges ?? []) if (arg.cidr(r.CidrIpv6).problem) return arg.cidr(r.CidrIpv6);
    for (const r of p.PrefixListIds ?? []) {
      const a = arg.prefixList(r.PrefixListId, false);
      if (a.problem) return a;
    }
    for (const r of p.UserIdGroupPairs ?? []) {
      const a = arg.group(r.GroupId, false);
      if (a.problem) return a;
      if (r.UserId !== undefined && arg.account(r.UserId).problem) return arg.account(r.UserId);
    }
  }
  return arg.json(perms);
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

/** Single-entry revocations by entry: several rules revoke the same world-open entry. */
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
  return awsCommand('ec2', `revoke-security-group-${direction}`, {
    '--region': arg.region(group.region),
    '--group-id': arg.group(group.id, false),
    '--ip-permissions': permissionsArg(ipPermissions(es)),
  });
}

export function deleteGroupCommand(g: GroupNode): string {
  return awsCommand('ec2', 'delete-security-group', {
    '--region': arg.region(g.region),
    '--group-id': arg.group(g.id, false),
  });
}

export function describeGroupCommand(g: GroupNode): string {
  const id = arg.group(g.id, false);
  return awsCommand('ec2', 'describe-security-group-rules', {
    '--region': arg.region(g.region),
    '--filters': id.problem ? id : ok(`Name=group-id,Values=${id.text}`),
  });
}

export function prefixListEntriesCommand(region: string, prefixListId: string): string {
  return awsCommand('ec2', 'get-managed-prefix-list-entries', {
    '--region': arg.region(region),
    '--prefix-list-id': arg.prefixList(prefixListId, false),
  });
}

/** `aws ec2 authorize-security-group-ingress` with `--ip-permissions` JSON (checked). */
export function authorizeIngressCommand(region: string, groupId: string, perms: readonly IpPermissionJson[]): string {
  return awsCommand('ec2', 'authorize-security-group-ingress', {
    '--region': arg.region(region),
    '--group-id': arg.group(groupId),
    '--ip-permissions': permissionsArg(perms),
  });
}

/** `aws ec2 authorize-security-group-ingress` for tcp `port` from a group (or a placeholder) or a CIDR. */
export function authorizeTcpCommand(
  region: string,
  groupId: string,
  port: number,
  from: { group: string } | { cidr: string },
): string {
  return awsCommand('ec2', 'authorize-security-group-ingress', {
    '--region': arg.region(region),
    '--group-id': arg.group(groupId),
    '--protocol': ok('tcp'),
    '--port': arg.port(port),
    ...('group' in from ? { '--source-group': arg.group(from.group) } : { '--cidr': arg.cidr(from.cidr) }),
  });
}

/** `aws ec2 describe-security-groups` listing a region's groups as a table (ids, names, VPCs). */
export function listGroupsCommand(region: string): string {
  return awsCommand('ec2', 'describe-security-groups', {
    '--region': arg.region(region),
    '--query': arg.text('SecurityGroups[].[GroupId,GroupName,VpcId]'),
    '--output': arg.text('table'),
  });
}

/** `aws rds modify-db-instance|modify-db-cluster … --no-publicly-accessible --apply-immediately`. */
export function noPublicAccessCommand(
  region: string,
  kind: ReportTypeOf<'dbClusters' | 'dbInstances'>,
  id: string,
): string {
  return kind === 'db-instance'
    ? awsCommand('rds', 'modify-db-instance', {
        '--region': arg.region(region),
        '--db-instance-identifier': arg.dbInstance(id),
        '--no-publicly-accessible': true,
        '--apply-immediately': true,
      })
    : awsCommand('rds', 'modify-db-cluster', {
        '--region': arg.region(region),
        '--db-cluster-identifier': arg.dbCluster(id),
        '--no-publicly-accessible': true,
        '--apply-immediately': true,
      });
}

/**
 * Encrypting an RDS database that is not: snapshot it (`ID-unencrypted`), copy the snapshot with the RDS
 * KMS key (`ID-encrypted`), restore a new database `ID-encrypted` from the copy with the same groups.
 */
export function encryptedCopyCommands(db: {
  region: string;
  kind: ReportTypeOf<'dbClusters' | 'dbInstances'>;
  id: string;
  engine: string;
  groupIds: readonly string[];
}): string[] {
  const region = arg.region(db.region);
  const kms = arg.text('alias/aws/rds');
  const groups = db.groupIds.length ? db.groupIds.map((id) => arg.group(id, false)) : undefined;
  const unencrypted = arg.derived(arg.dbSnapshot(db.id), `${db.id}-unencrypted`);
  const encrypted = arg.derived(arg.dbSnapshot(db.id), `${db.id}-encrypted`);
  if (db.kind === 'db-cluster') {
    return [
      awsCommand('rds', 'create-db-cluster-snapshot', {
        '--region': region,
        '--db-cluster-identifier': arg.dbCluster(db.id),
        '--db-cluster-snapshot-identifier': unencrypted,
      }),
      awsCommand('rds', 'copy-db-cluster-snapshot', {
        '--region': region,
        '--source-db-cluster-snapshot-identifier': unencrypted,
        '--target-db-cluster-snapshot-identifier': encrypted,
        '--kms-key-id': kms,
      }),
      awsCommand('rds', 'restore-db-cluster-from-snapshot', {
        '--region': region,
        '--db-cluster-identifier': arg.dbCluster(`${db.id}-encrypted`),
        '--snapshot-identifier': encrypted,
        '--engine': arg.engine(db.engine),
        '--vpc-security-group-ids': groups,
      }),
    ];
  }
  return [
    awsCommand('rds', 'create-db-snapshot', {
      '--region': region,
      '--db-instance-identifier': arg.dbInstance(db.id),
      '--db-snapshot-identifier': unencrypted,
    }),
    awsCommand('rds', 'copy-db-snapshot', {
      '--region': region,
      '--source-db-snapshot-identifier': unencrypted,
      '--target-db-snapshot-identifier': encrypted,
      '--kms-key-id': kms,
    }),
    awsCommand('rds', 'restore-db-instance-from-db-snapshot', {
      '--region': region,
      '--db-instance-identifier': arg.dbInstance(`${db.id}-encrypted`),
      '--db-snapshot-identifier': encrypted,
      '--vpc-security-group-ids': groups,
    }),
  ];
}
