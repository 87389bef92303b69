/**
 * A small, serialisable view of the security-group graph for reporters (the markdown tier diagram):
 * groups with their tiers, internet exposure and SG-to-SG references, and the tier diagram from effective paths
 * (src/report/tier-diagram.ts) when the network data was collected. Built from the graph by the core;
 * reporters never see AWS or files.
 */
import { TIERS, type Tier } from '../config/schema.js';
import type { Graph } from '../graph/model.js';
import { describePorts, describeSource, hasPublicCidr, isWorldSource } from '../graph/query.js';
import { analyseExposure } from '../exposure/internet.js';
import { analyseLateral } from '../exposure/lateral.js';
import { tierPathsOf, tierPathsUnavailable, type TierPaths } from './tier-diagram.js';

export interface TopologyNode {
  id: string;
  name: string;
  accountId: string;
  region: string;
  tiers: Tier[];
  /**
   * Tiers of the resources attached to the group (a load balancer tagged Tier=lb, …), for groups without a
   * tier tag of their own: the diagram and the tier table place the group there.
   */
  attachedTiers: Tier[];
  vpcId?: string;
  /** Ports open to public addresses (world or public CIDRs, prefix lists through their entries). */
  internet: string[];
  /**
   * The same per public source: `world` for 0.0.0.0/0, ::/0 or a prefix list holding either (drawn as
   * "Internet"); otherwise the public CIDR (`198.51.100.0/24`) or prefix list (`pl-…`) itself.
   */
  publicSources: PublicSource[];
  /** Resources the group is attached to. */
  attachments: number;
}

export interface PublicSource {
  /** `internet` for the world, else the CIDR or prefix-list id. */
  key: string;
  label: string;
  world: boolean;
  ports: string[];
}

/** The tier a group is drawn in: its own first tier tag, else the first tier of what is attached to it. */
export function placedTier(n: Pick<TopologyNode, 'tiers' | 'attachedTiers'>): Tier | undefined {
  return n.tiers[0] ?? n.attachedTiers[0];
}

/** `from` may reach `to`: an ingress rule of `to` names `from` as its source. */
export interface TopologyEdge {
  from: string;
  to: string;
  ports: string[];
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** The tier diagram from effective paths (issue #13), when the network data allows it. */
  tierPaths?: TierPaths;
  /** Why it does not (`network data not collected`, …): the diagram is then drawn from the rules' text. */
  tierPathsMissing?: string;
}

export function topologyOf(graph: Graph): Topology {
  const nodes: TopologyNode[] = [];
  const edges = new Map<string, TopologyEdge>();
  for (const g of graph.groups) {
    const internet = new Set<string>();
    const publicSources = new Map<string, PublicSource>();
    for (const e of g.ingress) {
      if (hasPublicCidr(e.source)) {
        const p = describePorts(e);
        internet.add(p);
        // A source can be world and public ranges at once (a prefix list): world wins, it is the wider.
        const world = isWorldSource(e.source);
        const key = world
          ? 'internet'
          : e.source.kind === 'cidr'
            ? e.source.cidr.cidr
            : e.source.kind === 'prefixList'
              ? e.source.prefixListId
              : describeSource(e.source);
        const label = world ? 'Internet' : describeSource(e.source);
        let ps = publicSources.get(key);
        if (!ps) publicSources.set(key, (ps = { key, label, world, ports: [] }));
        if (!ps.ports.includes(p)) ps.ports.push(p);
      }
      if (e.source.kind === 'group' && e.source.target && !e.source.self) {
        const key = `${e.source.groupId}\u0000${g.id}`;
        let edge = edges.get(key);
        if (!edge) edges.set(key, (edge = { from: e.source.groupId, to: g.id, ports: [] }));
        const p = describePorts(e);
        if (!edge.ports.includes(p)) edge.ports.push(p);
      }
    }
    nodes.push({
      id: g.id,
      name: g.name,
      accountId: g.accountId,
      region: g.region,
      tiers: TIERS.filter((t) => g.tiers.includes(t)),
      attachedTiers: TIERS.filter((t) => g.attachments.some((a) => a.tiers.includes(t))),
      ...(g.vpcId ? { vpcId: g.vpcId } : {}),
      internet: [...internet],
      publicSources: [...publicSources.values()],
      attachments: g.attachments.length,
    });
  }
  const missing = tierPathsUnavailable(graph);
  const tierPaths = missing ?? tierPathsOf(graph, analyseLateral(graph), analyseExposure(graph));
  return {
    nodes,
    edges: [...edges.values()],
    ...(typeof tierPaths === 'string' ? { tierPathsMissing: tierPaths } : { tierPaths }),
  };
}
