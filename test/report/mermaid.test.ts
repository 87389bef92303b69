/**
 * Issue #10 item 21: the Markdown tier diagram is correct and legible. Red edges are the ones failing
 * findings name (also when only the finding's data names the source, as data-tier-sg does); the group of
 * a Tier=lb load balancer sits in "Load balancers"; specific public ranges are drawn as their CIDR, only
 * 0.0.0.0/0 and ::/0 as "Internet"; passing edges are collapsed (no port label) so the demo estate renders
 * at ~881 px wide with the real Mermaid (checked by hand with mermaid 11 + chromium at 900 px).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { MERMAID_INIT, mermaidTierGraph, renderMarkdown } from '../../src/report/markdown.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { all, eni, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { DEMO_ESTATE } from '../helpers/files.js';
import { reportOf } from './fixture.js';

/** The rules a default scan runs. */
const byDefault = allRules.filter((r) => r.meta.defaultEnabled !== false);

/** Node ids by label line (`name` or `sg-…suffix`), subgraph of each node, edges, classes, red links. */
function parse(lines: string[]) {
  const node = new Map<string, string>();
  const subgraph = new Map<string, string>();
  let current = '';
  for (const l of lines) {
    const sub = /^ {2}subgraph (\w+)\[/.exec(l);
    if (sub) current = sub[1];
    if (l === '  end') current = '';
    const n = /^ +(\w+)(?:\["|\(\("|\(\[")([^"]*)"/.exec(l);
    if (n && !l.includes('-->')) {
      node.set(n[2].split('<br/>')[0], n[1]);
      if (current) subgraph.set(n[1], current);
    }
  }
  const edges = lines.filter((l) => l.includes('-->')).map((l) => l.trim());
  const redIdx =
    (lines.find((l) => l.startsWith('  linkStyle')) ?? '  linkStyle ').split(' ')[3]?.split(',').map(Number) ?? [];
  const failClass = (lines.find((l) => l.startsWith('  class ')) ?? '')
    .replace(/^ {2}class | fail$/g, '')
    .split(',')
    .filter(Boolean);
  return { node, subgraph, edges, red: redIdx.map((i) => edges[i]), failClass };
}

describe('tier diagram', () => {
  // An LB tagged Tier=lb whose group has no tag; a web tier; an app group reaching the data tier with a
  // wide range and all traffic (data-tier-sg names the source only in its data); a specific public range.
  const snap: Snapshot = snapshot(
    region({
      groups: [
        sg('sg-lb', { name: 'shop-alb', ingress: [tcp(443, '0.0.0.0/0', '::/0')] }),
        sg('sg-web', { tier: 'web', name: 'web', ingress: [tcp(443, 'sg-lb')] }),
        sg('sg-app', { tier: 'app', name: 'app', ingress: [tcp(8080, 'sg-web')] }),
        sg('sg-db', { tier: 'data', name: 'ledger', ingress: [tcp([3000, 4000], 'sg-app')] }),
        sg('sg-db2', { tier: 'data', name: 'batch', ingress: [all('sg-app')] }),
        sg('sg-db3', { tier: 'data', name: 'reporting', ingress: [tcp(5432, 'sg-app'), tcp(5432, '198.51.100.0/24')] }),
      ],
      lbs: [lb('shop-alb', ['sg-lb'], { tier: 'lb' })],
      enis: [eni('eni-web', ['sg-web']), eni('eni-app', ['sg-app'])],
    }),
  );
  const { report, topology } = reportOf(snap, { rules: byDefault });
  const { lines, note } = mermaidTierGraph(topology, report.findings);
  const g = parse(lines);

  it('starts with the compact layout directive and a left-to-right flowchart', () => {
    expect(lines.slice(0, 2)).toEqual([MERMAID_INIT, 'flowchart LR']);
  });

  it('places the group of a Tier=lb load balancer in "Load balancers" (tier table too)', () => {
    expect(g.subgraph.get(g.node.get('shop-alb')!)).toBe('tier_lb');
    const md = renderMarkdown(report, { color: false, topology });
    expect(md).toContain('| Load balancers | 1 |');
    expect(md).not.toContain('| No tier tag |');
  });

  it('draws 0.0.0.0/0 and ::/0 as one Internet node and 198.51.100.0/24 as its own node', () => {
    expect(lines.filter((l) => l.includes('(("Internet"))'))).toEqual(['  internet(("Internet"))']);
    expect(g.node.get('198.51.100.0/24')).toBe('src1');
    const reporting = g.node.get('reporting')!;
    expect(g.edges.filter((e) => e.endsWith(` ${reporting}`) && !e.startsWith(g.node.get('app')!))).toEqual([
      `src1 -->|"tcp 5432"| ${reporting}`,
    ]);
  });

  it('exact edges: failing ones red with their ports, passing ones collapsed (no label, not red)', () => {
    const [lbN, web, app, ledger, batch, reporting] = ['shop-alb', 'web', 'app', 'ledger', 'batch', 'reporting'].map(
      (n) => g.node.get(n)!,
    );
    expect(g.edges).toEqual([
      `src1 -->|"tcp 5432"| ${reporting}`,
      `internet --> ${lbN}`,
      `${lbN} --> ${web}`,
      `${web} --> ${app}`,
      `${app} -->|"tcp 3000-4000"| ${ledger}`,
      `${app} -->|"all traffic"| ${batch}`,
      `${app} --> ${reporting}`,
    ]);
    expect(g.red).toEqual([
      `src1 -->|"tcp 5432"| ${reporting}`,
      `${app} -->|"tcp 3000-4000"| ${ledger}`,
      `${app} -->|"all traffic"| ${batch}`,
    ]);
    expect(lines).toContain('  classDef fail fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#82071e');
    expect(lines.find((l) => l.startsWith('  linkStyle'))).toMatch(/ stroke:#cf222e,stroke-width:2px,color:#cf222e$/);
    expect(g.failClass.sort()).toEqual([batch, ledger, reporting].sort());
    expect(note).toContain('Red: failing groups and the edges their findings name');
  });

  it('shortens sg ids to a unique suffix', () => {
    const snap2 = snapshot(
      region({ groups: [sg('sg-0a1b2c3d4e5f60701', { tier: 'web' }), sg('sg-0a1b2c3d4e5f60801', { tier: 'web' })] }),
    );
    const r = reportOf(snap2, { rules: [] });
    const labels = mermaidTierGraph(r.topology, r.report.findings).lines.filter((l) => /^ {4}n\d/.test(l));
    expect(labels).toEqual(['    n1["0a1b2c3d4e5f60701<br/>sg-…60701"]', '    n2["0a1b2c3d4e5f60801<br/>sg-…60801"]']);
  });
});

describe('tier diagram of the demo estate', () => {
  const demo = JSON.parse(readFileSync(DEMO_ESTATE, 'utf8')) as Snapshot;
  const { report, topology } = reportOf(demo, { rules: byDefault });
  const { lines } = mermaidTierGraph(topology, report.findings);
  const g = parse(lines);
  const id = (name: string) => g.node.get(name)!;

  it('the edges the data-tier findings name (tcp 3000-4000, all traffic from shop-app) are red', () => {
    expect(g.red).toContain(`${id('shop-app')} -->|"tcp 3000-4000"| ${id('ledger-db')}`);
    expect(g.red).toContain(`${id('shop-app')} -->|"all traffic"| ${id('batch-db')}`);
    // Passing references stay grey and unlabelled.
    expect(g.edges).toContain(`${id('shop-web')} --> ${id('shop-app')}`);
    expect(g.red.every((e) => e.includes('|"'))).toBe(true);
  });

  it('shop-alb (behind the Tier=lb load balancer) is a load-balancer group', () => {
    expect(g.subgraph.get(id('shop-alb'))).toBe('tier_lb');
  });

  it('198.51.100.0/24 reaches partners-aurora as itself, not as Internet', () => {
    const src = id('198.51.100.0/24');
    expect(g.red).toContain(`${src} -->|"tcp 3306"| ${id('partners-aurora')}`);
    expect(g.edges.some((e) => e.startsWith('internet') && e.endsWith(` ${id('partners-aurora')}`))).toBe(false);
  });

  it('stays compact: no node label wider than 28 characters, no account/region lines', () => {
    const labels = lines.filter((l) => /^ {4}n\d+\["/.test(l)).flatMap((l) => /\["(.*)"\]/.exec(l)![1].split('<br/>'));
    expect(Math.max(...labels.map((l) => l.length))).toBeLessThanOrEqual(28);
    expect(labels.some((l) => /\d{12}\//.test(l))).toBe(false);
  });
});
