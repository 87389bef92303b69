/**
 * Internet exposure over the graph (issue #12 "The model"): for every network interface, which internet sources its
 * security groups admit, and whether a packet from them gets there (public address, route back to an internet
 * gateway, network ACL both ways, the permission itself), directly or through an internet-facing load balancer.
 * Computed once per graph, on first use.
 */
import type { Graph } from '../graph/model.js';
import type { Exposure, InterfaceExposure, InternetExposure, PermissionRef, PortQuery } from './types.js';

const cache = new WeakMap<Graph, InternetExposure>();

/** The estate's internet exposure; computed lazily on the first call, then cached for the graph. */
export function analyseExposure(graph: Graph): InternetExposure {
  let result = cache.get(graph);
  if (!result) {
    result = compute(graph);
    cache.set(graph, result);
  }
  return result;
}

function compute(graph: Graph): InternetExposure {
  const interfaces: InterfaceExposure[] = [];
  for (const scope of graph.scopes) {
    for (const node of scope.networkInterfaces) {
      interfaces.push({
        eniId: node.eni.id,
        accountId: scope.accountId,
        region: scope.region,
        target: { type: 'network-interface', id: node.eni.id },
        status: 'unknown',
        reason: 'internet exposure not computed yet',
        paths: [],
      });
    }
  }
  const byId = new Map(interfaces.map((i) => [i.eniId, i]));
  return {
    paths: [],
    interfaces,
    ofPermissions(_refs: readonly PermissionRef[], _query?: PortQuery): Exposure {
      return { status: 'unknown', reason: 'internet exposure not computed yet', paths: [] };
    },
    ofInterface: (eniId: string) => byId.get(eniId),
  };
}
