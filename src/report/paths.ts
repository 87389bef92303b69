/**
 * `sg-audit paths` output: the internet-reachable (interface, protocol, ports) with their hops, as a table (one
 * row per path, the hop chain under it), JSON (`{"paths":[…],"unknown":[…],"interfaces":{…},"query":{…}}`) or
 * Markdown (a table and a Mermaid flowchart internet → igw → (lb → tg →) target). Undecided interfaces are always
 * counted and explained: unknown must never read as "not reachable".
 */
import { Chalk } from 'chalk';
import type { AttachedType, ExposurePath, Hop, PathTarget, ReachStatus } from '../exposure/types.js';
import { cell as markdownCell, code as markdownCode, MERMAID_INIT, mermaidText } from './markdown.js';

export const PATHS_FORMATS = ['table', 'json', 'markdown'] as const;
export type PathsFormat = (typeof PATHS_FORMATS)[number];

/** An interface (or, without `target`, a whole account/region) whose exposure could not be decided. */
export interface UndecidedInterface {
  accountId: string;
  region: string;
  /** Absent: the account/region's network interfaces were not collected, so none of its resources is decided. */
  target?: PathTarget;
  /** What was not collected (the model's reason). */
  reason: string;
}

/** What `paths` lists: the JSON output is exactly this. */
export interface PathsListing {
  /** The issue's contract (ExposurePath), sorted by account, region, target, protocol, first port. */
  paths: ExposurePath[];
  /** Interfaces whose reachability is unknown: never "not reachable". */
  unknown: UndecidedInterface[];
  /** Verdicts of the interfaces `--to` selects, on any port (whole accounts/regions are not counted here). */
  interfaces: Record<ReachStatus, number>;
  query: { from: 'internet'; to?: string; port?: number };
}

export interface PathsRenderOptions {
  /** ANSI colours (a TTY only). */
  color?: boolean;
  /** Table width the hop chains wrap at (default 100). */
  width?: number;
  /** Paths drawn in the Mermaid diagram (default 60); the table lists all. */
  maxDiagramPaths?: number;
}

export function renderPaths(listing: PathsListing, format: PathsFormat, o: PathsRenderOptions = {}): string {
  if (format === 'json') return pathsJson(listing);
  if (format === 'markdown') return pathsMarkdown(listing, o);
  return pathsTable(listing, o);
}

/** A JSON string or number, boolean or null, as `JSON.stringify` writes them. */
const SCALAR = String.raw`(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|true|false|null)`;
/** An object of scalars only, indented: `{\n  "type": "internet-gateway",\n  "id": "igw-1"\n}`. */
const FLAT_OBJECT = new RegExp(
  String.raw`\{\n\s*((?:"(?:[^"\\]|\\.)*": ${SCALAR},\n\s*)*"(?:[^"\\]|\\.)*": ${SCALAR})\n\s*\}`,
  'g',
);
const SPAN = /\[\n\s*(-?\d+),\n\s*(-?\d+)\n\s*\]/g;
const SPANS = /\[\n\s*(\[-?\d+, -?\d+\](?:,\n\s*\[-?\d+, -?\d+\])*)\n\s*\]/g;

/**
 * Indented JSON with hops, targets and port spans on one line each (`{"type": "internet-gateway", "id": "igw-1"}`,
 * `"ports": [[22, 22]]`): the same value, a path readable at a glance.
 */
function pathsJson(listing: PathsListing): string {
  const oneLine = (s: string) => s.replace(/,\n\s*/g, ', ');
  return (
    JSON.stringify(listing, null, 2)
      .replace(SPAN, '[$1, $2]')
      .replace(SPANS, (_, spans: string) => `[${oneLine(spans)}]`)
      .replace(FLAT_OBJECT, (_, body: string) => `{${oneLine(body)}}`) + '\n'
  );
}

// ---- words shared by the formats ----

/** A load balancer's name from its ARN (`…:loadbalancer/app/<name>/<id>`); anything else as is. */
export const lbName = (arn: string) => /:loadbalancer\/(?:app|net|gwy)\/([^/]+)\//.exec(arn)?.[1] ?? arn;
const tgName = (arn: string) => /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;

/** `tcp 22`, `8000-8080`, `80, 443`; `all` for every port; ICMP: `all types` / `type 8`. */
export function portsText(p: Pick<ExposurePath, 'protocol' | 'ports'>): string {
  if (p.protocol === 'all') return 'all';
  if (p.protocol === 'icmp' || p.protocol === 'icmpv6') {
    if (p.ports.some(([a]) => a === -1)) return 'all types';
    return p.ports.map(([a, b]) => (a === b ? `type ${a}` : `types ${a}-${b}`)).join(', ');
  }
  if (p.ports.length === 0) return '-';
  if (p.ports.length === 1 && p.ports[0][0] <= 1 && p.ports[0][1] === 65535) return 'all';
  return p.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

/** `instance i-…`, `load-balancer web-alb`, `db-instance orders`; `-` when the interface alone is known. */
export function attachedText(t: PathTarget): string {
  const a = t.attachedTo;
  if (!a) return '-';
  const name = a.type === 'load-balancer' ? (a.name ?? lbName(a.arn ?? a.id)) : (a.name ?? a.id);
  return `${a.type} ${name}`;
}

/** The table's short resource types, so a row with AWS-length ids stays within 100 columns. */
const SHORT_TYPE: Record<AttachedType, string> = {
  instance: 'ec2',
  'db-instance': 'rds',
  'db-cluster': 'rds-cluster',
  'load-balancer': 'lb',
  lambda: 'lambda',
  'ecs-task': 'ecs-task',
  'nat-gateway': 'nat',
  'vpc-endpoint': 'vpce',
  'network-interface': 'eni',
};

/** `ec2 i-…`, `lb web-alb`, `rds orders`: attachedText with the short type. */
function attachedShort(t: PathTarget): string {
  const long = attachedText(t);
  return t.attachedTo ? `${SHORT_TYPE[t.attachedTo.type]}${long.slice(t.attachedTo.type.length)}` : long;
}

/** `tcp 22`, `udp 53`, `icmp type 8`, `all traffic`. */
function protocolPorts(p: ExposurePath): string {
  return p.protocol === 'all' ? 'all traffic' : `${p.protocol} ${portsText(p)}`;
}

/** `lb web-alb:443`, or `direct`. */
export function viaText(p: ExposurePath): string {
  return p.via ? `lb ${lbName(p.via.loadBalancer)}:${p.via.listener}` : 'direct';
}

function hopText(h: Hop): string {
  switch (h.type) {
    case 'internet-gateway':
      return h.id;
    case 'route-table':
      return `${h.id} ${h.prefixListId ? `${h.prefixListId} ` : ''}${h.route}`;
    case 'network-acl':
      return `${h.id} ${h.direction === 'inbound' ? 'in' : 'out'}#${h.rule === 32767 ? '*' : h.rule}`;
    case 'security-group':
      return `${h.id} perm#${h.permissionIndex}`;
    case 'load-balancer':
      return `lb ${lbName(h.id)}:${h.listener}${h.protocol ? `/${h.protocol.toLowerCase()}` : ''}`;
    case 'target-group':
      return `tg ${tgName(h.id)}:${h.port}`;
    case 'network-interface':
    case 'vpc-peering-connection':
    case 'transit-gateway':
      return h.id;
  }
}

/** The hops in order, a network ACL's inbound and outbound entries joined: `acl-1 in#100 out#120`. */
export function hopChain(hops: readonly Hop[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    const next = hops[i + 1];
    if (
      h.type === 'network-acl' &&
      next?.type === 'network-acl' &&
      next.id === h.id &&
      next.direction !== h.direction
    ) {
      out.push(`${hopText(h)} ${hopText(next).slice(next.id.length + 1)}`);
      i++;
    } else out.push(hopText(h));
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function queryText(l: PathsListing): string {
  const q = [`from the internet`];
  if (l.query.to !== undefined) q.push(`to ${l.query.to}`);
  if (l.query.port !== undefined) q.push(`on port ${l.query.port}`);
  return q.join(' ');
}

function targetsCount(paths: readonly ExposurePath[]): number {
  return new Set(paths.map((p) => `${p.accountId}/${p.region}/${p.target.id}`)).size;
}

function verdictsText(l: PathsListing): string {
  const i = l.interfaces;
  return `${i.reachable} reachable, ${i.unreachable} not reachable, ${i.unknown} undecided`;
}

/** Undecided interfaces by reason (ids listed, at most `max` per reason), whole accounts/regions on their own. */
function undecidedGroups(l: PathsListing): { reason: string; ids: string[]; scopes: string[] }[] {
  const byReason = new Map<string, { reason: string; ids: string[]; scopes: string[] }>();
  for (const u of l.unknown) {
    // The same reason for many interfaces, each naming itself ("the addresses of eni-1 were not collected"), is one
    // reason: the interface's own id reads "each interface".
    const reason = u.target ? u.reason.split(u.target.id).join('each interface') : u.reason;
    let g = byReason.get(reason);
    if (!g) byReason.set(reason, (g = { reason, ids: [], scopes: [] }));
    if (u.target) g.ids.push(u.target.id);
    else g.scopes.push(`${u.accountId}/${u.region}`);
  }
  return [...byReason.values()];
}

const NO_PATH = 'No internet path: nothing selected is reachable from the internet';

/** No path, with some interfaces undecided: how many could be decided at all. */
function noPathUndecided(l: PathsListing): string {
  const decided = l.interfaces.reachable + l.interfaces.unreachable;
  return decided === 0
    ? 'No path listed: no interface could be decided (see "Undecided")'
    : `No path found among the ${plural(decided, 'interface')} that could be decided`;
}

/** What is undecided, and that it means unknown: two sentences (the table puts them on two lines). */
function undecidedHeadline(l: PathsListing): [what: string, why: string] {
  const ifaces = l.unknown.filter((u) => u.target).length;
  const scopes = l.unknown.length - ifaces;
  const parts = [
    ...(ifaces ? [plural(ifaces, 'network interface')] : []),
    ...(scopes ? [`every interface of ${plural(scopes, 'account/region', 'accounts/regions')}`] : []),
  ];
  return [`Undecided: ${parts.join(' and ')}.`, 'Reachability unknown (data not collected), not "not reachable":'];
}

/** Undecided ids the table and Markdown list per reason. */
const MAX_IDS = 40;

function listIds(ids: readonly string[], max: number, fmt: (s: string) => string = (s) => s): string {
  const shown = ids.slice(0, max).map(fmt).join(', ');
  return ids.length > max ? `${shown}, +${ids.length - max} more` : shown;
}

// ---- table ----

/**
 * `parts` joined by `sep` after `first`, wrapped before a part that would pass `width`; continuation lines start
 * with `next` (the separator's arrow, for hop chains).
 */
function wrap(parts: string[], first: string, next: string, sep: string, width: number): string[] {
  const lines: string[] = [];
  let cur = first;
  for (let i = 0; i < parts.length; i++) {
    const piece = i === 0 ? parts[i] : `${sep}${parts[i]}`;
    if (cur.trim() && cur.length + piece.length > width) {
      lines.push(i === 0 ? cur.trimEnd() : sep.trim() === ',' ? `${cur},` : cur);
      cur = `${next}${parts[i]}`;
    } else cur += piece;
  }
  lines.push(cur);
  return lines;
}

/** Widest cell each table column is padded to: target, attached to, ports, source (via is last). */
const COLUMN_CAPS = [21, 26, 12, 15, Infinity];

function pathsTable(l: PathsListing, o: PathsRenderOptions): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const width = o.width ?? 100;
  const lines: string[] = [];
  const n = l.paths.length;
  const targets = plural(targetsCount(l.paths), 'network interface');
  lines.push(`${c.bold('sg-audit paths')}  ${queryText(l)}: ${plural(n, 'path')} to ${targets}`);
  const head = ['TARGET', 'ATTACHED TO', 'PORTS', 'SOURCE', 'VIA'];
  const rows = l.paths.map((p) => [p.target.id, attachedShort(p.target), protocolPorts(p), p.source, viaText(p)]);
  // A column is as wide as its cells up to a cap; a longer cell (many port ranges, a long IPv6 range) overflows its
  // own row only, so one odd path does not push every row past 100 columns.
  const widths = head.map((h, i) =>
    rows.reduce((w, r) => (r[i].length <= COLUMN_CAPS[i] ? Math.max(w, r[i].length) : w), h.length),
  );
  const row = (cells: string[]) =>
    `  ${cells.map((s, i) => (i === cells.length - 1 ? s : s.padEnd(widths[i]))).join('  ')}`.trimEnd();
  let scope = '';
  l.paths.forEach((p, k) => {
    const key = `${p.accountId}/${p.region}`;
    if (key !== scope) {
      scope = key;
      lines.push('', c.bold(key), c.gray(row(head)));
    }
    lines.push(row(rows[k]));
    for (const line of wrap(hopChain(p.hops), '      ', '        → ', ' → ', width)) lines.push(c.gray(line));
  });
  lines.push('');
  if (n === 0) {
    lines.push(l.unknown.length ? c.yellow(`${noPathUndecided(l)}.`) : c.green(`${NO_PATH}.`));
  }
  lines.push(`Interfaces: ${verdictsText(l)}`);
  if (l.unknown.length) {
    lines.push(...undecidedHeadline(l).map((x) => c.yellow(x)));
    for (const g of undecidedGroups(l)) {
      if (g.ids.length) {
        const more = g.ids.length > MAX_IDS ? [`+${g.ids.length - MAX_IDS} more (--format json lists all)`] : [];
        const ids = [...g.ids.slice(0, MAX_IDS), ...more];
        lines.push(...wrap(ids, `  ${g.reason} (${g.ids.length}): `, '    ', ', ', width));
      }
      for (const s of g.scopes) lines.push(`  ${s}: ${g.reason}`);
    }
  }
  return lines.join('\n') + '\n';
}

// ---- markdown ----

/** The transport a listener protocol runs on: HTTP, HTTPS and TLS over TCP. */
function listenerProtocol(protocol: string | undefined): string | undefined {
  if (protocol === undefined) return undefined;
  const p = protocol.toLowerCase();
  return p === 'http' || p === 'https' || p === 'tls' ? 'tcp' : p === 'tcp_udp' ? 'tcp/udp' : p;
}

function pathsDiagram(paths: readonly ExposurePath[], max: number): string[] {
  const lines = [MERMAID_INIT, 'flowchart LR', '  internet(("Internet"))'];
  const ids = new Map<string, string>();
  const counters: Record<string, number> = {};
  /** A node per (kind, key), declared once; `label` is Mermaid-escaped already. */
  const node = (kind: string, key: string, shape: (label: string) => string, label: string) => {
    const k = `${kind}\u0000${key}`;
    let id = ids.get(k);
    if (!id) {
      id = `${kind}${(counters[kind] = (counters[kind] ?? 0) + 1)}`;
      ids.set(k, id);
      lines.push(`  ${id}${shape(label)}`);
    }
    return id;
  };
  const edges = new Map<string, string[]>();
  const edge = (from: string, to: string, label?: string) => {
    const k = `${from} ${to}`;
    const labels = edges.get(k) ?? [];
    if (label && !labels.includes(label)) labels.push(label);
    edges.set(k, labels);
  };
  const lbNode = (arn: string) => node('lb', arn, (s) => `[/"${s}"/]`, mermaidText(`lb ${lbName(arn)}`));
  for (const p of paths.slice(0, max)) {
    const scope = `${p.accountId}/${p.region}`;
    let prev = 'internet';
    let from = prev;
    const step = (id: string, label?: string) => {
      edge(prev, id, label);
      from = prev;
      prev = id;
    };
    for (const h of p.hops) {
      if (h.type === 'internet-gateway') step(node('igw', `${scope}/${h.id}`, (s) => `{{"${s}"}}`, mermaidText(h.id)));
      else if (h.type === 'load-balancer')
        step(lbNode(h.id), `${listenerProtocol(h.protocol) ?? p.protocol} ${h.listener}`);
      else if (h.type === 'target-group')
        step(node('tg', h.id, (s) => `(["${s}"])`, mermaidText(`tg ${tgName(h.id)}`)));
    }
    const world = p.source === '0.0.0.0/0' || p.source === '::/0';
    const label = `${p.protocol} ${portsText(p)}${world ? '' : ` from ${p.source}`}`;
    // A load balancer's own interfaces are the load balancer: one node, whichever of its nodes a path reaches.
    const lb = p.target.attachedTo?.type === 'load-balancer' ? (p.target.attachedTo.arn ?? p.target.attachedTo.id) : '';
    if (lb.startsWith('arn:')) {
      const id = lbNode(lb);
      if (id === prev) edge(from, id, label);
      else edge(prev, id, label);
      continue;
    }
    const a = attachedText(p.target);
    const text = [p.target.id, ...(a === '-' ? [] : [a])].map(mermaidText).join('<br/>');
    edge(
      prev,
      node('t', `${scope}/${p.target.id}`, (s) => `["${s}"]`, text),
      label,
    );
  }
  for (const [k, labels] of edges) {
    const [from, to] = k.split(' ');
    const text = edgeLabel(labels);
    lines.push(text ? `  ${from} -->|"${mermaidText(text)}"| ${to}` : `  ${from} --> ${to}`);
  }
  return lines;
}

/**
 * An edge's labels, legible at 900 px: labels that differ only in their source are one (`tcp 443 from A, B and 3
 * more`, e.g. the five ranges of a CloudFront prefix list), at most two sources named.
 */
function edgeLabel(labels: readonly string[]): string {
  const bySpan = new Map<string, string[]>();
  for (const l of labels) {
    const at = l.indexOf(' from ');
    const span = at < 0 ? l : l.slice(0, at);
    const sources = bySpan.get(span) ?? [];
    if (at >= 0) sources.push(l.slice(at + 6));
    bySpan.set(span, sources);
  }
  return [...bySpan]
    .map(([span, sources]) => {
      if (sources.length === 0) return span;
      const more = sources.length > 2 ? ` and ${sources.length - 2} more` : '';
      return `${span} from ${sources.slice(0, 2).join(', ')}${more}`;
    })
    .join(', ');
}

function pathsMarkdown(l: PathsListing, o: PathsRenderOptions): string {
  const max = o.maxDiagramPaths ?? 60;
  const out: string[] = ['## Internet paths', ''];
  const n = l.paths.length;
  out.push(
    `**${plural(n, 'path')}** ${queryText(l)} to ${plural(targetsCount(l.paths), 'network interface')}. ` +
      `Interfaces: ${verdictsText(l)}.`,
    '',
  );
  if (n > 0) {
    out.push('| Target | Attached to | Protocol | Ports | Source | Via | Path |', '|---|---|---|---|---|---|---|');
    for (const p of l.paths) {
      const cells = [
        markdownCode(p.target.id),
        markdownCell(attachedText(p.target)),
        markdownCell(p.protocol),
        markdownCell(portsText(p)),
        markdownCode(p.source),
        markdownCell(viaText(p)),
        hopChain(p.hops).map(markdownCell).join(' → '),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('', '```mermaid', ...pathsDiagram(l.paths, max), '```', '');
    if (n > max) out.push(`_The diagram draws the first ${max} of ${n} paths; the table lists all._`, '');
  } else {
    out.push(`_${l.unknown.length ? noPathUndecided(l) : NO_PATH}._`, '');
  }
  if (l.unknown.length) {
    out.push(`### Undecided`, '', undecidedHeadline(l).join(' '), '');
    for (const g of undecidedGroups(l)) {
      if (g.ids.length)
        out.push(`- ${markdownCell(g.reason)} (${g.ids.length}): ${listIds(g.ids, MAX_IDS, markdownCode)}`);
      for (const s of g.scopes) out.push(`- ${markdownCode(s)}: ${markdownCell(g.reason)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
