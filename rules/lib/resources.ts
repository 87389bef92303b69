/**
 * Resource references for findings: security groups, attached resources and account-regions, with ARNs
 * in the right partition.
 */
import type { Attachment, GroupNode, Scope } from '../../src/graph/model.js';
import type { Severity } from '../../src/config/schema.js';
import type { PassDetails, ResourceRef, RuleReport } from '../../src/engine/types.js';
import { REPORT_TYPE_OF, type ReportTypeOf } from '../../src/engine/resource-types.js';

/** `aws`, `aws-cn` or `aws-us-gov` from the region name. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function sgArn(g: GroupNode): string {
  return `arn:${partitionOf(g.region)}:ec2:${g.region}:${g.accountId}:security-group/${g.id}`;
}

const refCache = new WeakMap<GroupNode, ResourceRef>();

/** The group as a finding resource: one shared, never-mutated object per group (cached). */
export function sgRef(g: GroupNode): ResourceRef {
  let ref = refCache.get(g);
  if (!ref) {
    ref = { type: 'security-group', id: g.id, arn: sgArn(g), name: g.name };
    refCache.set(g, ref);
  }
  return ref;
}

export function attachmentRef(a: Attachment): ResourceRef {
  const ref: ResourceRef = { type: REPORT_TYPE_OF[a.kind], id: a.id };
  if (a.arn) ref.arn = a.arn;
  if (a.name) ref.name = a.name;
  return ref;
}

/** An RDS/Aurora cluster or instance as a finding resource (the ARN when the snapshot has it). */
export function dbRef(
  type: ReportTypeOf<'dbClusters' | 'dbInstances'>,
  id: string,
  arn: string | undefined,
): ResourceRef {
  return arn ? { type, id, arn } : { type, id };
}

const managedEnis = new WeakMap<Scope, Set<string>>();

/** ENIs AWS manages for a load balancer or database: the LB/DB itself is the resource worth naming. */
function requesterManagedEnis(scope: Scope): Set<string> {
  let ids = managedEnis.get(scope);
  if (!ids) {
    ids = new Set(scope.networkInterfaces.filter((n) => n.eni.requesterManaged === true).map((n) => n.eni.id));
    managedEnis.set(scope, ids);
  }
  return ids;
}

/**
 * What a group protects, for a failing finding's `related` list: its attachments without the
 * requester-managed ENIs of its LBs/DBs (the LB/DB is listed instead), de-duplicated, at most `limit`.
 */
export function relatedOf(g: GroupNode, limit = 10): ResourceRef[] {
  if (limit !== 10) return computeRelated(g, limit);
  // The default list is computed once per group and shared by its findings (never mutated).
  let refs = relatedCache.get(g);
  if (!refs) {
    refs = computeRelated(g, limit);
    relatedCache.set(g, refs);
  }
  return refs;
}

const relatedCache = new WeakMap<GroupNode, ResourceRef[]>();

function computeRelated(g: GroupNode, limit: number): ResourceRef[] {
  const managed = requesterManagedEnis(g.scope);
  const seen = new Set<string>();
  const out: ResourceRef[] = [];
  for (const a of g.attachments) {
    if (a.kind === 'networkInterfaces' && managed.has(a.id)) continue;
    const ref = attachmentRef(a);
    const key = `${ref.type}:${ref.arn ?? ref.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
    if (out.length >= limit) break;
  }
  return out;
}

export function scopeRef(scope: Scope): ResourceRef {
  return { type: 'account-region', id: scope.key };
}

/**
 * A failing group-level finding: account, region, the group and what it protects (`relatedOf`), plus
 * message id, data and remediation, built as one object (no spreads: rules build ~2·10^5 of these at 100k
 * groups).
 */
export function sgFailure<M extends string>(
  g: GroupNode,
  messageId: M,
  data: Record<string, string | number>,
  remediation: string[],
  severity?: Severity,
): RuleReport<M> {
  return {
    status: 'fail',
    messageId,
    accountId: g.scope.accountId,
    region: g.region,
    resource: sgRef(g),
    related: relatedOf(g),
    data,
    remediation,
    severity,
  };
}

/**
 * Details of a passing group-level finding (for `ctx.pass`): account, region, the group and data; no
 * `related` list (passes are numerous and need no impact context).
 */
export function sgPassDetails(g: GroupNode, data: Record<string, string | number>): PassDetails {
  return { accountId: g.scope.accountId, region: g.region, resource: sgRef(g), data };
}

/** Human list of kinds, e.g. `network interfaces, load balancers`. */
export const KIND_LABELS: Record<string, string> = {
  securityGroups: 'security groups',
  networkInterfaces: 'network interfaces',
  loadBalancers: 'load balancers',
  dbClusters: 'DB clusters',
  dbInstances: 'DB instances',
  prefixLists: 'prefix lists',
};
