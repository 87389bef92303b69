/** Port lists: option schemas, formatting and range arithmetic shared by the port rules. */
import { z } from 'zod';
import type { RuleEntry } from '../../src/graph/model.js';
import { describePorts, describeSource } from '../../src/graph/query.js';
import { formatSpans, type PortSpan } from './internet.js';

export const PortSchema = z.number().int().min(0).max(65535);
/** A non-empty list of TCP ports. */
export const portList = (defaults: number[]) => z.array(PortSchema).min(1).default(defaults);

/** `[22, 23, 80]` → `[[22, 23], [80, 80]]`: sorted, de-duplicated, consecutive ports collapsed into spans. */
export function portSpans(ports: Iterable<number>): PortSpan[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const spans: PortSpan[] = [];
  for (const p of sorted) {
    const last = spans[spans.length - 1];
    if (last && last[1] === p - 1) last[1] = p;
    else spans.push([p, p]);
  }
  return spans;
}

/** `22, 3389, 27017-27019`: sorted, de-duplicated, consecutive ports collapsed. */
export function formatPorts(ports: Iterable<number>): string {
  return formatSpans(portSpans(ports));
}

/** Is every port of [from, to] in `allowed`? */
export function rangeWithin(from: number, to: number, allowed: readonly number[]): boolean {
  if (to - from + 1 > allowed.length) return false;
  for (let p = from; p <= to; p++) if (!allowed.includes(p)) return false;
  return true;
}

/** `tcp 22, all traffic, udp 53`: the distinct port descriptions of entries, in first-seen order. */
export function describeEntries(entries: readonly RuleEntry[]): string {
  return [...new Set(entries.map(describePorts))].join(', ');
}

/** Is the entry TCP (or UDP) traffic? Protocol `all` counts as both. */
export function carries(e: RuleEntry, protocol: 'tcp' | 'udp'): boolean {
  return e.protocol === 'all' || e.protocol === protocol;
}

/** `tcp 22 from 0.0.0.0/0, all traffic from sg-1`: ports and source of each entry, de-duplicated, capped. */
export function describeRulesWithSources(entries: readonly RuleEntry[], limit = 10): string {
  const parts = [
    ...new Set(
      entries.map((e) => `${describePorts(e)} ${e.direction === 'egress' ? 'to' : 'from'} ${describeSource(e.source)}`),
    ),
  ];
  return parts.length > limit
    ? `${parts.slice(0, limit).join(', ')} and ${parts.length - limit} more`
    : parts.join(', ');
}
