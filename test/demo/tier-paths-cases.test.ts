/**
 * Every row of the "Tier paths" table of fixtures/demo/README.md, through the lateral model
 * (`analyseLateral(buildGraph(demo))`): the verdict the README promises, the hops of the path or the hop that blocks
 * it, and that what was not collected is unknown, never unreachable. Then the findings the tier-path rules make of
 * each case. AWS semantics: security groups are stateful and the initiator's egress matters
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html); traffic inside a subnet does not cross
 * its network ACL (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html); a peering carries traffic
 * only when active and routed in both VPCs' tables, and groups may reference a peer VPC's groups in the same region
 * (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html,
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { analyseLateral } from '../../src/exposure/lateral.js';
import type { Hop, LateralPath } from '../../src/exposure/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { loadInputFile } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { allRules } from '../../rules/index.js';
import type { Finding } from '../../src/engine/types.js';
import { runRules } from '../helpers/estate.js';
import { DEMO_ESTATE } from '../helpers/files.js';

const demo = loadInputFile(DEMO_ESTATE);
const reach = analyseLateral(buildGraph(demo, defaultSettings()));

const P = '0a1b2c3d4e5f6';
const A = '04d5e6f7a8b9c';
const eni = (n: string) => `eni-${P}${n}`;
const sg = (n: string) => `sg-${P}0${n}`;
const ACL = `acl-${P}5600`;
const ANALYTICS_ACL = `acl-${A}5600`;
const PCX = `pcx-${P}0a01`;
const WEB = { ml1: `eni-${A}3001`, ml2: `eni-${A}3002` };
const ML_FEATURES = `eni-${A}3003`;
const NOTEBOOK = `eni-${A}1003`;
const ANALYTICS_APP = `eni-${A}1001`;

/** `protocol ports` of each path, sorted. */
const ports = (paths: LateralPath[]) =>
  paths.map((p) => `${p.protocol} ${p.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`).sort();

const egress = (id: string, permissionIndex: number): Hop => ({
  type: 'security-group',
  id,
  permissionIndex,
  direction: 'egress',
});
const ingress = (id: string, permissionIndex: number): Hop => ({ type: 'security-group', id, permissionIndex });
const aclOut = (id = ACL): Hop => ({ type: 'network-acl', id, direction: 'outbound', rule: 100 });
const aclIn = (id = ACL): Hop => ({ type: 'network-acl', id, direction: 'inbound', rule: 100 });
const local = (rtb: string): Hop => ({ type: 'route-table', id: rtb, route: 'local' });

describe('demo estate: every tier-path case gives the verdict fixtures/demo/README.md promises', () => {
  it('compliant chain: shop-alb → shop-web (443, 8080) → shop-app (8080) → shop-orders (3306), each reachable', () => {
    const lbWeb = reach.between(eni('1001'), eni('1011'));
    expect(lbWeb.status).toBe('reachable');
    expect(ports(lbWeb.paths)).toEqual(['tcp 443', 'tcp 8080']);
    const webApp = reach.between(eni('1011'), eni('1021'));
    expect(webApp.status).toBe('reachable');
    expect(ports(webApp.paths)).toEqual(['tcp 8080']);
    // Both in shop-private-a: no ACL hop.
    expect(webApp.paths[0].hops).toEqual([egress(sg('702'), 0), local(`rtb-${P}5202`), ingress(sg('703'), 0)]);
    const appData = reach.between(eni('1021'), eni('1031'));
    expect(appData.status).toBe('reachable');
    expect(appData.paths[0].hops).toEqual([
      egress(sg('703'), 0),
      aclOut(),
      local(`rtb-${P}5202`),
      aclIn(),
      ingress(sg('718'), 0),
    ]);
    expect(ports(appData.paths)).toEqual(['tcp 3306']);
  });

  it('tier skip web → data: the Tier=web ml instances open tcp 5432 to ml-features, in their own subnet', () => {
    for (const web of [WEB.ml1, WEB.ml2]) expect(reach.tiersOf(web), web).toEqual(['web']);
    expect(reach.tiersOf(ML_FEATURES)).toEqual(['data']);
    const found = reach.inbound(ML_FEATURES);
    expect(found.undecided).toEqual([]);
    expect(found.paths.map((p) => (p.from === 'internet' ? 'internet' : p.from.id)).sort()).toEqual([WEB.ml1, WEB.ml2]);
    for (const p of found.paths) {
      expect(ports([p])).toEqual(['tcp 5432']);
      expect(p.hops).toEqual([egress(`sg-${A}0201`, 0), local(`rtb-${A}6200`), ingress(`sg-${A}0202`, 0)]);
      expect(p.steps).toBe(1);
    }
  });

  it('broken chain, egress-blocked: checkout-web cannot open tcp 8080 to checkout-app, and nothing else can', () => {
    const v = reach.between(eni('1013'), eni('1023'));
    expect(v.status).toBe('unreachable');
    expect(v.reason).toBe(`${sg('705')} egress allows only tcp 443; ${sg('706')} admits tcp 8080 from ${sg('705')}`);
    expect(reach.inbound(eni('1023'))).toEqual({ paths: [], undecided: [] });
    // The link before it works: shop-alb's node reaches checkout-web on 443 (shop-alb egress permission 2).
    const lb = reach.between(eni('1001'), eni('1013'));
    expect(lb.status).toBe('reachable');
    expect(lb.paths.map((p) => p.hops)).toEqual([
      [egress(sg('701'), 2), aclOut(), local(`rtb-${P}5201`), aclIn(), ingress(sg('705'), 0)],
    ]);
  });

  it('exposed bastion one hop from a database: internet → bastion (tcp 22) → reporting-pg (tcp 5432), two steps', () => {
    const two = reach.search('internet', [eni('1034')], { maxSteps: 2 });
    expect(two.undecided).toEqual([]);
    expect(two.paths).toHaveLength(1);
    const [p] = two.paths;
    expect(p).toMatchObject({
      from: 'internet',
      source: '0.0.0.0/0',
      steps: 2,
      protocol: 'tcp',
      ports: [[5432, 5432]],
    });
    expect(p.target).toMatchObject({ id: eni('1034'), attachedTo: { type: 'db-instance', id: 'reporting-pg' } });
    expect(p.hops).toEqual([
      { type: 'internet-gateway', id: `igw-${P}5301` },
      { type: 'route-table', id: `rtb-${P}5201`, route: '0.0.0.0/0' },
      aclIn(),
      aclOut(),
      ingress(sg('750'), 0),
      { type: 'network-interface', id: eni('1051') },
      egress(sg('750'), 0),
      aclOut(),
      local(`rtb-${P}5201`),
      aclIn(),
      ingress(sg('720'), 2),
    ]);
    // In one step the internet reaches no database there: reporting-pg has no public address.
    expect(reach.search('internet', [eni('1034')], { maxSteps: 1 }).paths).toEqual([]);
  });

  it('tier skip through the peered VPC: the untagged notebook opens tcp 5432 to batch-pg over the active peering', () => {
    expect(reach.tiersOf(NOTEBOOK)).toEqual([]);
    const v = reach.between(NOTEBOOK, eni('1036'));
    expect(v.status).toBe('reachable');
    expect(ports(v.paths)).toEqual(['tcp 5432']);
    expect(v.paths[0]).toMatchObject({ accountId: '111122223333', region: 'us-east-1', steps: 1 });
    expect(v.paths[0].hops).toEqual([
      egress(`sg-${A}0103`, 0),
      aclOut(ANALYTICS_ACL),
      { type: 'route-table', id: `rtb-${A}5200`, route: '10.0.0.0/16' },
      { type: 'vpc-peering-connection', id: PCX },
      aclIn(),
      ingress(sg('723'), 1),
    ]);
    expect(v.paths[0].assumptions).toBeUndefined();
  });

  it('intended app → data over the peering: analytics-app-1 reaches shop-orders on tcp 3306', () => {
    expect(reach.tiersOf(ANALYTICS_APP)).toEqual(['app']);
    const v = reach.between(ANALYTICS_APP, eni('1031'));
    expect(v.status).toBe('reachable');
    expect(ports(v.paths)).toEqual(['tcp 3306']);
    expect(v.paths[0].hops).toContainEqual({ type: 'vpc-peering-connection', id: PCX });
  });

  it('the peering not collected in the analytics account: unknown, naming the kind, never unreachable', () => {
    const copy = structuredClone<Snapshot>(demo);
    const analytics = copy.regions.find((r) => r.accountId === '444455556666' && r.region === 'us-east-1')!;
    analytics.collected = analytics.collected.filter((k) => k !== 'vpcPeeringConnections');
    analytics.vpcPeeringConnections = [];
    const r = analyseLateral(buildGraph(copy, defaultSettings()));
    const v = r.between(NOTEBOOK, eni('1036'));
    expect(v.status).toBe('unknown');
    expect(v.reason).toContain('vpcPeeringConnections');
  });
});

describe('demo estate: the tier-path rules report each case once', () => {
  const tierPaths = allRules.filter((r) => r.meta.category === 'tier-paths' && r.meta.defaultEnabled !== false);
  const findings = runRules(tierPaths, demo).filter((f) => f.status !== 'pass');
  const one = (ruleId: string, resourceId: string): Finding => {
    const of = findings.filter((f) => f.ruleId === ruleId && f.resource.id === resourceId);
    expect(of, `${ruleId} ${resourceId}`).toHaveLength(1);
    return of[0];
  };

  it('exactly these findings: one per (rule, resource), none undecided', () => {
    expect(tierPaths.map((r) => r.meta.id).sort()).toEqual(['blast-radius', 'tier-chain-broken', 'tier-skip']);
    expect(
      findings
        .map((f) => `${f.ruleId} ${f.status} ${f.severity} ${f.messageId} ${f.resource.type} ${f.resource.id}`)
        .sort(),
    ).toEqual([
      'blast-radius fail high exposed db-instance legacy-mysql',
      'blast-radius fail high exposed db-instance reporting-pg',
      `tier-chain-broken fail medium appUnreachable instance i-${P}2023`,
      'tier-skip fail high dataSkip db-instance batch-pg',
      'tier-skip fail high dataSkip db-instance legacy-mysql',
      'tier-skip fail high dataSkip db-instance ml-features',
      'tier-skip fail high dataSkip db-instance reporting-pg',
    ]);
  });

  it('broken chain: tier-chain-broken names the egress rule that blocks checkout-web → checkout-app', () => {
    const f = one('tier-chain-broken', `i-${P}2023`);
    expect(f.message).toContain(
      `${sg('705')} egress allows only tcp 443; ${sg('706')} admits tcp 8080 from ${sg('705')}`,
    );
    expect(f.message).toContain(`nearest: ${eni('1013')}`);
    expect(f.related.map((r) => r.id)).toContain(`i-${P}2013`);
  });

  it('tier skip web → data: ml-features, from the two Tier=web instances', () => {
    const f = one('tier-skip', 'ml-features');
    expect(f.data).toMatchObject({ ports: 'tcp 5432', sourceCount: 2, pathCount: 2 });
    expect(f.related.map((r) => r.id).sort()).toEqual([`i-${A}4001`, `i-${A}4002`]);
  });

  it('tier skip through the peered VPC: batch-pg, from the notebook via the peering, the path in the finding', () => {
    const f = one('tier-skip', 'batch-pg');
    expect(f.message).toContain(`eni-${A}1003 (instance i-${A}2003, untagged, via ${PCX})`);
    expect(f.related.map((r) => r.id)).toEqual([`i-${A}2003`]);
    expect(f.paths?.map((p) => p.hops)).toEqual([reach.between(NOTEBOOK, eni('1036')).paths[0].hops]);
  });

  it('exposed bastion: reporting-pg is a tier skip and a blast radius of two steps, with the whole path', () => {
    expect(one('tier-skip', 'reporting-pg').related.map((r) => r.id)).toEqual([`i-${P}2051`]);
    const f = one('blast-radius', 'reporting-pg');
    expect(f.data).toMatchObject({ steps: 2, entryCount: 1, ports: 'tcp 5432' });
    expect(f.paths).toHaveLength(1);
    expect(f.paths![0]).toEqual(reach.search('internet', [eni('1034')], { maxSteps: 2 }).paths[0]);
  });

  it('the intended links report nothing: the compliant chain and analytics-app over the peering pass', () => {
    const named = new Set(findings.flatMap((f) => [f.resource.id, ...f.related.map((r) => r.id)]));
    for (const id of ['shop-orders', 'shop-orders-instance-1', 'shop-orders-instance-2', `i-${P}2021`, `i-${A}2001`])
      expect(named.has(id), id).toBe(false);
  });
});
