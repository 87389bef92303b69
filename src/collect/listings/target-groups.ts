/**
 * DescribeTargetGroups (paginated with `PageSize`/`Marker`, at most 400), then DescribeTargetHealth per target
 * group (one call, not paginated): its registered targets and their health. Read-only calls.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
 */
import type { TargetGroup as AwsTargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Target, TargetGroup } from '../../snapshot/schema.js';
import { elbSdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

const PAGE_SIZE = 400;
const API = 'elasticloadbalancing:DescribeTargetGroups';
const HEALTH_API = 'elasticloadbalancing:DescribeTargetHealth';

/** A target group without its targets (DescribeTargetHealth fills them in). */
export function convertTargetGroup(t: AwsTargetGroup): TargetGroup {
  if (!t.TargetGroupArn) throw new InvalidResponseError('target group without TargetGroupArn');
  const out: TargetGroup = { arn: t.TargetGroupArn, loadBalancerArns: [...(t.LoadBalancerArns ?? [])], targets: [] };
  if (has(t.TargetGroupName)) out.name = t.TargetGroupName;
  if (has(t.Protocol)) out.protocol = t.Protocol;
  if (has(t.Port)) out.port = t.Port;
  if (has(t.TargetType)) out.targetType = t.TargetType;
  if (has(t.VpcId)) out.vpcId = t.VpcId;
  return out;
}

export function convertTarget(d: TargetHealthDescription): Target {
  if (!d.Target?.Id) throw new InvalidResponseError('target health description without Target.Id');
  const out: Target = { id: d.Target.Id };
  if (has(d.Target.Port)) out.port = d.Target.Port;
  if (has(d.Target.AvailabilityZone)) out.availabilityZone = d.Target.AvailabilityZone;
  if (has(d.TargetHealth?.State)) out.health = d.TargetHealth.State;
  return out;
}

export const targetGroups: Lister = {
  kind: 'targetGroups',
  apis: [API, HEALTH_API],
  start(l) {
    const { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } = elbSdk();
    const elb = l.elb();
    const seen = new Set<string>();
    const fetchTargets = (tg: TargetGroup) =>
      l.runner
        .run((abortSignal) => elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.arn }), { abortSignal }))
        .then((out) => {
          tg.targets = (out.TargetHealthDescriptions ?? []).map(convertTarget);
        });
    const work = listPages(
      l,
      (token, abortSignal) =>
        elb.send(new DescribeTargetGroupsCommand({ PageSize: PAGE_SIZE, Marker: token }), { abortSignal }),
      (p) => p.NextMarker,
      (p) => {
        for (const raw of p.TargetGroups ?? []) {
          const tg = convertTargetGroup(raw);
          if (seen.has(tg.arn)) continue;
          seen.add(tg.arn);
          l.rs.targetGroups.push(tg);
          l.followUp('targetGroups', HEALTH_API, fetchTargets(tg), tg.arn);
        }
      },
    );
    l.chain('targetGroups', API, work);
  },
};
