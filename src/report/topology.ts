/**
 * A small, serialisable view of the security-group graph for reporters (the markdown tier diagram):
 * groups with their tiers, internet exposure and SG-to-SG references. Built from the graph by the core;
 * reporters never see AWS or files.
 */
import { TIERS, type Tier } from '../config/schema.js';
import type { Graph } from '../graph/model.js';
import { describePorts, hasPublicCidr } from '../graph/query.js';

export interface TopologyNode {
  id: string;
  name: string;
  accountId: string;
  region: string;
  tiers: Tier[];
  /** Ports open to public addresses (world or public CIDRs, prefix lists through their entries). */
  internet: string[];
  /** Resources the group is attached to. */
  attachments: number;
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
}

export function topologyOf(graph: Graph): Topology {
  const nodes: TopologyNode[] = [];
  const edges = new Map<string, TopologyEdge>();
  for (const g of graph.groups) {
    const internet = new Set<string>();
    for (const e of g.ingress) {
      if (hasPublicCidr(e.source)) internet.add(describePorts(e));
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
      internet: [...internet],
      attachments: g.attachments.length,
    });
  }
  return { nodes, edges: [...edges.values()] };
}
