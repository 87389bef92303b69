/**
 * DescribeSecurityGroups, always listed. Pages go through the fast path (../fast-xml/) unless it steps
 * aside; then the SDK's output is converted here, through src/snapshot/from-aws.ts (shared with raw
 * aws-cli input).
 */
import type { SecurityGroup as AwsSdkSecurityGroup } from '@aws-sdk/client-ec2';
import { AwsSecurityGroupSchema, fromAwsSecurityGroup } from '../../snapshot/from-aws.js';
import type { SecurityGroup } from '../../snapshot/schema.js';
import { formatPath } from '../../util/zod-issues.js';
import { ec2Sdk } from '../aws/sdk.js';
import { withFastPath } from '../fast-xml/middleware.js';
import { parseSecurityGroupsPage } from '../fast-xml/security-groups.js';
import { InvalidResponseError, listPages, type Lister } from './listing.js';

/** The largest page DescribeSecurityGroups accepts. */
const PAGE_SIZE = 1000;
const API = 'ec2:DescribeSecurityGroups';

export function convertSecurityGroup(g: AwsSdkSecurityGroup): SecurityGroup {
  const parsed = AwsSecurityGroupSchema.safeParse(g);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidResponseError(
      `security group ${g.GroupId ?? '(no GroupId)'}: ${formatPath(issue.path)}: ${issue.message}`,
    );
  }
  return fromAwsSecurityGroup(parsed.data);
}

export const securityGroups: Lister = {
  kind: 'securityGroups',
  apis: [API],
  always: true,
  start(l) {
    const { DescribeSecurityGroupsCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const work = listPages(
      l,
      async (token, abortSignal) => {
        const command = new DescribeSecurityGroupsCommand({ MaxResults: PAGE_SIZE, NextToken: token });
        const fast = l.fastXml
          ? withFastPath(command, 'DescribeSecurityGroupsResponse', parseSecurityGroupsPage)
          : undefined;
        const page = await ec2.send(command, { abortSignal });
        return { ...page, records: fast?.records };
      },
      (p) => p.NextToken,
      (p) => {
        // Records from the fast path, or the SDK's output converted (the fast path stepped aside).
        for (const sg of p.records ?? (p.SecurityGroups ?? []).map(convertSecurityGroup)) {
          l.rs.securityGroups.push(sg);
          l.sawSecurityGroup(sg);
        }
      },
    );
    l.chain('securityGroups', API, work);
  },
};
