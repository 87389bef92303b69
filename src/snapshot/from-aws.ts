/**
 * Convert AWS API shapes (SDK v3 output, identical to `aws ec2 describe-security-groups` JSON) into
 * snapshot records. Shared by live collection and raw aws-cli input, so both normalise identically.
 */
import { z } from 'zod';
import {
  ACCOUNT_EXPECTED,
  ACCOUNT_ID,
  AWS_FIELDS,
  canonicalProtocol,
  permissionProblems,
  parseSecurityGroupArn,
} from './aws-values.js';
import type { Permission, SecurityGroup } from './schema.js';

const AwsTag = z.object({ Key: z.string().optional(), Value: z.string().optional() }).passthrough();
const AwsPermission = z
  .object({
    IpProtocol: z.string(),
    FromPort: z.number().int().optional(),
    ToPort: z.number().int().optional(),
    IpRanges: z.array(z.object({ CidrIp: z.string(), Description: z.string().optional() }).passthrough()).optional(),
    Ipv6Ranges: z
      .array(z.object({ CidrIpv6: z.string(), Description: z.string().optional() }).passthrough())
      .optional(),
    PrefixListIds: z
      .array(z.object({ PrefixListId: z.string(), Description: z.string().optional() }).passthrough())
      .optional(),
    UserIdGroupPairs: z
      .array(
        z
          .object({
            GroupId: z.string().optional(),
            GroupName: z.string().optional(),
            UserId: z.string().optional(),
            VpcId: z.string().optional(),
            VpcPeeringConnectionId: z.string().optional(),
            PeeringStatus: z.string().optional(),
            Description: z.string().optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough()
  // AWS's value space for protocol and ports (EC2 API reference, IpPermission), as the snapshot schema checks it.
  .superRefine((p, ctx) => {
    for (const problem of permissionProblems(AWS_FIELDS, p.IpProtocol, p.FromPort, p.ToPort)) {
      ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message, input: p[problem.field] });
    }
  });

export const AwsSecurityGroupSchema = z
  .object({
    GroupId: z.string(),
    GroupName: z.string(),
    Description: z.string().optional(),
    VpcId: z.string().optional(),
    OwnerId: z.string().optional(),
    Tags: z.array(AwsTag).optional(),
    IpPermissions: z.array(AwsPermission).optional(),
    IpPermissionsEgress: z.array(AwsPermission).optional(),
  })
  .passthrough();

/**
 * A group in raw `aws ec2 describe-security-groups` output (a file): its OwnerId and SecurityGroupArn
 * decide the scope it is audited in, so they must be what AWS prints (live collection knows its scope
 * and reads neither).
 */
export const AwsRawSecurityGroupSchema = AwsSecurityGroupSchema.extend({
  OwnerId: z
    .string()
    .regex(ACCOUNT_ID, { error: (iss) => `expected ${ACCOUNT_EXPECTED} (got ${JSON.stringify(iss.input)})` })
    .optional(),
  SecurityGroupArn: z
    .string()
    .refine((arn) => parseSecurityGroupArn(arn) !== undefined, {
      error: (iss) => `expected arn:aws:ec2:REGION:ACCOUNT:security-group/sg-… (got ${JSON.stringify(iss.input)})`,
    })
    .optional(),
}).superRefine((g, ctx) => {
  const arn = g.SecurityGroupArn === undefined ? undefined : parseSecurityGroupArn(g.SecurityGroupArn);
  if (!arn) return;
  if (arn.groupId !== g.GroupId) {
    ctx.addIssue({
      code: 'custom',
      path: ['SecurityGroupArn'],
      message: `names ${arn.groupId}, not the group's GroupId ${g.GroupId}`,
      input: g.SecurityGroupArn,
    });
  }
  if (g.OwnerId !== undefined && ACCOUNT_ID.test(g.OwnerId) && arn.accountId !== g.OwnerId) {
    ctx.addIssue({
      code: 'custom',
      path: ['SecurityGroupArn'],
      message: `names account ${arn.accountId}, not the group's OwnerId ${g.OwnerId}`,
      input: g.SecurityGroupArn,
    });
  }
});

export const AwsDescribeSecurityGroupsSchema = z
  .object({ SecurityGroups: z.array(AwsRawSecurityGroupSchema) })
  .passthrough();

export type AwsSecurityGroup = z.infer<typeof AwsSecurityGroupSchema>;
export type AwsPermissionT = z.infer<typeof AwsPermission>;

/** AWS tag list → record. Entries without a key are dropped. */
export function tagsToRecord(
  tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

function opt<T>(v: T | undefined | null): T | undefined {
  return v === null || v === undefined ? undefined : v;
}

export function fromAwsPermission(p: AwsPermissionT): Permission {
  const perm: Permission = {
    // Validated by the schema: one spelling per protocol ("6" → tcp), as in snapshots.
    protocol: canonicalProtocol(p.IpProtocol) ?? p.IpProtocol,
    ipv4: (p.IpRanges ?? []).map((r) => ({ cidr: r.CidrIp, ...(r.Description ? { description: r.Description } : {}) })),
    ipv6: (p.Ipv6Ranges ?? []).map((r) => ({
      cidr: r.CidrIpv6,
      ...(r.Description ? { description: r.Description } : {}),
    })),
    prefixLists: (p.PrefixListIds ?? []).map((r) => ({
      id: r.PrefixListId,
      ...(r.Description ? { description: r.Description } : {}),
    })),
    groups: (p.UserIdGroupPairs ?? [])
      .filter((g) => g.GroupId !== undefined)
      .map((g) => ({
        groupId: g.GroupId!,
        ...(g.UserId ? { userId: g.UserId } : {}),
        ...(g.VpcId ? { vpcId: g.VpcId } : {}),
        ...(g.VpcPeeringConnectionId ? { vpcPeeringConnectionId: g.VpcPeeringConnectionId } : {}),
        ...(g.PeeringStatus ? { peeringStatus: g.PeeringStatus } : {}),
        ...(g.GroupName ? { groupName: g.GroupName } : {}),
        ...(g.Description ? { description: g.Description } : {}),
      })),
  };
  if (opt(p.FromPort) !== undefined) perm.fromPort = p.FromPort;
  if (opt(p.ToPort) !== undefined) perm.toPort = p.ToPort;
  return perm;
}

export function fromAwsSecurityGroup(sg: AwsSecurityGroup): SecurityGroup {
  return {
    groupId: sg.GroupId,
    groupName: sg.GroupName,
    ...(sg.Description !== undefined ? { description: sg.Description } : {}),
    ...(sg.VpcId ? { vpcId: sg.VpcId } : {}),
    ...(sg.OwnerId ? { ownerId: sg.OwnerId } : {}),
    tags: tagsToRecord(sg.Tags),
    ingress: (sg.IpPermissions ?? []).map(fromAwsPermission),
    egress: (sg.IpPermissionsEgress ?? []).map(fromAwsPermission),
  };
}
