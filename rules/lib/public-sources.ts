/**
 * Public (non-private, non-world) sources of inbound rules, split into wide prefixes and specific
 * addresses. Shared by wide-public-cidr-ingress and public-address-ingress so both rules classify every
 * source the same way.
 */
import { z } from 'zod';
import type { Severity } from '../../src/config/schema.js';
import type { RuleContext } from '../../src/engine/types.js';
import type { Graph, GroupNode, RuleEntry } from '../../src/graph/model.js';
import type { CidrInfo } from '../../src/graph/net.js';
import { describePorts, describeSource } from '../../src/graph/query.js';
import { prefixListEntriesCommand, revokeCommands, revokeEntryCommand } from './aws-cli.js';
import { exposureOf, lbExempt, loadBalancerPortsOption, publicLoadBalancerGroups, sgUnknown } from './exposure.js';
import { sgFailure, sgPassDetails } from './resources.js';

/** Options both rules take; the defaults make them partition public sources exactly. */
export const publicSourceOptions = {
  ipv4MinPrefix: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(24)
    .describe('IPv4 public prefixes shorter than this (/1-/23 by default) are "wide".'),
  ipv6MinPrefix: z
    .number()
    .int()
    .min(1)
    .max(128)
    .default(48)
    .describe('IPv6 public prefixes shorter than this (/1-/47 by default: more than one /48 site) are "wide".'),
  trustAwsManagedPrefixLists: z
    .boolean()
    .default(true)
    .describe('AWS-managed prefix lists (com.amazonaws.*, e.g. CloudFront origin-facing) are trusted, not reported.'),
  loadBalancerPorts: loadBalancerPortsOption,
};
export type PublicSourceOptions = {
  ipv4MinPrefix: number;
  ipv6MinPrefix: number;
  trustAwsManagedPrefixLists: boolean;
  loadBalancerPorts: number[];
};

export interface PublicHit {
  entry: RuleEntry;
  /** The offending CIDR: the source itself or a prefix-list entry. */
  cidr: CidrInfo;
  /** `203.0.113.0/20` or `pl-123 (name): 0.0.0.0/0` */
  label: string;
}

/** Shared between rules and groups: never mutated. */
interface PublicSources {
  /** Public prefixes shorter than the thresholds. */
  readonly wide: readonly PublicHit[];
  /** Public prefixes at or above the thresholds (single addresses, small ranges). */
  readonly specific: readonly PublicHit[];
  /** Prefix-list sources whose entries are unknown: nothing can be said about them. */
  readonly unresolved: readonly RuleEntry[];
}

/**
 * The public sources of every group's inbound rules, parallel to `graph.groups`. 0.0.0.0/0 and ::/0 are
 * skipped (the world-open rules report them), literal or held by a prefix list; private ranges (RFC 1918,
 * RFC 6598, ULA, link-local) and group references are never public; prefix lists count through their
 * resolved entries (a prefix list is the CIDRs it holds). wide-public-cidr-ingress and public-address-ingress
 * classify every group with (by default) the same options, so the list is computed once per graph and options
 * and shared (never mutated).
 */
function publicSourcesByGroup(graph: Graph, o: PublicSourceOptions): readonly PublicSources[] {
  const key = `${o.ipv4MinPrefix}|${o.ipv6MinPrefix}|${o.trustAwsManagedPrefixLists}|${o.loadBalancerPorts.join(',')}`;
  const cached = publicSourcesCache.get(graph);
  if (cached && cached.key === key && cached.list.length === graph.groups.length) return cached.list;
  const lbGroups = publicLoadBalancerGroups(graph);
  const list = graph.groups.map((g) => computePublicSources(lbGroups, g, o));
  publicSourcesCache.set(graph, { key, list });
  return list;
}

const publicSourcesCache = new WeakMap<Graph, { key: string; list: readonly PublicSources[] }>();

const NO_PUBLIC_SOURCES: PublicSources = Object.freeze({
  wide: Object.freeze([]),
  specific: Object.freeze([]),
  unresolved: Object.freeze([]),
});

function computePublicSources(lbGroups: Set<string>, g: GroupNode, o: PublicSourceOptions): PublicSources {
  let out: { wide: PublicHit[]; specific: PublicHit[]; unresolved: RuleEntry[] } | undefined;
  for (const e of g.ingress) {
    const s = e.source;
    if (s.kind === 'group') continue;
    if (s.kind === 'cidr') {
      if (s.cidr.world || !s.cidr.public) continue;
      if (lbExempt(lbGroups, e, o.loadBalancerPorts)) continue;
      out ??= { wide: [], specific: [], unresolved: [] };
      (isWide(s.cidr, o) ? out.wide : out.specific).push({ entry: e, cidr: s.cidr, label: s.cidr.cidr });
      continue;
    }
    if (lbExempt(lbGroups, e, o.loadBalancerPorts)) continue;
    if (o.trustAwsManagedPrefixLists && s.awsManaged) continue;
    out ??= { wide: [], specific: [], unresolved: [] };
    if (!s.entries) {
      out.unresolved.push(e);
      continue;
    }
    for (const c of s.entries) {
      // World entries make the list "the world": the world-open rules report it, as for a literal 0.0.0.0/0.
      if (c.world || !c.public) continue;
      (isWide(c, o) ? out.wide : out.specific).push({ entry: e, cidr: c, label: `${describeSource(s)}: ${c.cidr}` });
    }
  }
  return out ?? NO_PUBLIC_SOURCES;
}

function isWide(c: CidrInfo, o: PublicSourceOptions): boolean {
  return c.prefixLength < (c.family === 4 ? o.ipv4MinPrefix : o.ipv6MinPrefix);
}

/**
 * The check behind wide-public-cidr-ingress and public-address-ingress: one finding per group. A group
 * with `hits` sources fails with message `fail` (data: `data(g)` plus {{sources}}; the exposure of the hits'
 * entries); one without them passes
 * with `pass` (data: `data(g)`), unless a prefix list's entries were not collected: then the verdict is
 * unknown, an `error` finding with message `unknown` (data: `data(g)` plus {{rules}} and {{prefixLists}}).
 */
export function checkPublicSources<F extends string, P extends string>(
  ctx: RuleContext<PublicSourceOptions, F | P | 'unknown'>,
  spec: {
    hits: 'wide' | 'specific';
    fail: F;
    pass: P;
    /** A fresh object per call: `sources` is added to it for the failing finding. */
    data: (g: GroupNode) => Record<string, string | number>;
    revoke: 'all' | 'cidrOnly';
    severity?: (hits: readonly PublicHit[]) => Severity | undefined;
  },
): void {
  const { graph, report, pass } = ctx;
  const classified = publicSourcesByGroup(graph, ctx.options);
  const groups = graph.groups;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    const c = classified[i];
    const hits = c[spec.hits];
    if (hits.length) {
      const data = spec.data(g);
      data.sources = describeHits(hits);
      // Whether the internet behind these sources gets to the group's interfaces.
      const exposure = exposureOf(
        graph,
        hits.map((h) => h.entry),
      );
      report({
        ...sgFailure(g, spec.fail, data, publicHitRemediation(g, hits, spec.revoke), spec.severity?.(hits)),
        exposure,
      });
    } else if (c.unresolved.length > 0) {
      report(sgUnknown(g, 'unknown', spec.data(g), c.unresolved));
    } else {
      pass(spec.pass, () => sgPassDetails(g, spec.data(g)));
    }
  }
}

/** `tcp 22 from 198.51.0.0/16; all traffic from pl-1 (partners): 0.0.0.0/0` */
function describeHits(hits: readonly PublicHit[], limit = 10): string {
  if (hits.length === 1) return `${describePorts(hits[0].entry)} from ${hits[0].label}`;
  const parts = [...new Set(hits.map((h) => `${describePorts(h.entry)} from ${h.label}`))];
  return parts.length > limit
    ? `${parts.slice(0, limit).join('; ')}; and ${parts.length - limit} more`
    : parts.join('; ');
}

/**
 * Fix commands for public-source hits: list the entries of each prefix list involved (the addresses live
 * in the list), and revoke the offending entries — all of them, or only the CIDR ones when prefix-list
 * references are to be reviewed rather than removed.
 */
function publicHitRemediation(g: GroupNode, hits: readonly PublicHit[], revoke: 'all' | 'cidrOnly'): string[] {
  if (hits.length === 1) {
    // The common case, without the de-duplication below.
    const e = hits[0].entry;
    if (e.source.kind !== 'prefixList') return [revokeEntryCommand(e)];
    const list = prefixListEntriesCommand(g.region, e.source.prefixListId);
    return revoke === 'all' ? [list, revokeEntryCommand(e)] : [list];
  }
  const entries = [...new Set(hits.map((h) => h.entry))];
  const prefixLists = [
    ...new Set(entries.flatMap((e) => (e.source.kind === 'prefixList' ? [e.source.prefixListId] : []))),
  ];
  const revoked = revoke === 'all' ? entries : entries.filter((e) => e.source.kind === 'cidr');
  return [...prefixLists.map((id) => prefixListEntriesCommand(g.region, id)), ...revokeCommands(revoked)];
}
