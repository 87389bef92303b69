/**
 * AWS's value space for what sg-audit reads: region names, account ids, security group ARNs and the
 * protocol / port fields of a security group rule. One source for the snapshot schema, raw aws-cli input,
 * live collection (SDK and fast XML paths) and the CLI flags, so every path accepts, rejects and
 * normalises alike. Free of zod and SDK imports: the fast XML reader uses it.
 */

/** Region and account of raw input that does not say (no flag, no ARN, no OwnerId). */
export const UNKNOWN = 'unknown';

/**
 * AWS region names: a prefix of 2–4 letters, one to three words, a number. Covers every partition's
 * `regionRegex` in the SDK's endpoint rules (@aws-sdk/core partitions: aws `^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`,
 * aws-cn `^cn-\w+-\d+$`, aws-us-gov `^us-gov-\w+-\d+$`, aws-iso(-b/-e/-f) `^us-iso-…`, `^us-isob-…`,
 * `^eu-isoe-…`, `^us-isof-…`, aws-eusc `^eusc-(de)-\w+-\d+$`), e.g. us-east-1, us-gov-west-1,
 * cn-northwest-1, eu-isoe-west-1, eusc-de-east-1; lower case letters only, so nothing a shell reads specially.
 */
const REGION_BODY = '[a-z]{2,4}(?:-[a-z]+){1,3}-\\d{1,2}';
export const REGION_NAME = new RegExp(`^${REGION_BODY}$`);
/** A region in a snapshot: a region name, or `unknown` (raw input without one). */
export const SNAPSHOT_REGION = new RegExp(`^(?:${REGION_BODY}|${UNKNOWN})$`);

/**
 * AWS account ids are 12 digits
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html).
 */
export const ACCOUNT_ID = /^\d{12}$/;
/** An account in a snapshot: 12 digits, or `unknown` (raw input without --account, ARN or OwnerId). */
export const SNAPSHOT_ACCOUNT = new RegExp(`^(?:\\d{12}|${UNKNOWN})$`);

export function isRegionName(s: string): boolean {
  return REGION_NAME.test(s);
}

export function isAccountId(s: string): boolean {
  return ACCOUNT_ID.test(s);
}

export const REGION_EXPECTED = 'an AWS region name such as us-east-1 or eu-west-1';
export const ACCOUNT_EXPECTED = 'a 12-digit AWS account id';

/**
 * `arn:PARTITION:ec2:REGION:ACCOUNT:security-group/sg-…`, as `describe-security-groups` prints it in
 * `SecurityGroupArn` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
 * "Resource types defined by Amazon EC2":
 * `arn:${Partition}:ec2:${Region}:${Account}:security-group/${SecurityGroupId}`).
 */
const SG_ARN = new RegExp(`^arn:aws(?:-[a-z]+)*:ec2:(${REGION_BODY}):(\\d{12}):security-group/(sg-[0-9a-f]+)$`);

export interface SecurityGroupArn {
  region: string;
  accountId: string;
  groupId: string;
}

/** Region, account and group id of a security group ARN; undefined when it is not one. */
export function parseSecurityGroupArn(arn: string): SecurityGroupArn | undefined {
  const m = SG_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], groupId: m[3] } : undefined;
}

/*
 * Protocols and ports, per the EC2 API reference for IpPermission
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html):
 * - IpProtocol is a name (tcp, udp, icmp, icmpv6) or an IP protocol number; -1 is all protocols.
 *   Numbers are IANA protocol numbers, 0–255; 6, 17, 1 and 58 are tcp, udp, icmp and icmpv6.
 * - For tcp and udp, FromPort/ToPort are the port range (0–65535; a range starts at or below its end).
 * - For icmp and icmpv6, FromPort is the ICMP type and ToPort the code, -1 meaning all; "if you specify all
 *   ICMP/ICMPv6 types, you must specify all codes".
 * - "Specifying -1 or a protocol number other than tcp, udp, icmp, or icmpv6 allows traffic on all ports,
 *   regardless of any port range you specify": their ports carry no meaning; they must still be integers
 *   in the API's range (-1–65535).
 */

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const NAMED = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

export const PROTOCOL_EXPECTED = '-1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255';

/**
 * The one spelling every rule sees: `-1`, a lower-case name for tcp/udp/icmp/icmpv6 (also when given by
 * number, e.g. `"6"` → `tcp`), else the protocol number without leading zeros. Undefined when `p` is
 * not a protocol AWS accepts.
 */
export function canonicalProtocol(p: string): string | undefined {
  // The spellings AWS returns, first: no allocation on the hot path (~1M rules at 100k groups).
  if (p === 'tcp' || p === '-1' || p === 'udp' || p === 'icmp' || p === 'icmpv6') return p;
  const lower = p.toLowerCase();
  if (NAMED.has(lower)) return lower;
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const n = Number(p);
  if (n > 255) return undefined;
  return PROTOCOL_NAMES[String(n)] ?? String(n);
}

/**
 * Field names of one permission, as the input spells them (snapshot: protocol/fromPort/toPort; AWS:
 * IpProtocol/FromPort/ToPort).
 */
export interface PermissionFields<K extends string> {
  protocol: K;
  fromPort: K;
  toPort: K;
}

export interface PermissionProblem<K extends string> {
  field: K;
  /** `expected …` text, with what was found. */
  message: string;
}

function inRange(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}

/**
 * What is wrong with one permission's protocol and ports (empty: nothing). Ports must already be
 * integers (the schemas check types first).
 */
export function permissionProblems<K extends string>(
  names: PermissionFields<K>,
  protocol: string,
  fromPort: number | undefined,
  toPort: number | undefined,
): readonly PermissionProblem<K>[] {
  const proto = canonicalProtocol(protocol);
  if (proto === undefined)
    return [{ field: names.protocol, message: `expected ${PROTOCOL_EXPECTED} (got ${JSON.stringify(protocol)})` }];
  // Valid rules (nearly all) allocate nothing.
  if (fromPort === undefined && toPort === undefined) return NO_PROBLEMS;
  let out: PermissionProblem<K>[] | undefined;
  if (proto === 'tcp' || proto === 'udp') {
    const fromOk = fromPort === undefined || inRange(fromPort, 0, 65535);
    if (!fromOk) (out ??= []).push({ field: names.fromPort, message: `expected an integer 0–65535 (got ${fromPort})` });
    if (toPort !== undefined && !inRange(toPort, 0, 65535)) {
      (out ??= []).push({ field: names.toPort, message: `expected an integer 0–65535 (got ${toPort})` });
    } else if (fromOk && fromPort !== undefined && toPort !== undefined && toPort < fromPort) {
      (out ??= []).push({
        field: names.toPort,
        message: `expected an integer ${fromPort}–65535, not below ${names.fromPort} (got ${toPort})`,
      });
    }
  } else if (proto === 'icmp' || proto === 'icmpv6') {
    if (fromPort !== undefined && !inRange(fromPort, -1, 255)) {
      (out ??= []).push({
        field: names.fromPort,
        message: `expected an ICMP type, an integer -1 (all types) to 255 (got ${fromPort})`,
      });
    }
    if (toPort !== undefined && !inRange(toPort, -1, 255)) {
      (out ??= []).push({
        field: names.toPort,
        message: `expected an ICMP code, an integer -1 (all codes) to 255 (got ${toPort})`,
      });
    } else if (fromPort === -1 && toPort !== undefined && toPort !== -1) {
      (out ??= []).push({
        field: names.toPort,
        message: `expected -1 (all codes) as ${names.fromPort} is -1 (all types) (got ${toPort})`,
      });
    }
  } else {
    // -1 and other protocol numbers: ports are ignored by AWS but must be in the API's range.
    if (fromPort !== undefined && !inRange(fromPort, -1, 65535))
      (out ??= []).push({ field: names.fromPort, message: `expected an integer -1–65535 (got ${fromPort})` });
    if (toPort !== undefined && !inRange(toPort, -1, 65535))
      (out ??= []).push({ field: names.toPort, message: `expected an integer -1–65535 (got ${toPort})` });
  }
  return out ?? NO_PROBLEMS;
}

const NO_PROBLEMS: readonly never[] = Object.freeze([]);

export const SNAPSHOT_FIELDS: PermissionFields<'protocol' | 'fromPort' | 'toPort'> = {
  protocol: 'protocol',
  fromPort: 'fromPort',
  toPort: 'toPort',
};
export const AWS_FIELDS: PermissionFields<'IpProtocol' | 'FromPort' | 'ToPort'> = {
  protocol: 'IpProtocol',
  fromPort: 'FromPort',
  toPort: 'ToPort',
};
