/**
 * Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: the verdict, counts by severity and tier,
 * the failing findings, errors, suppression warnings, baseline changes, and a Mermaid flowchart of the
 * tier graph (internet → load balancers → web → app → data; SG-to-SG references as edges; failing groups
 * and edges in red).
 *
 * Stays readable and under GitHub's comment limit (65,536 characters) for estates with hundreds of
 * groups: at most `maxNodes` groups are drawn (failing and internet-facing ones first), the rest collapse
 * into one "+N more" node per tier; finding tables are capped and say how many rows were left out.
 */
import { TIERS, type Severity, type Tier } from '../config/schema.js';
import { SEVERITY_RANK } from '../engine/types.js';
import { gateBreakdown, isBlocking } from '../gate/gate.js';
import { exposureLine, morePaths, pathText, REACH_MARK } from './exposure-text.js';
import { passVerdict } from './verdict.js';
import type { RenderContext, Report, Reporter, ReportFinding } from './model.js';
import { suppressionWarnings } from '../gate/suppressions.js';
import { placedTier, type Topology, type TopologyNode } from './topology.js';
import { mermaidTierPaths, mermaidText, tierPathsNote } from './tier-diagram-mermaid.js';

export interface MarkdownOptions {
  /** Groups drawn individually in the diagram (default 60). */
  maxNodes?: number;
  /** Edges drawn (default 150); failing and internet edges first. */
  maxEdges?: number;
  /** Rows of the failing-findings table (default 50). */
  maxRows?: number;
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const TIER_LABEL: Record<Tier | 'other', string> = {
  lb: 'Load balancers',
  web: 'Web tier',
  app: 'App tier',
  data: 'Data tier',
  other: 'No tier tag',
};

/** Escape text for a markdown table cell. */
export function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Inline code in a table cell (ids). Backticks and pipes cannot be escaped inside code spans. */
export function code(s: string): string {
  return /[`|\n]/.test(s) ? cell(s) : `\`${s}\``;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function pluralise(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function renderMarkdown(report: Report, ctx: RenderContext, opts: MarkdownOptions = {}): string {
  const maxRows = opts.maxRows ?? 50;
  const failOn = report.gate?.failOn ?? 'info';
  const out: string[] = [];
  const s = report.summary;
  const fails = report.findings.filter((f) => f.status === 'fail');
  const errors = report.findings.filter((f) => f.status === 'error');
  const blocking = fails.filter((f) => isBlocking(f, failOn));
  const gate = gateBreakdown(report.findings, failOn);

  // Verdict.
  let verdict: string;
  if (blocking.length) {
    const fail = blocking.length === 1 ? 'fails' : 'fail';
    verdict = `❌ ${pluralise(blocking.length, 'failing finding')} ${fail} the build`;
  } else if (errors.length) {
    const known = gate.failing ? `; ${passVerdict(gate, failOn, Boolean(report.baseline)).replace(/^No/, 'no')}` : '';
    verdict = `⚠️ Scan incomplete: ${pluralise(errors.length, 'error')}, results are unknown there${known}`;
  } else verdict = `✅ ${passVerdict(gate, failOn, Boolean(report.baseline))}`;
  out.push(`## sg-audit: ${verdict}`, '');
  const scope = report.scope;
  out.push(
    `${pluralise(scope.securityGroups, 'security group')} · ${pluralise(scope.accounts.length, 'account')} · ` +
      `${pluralise(scope.regions.length, 'region')} · snapshot ${report.snapshotCreatedAt} · ` +
      `sg-audit ${report.tool.version}`,
    '',
  );
  const notes: string[] = [];
  if (failOn !== 'info')
    notes.push(
      failOn === 'none'
        ? 'findings never fail the build (`--fail-on none`)'
        : `only **${failOn}** or worse fails the build (\`--fail-on ${failOn}\`)`,
    );
  if (report.baseline)
    notes.push(
      `compared with baseline \`${report.baseline.file}\` (${report.baseline.generatedAt}): only new findings ` +
        'fail the build',
    );
  if (fails.length > blocking.length) {
    const why = [
      gate.suppressed ? `${gate.suppressed} suppressed` : '',
      gate.known ? `${gate.known} known from the baseline` : '',
      gate.below
        ? failOn === 'none'
          ? `${gate.below} under \`--fail-on none\``
          : `${gate.below} below ${failOn}`
        : '',
    ].filter(Boolean);
    const nonBlocking = fails.length - blocking.length;
    const doNot = nonBlocking === 1 ? 'does not' : 'do not';
    notes.push(`${pluralise(nonBlocking, 'failing finding')} ${doNot} fail the build: ${why.join(', ')}`);
  }
  for (const n of notes) out.push(`> ${n[0].toUpperCase()}${n.slice(1)}.`);
  if (notes.length) out.push('');

  // Counts by severity.
  const withBaseline = Boolean(report.baseline);
  out.push('| Severity | Failing | Suppressed |' + (withBaseline ? ' New |' : '') + ' Blocking |');
  out.push('| --- | ---: | ---: |' + (withBaseline ? ' ---: |' : '') + ' ---: |');
  for (const sev of SEVERITY_ORDER) {
    const of = fails.filter((f) => f.severity === sev);
    const row = [
      sev,
      String(of.length),
      String(of.filter((f) => f.suppression).length),
      ...(withBaseline ? [String(of.filter((f) => f.baseline === 'new').length)] : []),
      String(of.filter((f) => isBlocking(f, failOn)).length),
    ];
    out.push(`| ${row.join(' | ')} |`);
  }
  out.push(
    '',
    `${s.pass} passed · ${s.fail} failed ` +
      `· ${pluralise(s.error, 'error')}${s.suppressed ? ` · ${s.suppressed} suppressed` : ''}`,
    '',
  );

  // Counts by tier (groups, from the topology).
  const topo = ctx.topology;
  const failingSg = failingGroups(report.findings);
  if (topo && topo.nodes.length) {
    out.push('### Security groups by tier', '');
    out.push('| Tier | Security groups | Failing groups | Failing findings on them |', '| --- | ---: | ---: | ---: |');
    for (const tier of [...TIERS, 'other'] as const) {
      // A group counts in each tier it is tagged for; an untagged one in the tier of what it protects.
      const nodes = topo.nodes.filter((n) => {
        const tiers = n.tiers.length ? n.tiers : n.attachedTiers.slice(0, 1);
        return tier === 'other' ? tiers.length === 0 : tiers.includes(tier);
      });
      if (!nodes.length) continue;
      const failing = nodes.filter((n) => failingSg.has(n.id));
      const findings = failing.reduce((k, n) => k + failingSg.get(n.id)!.length, 0);
      out.push(`| ${TIER_LABEL[tier]} | ${nodes.length} | ${failing.length} | ${findings} |`);
    }
    out.push('');
  }

  // Failing findings (not suppressed): blocking first, then by severity.
  const listed = fails
    .filter((f) => !f.suppression)
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        Number(isBlocking(b.f, failOn)) - Number(isBlocking(a.f, failOn)) ||
        SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] ||
        a.i - b.i,
    )
    .map((x) => x.f);
  if (listed.length) {
    // The Internet column when some finding says whether it is reachable (world-open and tier rules).
    const withReach = listed.slice(0, maxRows).some((f) => f.exposure);
    out.push(`### Failing findings (${listed.length})`, '');
    out.push(
      '| Severity | Rule | Resource | Account / region |' +
        (withReach ? ' Internet |' : '') +
        ' Finding |' +
        (withBaseline ? ' Baseline |' : ''),
    );
    out.push('| --- | --- | --- | --- |' + (withReach ? ' --- |' : '') + ' --- |' + (withBaseline ? ' --- |' : ''));
    for (const f of listed.slice(0, maxRows)) out.push(findingRow(f, withBaseline, withReach));
    if (listed.length > maxRows)
      out.push('', `…and ${listed.length - maxRows} more: see the full report (\`--format json\` or SARIF).`);
    out.push('');
  }

  const suppressed = fails.filter((f) => f.suppression);
  if (suppressed.length) {
    out.push(`<details><summary>Suppressed findings (${suppressed.length})</summary>`, '');
    out.push('| Severity | Rule | Resource | Reason | Expires |', '| --- | --- | --- | --- | --- |');
    for (const f of suppressed.slice(0, maxRows)) {
      out.push(
        `| ${f.severity} | ${code(f.ruleId)} | ${code(f.resource.id)} | ${cell(f.suppression!.reason)} ` +
          `| ${f.suppression!.expires ?? '—'} |`,
      );
    }
    if (suppressed.length > maxRows) out.push('', `…and ${suppressed.length - maxRows} more.`);
    out.push('', '</details>', '');
  }

  if (errors.length) {
    out.push(`### Errors: results unknown (${errors.length})`, '');
    for (const f of errors.slice(0, maxRows))
      out.push(`- ${code(f.ruleId)} ${code(`${f.accountId}/${f.region}`)}: ${cell(f.message)}`);
    if (errors.length > maxRows) out.push(`- …and ${errors.length - maxRows} more.`);
    out.push('');
  }

  if (report.suppressions) {
    const warnings = suppressionWarnings(report.suppressions.file, report.suppressions.entries);
    if (warnings.length) {
      out.push('### Suppression file warnings', '');
      for (const w of warnings) out.push(`- ⚠️ ${cell(w)}`);
      out.push('');
    }
  }

  if (report.baseline && report.baseline.fixed.length) {
    const fixed = report.baseline.fixed;
    out.push(`### Fixed since the baseline (${fixed.length})`, '');
    for (const f of fixed.slice(0, maxRows)) {
      out.push(
        `- ✅ ${f.severity} ${code(f.ruleId)} ${code(f.resource.id)} (${f.accountId}/${f.region}): ${cell(f.message)}`,
      );
    }
    if (fixed.length > maxRows) out.push(`- …and ${fixed.length - maxRows} more.`);
    out.push('');
  }

  if (topo?.tierPaths) {
    // Drawn from effective paths (issue #13); the red and dashed links in words under it.
    const { lines, problems } = mermaidTierPaths(topo.tierPaths);
    out.push('### Tier graph', '', tierPathsNote(topo.tierPaths), '', '```mermaid', ...lines, '```', '');
    if (problems.length) {
      out.push('| Link | Ports | What is wrong |', '| --- | --- | --- |');
      for (const [link, ports, why] of problems) out.push(`| ${cell(link)} | ${cell(ports)} | ${cell(why)} |`);
      out.push('');
    }
  } else if (topo && topo.nodes.length) {
    const diagram = mermaidTierGraph(topo, report.findings, opts);
    out.push('### Tier graph', '');
    // Without the network data the diagram can only read the rules' text: say so.
    const from = topo.tierPathsMissing ? `Drawn from security-group rules: ${topo.tierPathsMissing}. ` : '';
    if (diagram.note || from) out.push(`${from}${diagram.note ?? ''}`.trimEnd(), '');
    out.push('```mermaid', ...diagram.lines, '```', '');
  }

  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/**
 * The Internet cell: **reachable** and the first path's hops, `not reachable` (the message says what blocks it),
 * `reachability unknown` and what was not collected; `—` for findings internet exposure does not apply to.
 */
function reachCell(f: ReportFinding): string {
  const e = f.exposure;
  if (!e) return '—';
  if (e.status === 'reachable' && e.paths.length) {
    const more = e.pathCount ? morePaths(e, f.resource.id) : e.paths.length > 1 ? ` (+${e.paths.length - 1} more)` : '';
    return `🌐 **${REACH_MARK.reachable}**${more}: ${cell(truncate(pathText(e.paths[0]), 240))}`;
  }
  if (e.status === 'unreachable') return REACH_MARK.unreachable;
  return cell(truncate(exposureLine(e), 160));
}

function findingRow(f: ReportFinding, withBaseline: boolean, withReach = false): string {
  const name = f.resource.name && f.resource.name !== f.resource.id ? ` ${cell(truncate(f.resource.name, 40))}` : '';
  const row = [
    f.severity,
    code(f.ruleId),
    `${code(f.resource.id)}${name}`,
    `${f.accountId} / ${f.region}`,
    ...(withReach ? [reachCell(f)] : []),
    cell(truncate(f.message, 300)),
    ...(withBaseline ? [f.baseline === 'new' ? '🆕 new' : 'unchanged'] : []),
  ];
  return `| ${row.join(' | ')} |`;
}

/** Failing (unsuppressed) findings per security-group id. */
function failingGroups(findings: ReportFinding[]): Map<string, ReportFinding[]> {
  const out = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    if (f.status !== 'fail' || f.suppression || f.resource.type !== 'security-group') continue;
    const list = out.get(f.resource.id);
    if (list) list.push(f);
    else out.set(f.resource.id, [f]);
  }
  return out;
}

export { mermaidText };

function portsLabel(ports: string[]): string {
  const shown = ports.slice(0, 3).join(', ');
  return ports.length > 3 ? `${shown}, +${ports.length - 3}` : shown;
}

type TierKey = Tier | 'other';
const tierOf = (n: TopologyNode): TierKey => placedTier(n) ?? 'other';

/** Mermaid layout for a diagram that stays legible at GitHub's width (~900 px): tight spacing. */
export const MERMAID_INIT = '%%{init: {"flowchart": {"nodeSpacing": 12, "rankSpacing": 20, "padding": 4}}}%%';

/**
 * What a finding names as a traffic source: its `source`/`sources` data, the words after "from" in its
 * message (up to "to", a ";" or the end of the sentence, so egress destinations never count) and its
 * related resources. Ids as `sg-…`, `acct/sg-…` (also as `sg-…`), CIDRs, `pl-…`.
 */
function namedTokens(f: ReportFinding): Set<string> {
  const out = new Set<string>();
  const add = (raw: string) => {
    const t = raw.replace(/[.:]+$/, '');
    if (!t) return;
    out.add(t);
    const slash = t.indexOf('/sg-');
    if (slash > 0) out.add(t.slice(slash + 1));
  };
  for (const key of ['source', 'sources'] as const) {
    const v = f.data?.[key];
    if (v !== undefined) for (const w of String(v).split(/[\s,;()]+/)) add(w);
  }
  for (const clause of f.message.split(/;|\.(?:\s|$)/)) {
    // The engine's "Not reachable from the internet: …" sentence names blocking resources, not sources.
    if (clause.trimStart().startsWith('Not reachable from the internet')) continue;
    let on = false;
    for (const w of clause.split(/[\s,()]+/)) {
      if (w === 'from') on = true;
      else if (w === 'to') on = false;
      else if (on) add(w);
    }
  }
  for (const r of f.related) out.add(r.id);
  return out;
}

/** `sg-…60722`: the shortest suffix (at least 5 characters) that keeps the drawn ids apart. */
function shortIds(ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const sg = ids.filter((id) => id.startsWith('sg-'));
  for (let k = 5; k <= 17; k++) {
    const suffixes = new Set(sg.map((id) => id.slice(-k)));
    if (suffixes.size === sg.length || k === 17) {
      for (const id of sg) out.set(id, id.length > k + 4 ? `sg-…${id.slice(-k)}` : id);
      break;
    }
  }
  for (const id of ids) if (!out.has(id)) out.set(id, id);
  return out;
}

/**
 * The tier diagram (Mermaid flowchart, left to right: public sources → load balancers → web → app →
 * data), one subgraph per tier. A group sits in its own tier tag's subgraph, else in the tier of the
 * resources attached to it (the group of a Tier=lb load balancer is a load-balancer group).
 *
 * Groups drawn: those with a tier, an SG reference, public exposure or a failing finding (isolated
 * untagged, passing groups are left out). Edge from A to B: B's ingress admits A (SG reference). Public
 * sources: "Internet" is 0.0.0.0/0 and ::/0 (and prefix lists holding either); any other public range is
 * drawn as its own CIDR (or prefix list) node.
 *
 * An edge is failing (red, with its ports) when a failing finding on one end names the other end: in
 * `related`, its message or its data (`sg-…`, `acct/sg-…`, the CIDR, `0.0.0.0/0`/`::/0` for Internet).
 * Passing edges are collapsed: thin and without port labels, so the diagram stays narrow.
 */
export function mermaidTierGraph(
  topo: Topology,
  findings: ReportFinding[],
  opts: MarkdownOptions = {},
): { lines: string[]; note?: string } {
  const maxNodes = opts.maxNodes ?? 60;
  const maxEdges = opts.maxEdges ?? 150;
  const failing = failingGroups(findings);
  const tokens = new Map([...failing].map(([id, fs]) => [id, fs.map(namedTokens)]));
  const names = (groupId: string, ...what: string[]) =>
    (tokens.get(groupId) ?? []).some((t) => what.some((w) => t.has(w)));
  const worstRank = new Map(
    [...failing].map(([id, fs]) => [id, Math.max(...fs.map((f) => SEVERITY_RANK[f.severity]))]),
  );
  const worst = (id: string) => worstRank.get(id) ?? -1;
  const degree = new Map<string, number>();
  for (const e of topo.edges) {
    degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
    degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
  }
  const byId = new Map(topo.nodes.map((n) => [n.id, n]));
  const candidates = topo.nodes.filter(
    (n) => placedTier(n) || degree.has(n.id) || n.publicSources.length || failing.has(n.id),
  );
  const ranked = [...candidates].sort(
    (a, b) =>
      worst(b.id) - worst(a.id) ||
      Number(b.publicSources.length > 0) - Number(a.publicSources.length > 0) ||
      (degree.get(b.id) ?? 0) - (degree.get(a.id) ?? 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const shown = new Set(ranked.slice(0, maxNodes).map((n) => n.id));
  const collapsed = new Map<TierKey, TopologyNode[]>();
  for (const n of ranked.slice(maxNodes)) {
    const t = tierOf(n);
    const list = collapsed.get(t);
    if (list) list.push(n);
    else collapsed.set(t, [n]);
  }

  const nodeId = new Map<string, string>();
  const short = shortIds([...shown]);
  const lines: string[] = [MERMAID_INIT, 'flowchart LR'];
  const failClass: string[] = [];

  // Public sources: Internet first, then CIDRs and prefix lists in order.
  const sources = new Map<string, { id: string; label: string; world: boolean }>();
  for (const n of ranked)
    for (const p of n.publicSources)
      if (!sources.has(p.key)) sources.set(p.key, { id: '', label: p.label, world: p.world });
  const sourceKeys = [...sources.keys()].sort(
    (a, b) => Number(sources.get(b)!.world) - Number(sources.get(a)!.world) || (a < b ? -1 : a > b ? 1 : 0),
  );
  let sourceCount = 0;
  for (const k of sourceKeys) {
    const s = sources.get(k)!;
    s.id = s.world ? 'internet' : `src${++sourceCount}`;
    lines.push(s.world ? '  internet(("Internet"))' : `  ${s.id}(["${mermaidText(s.label)}"])`);
  }

  const inTier = (t: TierKey) =>
    candidates
      .filter((n) => shown.has(n.id) && tierOf(n) === t)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let counter = 0;
  for (const t of [...TIERS, 'other'] as const) {
    const nodes = inTier(t);
    const more = collapsed.get(t) ?? [];
    if (!nodes.length && !more.length) continue;
    lines.push(`  subgraph tier_${t}["${mermaidText(TIER_LABEL[t])}"]`);
    for (const n of nodes) {
      const id = `n${++counter}`;
      nodeId.set(n.id, id);
      const label = [
        ...(n.name && n.name !== n.id ? [truncate(n.name, 28)] : []),
        short.get(n.id)!,
        ...(n.tiers.length > 1 ? [`tiers: ${n.tiers.join(', ')}`] : []),
      ];
      lines.push(`    ${id}["${label.map(mermaidText).join('<br/>')}"]`);
      if (failing.has(n.id)) failClass.push(id);
    }
    if (more.length) {
      const id = `more_${t}`;
      for (const n of more) nodeId.set(n.id, id);
      const failingMore = more.filter((n) => failing.has(n.id)).length;
      const what = `${t === 'other' ? 'untagged' : t} groups${failingMore ? `, ${failingMore} failing` : ''}`;
      lines.push(`    ${id}[["${mermaidText(`+${more.length} more ${what}`)}"]]`);
      if (failingMore) failClass.push(id);
    }
    lines.push('  end');
  }

  // Edges, aggregated onto drawn nodes.
  interface Edge {
    from: string;
    to: string;
    ports: string[];
    failing: boolean;
    external: boolean;
  }
  const edges = new Map<string, Edge>();
  const addEdge = (from: string, to: string, ports: string[], isFailing: boolean, external: boolean) => {
    if (from === to) return; // references inside a collapsed tier
    const key = `${from}>${to}`;
    const e = edges.get(key);
    if (!e) edges.set(key, { from, to, ports: [...ports], failing: isFailing, external });
    else {
      for (const p of ports) if (!e.ports.includes(p)) e.ports.push(p);
      e.failing ||= isFailing;
    }
  };
  for (const n of ranked) {
    for (const p of n.publicSources) {
      const isFailing = p.world ? names(n.id, '0.0.0.0/0', '::/0') : names(n.id, p.key);
      addEdge(sources.get(p.key)!.id, nodeId.get(n.id)!, p.ports, isFailing, true);
    }
  }
  for (const e of topo.edges) {
    const from = nodeId.get(e.from);
    const to = nodeId.get(e.to);
    if (!from || !to || !byId.has(e.from)) continue;
    addEdge(from, to, e.ports, names(e.to, e.from) || names(e.from, e.to), false);
  }
  const allEdges = [...edges.values()];
  const drawn = [...allEdges]
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) => Number(b.e.failing) - Number(a.e.failing) || Number(b.e.external) - Number(a.e.external) || a.i - b.i,
    )
    .slice(0, maxEdges)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.e);
  const failingLinks: number[] = [];
  drawn.forEach((e, i) => {
    if (e.failing) {
      lines.push(`  ${e.from} -->|"${mermaidText(portsLabel(e.ports))}"| ${e.to}`);
      failingLinks.push(i);
    } else lines.push(`  ${e.from} --> ${e.to}`);
  });

  lines.push('  classDef fail fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#82071e');
  if (failClass.length) lines.push(`  class ${failClass.join(',')} fail`);
  if (failingLinks.length)
    lines.push(`  linkStyle ${failingLinks.join(',')} stroke:#cf222e,stroke-width:2px,color:#cf222e`);

  const left = ranked.length - shown.size;
  const notes: string[] = [];
  if (left > 0)
    notes.push(
      `${pluralise(ranked.length, 'group')} in the graph; the ${maxNodes} most relevant are drawn, ${left} ` +
        'collapsed into "+N more" nodes per tier',
    );
  if (drawn.length < allEdges.length)
    notes.push(`${allEdges.length - drawn.length} of ${allEdges.length} edges left out`);
  const skipped = topo.nodes.length - candidates.length;
  if (skipped > 0)
    notes.push(`${pluralise(skipped, 'untagged group')} without references or internet exposure not drawn`);
  const legend =
    'Red: failing groups and the edges their findings name, with their ports; grey edges pass (ports not shown). ' +
    '"Internet" is 0.0.0.0/0 and ::/0; other public sources are drawn as their CIDR or prefix list. Ids are ' +
    'shortened (sg-…suffix).';
  return { lines, note: notes.length ? `${notes.join('; ')}. ${legend}` : legend };
}

export const markdownReporter: Reporter = {
  format: 'markdown',
  render(report, ctx) {
    return renderMarkdown(report, ctx);
  },
};
