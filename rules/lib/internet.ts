/**
 * The internet-exposure model (src/exposure) as rules read it: `analyseExposure` and its types, plus the text
 * and port arithmetic of paths (`sg-audit paths` draws the same paths).
 */
import { holds } from '../../src/exposure/internet.js';
import type { ExposurePath, Hop, PortSpan } from '../../src/exposure/types.js';
import type { Source } from '../../src/graph/model.js';

export { analyseExposure } from '../../src/exposure/internet.js';
/** How many paths a finding's exposure keeps (the engine drops the rest and sets `pathCount`). */
export { FINDING_PATHS } from '../../src/engine/evaluate.js';
export type {
  AttachedType,
  ExposurePath,
  Hop,
  InterfaceExposure,
  InternetExposure,
  PathTarget,
  PortSpan,
} from '../../src/exposure/types.js';

/** `spans` without the ports in `remove` (sorted, non-overlapping in and out). */
export function subtractPorts(spans: readonly PortSpan[], remove: ReadonlySet<number>): PortSpan[] {
  if (remove.size === 0) return spans.map(([a, b]) => [a, b]);
  const cut = [...remove].sort((a, b) => a - b);
  const out: PortSpan[] = [];
  for (const [from, to] of spans) {
    let start = from;
    for (const p of cut) {
      if (p < start || p > to) continue;
      if (p > start) out.push([start, p - 1]);
      start = p + 1;
    }
    if (start <= to) out.push([start, to]);
  }
  return out;
}

/** Does a span hold one of `ports`? */
export function spansHoldAny(spans: readonly PortSpan[], ports: readonly number[]): boolean {
  return spans.some(([a, b]) => ports.some((p) => a <= p && p <= b));
}

/** `22`, `8000-8100`, `22, 8080`. */
export function formatSpans(spans: readonly PortSpan[]): string {
  return spans.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

/** `tcp 22, 8080`, `udp 53`, `all traffic`, `icmp`, `icmp type 8`: a protocol and its ports. */
export function describeProtocolPorts(protocol: string, spans: readonly PortSpan[]): string {
  if (protocol === 'all') return 'all traffic';
  if (protocol === 'tcp' || protocol === 'udp') return `${protocol} ${formatSpans(spans)}`;
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    return spans.every(([a]) => a === -1) ? protocol : `${protocol} type ${formatSpans(spans)}`;
  }
  return `protocol ${protocol}`;
}

/** The ACL rule number as the console shows it (32767 is the `*` rule). */
const aclRule = (n: number) => (n === 32767 ? '*' : String(n));

/** The name part of an ELBv2 ARN (`…:loadbalancer/app/web/0123…` → `web`), else the ARN. */
function arnName(arn: string): string {
  const m = /:(?:loadbalancer\/(?:app|net|gwy)|targetgroup)\/([^/]+)\//.exec(arn);
  return m ? m[1] : arn;
}

function hopText(h: Hop): string {
  switch (h.type) {
    case 'internet-gateway':
      return h.id;
    case 'route-table':
      return `${h.id} (${h.prefixListId ? `${h.prefixListId} ` : ''}${h.route})`;
    case 'network-acl':
      return `${h.id} ${h.direction} rule ${aclRule(h.rule)}`;
    case 'security-group':
      return h.id;
    case 'load-balancer':
      return `load balancer ${arnName(h.id)} listener ${h.listener}`;
    case 'target-group':
      return `target group ${arnName(h.id)} port ${h.port}`;
    case 'network-interface':
    case 'vpc-peering-connection':
    case 'transit-gateway':
      return h.id;
  }
}

/**
 * `igw-1 → rtb-1 (0.0.0.0/0) → acl-1 inbound rule 100 → acl-1 outbound rule 100 → sg-1 → eni-1`: a path's
 * hops in the order a packet meets them, then its target.
 */
export function describePath(p: ExposurePath): string {
  return [...p.hops.map(hopText), p.target.id].join(' → ');
}

/** Is `inner` inside `outer` (the model's own range test; the same text always is)? */
const cidrWithin = (outer: string, inner: string): boolean => outer === inner || holds(outer, inner);

/** Does the rule entry source `s` hold the whole internet range `cidr` (a path's `source`)? */
export function sourceHolds(s: Source, cidr: string): boolean {
  if (s.kind === 'cidr') return cidrWithin(s.cidr.cidr, cidr);
  if (s.kind === 'prefixList') return (s.entries ?? []).some((c) => cidrWithin(c.cidr, cidr));
  return false;
}
