/** Counts over a snapshot, as the benchmarks report them beside their timings. */
import type { Snapshot } from '../../src/snapshot/schema.js';

export interface EstateStats {
  scopes: number;
  securityGroups: number;
  permissions: number;
  /** (permission, source) pairs: what the graph expands into rule entries. */
  sources: number;
  networkInterfaces: number;
  loadBalancers: number;
  dbClusters: number;
  dbInstances: number;
  prefixLists: number;
  tierTagged: number;
}

export function estateStats(snap: Snapshot): EstateStats {
  const st: EstateStats = {
    scopes: snap.regions.length,
    securityGroups: 0,
    permissions: 0,
    sources: 0,
    networkInterfaces: 0,
    loadBalancers: 0,
    dbClusters: 0,
    dbInstances: 0,
    prefixLists: 0,
    tierTagged: 0,
  };
  for (const r of snap.regions) {
    st.securityGroups += r.securityGroups.length;
    for (const g of r.securityGroups) {
      if (g.tags.Tier) st.tierTagged++;
      for (const p of [...g.ingress, ...g.egress]) {
        st.permissions++;
        st.sources += p.ipv4.length + p.ipv6.length + p.prefixLists.length + p.groups.length;
      }
    }
    st.networkInterfaces += r.networkInterfaces.length;
    st.loadBalancers += r.loadBalancers.length;
    st.dbClusters += r.dbClusters.length;
    st.dbInstances += r.dbInstances.length;
    st.prefixLists += r.prefixLists.length;
  }
  return st;
}
