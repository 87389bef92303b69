import { UsageError } from '../util/errors.js';
import { INPUT_LIMIT_BYTES, parseJson, readText } from '../util/fs.js';
import { formatIssues } from '../util/zod-issues.js';
import {
  ACCOUNT_EXPECTED,
  isAccountId,
  isRegionName,
  parseSecurityGroupArn,
  REGION_EXPECTED,
  UNKNOWN,
} from './aws-values.js';
import { AwsDescribeSecurityGroupsSchema, fromAwsSecurityGroup } from './from-aws.js';
import {
  emptyRegion,
  newSnapshot,
  NETWORK_KINDS,
  READABLE_SCHEMA_VERSIONS,
  SNAPSHOT_SCHEMA_VERSION,
  SnapshotSchema,
  type RegionSnapshot,
  type ResourceKind,
  type Snapshot,
} from './schema.js';
import { validateSnapshotInPlace } from './validate.js';

export interface RawInputDefaults {
  /**
   * Account for raw aws-cli input (`--account`, 12 digits). A group's SecurityGroupArn names its account:
   * a different `--account` is an error. Without either, the group's OwnerId; else `unknown`.
   */
  accountId?: string;
  /**
   * Region for raw aws-cli input (`--region`, an AWS region name). A group's SecurityGroupArn names its
   * region: a different `--region` is an error. Without either, `unknown`.
   */
  region?: string;
}

/** `--account` and `--region` must be what AWS spells (they reach findings and fix commands). */
export function checkRawInputDefaults(defaults: RawInputDefaults): void {
  if (defaults.accountId !== undefined && !isAccountId(defaults.accountId)) {
    throw new UsageError(`--account: expected ${ACCOUNT_EXPECTED} (got ${JSON.stringify(defaults.accountId)})`);
  }
  if (defaults.region !== undefined && !isRegionName(defaults.region)) {
    throw new UsageError(`--region: expected ${REGION_EXPECTED} (got ${JSON.stringify(defaults.region)})`);
  }
}

/**
 * Read one input file: an sg-audit snapshot, or raw `aws ec2 describe-security-groups` JSON. At most
 * INPUT_LIMIT_BYTES (256 MB), also from a FIFO or device; UTF-8 (BOM or not) or UTF-16. `maxBytes` lowers
 * the limit for tests only.
 */
export function loadInputFile(
  file: string,
  defaults: RawInputDefaults = {},
  opts: { maxBytes?: number } = {},
): Snapshot {
  // One buffer + toString, as before: markedly faster than readFileSync(file, 'utf8') on Node 20 for large
  // files (0.5 s vs 0.85 s for a 240 MB snapshot); the decoded text is identical.
  let text = readText(file, {
    what: 'input',
    maxBytes: opts.maxBytes ?? INPUT_LIMIT_BYTES,
    limitName: 'input limit',
    advice: 'collect per account or region and pass several --input',
  });
  const raw = parseJson(text, file);
  const validateInPlace = text.length >= IN_PLACE_MIN_CHARS;
  // eslint-disable-next-line no-useless-assignment -- let the text be collected while the snapshot is validated
  text = '';
  return parseInput(raw, file, defaults, { validateInPlace });
}

/**
 * Inputs from this size (characters of JSON: ~22k security groups compact, ~13k indented) are validated in
 * place by the compiled validator; below it zod is as fast as loading and compiling ajv (at 10k groups,
 * 14 MB compact: zod 0.2 s, ajv with its compile 0.24 s).
 */
export const IN_PLACE_MIN_CHARS = 32_000_000;

export function parseInput(
  raw: unknown,
  file: string,
  defaults: RawInputDefaults = {},
  opts: { validateInPlace?: boolean } = {},
): Snapshot {
  checkRawInputDefaults(defaults);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const obj = raw as Record<string, unknown>;
    if ('SecurityGroups' in obj && !('schemaVersion' in obj)) return fromAwsCli(obj, file, defaults);
    if ('schemaVersion' in obj && !READABLE_SCHEMA_VERSIONS.includes(obj.schemaVersion as number)) {
      throw new UsageError(
        `${file}: schemaVersion: unsupported snapshot version ${JSON.stringify(obj.schemaVersion)} ` +
          `(this sg-audit reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')})`,
      );
    }
    if ('schemaVersion' in obj && obj.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) upgradeV1(obj, file);
  }
  // Valid input is validated and completed in place (no copy); zod only runs on rejected input, to word
  // the error (it returns the data should it accept what the compiled validator rejected).
  if (opts.validateInPlace && validateSnapshotInPlace(raw)) return raw;
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const [first] = formatIssues(file, parsed.error);
    throw new UsageError(
      raw && typeof raw === 'object' && !('schemaVersion' in raw)
        ? `${file}: not an sg-audit snapshot (no schemaVersion) nor 'aws ec2 describe-security-groups' output ` +
            '(no SecurityGroups)'
        : first,
    );
  }
  return parsed.data;
}

/**
 * A version-1 snapshot read as version 2, in place (no copy): it has none of the network kinds, which the
 * defaults fill as empty and `collected` leaves out (not collected, so exposure is unknown).
 */
function upgradeV1(obj: Record<string, unknown>, file: string): void {
  const regions = Array.isArray(obj.regions) ? (obj.regions as unknown[]) : [];
  regions.forEach((r, i) => {
    const collected = r && typeof r === 'object' ? (r as { collected?: unknown }).collected : undefined;
    if (!Array.isArray(collected)) return;
    const j = collected.findIndex((k) => (NETWORK_KINDS as readonly unknown[]).includes(k));
    if (j >= 0) {
      throw new UsageError(
        `${file}: regions.${i}.collected.${j}: ${JSON.stringify(collected[j])} is not a resource kind of ` +
          'snapshot version 1 (schemaVersion 2 holds it)',
      );
    }
  });
  obj.schemaVersion = SNAPSHOT_SCHEMA_VERSION;
}

function fromAwsCli(obj: Record<string, unknown>, file: string, defaults: RawInputDefaults): Snapshot {
  const parsed = AwsDescribeSecurityGroupsSchema.safeParse(obj);
  if (!parsed.success) throw new UsageError(formatIssues(file, parsed.error)[0]);
  // One entry per account and region: a group's SecurityGroupArn names both (explicit flags must agree
  // with it); without an ARN, --account, else OwnerId, and --region, else `unknown`.
  const byScope = new Map<string, RegionSnapshot>();
  const scopeOf = (accountId: string, region: string): RegionSnapshot => {
    const key = `${accountId}/${region}`;
    let rs = byScope.get(key);
    if (!rs) {
      rs = emptyRegion(accountId, region);
      rs.collected = ['securityGroups'];
      byScope.set(key, rs);
    }
    return rs;
  };
  parsed.data.SecurityGroups.forEach((raw, i) => {
    const g = fromAwsSecurityGroup(raw);
    const arn = raw.SecurityGroupArn === undefined ? undefined : parseSecurityGroupArn(raw.SecurityGroupArn);
    if (arn) {
      const where = `${file}: SecurityGroups[${i}].SecurityGroupArn`;
      if (defaults.region !== undefined && defaults.region !== arn.region) {
        throw new UsageError(
          `${where}: names region ${arn.region}, not --region ${defaults.region} (the ARN says where the group ` +
            'is: drop --region)',
        );
      }
      if (defaults.accountId !== undefined && defaults.accountId !== arn.accountId) {
        throw new UsageError(
          `${where}: names account ${arn.accountId}, not --account ${defaults.accountId} (the ARN says whose the ` +
            'group is: drop --account)',
        );
      }
      scopeOf(arn.accountId, arn.region).securityGroups.push(g);
    } else {
      scopeOf(defaults.accountId ?? g.ownerId ?? UNKNOWN, defaults.region ?? UNKNOWN).securityGroups.push(g);
    }
  });
  if (byScope.size === 0) scopeOf(defaults.accountId ?? UNKNOWN, defaults.region ?? UNKNOWN);
  return newSnapshot([...byScope.values()]);
}

/** What identifies a resource of each kind when inputs are merged (a new kind without one does not compile). */
const MERGE_KEY: { [K in ResourceKind]: (x: RegionSnapshot[K][number]) => string } = {
  securityGroups: (x) => x.groupId,
  networkInterfaces: (x) => x.id,
  loadBalancers: (x) => x.arn,
  dbClusters: (x) => x.id,
  dbInstances: (x) => x.id,
  prefixLists: (x) => x.id,
  vpcs: (x) => x.id,
  subnets: (x) => x.id,
  routeTables: (x) => x.id,
  internetGateways: (x) => x.id,
  egressOnlyInternetGateways: (x) => x.id,
  networkAcls: (x) => x.id,
  listeners: (x) => x.arn,
  targetGroups: (x) => x.arn,
  vpcPeeringConnections: (x) => x.id,
};

function mergeBy<T>(a: T[], b: T[], id: (x: T) => string): T[] {
  const seen = new Set(a.map(id));
  return [...a, ...b.filter((x) => !seen.has(id(x)))];
}

/**
 * Merge several snapshots into one. Entries for the same account and region are combined (resources
 * de-duplicated by id, collected kinds united), so collecting account by account and auditing once works.
 */
export function mergeSnapshots(snaps: Snapshot[]): Snapshot {
  if (snaps.length === 1) return snaps[0];
  const byScope = new Map<string, RegionSnapshot>();
  const errors: Snapshot['errors'] = [];
  for (const s of snaps) {
    errors.push(...s.errors);
    for (const r of s.regions) {
      const key = `${r.accountId}/${r.region}`;
      const cur = byScope.get(key);
      if (!cur) {
        byScope.set(key, { ...r, collected: [...r.collected] });
        continue;
      }
      cur.collected = [...new Set([...cur.collected, ...r.collected])];
      cur.securityGroups = mergeBy(cur.securityGroups, r.securityGroups, MERGE_KEY.securityGroups);
      cur.networkInterfaces = mergeBy(cur.networkInterfaces, r.networkInterfaces, MERGE_KEY.networkInterfaces);
      cur.loadBalancers = mergeBy(cur.loadBalancers, r.loadBalancers, MERGE_KEY.loadBalancers);
      cur.dbClusters = mergeBy(cur.dbClusters, r.dbClusters, MERGE_KEY.dbClusters);
      cur.dbInstances = mergeBy(cur.dbInstances, r.dbInstances, MERGE_KEY.dbInstances);
      cur.vpcs = mergeBy(cur.vpcs, r.vpcs, MERGE_KEY.vpcs);
      cur.subnets = mergeBy(cur.subnets, r.subnets, MERGE_KEY.subnets);
      cur.routeTables = mergeBy(cur.routeTables, r.routeTables, MERGE_KEY.routeTables);
      cur.internetGateways = mergeBy(cur.internetGateways, r.internetGateways, MERGE_KEY.internetGateways);
      cur.egressOnlyInternetGateways = mergeBy(
        cur.egressOnlyInternetGateways,
        r.egressOnlyInternetGateways,
        MERGE_KEY.egressOnlyInternetGateways,
      );
      cur.networkAcls = mergeBy(cur.networkAcls, r.networkAcls, MERGE_KEY.networkAcls);
      cur.listeners = mergeBy(cur.listeners, r.listeners, MERGE_KEY.listeners);
      cur.targetGroups = mergeBy(cur.targetGroups, r.targetGroups, MERGE_KEY.targetGroups);
      cur.vpcPeeringConnections = mergeBy(
        cur.vpcPeeringConnections,
        r.vpcPeeringConnections,
        MERGE_KEY.vpcPeeringConnections,
      );
      // A prefix list whose entries a later input resolved replaces an earlier copy without entries.
      const resolved = new Map(r.prefixLists.filter((x) => x.entries).map((x) => [x.id, x]));
      cur.prefixLists = mergeBy(
        cur.prefixLists.map((x) => (x.entries ? x : (resolved.get(x.id) ?? x))),
        r.prefixLists,
        MERGE_KEY.prefixLists,
      );
      cur.errors = [...cur.errors, ...r.errors];
    }
  }
  const created =
    snaps
      .map((s) => s.createdAt)
      .sort()
      .at(-1) ?? new Date().toISOString();
  return { ...newSnapshot([...byScope.values()], created), errors };
}

/**
 * Snapshots are written as compact JSON: they are machine artefacts (`jq .` shows them indented), and a
 * 100k-group snapshot is 143 MB compact against 239 MB indented, which costs ~0.5 s more to write and to
 * parse back.
 */
export function serializeSnapshot(s: Snapshot): string {
  return JSON.stringify(s) + '\n';
}
