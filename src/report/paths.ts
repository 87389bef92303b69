/**
 * `sg-audit paths` output: the internet-reachable (interface, protocol, ports) with their hops, as a table (one
 * row per path, the hop chain under it), JSON (`{"paths":[…],"unknown":[…],"interfaces":{…},"query":{…}}`) or
 * Markdown (a table and a Mermaid flowchart internet → igw → (lb → tg →) target). Undecided interfaces are always
 * counted and explained: unknown must never read as "not reachable".
 *
 * Lateral listings (issue #13: `--from ID|TIER`, or `--from internet --max-hops 2+`) are one row per path, from →
 * to, the hop chain from the initiating interface to the target's and the assumptions under it; JSON
 * `{"paths":[…LateralPath…],"undecided":[…],"query":{…}}`; Markdown a table and a flowchart of interfaces.
 */
import { Chalk } from 'chalk';
import type { AttachedType, ExposurePath, Hop, LateralPath, PathTarget, ReachStatus } from '../exposure/types.js';
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
  /** Lateral paths the table and Markdown table list (default 200); JSON lists all. */
  maxRows?: number;
  /**
   * What interfaces a lateral path passes through are attached to (a `network-interface` hop names only the id),
   * for the diagram's nodes: the bastion of internet → bastion → database, a load balancer's node as the LB.
   */
  interfaces?: ReadonlyMap<string, PathTarget>;
}

export function renderPaths(listing: AnyPathsListing, format: PathsFormat, o: PathsRenderOptions = {}): string {
  if (format === 'json') return pathsJson(listing);
  if (isLateral(listing)) return format === 'markdown' ? lateralMarkdown(listing, o) : lateralTable(listing, o);
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
function pathsJson(listing: AnyPathsListing): string {
  return compactJson(JSON.stringify(listing, null, 2)) + '\n';
}

/** Hops, targets and port spans of indented JSON text on one line each. */
function compactJson(text: string): string {
  const oneLine = (s: string) => s.replace(/,\n\s*/g, ', ');
  return text
    .replace(SPAN, '[$1, $2]')
    .replace(SPANS, (_, spans: string) => `[${oneLine(spans)}]`)
    .replace(FLAT_OBJECT, (_, body: string) => `{${oneLine(body)}}`);
}

/**
 * The JSON of `renderPaths`, path by path: the same text in pieces, so a listing of a million paths (a tier to
 * every interface of a large estate, several steps) is written without one string of its whole size.
 */
export function* pathsJsonChunks(listing: AnyPathsListing): Generator<string> {
  const paths: readonly unknown[] = listing.paths;
  if (paths.length === 0) {
    yield pathsJson(listing);
    return;
  }
  // `paths` is the first key: the text before and after an empty list frames the paths.
  const shell = pathsJson({ ...listing, paths: [] });
  const at = shell.indexOf('"paths": []') + '"paths": ['.length;
  yield `${shell.slice(0, at)}\n`;
  for (let i = 0; i < paths.length; i++) {
    const text = JSON.stringify(paths[i], null, 2).replace(/^/gm, '    ');
    yield `${compactJson(text)}${i < paths.length - 1 ? ',' : ''}\n`;
  }
  yield `  ${shell.slice(at)}`;
}

/** `renderPaths`, as pieces to write one after the other (JSON path by path; the table and Markdown whole). */
export function renderPathsChunks(
  listing: AnyPathsListing,
  format: PathsFormat,
  o: PathsRenderOptions = {},
): Iterable<string> {
  return format === 'json' ? pathsJsonChunks(listing) : [renderPaths(listing, format, o)];
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

/**
 * `instance i-…`, `load-balancer web-alb`, `db-instance orders`; an RDS interface several databases could own names
 * the others: `db-instance orders (or orders-b)`; `-` when the interface alone is known.
 */
export function attachedText(t: PathTarget): string {
  const a = t.attachedTo;
  if (!a) return '-';
  const name = a.type === 'load-balancer' ? (a.name ?? lbName(a.arn ?? a.id)) : (a.name ?? a.id);
  const others = (a.alternatives ?? []).map((o) => (o.type === a.type ? o.id : `${o.type} ${o.id}`));
  return `${a.type} ${name}${others.length ? ` (or ${others.join(', ')})` : ''}`;
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
function protocolPorts(p: Pick<ExposurePath, 'protocol' | 'ports'>): string {
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
      return `${h.id} ${h.direction === 'egress' ? 'egress ' : ''}perm#${h.permissionIndex}`;
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

/**
 * A node per (kind, key) of a flowchart, declared once into `lines` (`lb1[/"lb web-alb"/]`); returns its id.
 * `label` is Mermaid-escaped already.
 */
function mermaidNodes(lines: string[]) {
  const ids = new Map<string, string>();
  const counters: Record<string, number> = {};
  return (kind: string, key: string, shape: (label: string) => string, label: string): string => {
    const k = `${kind}\u0000${key}`;
    let id = ids.get(k);
    if (!id) {
      id = `${kind}${(counters[kind] = (counters[kind] ?? 0) + 1)}`;
      ids.set(k, id);
      lines.push(`  ${id}${shape(label)}`);
    }
    return id;
  };
}

function pathsDiagram(paths: readonly ExposurePath[], max: number): string[] {
  const lines = [MERMAID_INIT, 'flowchart LR', '  internet(("Internet"))'];
  const node = mermaidNodes(lines);
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
      return [span, `from ${sources.slice(0, 2).join(', ')}${more}`].filter(Boolean).join(' ');
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

// ---- lateral paths (issue #13): interface → interface, and internet → … → interface in several steps ----

/** A pair (or a whole account/region) the lateral model could not decide: data not collected. */
export interface LateralUndecided {
  /** An ENI id or `internet`; for a whole account/region, the `--from` end as typed. */
  from: string;
  /** An ENI id; for a whole account/region, the `--to` end as typed (`*`: any interface). */
  to: string;
  reason: string;
  /** Set when a whole account/region is undecided (its network interfaces were not collected). */
  accountId?: string;
  region?: string;
}

/** Two interfaces with no path, and the hop that blocks the direct connection. */
export interface LateralUnreachable {
  from: string;
  to: string;
  reason: string;
}

/** A listed lateral path: from the internet through a load balancer, `via` names it, as in the internet listing. */
export type ListedLateralPath = LateralPath & Pick<ExposurePath, 'via'>;

/** What `paths --from ID|TIER` (or `--from internet --max-hops 2+`) lists: the JSON output is exactly this. */
export interface LateralListing {
  /** The lateral contract (LateralPath), shortest first, then by target, protocol, first port. */
  paths: ListedLateralPath[];
  /** Never "not reachable": pairs whose reachability is unknown. */
  undecided: LateralUndecided[];
  /**
   * Pairs of interfaces with no path and what blocks their direct connection (the model's reason), when `--from`
   * and `--to` name few interfaces (at most 25 pairs); absent when none.
   */
  unreachable?: LateralUnreachable[];
  query: {
    from: string;
    to?: string;
    port?: number;
    maxHops: number;
    /** Interfaces `--from` selects (absent for `internet`). */
    fromInterfaces?: number;
    /** Interfaces `--to` selects (every interface of the estate without `--to`). */
    toInterfaces: number;
  };
}

export type AnyPathsListing = PathsListing | LateralListing;

export const isLateral = (l: AnyPathsListing): l is LateralListing => 'undecided' in l;

/** An end as the table names it: the attached resource (short type), else the interface id. */
function endShort(t: PathTarget): string {
  return t.attachedTo ? attachedShort(t) : t.id;
}

/** An end as the Markdown table names it: the attached resource, else the interface id. */
function endText(t: PathTarget): string {
  return t.attachedTo ? attachedText(t) : t.id;
}

/** The path's start: the interface's id, or the internet range. */
function lateralSource(p: LateralPath): string {
  return p.from === 'internet' ? (p.source ?? 'internet') : endShort(p.from);
}

/** The hop chain of a lateral path, from the initiating interface to the target's: `eni-a → sg-a egress … → eni-b`. */
export function lateralChain(p: LateralPath): string[] {
  return [...(p.from === 'internet' ? [] : [p.from.id]), ...hopChain(p.hops), p.target.id];
}

function lateralQueryText(l: LateralListing): string {
  const q = l.query;
  const n = (k: number | undefined) => (k === undefined ? '' : ` (${plural(k, 'interface')})`);
  const from = q.from === 'internet' ? 'from the internet' : `from ${q.from}${n(q.fromInterfaces)}`;
  const to = `to ${q.to ?? 'any interface'}${n(q.toInterfaces)}`;
  const port = q.port !== undefined ? ` on port ${q.port}` : '';
  return `${from} ${to}${port} within ${plural(q.maxHops, 'step')}`;
}

/** What no path means when every pair was decided, and when some were not. */
function noLateralPath(l: LateralListing): string {
  if (l.undecided.length) return 'No path found among the pairs that could be decided (see "Undecided")';
  const to = l.query.to ?? 'any interface';
  const from = l.query.from === 'internet' ? 'the internet' : l.query.from;
  return `No path: nothing from ${from} reaches ${to} within ${plural(l.query.maxHops, 'step')}`;
}

/** Undecided pairs by reason (`eni-a → eni-b`), whole accounts/regions on their own. */
function undecidedPairs(l: LateralListing): { reason: string; pairs: string[]; scopes: string[] }[] {
  const byReason = new Map<string, { reason: string; pairs: string[]; scopes: string[] }>();
  for (const u of l.undecided) {
    let g = byReason.get(u.reason);
    if (!g) byReason.set(u.reason, (g = { reason: u.reason, pairs: [], scopes: [] }));
    if (u.accountId !== undefined) g.scopes.push(`${u.accountId}/${u.region ?? ''}`);
    else g.pairs.push(`${u.from} → ${u.to}`);
  }
  return [...byReason.values()];
}

function lateralUndecidedHeadline(l: LateralListing): [what: string, why: string] {
  const pairs = l.undecided.filter((u) => u.accountId === undefined).length;
  const scopes = l.undecided.length - pairs;
  const parts = [
    ...(pairs ? [plural(pairs, 'pair')] : []),
    ...(scopes ? [`every interface of ${plural(scopes, 'account/region', 'accounts/regions')}`] : []),
  ];
  return [`Undecided: ${parts.join(' and ')}.`, 'Reachability unknown (data not collected), not "not reachable":'];
}

/**
 * Path indexes by the target's account/region, sorted (as the internet listing is), the model's order within each:
 * the rows of the table and of the Markdown table.
 */
function byScope(paths: readonly LateralPath[]): [scope: string, indexes: number[]][] {
  const out = new Map<string, number[]>();
  paths.forEach((p, k) => {
    const key = `${p.accountId}/${p.region}`;
    const list = out.get(key);
    if (list) list.push(k);
    else out.set(key, [k]);
  });
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Paths the lateral table and Markdown table list (JSON lists all): a listing to read, not to scroll. */
const MAX_ROWS = 200;

/** Reasons the lateral table and Markdown list undecided pairs under (JSON lists all). */
const MAX_REASONS = 20;

/** `byScope`, up to `max` paths in that order. */
function listedScopes(paths: readonly LateralPath[], max: number): [scope: string, indexes: number[]][] {
  const out: [string, number[]][] = [];
  let left = max;
  for (const [key, ks] of byScope(paths)) {
    if (left <= 0) break;
    out.push([key, ks.slice(0, left)]);
    left -= ks.length;
  }
  return out;
}

/** Widest cell each lateral table column is padded to: from, to, ports (steps is last). */
const LATERAL_CAPS = [26, 26, 12, Infinity];

function lateralTable(l: LateralListing, o: PathsRenderOptions): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const width = o.width ?? 100;
  const n = l.paths.length;
  const lines = [`${c.bold('sg-audit paths')}  ${lateralQueryText(l)}: ${plural(n, 'path')}`];
  const head = ['FROM', 'TO', 'PORTS', 'STEPS'];
  const listed = listedScopes(l.paths, o.maxRows ?? MAX_ROWS);
  const rows = new Map<number, string[]>();
  for (const [, ks] of listed) {
    for (const k of ks) {
      const p = l.paths[k];
      rows.set(k, [lateralSource(p), endShort(p.target), protocolPorts(p), String(p.steps)]);
    }
  }
  const widths = head.map((h, i) =>
    [...rows.values()].reduce((w, r) => (r[i].length <= LATERAL_CAPS[i] ? Math.max(w, r[i].length) : w), h.length),
  );
  const row = (cells: string[]) =>
    `  ${cells.map((s, i) => (i === cells.length - 1 ? s : s.padEnd(widths[i]))).join('  ')}`.trimEnd();
  for (const [key, ks] of listed) {
    lines.push('', c.bold(key), c.gray(row(head)));
    for (const k of ks) {
      const p = l.paths[k];
      lines.push(row(rows.get(k) ?? []));
      for (const line of wrap(lateralChain(p), '      ', '        → ', ' → ', width)) lines.push(c.gray(line));
      for (const a of p.assumptions ?? []) lines.push(c.yellow(`      assumes: ${a}`));
    }
  }
  lines.push('');
  if (rows.size < n) lines.push(`+${n - rows.size} more paths (--format json lists all)`);
  if (n === 0) lines.push(l.undecided.length ? c.yellow(`${noLateralPath(l)}.`) : c.green(`${noLateralPath(l)}.`));
  else if (!l.undecided.length) lines.push('Every pair decided.');
  if (l.unreachable?.length) {
    lines.push(`Not reachable (what blocks the direct connection):`);
    for (const u of l.unreachable)
      lines.push(...wrap(u.reason.split(' '), `  ${u.from} → ${u.to}: `, '    ', ' ', width));
  }
  if (l.undecided.length) {
    lines.push(...lateralUndecidedHeadline(l).map((x) => c.yellow(x)));
    const groups = undecidedPairs(l);
    for (const g of groups.slice(0, MAX_REASONS)) {
      if (g.pairs.length) {
        const more = g.pairs.length > MAX_IDS ? [`+${g.pairs.length - MAX_IDS} more (--format json lists all)`] : [];
        const pairs = [...g.pairs.slice(0, MAX_IDS), ...more];
        lines.push(...wrap(pairs, `  ${g.reason} (${g.pairs.length}): `, '    ', ', ', width));
      }
      for (const s of g.scopes) lines.push(`  ${s}: ${g.reason}`);
    }
    if (groups.length > MAX_REASONS)
      lines.push(`  +${groups.length - MAX_REASONS} more reasons (--format json lists all)`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The lateral paths as a Mermaid flowchart: one node per interface (a load balancer's nodes are its one node),
 * internet gateways, load balancers and target groups of internet legs, peering connections and transit gateways
 * between VPCs (edges through a transit gateway dashed: taken on trust). The last edge of a path names its ports.
 */
function lateralDiagram(
  paths: readonly LateralPath[],
  max: number,
  interfaces?: ReadonlyMap<string, PathTarget>,
): string[] {
  const lines = [MERMAID_INIT, 'flowchart LR'];
  const node = mermaidNodes(lines);
  // What each interface is attached to, from every end the listing names (a joining hop names only the id).
  const known = new Map<string, PathTarget>(interfaces ?? []);
  for (const p of paths) {
    known.set(p.target.id, p.target);
    if (p.from !== 'internet') known.set(p.from.id, p.from);
  }
  const lbNode = (arn: string) => node('lb', arn, (s) => `[/"${s}"/]`, mermaidText(`lb ${lbName(arn)}`));
  const iface = (id: string) => {
    const t = known.get(id) ?? { type: 'network-interface' as const, id };
    const lb = t.attachedTo?.type === 'load-balancer' ? (t.attachedTo.arn ?? '') : '';
    if (lb.startsWith('arn:')) return lbNode(lb);
    const a = attachedText(t);
    return node('n', id, (s) => `["${s}"]`, [id, ...(a === '-' ? [] : [a])].map(mermaidText).join('<br/>'));
  };
  const edges = new Map<string, { labels: string[]; dashed: boolean }>();
  const edge = (from: string, to: string, label: string | undefined, dashed: boolean) => {
    if (from === to) return;
    const k = `${from} ${to}`;
    const e = edges.get(k) ?? { labels: [], dashed };
    if (label && !e.labels.includes(label)) e.labels.push(label);
    e.dashed &&= dashed;
    edges.set(k, e);
  };
  if (paths.some((p) => p.from === 'internet')) lines.push('  internet(("Internet"))');
  for (const p of paths.slice(0, max)) {
    let prev = p.from === 'internet' ? 'internet' : iface(p.from.id);
    let dashed = false;
    // A range narrower than the world is named on the internet leg's last edge (the first step's).
    const world = p.source === undefined || p.source === '0.0.0.0/0' || p.source === '::/0';
    let source = p.from === 'internet' && !world ? ` from ${p.source}` : '';
    const step = (id: string, label?: string) => {
      edge(prev, id, label, dashed);
      prev = id;
    };
    p.hops.forEach((h, i) => {
      const near = (k: number) => p.hops[k]?.type === 'load-balancer';
      if (h.type === 'internet-gateway') step(node('igw', h.id, (s) => `{{"${s}"}}`, mermaidText(h.id)));
      else if (h.type === 'load-balancer')
        step(lbNode(h.id), `${listenerProtocol(h.protocol) ?? p.protocol} ${h.listener}`);
      else if (h.type === 'target-group')
        step(node('tg', h.id, (s) => `(["${s}"])`, mermaidText(`tg ${tgName(h.id)}`)));
      else if (h.type === 'vpc-peering-connection') step(node('pcx', h.id, (s) => `{{"${s}"}}`, mermaidText(h.id)));
      else if (h.type === 'transit-gateway') {
        dashed = true;
        step(node('tgw', h.id, (s) => `{{"${s}"}}`, mermaidText(h.id)));
      } else if (h.type === 'network-interface' && !near(i - 1) && !near(i + 1)) {
        // A step ends at this interface; the next starts from it.
        step(iface(h.id), source || undefined);
        source = '';
        dashed = false;
      }
    });
    step(iface(p.target.id), `${p.protocol} ${portsText(p)}${source}`);
  }
  for (const [k, e] of edges) {
    const [from, to] = k.split(' ');
    const text = edgeLabel(e.labels);
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(text ? `  ${from} ${arrow}|"${mermaidText(text)}"| ${to}` : `  ${from} ${arrow} ${to}`);
  }
  return lines;
}

function lateralMarkdown(l: LateralListing, o: PathsRenderOptions): string {
  const max = o.maxDiagramPaths ?? 60;
  const n = l.paths.length;
  const out: string[] = ['## Lateral paths', '', `**${plural(n, 'path')}** ${lateralQueryText(l)}.`, ''];
  if (n > 0) {
    out.push('| From | To | Protocol | Ports | Steps | Path | Assumes |', '|---|---|---|---|---|---|---|');
    const listed = listedScopes(l.paths, o.maxRows ?? MAX_ROWS).flatMap(([, ks]) => ks.map((k) => l.paths[k]));
    for (const p of listed) {
      const cells = [
        p.from === 'internet' ? markdownCode(p.source ?? 'internet') : markdownCell(endText(p.from)),
        markdownCell(endText(p.target)),
        markdownCell(p.protocol),
        markdownCell(portsText(p)),
        String(p.steps),
        lateralChain(p).map(markdownCell).join(' → '),
        p.assumptions?.length ? p.assumptions.map(markdownCell).join('; ') : '-',
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    if (listed.length < n)
      out.push('', `_The table lists the first ${listed.length} of ${n} paths; --format json lists all._`);
    out.push('', '```mermaid', ...lateralDiagram(listed, max, o.interfaces), '```', '');
    if (Math.min(listed.length, n) > max) {
      const all = listed.length < n ? `the first ${listed.length}` : 'all';
      out.push(`_The diagram draws the first ${max} of ${n} paths; the table lists ${all}._`, '');
    }
  } else {
    out.push(`_${noLateralPath(l)}._`, '');
  }
  if (l.unreachable?.length) {
    out.push('### Not reachable', '', 'What blocks the direct connection:', '');
    for (const u of l.unreachable)
      out.push(`- ${markdownCode(u.from)} → ${markdownCode(u.to)}: ${markdownCell(u.reason)}`);
    out.push('');
  }
  if (l.undecided.length) {
    out.push('### Undecided', '', lateralUndecidedHeadline(l).join(' '), '');
    const groups = undecidedPairs(l);
    for (const g of groups.slice(0, MAX_REASONS)) {
      if (g.pairs.length)
        out.push(`- ${markdownCell(g.reason)} (${g.pairs.length}): ${listIds(g.pairs, MAX_IDS, markdownCode)}`);
      for (const s of g.scopes) out.push(`- ${markdownCode(s)}: ${markdownCell(g.reason)}`);
    }
    if (groups.length > MAX_REASONS)
      out.push(`- +${groups.length - MAX_REASONS} more reasons (--format json lists all)`);
    out.push('');
  }
  return out.join('\n');
}
