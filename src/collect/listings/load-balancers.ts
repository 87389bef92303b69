/**
 * DescribeLoadBalancers (ALB/NLB/GWLB, elbv2), then their tags: one DescribeTags batch per 20 ARNs,
 * fired as soon as the page that lists them arrives. The subnets of the load balancer's nodes come with it
 * (`AvailabilityZones[].SubnetId`): an ALB's targets admit it by its subnets' CIDRs, among others.
 */
import type { LoadBalancer as AwsLoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { tagsToRecord } from '../../snapshot/from-aws.js';
import type { LoadBalancer } from '../../snapshot/schema.js';
import { elbSdk } from '../aws/sdk.js';
import { listListenersOf } from './listeners.js';
import { has, InvalidResponseError, listPages, type Lister } from './listing.js';

/** The largest page DescribeLoadBalancers accepts, and the most ARNs one DescribeTags call takes. */
const PAGE_SIZE = 400;
const TAGS_BATCH = 20;
const API = 'elasticloadbalancing:DescribeLoadBalancers';
const TAGS_API = 'elasticloadbalancing:DescribeTags';

/** Load balancer without tags (DescribeTags fills them in). */
export function convertLoadBalancer(lb: AwsLoadBalancer): LoadBalancer {
  if (!lb.LoadBalancerArn || !lb.LoadBalancerName) throw new InvalidResponseError('load balancer without ARN or name');
  const out: LoadBalancer = {
    arn: lb.LoadBalancerArn,
    name: lb.LoadBalancerName,
    type: lb.Type ?? 'application',
    scheme: lb.Scheme ?? 'internet-facing',
    securityGroups: [...(lb.SecurityGroups ?? [])],
    tags: {},
  };
  if (has(lb.VpcId)) out.vpcId = lb.VpcId;
  if (has(lb.AvailabilityZones)) out.subnetIds = lb.AvailabilityZones.map((z) => z.SubnetId).filter(has);
  return out;
}

export const loadBalancers: Lister = {
  kind: 'loadBalancers',
  apis: [API, TAGS_API],
  start(l) {
    const { DescribeLoadBalancersCommand, DescribeTagsCommand } = elbSdk();
    const elb = l.elb();
    const byArn = new Map<string, LoadBalancer>();
    const fetchTags = (arns: string[]) =>
      l.runner
        .run((abortSignal) => elb.send(new DescribeTagsCommand({ ResourceArns: arns }), { abortSignal }))
        .then((out) => {
          for (const d of out.TagDescriptions ?? []) {
            const lb = d.ResourceArn ? byArn.get(d.ResourceArn) : undefined;
            if (lb) lb.tags = tagsToRecord(d.Tags);
          }
        });
    const work = listPages(
      l,
      (token, abortSignal) =>
        elb.send(new DescribeLoadBalancersCommand({ PageSize: PAGE_SIZE, Marker: token }), { abortSignal }),
      (p) => p.NextMarker,
      (p) => {
        const arns: string[] = [];
        for (const raw of p.LoadBalancers ?? []) {
          const lb = convertLoadBalancer(raw);
          if (byArn.has(lb.arn)) continue;
          byArn.set(lb.arn, lb);
          l.rs.loadBalancers.push(lb);
          arns.push(lb.arn);
          if (l.needs.has('listeners')) listListenersOf(l, lb.arn);
        }
        for (let i = 0; i < arns.length; i += TAGS_BATCH) {
          l.followUp('loadBalancers', TAGS_API, fetchTags(arns.slice(i, i + TAGS_BATCH)));
        }
      },
    );
    l.chain('loadBalancers', API, work);
  },
};
