/**
 * The load balancers' listeners and their rules: DescribeLoadBalancers (for the ARNs), then DescribeListeners
 * per load balancer, then DescribeRules per HTTP or HTTPS listener (an application load balancer's: only those
 * have rules; a network or gateway load balancer's listener has only its default actions). DescribeLoadBalancers
 * is the load-balancer lister's when that kind is collected too (called once). Every call is read-only and
 * paginated with `PageSize`/`Marker` (at most 400).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
 */
import type {
  Action as AwsAction,
  Listener as AwsListener,
  Rule as AwsRule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Listener, ListenerAction, ListenerRule } from '../../snapshot/schema.js';
import { elbSdk } from '../aws/sdk.js';
import { has, InvalidResponseError, listPages, type Lister, type RegionListing } from './listing.js';

const PAGE_SIZE = 400;
const LB_API = 'elasticloadbalancing:DescribeLoadBalancers';
const API = 'elasticloadbalancing:DescribeListeners';
const RULES_API = 'elasticloadbalancing:DescribeRules';

/**
 * The protocols of listeners that have rules;
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Listener.html
 */
const RULE_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

/** An action and the target groups it forwards to (`TargetGroupArn` and every `ForwardConfig` group, once). */
export function convertAction(a: AwsAction): ListenerAction {
  if (!a.Type) throw new InvalidResponseError('listener action without Type');
  const arns = [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)];
  return { type: a.Type, targetGroupArns: [...new Set(arns.filter(has))] };
}

/** A listener without its rules (DescribeRules fills them in). */
export function convertListener(x: AwsListener): Listener {
  if (!x.ListenerArn || !x.LoadBalancerArn) throw new InvalidResponseError('listener without ARN or load balancer');
  const out: Listener = {
    arn: x.ListenerArn,
    loadBalancerArn: x.LoadBalancerArn,
    defaultActions: (x.DefaultActions ?? []).map(convertAction),
    rules: [],
  };
  if (has(x.Protocol)) out.protocol = x.Protocol;
  if (has(x.Port)) out.port = x.Port;
  return out;
}

export function convertRule(r: AwsRule): ListenerRule {
  if (!r.RuleArn) throw new InvalidResponseError('listener rule without RuleArn');
  const out: ListenerRule = {
    arn: r.RuleArn,
    isDefault: r.IsDefault ?? false,
    actions: (r.Actions ?? []).map(convertAction),
  };
  if (has(r.Priority)) out.priority = r.Priority;
  return out;
}

/** One region's listener listing: its order (load balancer, then listener) whatever order the calls answer in. */
interface ListenerListing {
  readonly lbOrder: Map<string, number>;
  readonly order: Map<string, number>;
}
const listings = new WeakMap<RegionListing, ListenerListing>();

/**
 * List a load balancer's listeners (and their rules). The load-balancer lister calls it for each load balancer
 * when both kinds are needed, so DescribeLoadBalancers runs once; else the listener lister lists them itself.
 */
export function listListenersOf(l: RegionListing, lbArn: string): void {
  let state = listings.get(l);
  if (!state) listings.set(l, (state = { lbOrder: new Map(), order: new Map() }));
  if (state.lbOrder.has(lbArn)) return;
  state.lbOrder.set(lbArn, state.lbOrder.size);
  const { order } = state;
  const { DescribeListenersCommand, DescribeRulesCommand } = elbSdk();
  const elb = l.elb();
  const rulesOf = (listener: Listener) =>
    listPages(
      l,
      (token, abortSignal) =>
        elb.send(new DescribeRulesCommand({ ListenerArn: listener.arn, PageSize: PAGE_SIZE, Marker: token }), {
          abortSignal,
        }),
      (p) => p.NextMarker,
      (p) => {
        for (const r of p.Rules ?? []) listener.rules.push(convertRule(r));
      },
    );
  const work = async () => {
    const rules: Promise<void>[] = [];
    await listPages(
      l,
      (token, abortSignal) =>
        elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, PageSize: PAGE_SIZE, Marker: token }), {
          abortSignal,
        }),
      (p) => p.NextMarker,
      (p) => {
        for (const raw of p.Listeners ?? []) {
          const x = convertListener(raw);
          if (order.has(x.arn)) continue;
          order.set(x.arn, order.size);
          l.rs.listeners.push(x);
          if (x.protocol && RULE_PROTOCOLS.has(x.protocol)) rules.push(rulesOf(x));
        }
      },
    );
    await Promise.all(rules);
  };
  l.followUp('listeners', API, work(), lbArn);
}

export const listeners: Lister = {
  kind: 'listeners',
  apis: [LB_API, API, RULES_API],
  dependsOn: ['loadBalancers'],
  start(l) {
    if (!l.needs.has('loadBalancers')) {
      const { DescribeLoadBalancersCommand } = elbSdk();
      const elb = l.elb();
      const work = listPages(
        l,
        (token, abortSignal) =>
          elb.send(new DescribeLoadBalancersCommand({ PageSize: PAGE_SIZE, Marker: token }), { abortSignal }),
        (p) => p.NextMarker,
        (p) => {
          for (const lb of p.LoadBalancers ?? []) if (lb.LoadBalancerArn) listListenersOf(l, lb.LoadBalancerArn);
        },
      );
      l.chain('listeners', LB_API, work);
    }
    return () => {
      const state = listings.get(l);
      if (!state) return;
      const rank = (x: Listener) => state.lbOrder.get(x.loadBalancerArn) ?? 0;
      const at = (x: Listener) => state.order.get(x.arn) ?? 0;
      l.rs.listeners.sort((a, b) => rank(a) - rank(b) || at(a) - at(b));
    };
  },
};
