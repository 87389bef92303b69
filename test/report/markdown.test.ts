import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/types.js';
import { markdownReporter, mermaidTierGraph, mermaidText, renderMarkdown } from '../../src/report/markdown.js';
import type { Topology } from '../../src/report/topology.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { estate, reportOf, worldIngress } from './fixture.js';

/** A big estate: `n` web groups behind one LB group, each reaching `n` app groups, one data group. */
function bigEstate(n: number) {
  const groups = [
    sg('sg-lb', { tier: 'lb', ingress: [tcp(443, '0.0.0.0/0')] }),
    sg('sg-data', {
      tier: 'data',
      ingress: Array.from({ length: n }, (_, i) => tcp(5432, `sg-app${String(i).padStart(3, '0')}`)),
    }),
  ];
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(3, '0');
    groups.push(
      sg(`sg-web${id}`, { tier: 'web', ingress: [tcp(8080, 'sg-lb'), ...(i === n - 1 ? [tcp(22, '0.0.0.0/0')] : [])] }),
    );
    groups.push(sg(`sg-app${id}`, { tier: 'app', ingress: [tcp(8443, `sg-web${id}`)] }));
  }
  return snapshot(region({ groups }));
}

describe('markdown', () => {
  it('caps the diagram for hundreds of groups, keeping failing ones and saying what was collapsed', () => {
    const { report, topology } = reportOf(bigEstate(150), { rules: [worldIngress] });
    expect(topology.nodes).toHaveLength(302);
    const { lines, note } = mermaidTierGraph(topology, report.findings, { maxNodes: 60 });
    const drawn = lines.filter((l) => /^ {4}n\d+\[/.test(l));
    expect(drawn).toHaveLength(60);
    // The one failing web group (SSH from the world) is drawn and red; the rest collapse per tier.
    const failing = drawn.find((l) => l.includes('sg-web149'))!;
    expect(failing).toBeDefined();
    const failingId = failing.trim().split('[')[0];
    expect(lines).toContain(`  class ${failingId} fail`);
    const more = lines.filter((l) => l.includes('more_'));
    expect(more.filter((l) => l.includes('[["'))).toEqual([
      expect.stringMatching(/more_web\[\["\+\d+ more web groups"\]\]/),
      expect.stringMatching(/more_app\[\["\+\d+ more app groups"\]\]/),
    ]);
    const counts = more.filter((l) => l.includes('[["')).map((l) => Number(/\+(\d+) more/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(302 - 60);
    expect(note).toMatch(/^302 groups in the graph; the 60 most relevant are drawn, 242 collapsed/);
    // Edges to collapsed groups are merged: no duplicates.
    const edges = lines.filter((l) => l.includes('-->'));
    expect(new Set(edges).size).toBe(edges.length);
    const md = renderMarkdown(report, { color: false, topology });
    expect(md.length).toBeLessThan(65_536);
  });

  it('caps the failing-findings table and says how many rows were left out', () => {
    const groups = Array.from({ length: 80 }, (_, i) =>
      sg(`sg-${String(i).padStart(2, '0')}`, { ingress: [tcp(22, '0.0.0.0/0')] }),
    );
    const { report, topology } = reportOf(snapshot(region({ groups })), { rules: [worldIngress] });
    const md = renderMarkdown(report, { color: false, topology }, { maxRows: 50 });
    expect(md).toContain('### Failing findings (80)');
    expect(md.split('\n').filter((l) => l.startsWith('| high | `'))).toHaveLength(50);
    expect(md).toContain('…and 30 more: see the full report');
  });

  it('marks failing edges: an edge is red when a failing finding on one end names the other end (or its CIDR)', () => {
    const { report, topology } = reportOf(estate());
    const { lines } = mermaidTierGraph(topology, report.findings);
    const edges = lines.filter((l) => l.includes('-->'));
    const linkStyle = lines.find((l) => l.startsWith('  linkStyle'))!;
    const red = linkStyle
      .split(' ')[3]
      .split(',')
      .map(Number)
      .map((i) => edges[i].trim());
    // 203.0.113.0/24 is a specific public range: its own node, not "Internet".
    expect(red).toEqual(['internet -->|"tcp 3306, tcp 5432"| n4', 'src1 -->|"tcp 22"| n5', 'n2 -->|"tcp 3306"| n4']);
    // Passing edges are collapsed: no port label, not red.
    expect(edges.map((e) => e.trim()).filter((e) => !red.includes(e))).toEqual([
      'internet --> n1',
      'n1 --> n2',
      'n2 --> n3',
      'n3 --> n4',
    ]);
  });

  it('escapes group names for Mermaid and table cells', () => {
    expect(mermaidText('a "b" <c> & #d; `e` [f]')).toBe('a #34;b#34; #60;c#62; #38; #35;d#59; #96;e#96; #91;f#93;');
    const rule: Rule = {
      ...worldIngress,
      meta: {
        ...worldIngress.meta,
        messages: { ...worldIngress.meta.messages, worldOpen: '{{groupId}} | *bold* <b>' },
      },
    };
    const snap = snapshot(region({ groups: [sg('sg-x', { name: 'x|y', ingress: [tcp(22, '0.0.0.0/0')] })] }));
    const { report, topology } = reportOf(snap, { rules: [rule] });
    const md = markdownReporter.render(report, { color: false, topology });
    expect(md).toContain(
      '| high | `stub-world-ingress` | `sg-x` x\\|y | 111111111111 / us-east-1 | sg-x \\| \\*bold\\* \\<b\\> |',
    );
    expect(md).toContain('n1["x#124;y<br/>sg-x"]');
  });

  it('without a topology (no graph given) there is no tier table or diagram', () => {
    const { report } = reportOf(estate());
    const md = renderMarkdown(report, { color: false });
    expect(md).not.toContain('```mermaid');
    expect(md).not.toContain('Security groups by tier');
    expect(md).toContain('### Failing findings (7)');
  });

  // Issue #13: the tier graph is drawn from effective paths only with the network data and some interface to draw.
  it('an estate with groups but no network interface: the rule-text tier graph, captioned why', () => {
    const { report, topology } = reportOf(estate());
    expect(topology.tierPathsMissing).toBe('no network interfaces in the snapshot');
    const md = renderMarkdown(report, { color: false, topology });
    expect(md).toContain('### Tier graph\n\nDrawn from security-group rules: no network interfaces in the snapshot. ');
    expect(md).toContain('  subgraph tier_web["Web tier"]');
    expect(md).not.toContain('Drawn from effective paths');
  });

  it('a clean, complete scan says so', () => {
    const snap = snapshot(region({ groups: [sg('sg-a', { tier: 'app' })] }));
    const { report, topology } = reportOf(snap);
    expect(renderMarkdown(report, { color: false, topology }).split('\n')[0]).toBe(
      '## sg-audit: ✅ No failing findings',
    );
    const empty: Topology = { nodes: [], edges: [] };
    expect(renderMarkdown(report, { color: false, topology: empty })).not.toContain('mermaid');
  });
});
