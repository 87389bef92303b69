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
  /** The network data (schema v2). */
  vpcs: number;
  subnets: number;
  routeTables: number;
  networkAcls: number;
  listeners: number;
  targetGroups: number;
  targets: number;
  /** VPC peering connections (a connection between two regions of the estate counts in both). */
  peeringConnections: number;
  /** Interfaces with a public IPv4 (on the primary or a secondary address). */
  publicInterfaces: number;
  /** Interfaces with an IPv6 address. */
  ipv6Interfaces: number;
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
    vpcs: 0,
    subnets: 0,
    routeTables: 0,
    networkAcls: 0,
    listeners: 0,
    targetGroups: 0,
    targets: 0,
    peeringConnections: 0,
    publicInterfaces: 0,
    ipv6Interfaces: 0,
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
    st.vpcs += r.vpcs.length;
    st.subnets += r.subnets.length;
    st.routeTables += r.routeTables.length;
    st.networkAcls += r.networkAcls.length;
    st.listeners += r.listeners.length;
    st.targetGroups += r.targetGroups.length;
    st.peeringConnections += r.vpcPeeringConnections.length;
    for (const tg of r.targetGroups) st.targets += tg.targets.length;
    for (const eni of r.networkInterfaces) {
      if (eni.publicIp || eni.privateIpAddresses?.some((a) => a.publicIp)) st.publicInterfaces++;
      if (eni.ipv6Addresses && eni.ipv6Addresses.length > 0) st.ipv6Interfaces++;
    }
  }
  return st;
}
