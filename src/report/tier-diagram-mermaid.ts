/**
 * Mermaid for the tier diagram drawn from effective paths (src/report/tier-diagram.ts): the internet and one box
 * per tier with its interface count, left to right; an edge per pair of boxes with the ports some path admits;
 * violations of the tier model in red; intended links (lb → web → app → data) that do not reach every interface of
 * the next tier dashed, with how many they miss. Pure: it draws `TierPaths` and nothing else.
 */
import type { TierBoxKey, TierLink, TierPaths } from './tier-diagram.js';

/** Mermaid-safe label text: anything outside a plain set becomes an entity code (`#35;`). */
export function mermaidText(s: string): string {
  return s.replace(/[^A-Za-z0-9 ._\-:/()@,+=…]/g, (c) => `#${c.codePointAt(0)};`);
}

export const BOX_LABEL: Record<TierBoxKey, string> = {
  internet: 'Internet',
  lb: 'Load balancers',
  web: 'Web tier',
  app: 'App tier',
  data: 'Data tier',
  other: 'No tier tag',
};

const BOX_ID: Record<TierBoxKey, string> = {
  internet: 'internet',
  lb: 'tier_lb',
  web: 'tier_web',
  app: 'tier_app',
  data: 'tier_data',
  other: 'tier_other',
};

/** Few boxes: room to breathe, still inside GitHub's ~900 px column. */
export const TIER_MERMAID_INIT = '%%{init: {"flowchart": {"nodeSpacing": 24, "rankSpacing": 28, "padding": 6}}}%%';

export const RED = 'stroke:#cf222e,stroke-width:2px,color:#cf222e';
export const AMBER = 'stroke:#9a6700,stroke-width:2px,color:#9a6700';

const tierWord = (k: TierBoxKey) => (k === 'lb' ? 'load-balancer' : k === 'other' ? 'untagged' : k);

/** `1 of 4 app-tier interfaces` … one line for the broken part of a link. */
export function brokenText(l: TierLink): string {
  const b = l.broken!;
  const what = `${tierWord(l.to)}-tier interface${b.of === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (b.unreached) {
    const more = b.unreached > b.examples.length ? ', …' : '';
    const names = b.examples.length ? ` (${b.examples.join(', ')}${more})` : '';
    const have = b.unreached === 1 ? 'has' : 'have';
    parts.push(`${b.unreached} of ${b.of} ${what} ${have} no path from the ${tierWord(l.from)} tier${names}`);
  }
  if (b.unknown) parts.push(`${b.unknown} of ${b.of} undecided (data not collected)`);
  return parts.join('; ');
}

function portsLabel(ports: string[]): string {
  const shown = ports.slice(0, 2).join(', ');
  return ports.length > 2 ? `${shown} +${ports.length - 2}` : shown;
}

/**
 * The flowchart lines, and the rows (link, ports, what is wrong) of the red and dashed links for the table under
 * it — the diagram's words for readers whose viewer does not draw Mermaid.
 */
export function mermaidTierPaths(tp: TierPaths): { lines: string[]; problems: [string, string, string][] } {
  const lines = [TIER_MERMAID_INIT, 'flowchart LR'];
  for (const b of tp.boxes) {
    if (b.key === 'internet') lines.push('  internet(("Internet"))');
    else {
      const count = `${b.interfaces} interface${b.interfaces === 1 ? '' : 's'}`;
      lines.push(`  ${BOX_ID[b.key]}["${mermaidText(BOX_LABEL[b.key])}<br/>${mermaidText(count)}"]`);
    }
  }
  const red: number[] = [];
  const amber: number[] = [];
  const problems: [string, string, string][] = [];
  let n = 0;
  for (const l of tp.links) {
    const from = BOX_ID[l.from];
    const to = BOX_ID[l.to];
    const name = `${BOX_LABEL[l.from]} → ${BOX_LABEL[l.to]}`;
    if (l.ports.length) {
      lines.push(`  ${from} -->|"${mermaidText(portsLabel(l.ports))}"| ${to}`);
      if (l.violation) {
        red.push(n);
        problems.push([name, l.ports.join('; '), l.violation]);
      }
      n++;
    }
    if (l.broken) {
      const b = l.broken;
      const label = b.unreached ? `broken: ${b.unreached} of ${b.of}` : `undecided: ${b.unknown} of ${b.of}`;
      lines.push(`  ${from} -.->|"${mermaidText(label)}"| ${to}`);
      amber.push(n++);
      problems.push([name, l.ports.length ? l.ports.join('; ') : '—', brokenText(l)]);
    }
  }
  lines.push('  classDef tier fill:#f6f8fa,stroke:#57606a,color:#1f2328');
  const boxes = tp.boxes.filter((b) => b.key !== 'internet').map((b) => BOX_ID[b.key]);
  if (boxes.length) lines.push(`  class ${boxes.join(',')} tier`);
  if (red.length) lines.push(`  linkStyle ${red.join(',')} ${RED}`);
  if (amber.length) lines.push(`  linkStyle ${amber.join(',')} ${AMBER}`);
  return { lines, problems };
}

/** The caption under the heading. */
export function tierPathsNote(tp: TierPaths): string {
  const undecided = tp.undecided
    ? ` ${tp.undecided} interface pair${tp.undecided === 1 ? '' : 's'} could not be decided (data not collected): ` +
      'they are neither drawn nor counted as broken.'
    : '';
  const hidden = tp.hidden
    ? ` ${tp.hidden} link${tp.hidden === 1 ? '' : 's'} against the chain (into load balancers from inside, or back ` +
      'toward the internet side) not drawn.'
    : '';
  return (
    'Drawn from effective paths: an edge is the ports over which some interface of one box can open a ' +
    "connection to some interface of the other (the initiator's egress and the target's ingress rules, routes, " +
    'network ACLs both ways; from the internet, the exposure paths, through load balancers to their targets). ' +
    'Boxes count network interfaces by tier tag (their own, their resource’s, else their groups’; a load ' +
    'balancer’s nodes are load balancers, and open connections only to its registered targets). Red: the path ' +
    'breaks the tier model; dashed: an intended link (load balancer → web → app → data) that does not reach every ' +
    `interface of the next tier in the same account and region.${hidden}${undecided}`
  );
}
