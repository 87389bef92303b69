/**
 * Internet exposure of security groups: which groups front an internet-facing load balancer, and the
 * shared "TCP ports open to the world" check behind the admin, database, restricted-common-ports and
 * high-risk port rules.
 */
import { z } from 'zod';
import type { RuleContext } from '../../src/engine/types.js';
import type { Graph, GroupNode, RuleEntry } from '../../src/graph/model.js';
import { coversPort, describeSource, isWorldSource } from '../../src/graph/query.js';
import { revokeCommands } from './aws-cli.js';
import { describeEntries, formatPorts, PortSchema, rangeWithin } from './ports.js';
import { sgPassTarget, sgTarget } from './resources.js';

/**
 * Option shared by the exposure rules: TCP ports that security groups of internet-facing load balancers
 * may open to the internet without a finding. `[]` turns the exemption off.
 */
export const loadBalancerPortsOption = z.array(PortSchema).default([80, 443]);

const lbGroupCache = new WeakMap<Graph, Set<string>>();

/**
 * Groups attached to an internet-facing load balancer, or carrying the `lb` tier tag. These legitimately
 * admit web traffic from everywhere (Prowler #386/#2107/#5172, ScoutSuite #770).
 */
export function publicLoadBalancerGroups(graph: Graph): Set<string> {
  let set = lbGroupCache.get(graph);
  if (!set) {
    set = new Set<string>();
    for (const scope of graph.scopes) {
      for (const lb of scope.loadBalancers) {
        if (lb.lb.scheme === 'internet-facing') for (const g of lb.groups) set.add(g.id);
      }
    }
    for (const g of graph.groupsByTier.lb) set.add(g.id);
    lbGroupCache.set(graph, set);
  }
  return set;
}

export function isPublicLoadBalancerGroup(graph: Graph, g: GroupNode): boolean {
  return publicLoadBalancerGroups(graph).has(g.id);
}

/**
 * Is this entry entirely within the load-balancer exemption (tcp, every port in `lbPorts`, on a group in
 * `lbGroups` = publicLoadBalancerGroups(graph))?
 */
export function lbExempt(lbGroups: Set<string>, e: RuleEntry, lbPorts: readonly number[]): boolean {
  return lbPorts.length > 0 && e.protocol === 'tcp' && lbGroups.has(e.group.id) && rangeWithin(e.fromPort, e.toPort, lbPorts);
}

/** `0.0.0.0/0, ::/0`: the distinct sources of entries, in first-seen order. */
export function describeSources(entries: RuleEntry[]): string {
  return [...new Set(entries.map((e) => describeSource(e.source)))].join(', ');
}

/** Ingress entries whose source is 0.0.0.0/0 or ::/0 (never a prefix list or a group). */
export function worldIngress(g: GroupNode): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const e of g.ingress) if (isWorldSource(e.source)) out.push(e);
  return out;
}

export interface WorldPortExposure {
  entries: RuleEntry[];
  ports: number[];
  sources: string[];
}

/**
 * Which of `ports` (TCP) the group admits from the world. A port is covered by a tcp range that includes
 * it or by protocol `-1`; a udp rule does not open a TCP service. For load-balancer groups the ports in
 * `lbPorts` are exempt, port by port.
 */
export function worldOpenTcpPorts(lbGroups: Set<string>, g: GroupNode, ports: readonly number[], lbPorts: readonly number[]): WorldPortExposure {
  const entries: RuleEntry[] = [];
  const open = new Set<number>();
  const sources = new Set<string>();
  const world = worldIngress(g);
  if (world.length === 0) return { entries, ports: [], sources: [] };
  const exempt = lbPorts.length > 0 && lbGroups.has(g.id) ? new Set(lbPorts) : undefined;
  for (const e of world) {
    let hit = false;
    for (const port of ports) {
      if (exempt?.has(port)) continue;
      if (coversPort(e, 'tcp', port)) {
        open.add(port);
        hit = true;
      }
    }
    if (hit) {
      entries.push(e);
      sources.add(describeSource(e.source));
    }
  }
  return { entries, ports: [...open].sort((a, b) => a - b), sources: [...sources] };
}

/**
 * The check behind every "TCP ports open to the world" rule: one finding per group, `open` (fail) listing
 * the offending ports and sources, or `closed` (pass). Rules supply `open`/`closed` messages using
 * `{{group}}`, `{{ports}}`, `{{sources}}` and `{{checked}}`.
 */
export function checkWorldOpenPorts(
  ctx: RuleContext<unknown>,
  ports: readonly number[],
  lbPorts: readonly number[],
): void {
  const checked = formatPorts(ports);
  const lbGroups = publicLoadBalancerGroups(ctx.graph);
  for (const g of ctx.graph.groups) {
    const x = worldOpenTcpPorts(lbGroups, g, ports, lbPorts);
    if (x.entries.length) {
      ctx.report({
        status: 'fail',
        messageId: 'open',
        ...sgTarget(g),
        data: { group: g.id, groupName: g.name, ports: formatPorts(x.ports), sources: x.sources.join(', '), checked },
        remediation: revokeCommands(x.entries),
      });
    } else {
      ctx.report({ status: 'pass', messageId: 'closed', ...sgPassTarget(g), data: { group: g.id, groupName: g.name, checked } });
    }
  }
}

/**
 * One finding per group for world-open ingress entries selected by `offending`: `open` (fail, with the
 * revoke commands) when any entry matches, else `closed` (pass). Both messages take {{group}} and
 * {{groupName}}; `open` also {{ports}} and {{sources}}.
 */
export function reportWorldEntries(graph: Graph, report: RuleContext<unknown>['report'], offending: (e: RuleEntry) => boolean): void {
  for (const g of graph.groups) {
    const entries = worldIngress(g).filter(offending);
    const data = { group: g.id, groupName: g.name };
    if (entries.length) {
      report({
        status: 'fail',
        messageId: 'open',
        ...sgTarget(g),
        data: { ...data, ports: describeEntries(entries), sources: describeSources(entries) },
        remediation: revokeCommands(entries),
      });
    } else report({ status: 'pass', messageId: 'closed', ...sgPassTarget(g), data });
  }
}
