/**
 * data-tier-sg — Trend Micro Conformity "Data-Tier Security Group": every security group tagged for the
 * data tier admits the app tier's security group on explicit database ports, and nothing else.
 */
import { z } from 'zod';
import {
  authorizeFromGroup,
  compliantTierPass,
  coversPort,
  type DbEndpoint,
  dbEndpointsByGroup,
  defaultEnginePort,
  defineRule,
  describeTcpPorts,
  entryData,
  type Exposure,
  forEachTierScope,
  fromTierGroup,
  type GroupNode,
  internetExposureOf,
  isWorldSource,
  noTierGroupReport,
  pickNear,
  resourceLabel,
  revokeEntryCommand,
  type RuleEntry,
  tierGroupFailure,
} from './lib/index.js';

const APP_PLACEHOLDER = '<app-tier-sg-id>';

const options = z
  .object({
    maxPortRange: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(10)
      .describe(
        'Largest tcp/udp port range (in ports) a rule from the app tier may span before it is reported as a wide ' +
          'range. All-traffic rules are always wide.',
      ),
  })
  .strict();

export const dataTierSg = defineRule({
  meta: {
    id: 'data-tier-sg',
    title: 'Data-tier security groups admit only the app tier, on explicit database ports',
    severity: 'medium',
    category: 'data-tier',
    tier: 'data',
    rationale:
      'A database should be reachable only from the application servers that use it. A security group tagged for ' +
      'the data tier must allow the database port (the endpoint port of the RDS/Aurora database it protects, else ' +
      'one of settings.ports.data) from a security group tagged for the app tier, and admit nothing else: no CIDR, ' +
      'no 0.0.0.0/0 or ::/0, no prefix list, no untagged group, and no all-traffic or wide port ranges. A reference ' +
      'to its own group (clustered databases talking to each other) is allowed. A group in another account counts ' +
      'as app tier only when that group is in the scanned estate and tagged for the app tier; an unresolved ' +
      'cross-account reference is reported, not trusted. Accounts and regions with neither data-tier groups nor ' +
      'data-tier resources are not applicable; data-tier resources without any data-tier group fail.',
    remediation:
      'Allow the database port from the app-tier security group (authorize-security-group-ingress --source-group), ' +
      'revoke every other inbound rule, and replace all-traffic or wide ranges with the explicit port. Create and ' +
      'tag a data-tier group where none exists and attach it to the databases.',
    references: [
      {
        title: 'Trend Micro Cloud One Conformity: Data-Tier Security Group',
        url: 'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/data-tier-security-group.html',
        ids: ['Conformity Data-Tier Security Group'],
      },
      {
        title:
          'AWS Security Maturity Model: Limit network access using security groups (use references in security groups)',
      },
    ],
    messages: {
      compliant:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} only from app-tier security ' +
        'groups ({{sources}}).',
      missingDbPortAccess:
        'Data-tier security group {{groupId}} ({{groupName}}) does not allow tcp {{port}}, the endpoint port of ' +
        '{{db}}, from an app-tier security group.',
      missingAppAccess:
        'Data-tier security group {{groupId}} ({{groupName}}) does not allow any database port ({{ports}}) from ' +
        'an app-tier security group.',
      worldSource:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from the whole internet ' +
        '({{source}}); only the app-tier security group should reach the database.',
      cidrSource:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from {{source}}, an address ' +
        'range, instead of only the app-tier security group.',
      nonAppGroup:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from security group {{source}} ' +
        '({{sourceName}}), which is not tagged for the app tier.',
      unverifiedGroup:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from security group {{source}}, ' +
        'which is not in the scanned estate, so it is not counted as app tier (add account {{sourceAccount}} to ' +
        'the scan, or revoke the rule).',
      wideRange:
        'Data-tier security group {{groupId}} ({{groupName}}) admits {{ports}} from app-tier group {{source}}: ' +
        'all traffic or a wide port range instead of explicit database ports.',
      noTierGroup:
        'Account {{accountId}} region {{region}} has data-tier resources ({{resources}}) but no security group ' +
        'tagged for the data tier.',
    },
    needs: ['securityGroups', 'networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances'],
  },
  options,
  check({ graph, settings, options: opts, report, pass }) {
    const dbEndpoints = dbEndpointsByGroup(graph);
    const appGroups = graph.groupsByTier.app;
    const dataPorts = settings.ports.data;

    const isWide = (e: RuleEntry) =>
      e.protocol === 'all' ||
      ((e.protocol === 'tcp' || e.protocol === 'udp') && e.toPort - e.fromPort + 1 > opts.maxPortRange);

    const NO_ENDPOINTS: DbEndpoint[] = [];
    const NO_PORTS: number[] = [];

    const checkGroup = (g: GroupNode) => {
      let failed = false;
      // Built only for failing findings and listed passes: unlisted passes are only counted.
      const fail = (
        messageId: Parameters<typeof pass>[0],
        data: Record<string, string | number>,
        remediation: string[],
        exposure?: Exposure,
      ) => {
        failed = true;
        report(tierGroupFailure(g, messageId, data, remediation, exposure));
      };
      /** `{groupId, groupName, ports, source}` of an entry, plus one extra field. */
      const entryFailData = (e: RuleEntry, extraKey?: string, extra?: string) => {
        const d = entryData(e);
        const data: Record<string, string | number> = {
          groupId: g.id,
          groupName: g.name,
          ports: d.ports,
          source: d.source,
        };
        if (extraKey !== undefined) data[extraKey] = extra!;
        return data;
      };

      // Ports that must be open from the app tier: the endpoint port of each DB the group protects, else any data port.
      const endpoints = dbEndpoints.get(g) ?? NO_ENDPOINTS;
      const dbPorts =
        endpoints.length > 0 ? [...new Set(endpoints.map((d) => d.port))].sort((a, b) => a - b) : NO_PORTS;
      const candidatePorts = dbPorts.length > 0 ? dbPorts : dataPorts;
      let appSourceMemo: GroupNode | string | undefined;
      const appSource = () => (appSourceMemo ??= pickNear(g, appGroups) ?? APP_PLACEHOLDER);

      let appEntries: RuleEntry[] | undefined;
      let unverified: RuleEntry[] | undefined;
      for (const e of g.ingress) {
        const s = e.source;
        if (s.kind === 'group' && s.self) continue;
        if (fromTierGroup(e, 'app')) {
          (appEntries ??= []).push(e);
          if (isWide(e)) {
            const covered = candidatePorts.filter((p) => coversPort(e, 'tcp', p));
            const explicit = dbPorts.length > 0 ? covered : covered.slice(0, 1);
            fail('wideRange', entryFailData(e), [
              ...explicit.map((p) =>
                authorizeFromGroup(
                  g.region,
                  g.id,
                  g.accountId,
                  p,
                  s.kind === 'group' && s.target ? s.target : appSource(),
                ),
              ),
              revokeEntryCommand(e),
            ]);
          }
          continue;
        }
        if (s.kind === 'group') {
          if (!s.target) {
            (unverified ??= []).push(e);
            fail('unverifiedGroup', entryFailData(e, 'sourceAccount', s.userId ?? 'unknown'), [revokeEntryCommand(e)]);
          } else {
            fail('nonAppGroup', entryFailData(e, 'sourceName', s.target.name), [revokeEntryCommand(e)]);
          }
        } else {
          // Internet exposure for public and world sources; a private range is not the internet.
          const exposure = internetExposureOf(graph, [e]);
          fail(isWorldSource(s) ? 'worldSource' : 'cidrSource', entryFailData(e), [revokeEntryCommand(e)], exposure);
        }
      }

      const allowedFromApp = (p: number) => appEntries !== undefined && appEntries.some((e) => coversPort(e, 'tcp', p));
      // An unresolved group already has its own finding; it is not also reported as missing access.
      const allowedFromUnverified = (p: number) =>
        unverified !== undefined && unverified.some((e) => coversPort(e, 'tcp', p));
      if (dbPorts.length > 0) {
        for (const port of dbPorts) {
          if (allowedFromApp(port) || allowedFromUnverified(port)) continue;
          const dbs = endpoints.filter((d) => d.port === port).map((d) => resourceLabel(d.ref));
          fail('missingDbPortAccess', { groupId: g.id, groupName: g.name, port, db: [...new Set(dbs)].join(', ') }, [
            authorizeFromGroup(g.region, g.id, g.accountId, port, appSource()),
          ]);
        }
      } else if (!dataPorts.some(allowedFromApp) && !dataPorts.some(allowedFromUnverified)) {
        // Suggest the data port the group already exposes to someone else, else the first configured one.
        const port =
          dataPorts.find((p) => g.ingress.some((e) => !e.allPorts && coversPort(e, 'tcp', p))) ?? dataPorts[0];
        fail('missingAppAccess', { groupId: g.id, groupName: g.name, ports: describeTcpPorts(dataPorts) }, [
          authorizeFromGroup(g.region, g.id, g.accountId, port, appSource()),
        ]);
      }

      if (!failed) {
        const entries = appEntries ?? [];
        pass('compliant', () => compliantTierPass(g, entries));
      }
    };

    forEachTierScope(graph, 'data', checkGroup, (scope, resources) => {
      const dbPortOf = (a: (typeof resources)[number]): number | undefined => {
        if (a.kind === 'dbClusters') {
          const c = scope.dbClusters.find((n) => n.cluster.id === a.id)?.cluster;
          return c ? (c.port ?? defaultEnginePort(c.engine)) : undefined;
        }
        if (a.kind === 'dbInstances') {
          const i = scope.dbInstances.find((n) => n.instance.id === a.id)?.instance;
          return i ? (i.port ?? defaultEnginePort(i.engine)) : undefined;
        }
        return undefined;
      };
      const firstDbPort = resources.map(dbPortOf).find((p) => p !== undefined);
      const scopeApp = appGroups.filter((a) => a.scope === scope);
      report(
        noTierGroupReport({
          scope,
          settings,
          tier: 'data',
          resources,
          port: firstDbPort ?? dataPorts[0],
          sources: scopeApp,
          placeholder: APP_PLACEHOLDER,
          description: 'Data-tier security group',
        }),
      );
    });
  },
});
