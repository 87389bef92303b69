/**
 * app-tier-from-web-only — every security group tagged for the app tier admits traffic only from
 * web-tier security groups (the reference architecture: ALB → web → app → data, linked by group references).
 */
import { z } from 'zod';
import {
  defineRule,
  describeRulesWithSources,
  internetExposureOf,
  LIMIT_NETWORK_ACCESS,
  revokeCommands,
  type RuleEntry,
  sgFailure,
  sgPassDetails,
  TIERS,
} from './lib/index.js';

const options = z.strictObject({
  allowedSourceTiers: z
    .array(z.enum(TIERS))
    .min(1)
    .default(['web'])
    .describe(
      'Tiers whose security groups may reach the app tier (add `lb` for an internal load balancer in front of it).',
    ),
  allowSelf: z
    .boolean()
    .default(true)
    .describe('Allow the group to reference itself (app servers talking to each other).'),
});

export const appTierFromWebOnly = defineRule({
  meta: {
    id: 'app-tier-from-web-only',
    title: 'App-tier security groups admit traffic only from web-tier security groups',
    severity: 'medium',
    category: 'app-tier',
    tier: 'app',
    rationale:
      'In the layered reference architecture each tier admits only the tier in front of it, by security group ' +
      'reference: the load balancer faces the internet, web servers admit the load balancer, the application ' +
      'tier admits the web tier, the database admits the application tier. A group tagged for the app tier that ' +
      'admits an address range (public or private), a prefix list or an untagged group lets traffic skip the web ' +
      'tier and its inspection. A reference to itself is allowed (options.allowSelf). A referenced group outside ' +
      'the scanned estate (another account) cannot be verified and is reported at low severity, not trusted.',
    remediation:
      'Admit the app port only from the web-tier security group (authorize-security-group-ingress --source-group) ' +
      'and revoke every rule with another source.',
    references: [
      LIMIT_NETWORK_ACCESS,
      { title: 'Trend Micro Conformity: Web-Tier Security Group (tier tags, references between tier groups)' },
    ],
    messages: {
      otherSources:
        'App-tier security group {{group}} ({{groupName}}) admits traffic from sources outside the {{tiers}} ' +
        'tier: {{sources}}.',
      unverifiedSources:
        'App-tier security group {{group}} ({{groupName}}) admits traffic from security groups outside the ' +
        'scanned estate, which cannot be verified as {{tiers}} tier: {{sources}}.',
      webOnly:
        'App-tier security group {{group}} ({{groupName}}) admits traffic only from {{tiers}}-tier security groups.',
    },
    needs: ['securityGroups'],
  },
  options,
  check({ graph, options: o, report, pass }) {
    const tiers = o.allowedSourceTiers.join('/');
    const allowedTier = (t: (typeof o.allowedSourceTiers)[number]) => o.allowedSourceTiers.includes(t);
    for (const g of graph.groupsByTier.app) {
      let others: RuleEntry[] | undefined;
      let unverified: RuleEntry[] | undefined;
      for (const e of g.ingress) {
        const s = e.source;
        if (s.kind === 'group') {
          if (s.self && o.allowSelf) continue;
          if (!s.target) {
            (unverified ??= []).push(e);
            continue;
          }
          if (s.target.tiers.some(allowedTier)) continue;
        }
        (others ??= []).push(e);
      }
      if (others) {
        const offending = unverified ? others.concat(unverified) : others;
        const failure = sgFailure(
          g,
          'otherSources',
          { group: g.id, groupName: g.name, tiers, sources: describeRulesWithSources(offending) },
          revokeCommands(offending),
        );
        // Internet exposure of the entries with public or world sources; none when all are groups or private.
        const exposure = internetExposureOf(graph, others);
        report(exposure ? { ...failure, exposure } : failure);
      } else if (unverified) {
        report(
          sgFailure(
            g,
            'unverifiedSources',
            { group: g.id, groupName: g.name, tiers, sources: describeRulesWithSources(unverified) },
            revokeCommands(unverified),
            'low',
          ),
        );
      } else pass('webOnly', () => sgPassDetails(g, { group: g.id, groupName: g.name, tiers }));
    }
  },
});
