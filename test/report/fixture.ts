/**
 * A small deterministic estate and stub rules for reporter tests and golden files. The stub rules live
 * here (not in rules/) so golden files do not churn while the real rule packs change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { evaluateRules } from '../../src/engine/evaluate.js';
import type { Rule } from '../../src/engine/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { describePorts, isWorldSource } from '../../src/graph/query.js';
import type { Baseline } from '../../src/gate/baseline.js';
import { buildReport } from '../../src/report/build.js';
import type { FailOn, Report } from '../../src/report/model.js';
import type { Suppressions } from '../../src/gate/suppressions.js';
import { topologyOf, type Topology } from '../../src/report/topology.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { ACCOUNT, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ROOT } from '../helpers/files.js';

export { ROOT };
export const GOLDEN_DIR = path.join(ROOT, 'fixtures/golden');
export const GENERATED_AT = '2026-03-01T12:00:00.000Z';
export const VERSION = '0.0.0-test';
export const NOW = new Date('2026-03-01T12:00:00.000Z');

const arn = (id: string, r = 'us-east-1') => `arn:aws:ec2:${r}:${ACCOUNT}:security-group/${id}`;

/** Anything from 0.0.0.0/0 except an LB admitting web ports. */
export const worldIngress: Rule = {
  meta: {
    id: 'stub-world-ingress',
    title: 'Ingress from the whole internet',
    severity: 'high',
    category: 'least-privilege',
    rationale: 'Rules open to 0.0.0.0/0 expose the port to every scanner on the internet.',
    remediation: 'Replace 0.0.0.0/0 with the CIDRs or security groups that need access.',
    references: [
      {
        title: 'CIS AWS Foundations Benchmark',
        url: 'https://www.cisecurity.org/benchmark/amazon_web_services',
        ids: ['CIS 5.2'],
      },
      { title: 'Security Hub EC2.19', ids: ['SecurityHub EC2.19'] },
    ],
    messages: {
      worldOpen: 'Security group {{groupId}} admits {{ports}} from 0.0.0.0/0.',
      lbWeb: 'Load balancer group {{groupId}} admits {{ports}} from the internet (web ports).',
      noWorld: 'Security group {{groupId}} admits nothing from 0.0.0.0/0.',
    },
    needs: ['securityGroups'],
  },
  check(ctx) {
    for (const g of ctx.graph.groups) {
      const world = g.ingress.filter((e) => isWorldSource(e.source));
      const resource = { type: 'security-group' as const, id: g.id, arn: arn(g.id, g.region), name: g.name };
      if (!world.length) {
        ctx.report({
          messageId: 'noWorld',
          status: 'pass',
          accountId: g.accountId,
          region: g.region,
          resource,
          data: { groupId: g.id },
        });
        continue;
      }
      for (const e of world) {
        const ports = describePorts(e);
        const web =
          g.tiers.includes('lb') &&
          e.protocol === 'tcp' &&
          e.fromPort === e.toPort &&
          ctx.settings.ports.web.includes(e.fromPort);
        ctx.report({
          messageId: web ? 'lbWeb' : 'worldOpen',
          status: web ? 'pass' : 'fail',
          accountId: g.accountId,
          region: g.region,
          resource,
          data: { groupId: g.id, ports },
          remediation: [
            `aws ec2 revoke-security-group-ingress --region ${g.region} --group-id ${g.id} --protocol ${e.protocol} --port ${e.fromPort} --cidr 0.0.0.0/0`,
          ],
        });
      }
    }
  },
};

/** Data-tier groups admit only app-tier groups. */
export const dataTier: Rule = {
  meta: {
    id: 'stub-data-tier',
    title: 'Data tier admits only the app tier',
    severity: 'critical',
    category: 'data-tier',
    tier: 'data',
    rationale: 'Databases should be reachable only from the application tier.',
    remediation: 'Remove ingress to the data tier from anything but app-tier security groups.',
    references: [
      {
        title: 'Conformity Data-Tier Security Group',
        url: 'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/data-tier-security-group.html',
      },
    ],
    messages: {
      ok: 'Data-tier group {{groupId}} admits only the app tier.',
      fromOther: 'Data-tier group {{groupId}} admits {{ports}} from {{source}}, which is not in the app tier.',
    },
    needs: ['securityGroups'],
  },
  check(ctx) {
    for (const g of ctx.graph.groupsByTier.data) {
      const resource = { type: 'security-group' as const, id: g.id, arn: arn(g.id, g.region), name: g.name };
      const bad = g.ingress.filter((e) => !(e.source.kind === 'group' && e.source.target?.tiers.includes('app')));
      if (!bad.length) {
        ctx.report({
          messageId: 'ok',
          status: 'pass',
          accountId: g.accountId,
          region: g.region,
          resource,
          data: { groupId: g.id },
        });
      }
      for (const e of bad) {
        const source =
          e.source.kind === 'group'
            ? e.source.groupId
            : e.source.kind === 'cidr'
              ? e.source.cidr.cidr
              : e.source.prefixListId;
        ctx.report({
          messageId: 'fromOther',
          status: 'fail',
          accountId: g.accountId,
          region: g.region,
          resource,
          related:
            e.source.kind === 'group'
              ? [{ type: 'security-group', id: e.source.groupId, name: e.source.target?.name }]
              : [],
          data: { groupId: g.id, ports: describePorts(e), source },
          remediation: [
            `aws ec2 revoke-security-group-ingress --region ${g.region} --group-id ${g.id} --ip-permissions '<rule admitting ${source}>'`,
          ],
        });
      }
    }
  },
};

/** Port 22 open to any CIDR. */
export const adminPorts: Rule = {
  meta: {
    id: 'stub-admin-ports',
    title: 'SSH open to address ranges',
    severity: 'medium',
    category: 'least-privilege',
    rationale: 'SSH should go through Session Manager or a bastion, not CIDR rules.',
    remediation: 'Use AWS Systems Manager Session Manager instead of inbound SSH.',
    references: [],
    messages: { ssh: 'Security group {{groupId}} admits SSH from {{cidr}}.' },
    needs: ['securityGroups'],
  },
  check(ctx) {
    for (const g of ctx.graph.groups) {
      for (const e of g.ingress) {
        if (e.source.kind !== 'cidr' || e.protocol !== 'tcp' || e.fromPort > 22 || e.toPort < 22) continue;
        ctx.report({
          messageId: 'ssh',
          status: 'fail',
          accountId: g.accountId,
          region: g.region,
          resource: { type: 'security-group', id: g.id, arn: arn(g.id, g.region), name: g.name },
          data: { groupId: g.id, cidr: e.source.cidr.cidr },
        });
      }
    }
  },
};

/** Groups with ingress rules but no tier tag (low). */
export const untagged: Rule = {
  meta: {
    id: 'stub-untagged',
    title: 'Group with ingress rules has no tier tag',
    severity: 'low',
    category: 'hygiene',
    rationale: 'Untagged groups escape the tier checks.',
    remediation: 'Tag the group with Tier=lb|web|app|data.',
    references: [],
    messages: { untagged: 'Security group {{groupId}} ({{name}}) has ingress rules but no Tier tag.' },
    needs: ['securityGroups'],
  },
  check(ctx) {
    for (const g of ctx.graph.groups) {
      if (g.tiers.length || !g.ingress.length) continue;
      ctx.report({
        messageId: 'untagged',
        status: 'fail',
        accountId: g.accountId,
        region: g.region,
        resource: { type: 'security-group', id: g.id, name: g.name },
        data: { groupId: g.id, name: g.name },
        remediation: [`aws ec2 create-tags --region ${g.region} --resources ${g.id} --tags Key=Tier,Value=app`],
      });
    }
  },
};

export const STUB_RULES: Rule[] = [dataTier, worldIngress, adminPorts, untagged];

/** The estate: internet → lb → web → app → data, a direct web → data shortcut, an odd admin group. */
export function estate(opts: { extraDataWorldPort?: boolean; appSsh?: boolean } = {}): Snapshot {
  const { extraDataWorldPort = true, appSsh = false } = opts;
  return snapshot(
    region({
      groups: [
        sg('sg-0lb', { tier: 'lb', name: 'public-alb', ingress: [tcp(443, '0.0.0.0/0')] }),
        sg('sg-0web', { tier: 'web', name: 'web', ingress: [tcp(8080, 'sg-0lb')] }),
        sg('sg-0app', {
          tier: 'app',
          name: 'app',
          ingress: [tcp(8443, 'sg-0web'), ...(appSsh ? [tcp(22, '0.0.0.0/0')] : [])],
        }),
        sg('sg-0data', {
          tier: 'data',
          name: 'orders-db',
          ingress: [
            tcp(3306, 'sg-0app'),
            tcp(3306, 'sg-0web'),
            tcp(3306, '0.0.0.0/0'),
            ...(extraDataWorldPort ? [tcp(5432, '0.0.0.0/0')] : []),
          ],
        }),
        sg('sg-0admin', { name: 'admin <ops> & "legacy" | 100%', ingress: [tcp(22, '203.0.113.0/24')] }),
        sg('sg-0idle', { name: 'idle' }),
      ],
    }),
    region({
      region: 'us-west-2',
      groups: [],
      errors: [
        {
          api: 'ec2:DescribeSecurityGroups',
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation <ec2:DescribeSecurityGroups>.',
        },
      ],
    }),
  );
}

export function reportOf(
  snap: Snapshot,
  opts: { rules?: Rule[]; suppressions?: Suppressions; baseline?: Baseline; failOn?: FailOn; now?: Date } = {},
): { report: Report; topology: Topology } {
  const rules = opts.rules ?? STUB_RULES;
  const graph = buildGraph(snap, defaultSettings());
  const report = buildReport({
    graph,
    rules,
    findings: evaluateRules(graph, rules).findings,
    version: VERSION,
    snapshotCreatedAt: snap.createdAt,
    generatedAt: GENERATED_AT,
    suppressions: opts.suppressions,
    baseline: opts.baseline,
    failOn: opts.failOn,
    now: opts.now ?? NOW,
  });
  return { report, topology: topologyOf(graph) };
}

/** Replace what legitimately changes between runs (none in-process; the CLI's time and version). */
export function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g, '<timestamp>')
    .replace(/sg-audit \d+\.\d+\.\d+(-[\w.]+)?/g, 'sg-audit <version>');
}

/** Compare with fixtures/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(`missing golden file ${path.relative(ROOT, file)}: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual, `golden ${name} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`).toBe(
    readFileSync(file, 'utf8'),
  );
}
