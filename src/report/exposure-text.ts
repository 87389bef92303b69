/**
 * How the scan reports say whether a finding is reachable from the internet (its `exposure`, issue #12): one
 * short mark per status and the first path as text, in the hop words `sg-audit paths` uses (./paths.ts).
 */
import type { Exposure, ExposurePath, ReachStatus } from '../exposure/types.js';
import { attachedText, hopChain, portsText } from './paths.js';

/** The mark next to a finding. `unknown` never reads like "not reachable". */
export const REACH_MARK: Record<ReachStatus, string> = {
  reachable: 'reachable',
  unreachable: 'not reachable',
  unknown: 'reachability unknown',
};

/** `tcp 22`, `udp 53-60`, `all traffic`, `icmp all types`: what the path admits. */
export function pathTraffic(p: Pick<ExposurePath, 'protocol' | 'ports'>): string {
  if (p.protocol === 'all') return 'all traffic';
  const ports = portsText(p);
  return ports === '-' ? p.protocol : `${p.protocol} ${ports}`;
}

/**
 * A path as pieces: `tcp 22 from 0.0.0.0/0`, then each hop (`igw-1`, `rtb-1 0.0.0.0/0`, `acl-1 in#100 out#100`,
 * `sg-1 perm#0`, …), then the target (`eni-1 (instance i-1)`).
 */
export function pathParts(p: ExposurePath): string[] {
  const attached = attachedText(p.target);
  return [
    `${pathTraffic(p)} from ${p.source}`,
    ...hopChain(p.hops),
    attached === '-' ? p.target.id : `${p.target.id} (${attached})`,
  ];
}

/**
 * One line: `tcp 22 from 0.0.0.0/0: igw-1 → rtb-1 0.0.0.0/0 → acl-1 in#100 out#100 → sg-1 perm#0 → eni-1
 * (instance i-1)`.
 */
export function pathText(p: ExposurePath): string {
  const [head, ...rest] = pathParts(p);
  return `${head}: ${rest.join(' → ')}`;
}

/** How many paths the exposure has in all: a finding keeps the first 3 and the total (`pathCount`). */
export function pathTotal(e: Exposure): number {
  return e.pathCount ?? e.paths.length;
}

/**
 * ` (+2 more paths)` when the exposure has more than the first path; when a finding kept only some of them
 * (`pathCount`), ` (304 paths; \`sg-audit paths --to sg-1\` lists all)`. `to`: what `paths --to` names for the
 * finding (its resource id); else the paths' common target, else the hint names none.
 */
export function morePaths(e: Exposure, to?: string): string {
  const total = pathTotal(e);
  if (e.pathCount === undefined || e.pathCount <= e.paths.length) {
    const n = total - 1;
    return n > 0 ? ` (+${n} more path${n === 1 ? '' : 's'})` : '';
  }
  const id = to ?? commonTarget(e.paths);
  return id
    ? ` (${total} paths; \`sg-audit paths --to ${id}\` lists all)`
    : ` (${total} paths; \`sg-audit paths\` lists all)`;
}

function commonTarget(paths: readonly ExposurePath[]): string | undefined {
  const id = paths[0]?.target.id;
  return id && paths.every((p) => p.target.id === id) ? id : undefined;
}

/**
 * The exposure a report states after a finding's message, or `undefined` when the message already says it: an
 * unreachable finding's message names what blocks it (src/engine/evaluate.ts), and an exposure rule's message
 * (internet-exposure) states the path or what is unknown. The one place table, SARIF and JUnit decide it.
 */
export function exposureToExplain(f: { exposure?: Exposure; category: string }): Exposure | undefined {
  const e = f.exposure;
  return e && e.status !== 'unreachable' && f.category !== 'exposure' ? e : undefined;
}

/**
 * One line (`to`: as for morePaths): `reachable: <first path> (+n more paths)`, `not reachable: <what blocks
 * it>`, `reachability unknown: <what was not collected>`.
 */
export function exposureLine(e: Exposure, to?: string): string {
  if (e.status === 'reachable' && e.paths.length)
    return `${REACH_MARK.reachable}: ${pathText(e.paths[0])}${morePaths(e, to)}`;
  return `${REACH_MARK[e.status]}: ${e.reason.replace(/[.\s]+$/, '')}`;
}

/**
 * `parts` joined with ` → ` in lines of at most `width` columns (a part longer than a line gets one of its
 * own); every line but the first starts with `indent`.
 */
export function wrapParts(first: string, parts: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  for (let i = 0; i < parts.length; i++) {
    const piece = (i === 0 ? '' : ' → ') + parts[i];
    if (i > 0 && line.length + piece.length > width && line.trim().length > 0) {
      lines.push(line + ' →');
      line = indent + parts[i];
    } else line += piece;
  }
  lines.push(line);
  return lines;
}
