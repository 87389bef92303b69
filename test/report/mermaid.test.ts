/**
 * Issue #10 item 21: the Markdown tier diagram is correct and legible. Red edges are the ones failing
 * findings name (also when only the finding's data names the source, as data-tier-sg does); the group of
 * a Tier=lb load balancer sits in "Load balancers"; specific public ranges are drawn as their CIDR, only
 * 0.0.0.0/0 and ::/0 as "Internet"; passing edges are collapsed (no port label) so the demo estate renders
 * at ~881 px wide with the real Mermaid (checked by hand with mermaid 11 + chromium at 900 px).
 *
 * Issue #13: with the network data the diagram is drawn from effective paths instead (src/report/tier-diagram.ts):
 * one box per tier with its interface count, edges labelled with the ports some path admits, violations red,
 * intended links that miss interfaces of the next tier dashed; without it, the rule-text diagram above, saying so.
 * The demo estate's renders 1028 px wide (shown at 88% in a 900 px column; mermaid 11 + chromium, checked by hand).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { MERMAID_INIT, mermaidTierGraph, renderMarkdown } from '../../src/report/markdown.js';
import { mermaidTierPaths, TIER_MERMAID_INIT } from '../../src/report/tier-diagram-mermaid.js';
import type { TierLink, TierPaths } from '../../src/report/tier-diagram.js';
import { loadInputFile } from '../../src/snapshot/load.js';
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

/**
 * Every line of the flowchart is a node declaration, an edge between declared nodes (labels free of quotes), or a
 * class / linkStyle line whose link indices exist; returns the edges in order (linkStyle counts them so).
 */
function expectValidMermaid(lines: string[]): string[] {
  expect(lines.slice(0, 2)).toEqual([expect.stringMatching(/^%%\{init: .*\}%%$/), 'flowchart LR']);
  const declared = new Set<string>();
  const edges: string[] = [];
  for (const line of lines.slice(2)) {
    const decl = /^ {2}(\w+)(?:\(\("[^"]*"\)\)|\["[^"]*"\])$/.exec(line);
    const edge = /^ {2}(\w+) (?:-->|-\.->)(?:\|"[^"]*"\|)? (\w+)$/.exec(line);
    const style = /^ {2}(?:classDef \w+ [\w#:,-]+|class [\w,]+ \w+|linkStyle ([\d,]+) [\w#:,-]+)$/.exec(line);
    expect(decl ?? edge ?? style, line).not.toBeNull();
    if (decl) {
      expect(declared.has(decl[1]), `${decl[1]} declared twice`).toBe(false);
      declared.add(decl[1]);
    } else if (edge) {
      expect([declared.has(edge[1]), declared.has(edge[2])], line).toEqual([true, true]);
      edges.push(line.trim());
    } else if (style?.[1]) {
      for (const i of style[1].split(',').map(Number)) expect(i, line).toBeLessThan(edges.length);
    }
  }
  return edges;
}

/** The edges a `linkStyle` line with this style colours. */
function styled(lines: string[], edges: string[], colour: string): string[] {
  const line = lines.find((l) => l.startsWith('  linkStyle ') && l.includes(colour));
  return line
    ? line
        .split(' ')[3]
        .split(',')
        .map((i) => edges[Number(i)])
    : [];
}

describe('tier diagram from effective paths', () => {
  const link = (from: TierLink['from'], to: TierLink['to'], o: Partial<TierLink> = {}): TierLink => ({
    from,
    to,
    ports: ['tcp 443'],
    paths: 1,
    intended: false,
    ...o,
  });
  const tp: TierPaths = {
    boxes: [
      { key: 'internet', interfaces: 0 },
      { key: 'lb', interfaces: 2 },
      { key: 'web', interfaces: 1 },
      { key: 'app', interfaces: 3 },
      { key: 'data', interfaces: 2 },
      { key: 'other', interfaces: 1 },
    ],
    links: [
      link('internet', 'lb', { ports: ['tcp 80, 443'], intended: true }),
      link('internet', 'other', { ports: ['tcp 22'], violation: 'internet-reachable … data tier in one more step' }),
      link('lb', 'web', { ports: ['tcp 8080'], intended: true }),
      link('web', 'app', {
        ports: ['tcp 8080'],
        intended: true,
        broken: { of: 3, unreached: 1, unknown: 0, examples: ['checkout-app-1'] },
      }),
      link('app', 'data', {
        ports: [],
        paths: 0,
        intended: true,
        broken: { of: 2, unreached: 0, unknown: 2, examples: [] },
      }),
      link('other', 'data', { ports: ['tcp 5432', 'udp 53', 'icmp'], violation: 'untagged reach the data tier' }),
    ],
    undecided: 2,
    hidden: 3,
  };
  const { lines, problems } = mermaidTierPaths(tp);

  it('one box per tier with its interface count, the internet as a circle, ports on the edges', () => {
    expect(lines).toEqual([
      TIER_MERMAID_INIT,
      'flowchart LR',
      '  internet(("Internet"))',
      '  tier_lb["Load balancers<br/>2 interfaces"]',
      '  tier_web["Web tier<br/>1 interface"]',
      '  tier_app["App tier<br/>3 interfaces"]',
      '  tier_data["Data tier<br/>2 interfaces"]',
      '  tier_other["No tier tag<br/>1 interface"]',
      '  internet -->|"tcp 80, 443"| tier_lb',
      '  internet -->|"tcp 22"| tier_other',
      '  tier_lb -->|"tcp 8080"| tier_web',
      '  tier_web -->|"tcp 8080"| tier_app',
      '  tier_web -.->|"broken: 1 of 3"| tier_app',
      '  tier_app -.->|"undecided: 2 of 2"| tier_data',
      '  tier_other -->|"tcp 5432, udp 53 +1"| tier_data',
      '  classDef tier fill:#f6f8fa,stroke:#57606a,color:#1f2328',
      '  class tier_lb,tier_web,tier_app,tier_data,tier_other tier',
      '  linkStyle 1,6 stroke:#cf222e,stroke-width:2px,color:#cf222e',
      '  linkStyle 4,5 stroke:#9a6700,stroke-width:2px,color:#9a6700',
    ]);
    const edges = expectValidMermaid(lines);
    expect(styled(lines, edges, '#cf222e')).toEqual([
      'internet -->|"tcp 22"| tier_other',
      'tier_other -->|"tcp 5432, udp 53 +1"| tier_data',
    ]);
    expect(styled(lines, edges, '#9a6700')).toEqual([
      'tier_web -.->|"broken: 1 of 3"| tier_app',
      'tier_app -.->|"undecided: 2 of 2"| tier_data',
    ]);
  });

  it('the red and dashed links in words, for the table under the diagram', () => {
    expect(problems).toEqual([
      ['Internet → No tier tag', 'tcp 22', 'internet-reachable … data tier in one more step'],
      ['Web tier → App tier', 'tcp 8080', '1 of 3 app-tier interfaces has no path from the web tier (checkout-app-1)'],
      ['App tier → Data tier', '—', '2 of 2 undecided (data not collected)'],
      ['No tier tag → Data tier', 'tcp 5432; udp 53; icmp', 'untagged reach the data tier'],
    ]);
  });

  it('the Markdown report draws it under its caption, with the table; the rule-text diagram is not drawn', () => {
    const snap = snapshot(region({ groups: [sg('sg-web', { tier: 'web' })] }));
    const { report, topology } = reportOf(snap, { rules: [] });
    const md = renderMarkdown(report, { color: false, topology: { ...topology, tierPaths: tp } });
    const at = md.indexOf('### Tier graph\n\nDrawn from effective paths: ');
    expect(at).toBeGreaterThan(0);
    expect(md).toContain(
      'in the same account and region. 3 links against the chain (into load balancers from inside, or back toward ' +
        'the internet side) not drawn. 2 interface pairs could not be decided (data not collected): they are ' +
        'neither drawn nor counted as broken.\n\n```mermaid\n' +
        TIER_MERMAID_INIT,
    );
    expect(md).toContain(
      [
        '```',
        '',
        '| Link | Ports | What is wrong |',
        '| --- | --- | --- |',
        '| Internet → No tier tag | tcp 22 | internet-reachable … data tier in one more step |',
      ].join('\n'),
    );
    expect(md).not.toContain('subgraph tier_');
  });
});

describe('the demo estate: the tier diagram from effective paths', () => {
  const { report, topology } = reportOf(loadInputFile(DEMO_ESTATE), { rules: byDefault });
  const tp = topology.tierPaths!;
  const show = (l: TierLink) =>
    `${l.from}>${l.to} ${l.ports.join('; ') || '-'}` +
    (l.violation ? ' RED' : '') +
    (l.broken ? ` BROKEN ${l.broken.unreached}/${l.broken.of} [${l.broken.examples.join(',')}]` : '');

  it('the demo cases read off the diagram: tier skips and the bastion red, the egress-blocked chain dashed', () => {
    expect(topology.tierPathsMissing).toBeUndefined();
    expect(tp.links.map(show)).toEqual([
      // shop-alb, shop-eu-alb, static-assets (from the CloudFront ranges), shop-ingest-nlb.
      'internet>lb tcp 80, 443, 5000',
      // shop-web-legacy bypasses the ALB; legacy-mysql is publicly accessible.
      'internet>web tcp 80, 443 RED',
      'internet>data tcp 3306 RED',
      // The exposed bastion (tcp 22) reaches reporting-pg in one more step.
      'internet>other tcp 22, 443, 8443 RED',
      // What the load balancers forward: shop-alb → shop-web on 8080, shop-eu-alb → shop-eu-web on 443. Every web
      // interface is reachable from some load-balancer node (legacy-web from the NLB's, which has no groups), as
      // tier-chain-broken reads the link: not broken.
      'lb>web tcp 443, 8080',
      // checkout-web's egress allows only tcp 443; checkout-app admits tcp 8080 from it.
      'web>app tcp 6379, 8080 BROKEN 1/5 [checkout-app-1]',
      // ml-web-1/2 → ml-features on 5432 (the tier skip); every interface → legacy-mysql on 3306.
      'web>data tcp 3306, 5432 RED',
      'app>data all traffic',
      'other>web tcp 80, 443',
      'other>app tcp 6379',
      // The bastion → reporting-pg, the peered notebook → batch-pg (5432), anything → legacy-mysql (3306).
      'other>data tcp 3306, 5432 RED',
    ]);
    expect(tp.boxes).toEqual([
      { key: 'internet', interfaces: 0 },
      // The load balancers' nodes, tagged or not (the internal ALB, static-assets, the NLB).
      { key: 'lb', interfaces: 7 },
      { key: 'web', interfaces: 7 },
      { key: 'app', interfaces: 6 },
      { key: 'data', interfaces: 9 },
      { key: 'other', interfaces: 10 },
    ]);
  });

  it('the Markdown of a demo scan draws it, valid and compact: six boxes, short labels, its problems in words', () => {
    const md = renderMarkdown(report, { color: false, topology });
    const start = md.indexOf('```mermaid\n', md.indexOf('### Tier graph'));
    const lines = md.slice(start + 11, md.indexOf('\n```', start + 11)).split('\n');
    const edges = expectValidMermaid(lines);
    expect(lines.filter((l) => /^ {2}(internet|tier_\w+)[[(]/.test(l))).toHaveLength(6);
    expect(edges.length).toBeLessThanOrEqual(14);
    const labels = edges.map((e) => /\|"([^"]*)"\|/.exec(e)?.[1] ?? '');
    expect(Math.max(...labels.map((l) => l.length))).toBeLessThanOrEqual(20);
    expect(styled(lines, edges, '#9a6700')).toEqual(['tier_web -.->|"broken: 1 of 5"| tier_app']);
    expect(md).toContain(
      '| Web tier → App tier | tcp 6379, 8080 | 1 of 5 app-tier interfaces has no path from the web tier (checkout-app-1) |',
    );
    expect(md).toContain(
      '| Web tier → Data tier | tcp 3306, 5432 | the web tier reaches the data tier, skipping the app tier |',
    );
  });

  it('the version-1 copy (no network data) falls back to the rule-text diagram and says so', () => {
    const v1 = path.join(path.dirname(DEMO_ESTATE), '../snapshots/demo-v1.json');
    const r = reportOf(loadInputFile(v1), { rules: byDefault });
    expect(r.topology.tierPaths).toBeUndefined();
    expect(r.topology.tierPathsMissing).toBe('network data not collected');
    const md = renderMarkdown(r.report, { color: false, topology: r.topology });
    expect(md).toContain(
      '### Tier graph\n\nDrawn from security-group rules: network data not collected. 2 untagged groups',
    );
    expect(md).toContain('  subgraph tier_data["Data tier"]');
  });
});
