/**
 * tier-chain-broken — the pre-migration check (issue #13 "Tier chain"): every intended link of
 * lb → web → app → data has a working path (routes, security groups both ways, network ACLs), or the finding
 * names the hop that blocks it.
 */
import {
  decidableScopes,
  defineRule,
  LATERAL_NEEDS,
  type LinkVerdict,
  type PassDetails,
  type RuleReport,
  SG_RULES_DOC,
  tierChain,
} from './lib/index.js';

type MessageId = 'webUnreachable' | 'appUnreachable' | 'dataUnreachable' | 'unknown' | 'reachable';

const FAIL_ID = { 'lb-web': 'webUnreachable', 'web-app': 'appUnreachable', 'app-data': 'dataUnreachable' } as const;

/** `the load balancers`, `the web tier`, `the app tier`: the upstream end of a link, in a sentence. */
const UPSTREAM_TEXT = { lb: 'the load balancers', web: 'the web tier', app: 'the app tier', data: 'the data tier' };

export const tierChainBroken = defineRule({
  meta: {
    id: 'tier-chain-broken',
    title: 'Each link of the tier chain lb → web → app → data has a working path',
    severity: 'medium',
    category: 'tier-paths',
    rationale:
      'The tier settings describe an intended chain: load balancers reach the web tier, the web tier the app tier, ' +
      'the app tier the data tier. Security group rules read one at a time do not prove it works: the initiator ' +
      "needs an egress rule that lets the packet out as much as the target needs an ingress rule, the subnets' " +
      'network ACLs must pass the packet and its reply (1024-65535) both ways, and the route tables must connect the ' +
      'subnets (same VPC, or an active peering connection). A link is broken when no interface of the upstream tier ' +
      'in the same account and region can open a connection to the downstream resource on the link ports: for a web ' +
      "resource, the target port of the target groups that register it (checked from those groups' load balancers), " +
      'else a web port (settings.ports.web), from any load balancer node or lb-tier interface; for an app resource, ' +
      'settings.ports.app, or when unset any TCP port its groups admit; for a data resource, the database endpoint ' +
      'port when the database is known, else a data port (settings.ports.data). One finding per downstream resource ' +
      '(the instance, database or load balancer, else the interface), naming what blocks the nearest upstream ' +
      "interface the resource's groups admit (same subnet, then same VPC; else the nearest one): its egress rule, a " +
      'network ACL rule, a route, or the port. A link is not checked where the upstream tier has no interface in the ' +
      'account and region (a missing tier is what the tier security group rules report), nor for a web resource ' +
      "behind network load balancers without security groups only: their targets see the clients' addresses, which " +
      'internet-exposure checks. Without the network data the rule reports missing data; a pair whose path cannot ' +
      'be decided is an error finding, never a pass.',
    remediation:
      "Open the blocking hop the finding names: add the upstream group's egress rule to the downstream group (or " +
      "its address range) on the link port, the downstream group's ingress rule from the upstream group, the " +
      'network ACL entries for the packet and its reply, or the route between the subnets.',
    references: [
      SG_RULES_DOC,
      {
        title: 'Amazon VPC User Guide: network ACLs (stateless: the reply needs its own rule)',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
      },
      {
        title:
          'Security groups for your Application Load Balancer (the load balancer must reach its targets on the ' +
          'target port: outbound to the instance security group)',
        url:
          'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/' +
          'load-balancer-update-security-groups.html',
      },
    ],
    messages: {
      webUnreachable:
        'Web-tier {{target}} is not reachable from the load balancers on {{ports}}: {{reason}} (nearest: {{from}}, ' +
        'of {{candidates}} checked).',
      appUnreachable:
        'App-tier {{target}} is not reachable from the web tier on {{ports}}: {{reason}} (nearest: {{from}}, of ' +
        '{{candidates}} checked).',
      dataUnreachable:
        'Data-tier {{target}} is not reachable from the app tier on {{ports}}: {{reason}} (nearest: {{from}}, of ' +
        '{{candidates}} checked).',
      unknown: 'Whether {{tier}}-tier {{target}} is reachable from {{upstream}} on {{ports}} is unknown: {{reason}}.',
      reachable: '{{Tier}}-tier {{target}} is reachable from {{upstream}} on {{ports}}: {{reason}}.',
    },
    needs: LATERAL_NEEDS,
  },
  check({ graph, settings, report, pass }) {
    const ports = { web: settings.ports.web, app: settings.ports.app, data: settings.ports.data };
    // Without the network data nothing is decided in a scope: the report lists the rule's missing data.
    for (const v of tierChain(graph, ports, decidableScopes(graph, tierChainBroken.meta.needs))) {
      if (v.status === 'reachable') pass('reachable', () => passOf(v));
      else report(reportOf(v));
    }
  },
});

function dataOf(v: LinkVerdict): Record<string, string | number> {
  const tier = v.tier;
  const plural = v.candidates === 1 ? 'interface' : 'interfaces';
  return {
    link: `${v.upstream} → ${tier}`,
    tier,
    Tier: tier.charAt(0).toUpperCase() + tier.slice(1),
    upstream: UPSTREAM_TEXT[v.upstream],
    target: v.target,
    interfaces: v.interfaces.join(', '),
    ports: v.ports,
    reason: v.reason,
    from: v.fromText,
    candidates: `${v.candidates} ${v.upstream === 'lb' ? 'load-balancer' : `${v.upstream}-tier`} ${plural}`,
  };
}

function reportOf(v: LinkVerdict): RuleReport<MessageId> {
  return {
    status: v.status === 'unknown' ? 'error' : 'fail',
    messageId: v.status === 'unknown' ? 'unknown' : FAIL_ID[v.link],
    accountId: v.accountId,
    region: v.region,
    resource: v.resource,
    related: v.related(),
    data: dataOf(v),
    remediation: v.remediation,
  };
}

function passOf(v: LinkVerdict): PassDetails {
  return { accountId: v.accountId, region: v.region, resource: v.resource, related: v.related(), data: dataOf(v) };
}
