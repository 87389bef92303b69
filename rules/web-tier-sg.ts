/**
 * web-tier-sg — Trend Micro Conformity "Web-Tier Security Group": every security group tagged for the web
 * tier admits HTTP/HTTPS from the web-tier load balancer's security group, not directly from address ranges.
 */
import {
  authorizeFromGroup,
  compliantTierPass,
  coversPort,
  defineRule,
  describeTcpPorts,
  entryData,
  type Exposure,
  forEachTierScope,
  type GroupNode,
  internetExposureOf,
  isLoadBalancerGroup,
  isWorldSource,
  noTierGroupReport,
  pickNear,
  revokeEntryCommand,
  type RuleEntry,
  tierGroupFailure,
} from './lib/index.js';

const LB_PLACEHOLDER = '<lb-tier-sg-id>';

export const webTierSg = defineRule({
  meta: {
    id: 'web-tier-sg',
    title: 'Web-tier security groups admit HTTP/HTTPS from the load balancer, not from address ranges',
    severity: 'medium',
    category: 'web-tier',
    tier: 'web',
    rationale:
      'Web servers should serve only traffic that came through the load balancer, where TLS, WAF and logging apply. ' +
      'A security group tagged for the web tier must allow tcp 80 and/or 443 (settings.ports.web) from a load ' +
      "balancer's security group (a group tagged for the lb tier, or one attached to a load balancer tagged for the " +
      'lb tier) and must not admit any CIDR, prefix list, 0.0.0.0/0 or ::/0 directly. References to other groups ' +
      '(bastions, monitoring) are left to the least-privilege rules. A load-balancer group in another account that ' +
      'is not in the scanned estate cannot be verified and does not count. Accounts and regions with neither ' +
      'web-tier groups nor web-tier resources are not applicable; web-tier resources without a web-tier group fail.',
    remediation:
      'Allow tcp 443 (or 80) from the load balancer security group (authorize-security-group-ingress --source-group) ' +
      'and revoke the inbound rules that admit address ranges directly. Create and tag a web-tier group where none ' +
      'exists and attach it to the web servers.',
    references: [
      {
        title: 'Trend Micro Cloud One Conformity: Web-Tier Security Group',
        url: 'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/web-tier-security-group.html',
        ids: ['Conformity Web-Tier Security Group'],
      },
      {
        title:
          'AWS Security Maturity Model: Limit network access using security groups (use references in security groups)',
      },
    ],
    messages: {
      compliant:
        'Web-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from load-balancer security groups ' +
        '({{sources}}) and no address range.',
      missingLbAccess:
        'Web-tier security group {{groupId}} ({{groupName}}) does not allow {{ports}} from a load-balancer ' +
        'security group.',
      worldSource:
        'Web-tier security group {{groupId}} ({{groupName}}) admits {{ports}} directly from the whole internet ' +
        '({{source}}), bypassing the load balancer.',
      cidrSource:
        'Web-tier security group {{groupId}} ({{groupName}}) admits {{ports}} directly from {{source}}, ' +
        'bypassing the load balancer.',
      noTierGroup:
        'Account {{accountId}} region {{region}} has web-tier resources ({{resources}}) but no security group ' +
        'tagged for the web tier.',
    },
    needs: ['securityGroups', 'networkInterfaces', 'loadBalancers'],
  },
  check({ graph, settings, report, pass }) {
    const webPorts = settings.ports.web;
    const suggestedPort = webPorts.includes(443) ? 443 : webPorts[0];
    // Only needed to suggest a source group for a missing rule: collected on first use.
    let lbGroupsMemo: GroupNode[] | undefined;
    const lbGroups = () => (lbGroupsMemo ??= graph.groups.filter(isLoadBalancerGroup));

    const fromLb = (e: RuleEntry) =>
      e.source.kind === 'group' && e.source.target !== undefined && isLoadBalancerGroup(e.source.target);
    const coversWebPort = (e: RuleEntry) => {
      for (const p of webPorts) if (coversPort(e, 'tcp', p)) return true;
      return false;
    };

    const checkGroup = (g: GroupNode) => {
      let failed = false;
      const fail = (
        messageId: Parameters<typeof pass>[0],
        data: Record<string, string | number>,
        remediation: string[],
        exposure?: Exposure,
      ) => {
        failed = true;
        report(tierGroupFailure(g, messageId, data, remediation, exposure));
      };
      let lbEntries: RuleEntry[] | undefined;
      for (const e of g.ingress) {
        const s = e.source;
        if (s.kind === 'group') {
          if (fromLb(e) && coversWebPort(e)) (lbEntries ??= []).push(e);
          continue;
        }
        const d = entryData(e);
        fail(
          isWorldSource(s) ? 'worldSource' : 'cidrSource',
          { groupId: g.id, groupName: g.name, ports: d.ports, source: d.source },
          [revokeEntryCommand(e)],
          // Internet exposure for public and world sources; a private range is not the internet.
          internetExposureOf(graph, [e]),
        );
      }
      if (lbEntries === undefined) {
        const source = pickNear(g, lbGroups()) ?? LB_PLACEHOLDER;
        fail('missingLbAccess', { groupId: g.id, groupName: g.name, ports: describeTcpPorts(webPorts) }, [
          authorizeFromGroup(g.region, g.id, g.accountId, suggestedPort, source),
        ]);
      }
      if (!failed) {
        const entries = lbEntries!;
        pass('compliant', () => compliantTierPass(g, entries));
      }
    };

    forEachTierScope(graph, 'web', checkGroup, (scope, resources) =>
      report(
        noTierGroupReport({
          scope,
          settings,
          tier: 'web',
          resources,
          port: suggestedPort,
          sources: lbGroups().filter((g) => g.scope === scope),
          placeholder: LB_PLACEHOLDER,
          description: 'Web-tier security group',
        }),
      ),
    );
  },
});
