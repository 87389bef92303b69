/**
 * Synthetic estate generator, shared by the benchmarks and the tests: a deterministic (seeded) snapshot of
 * N regions × M security groups with realistic rules — SG references (same VPC, cross-account, peered),
 * IPv4/IPv6 CIDRs, managed prefix lists, port ranges, protocol -1, ICMP, raw protocol numbers — plus ENIs,
 * load balancers and RDS clusters/instances, with default tier tags (Tier=lb/web/app/data) on a share of them,
 * and the network around them (network.ts: VPCs, subnets, route tables, gateways, ACLs, addresses, listeners
 * and target groups; peering.ts: VPC peering connections and their routes).
 *
 * The first phases draw from one seeded PRNG in a fixed order (scopes and prefix lists, group shells,
 * permissions, resources), the network from a second stream of the same seed and the peering connections from a
 * third, so the same options give the same estate on every machine; moving a draw changes every estate after it
 * (bump GENERATOR_VERSION).
 * bench/generate.ts writes one to a file.
 */
import {
  emptyRegion,
  newSnapshot,
  RESOURCE_KINDS,
  type RegionSnapshot,
  type Snapshot,
} from '../../src/snapshot/schema.js';
import { makePrefixLists, makeShell, ROLE_WEIGHTS } from './groups.js';
import { ALL_REGIONS, Ids, type Role, type ScopeState, type Vpc } from './model.js';
import { makeNetwork, newNetworkState } from './network.js';
import { makePeering } from './peering.js';
import { fillPermissions } from './permissions.js';
import { Prng } from './prng.js';
import { makeResources } from './resources.js';

export { DEFAULT_REGIONS, OPT_IN_REGIONS, PARTNER_ACCOUNT } from './model.js';
export { Prng } from './prng.js';
export { estateStats, type EstateStats } from './statistics.js';
export { withoutNetworkCollected } from './variants.js';

/**
 * Bump when the generated estate changes shape, so cached benchmark inputs are regenerated. 3 (issue #13): VPC
 * peering connections and their routes (phase 5), `attachment.deviceIndex` 0 on instance interfaces.
 */
export const GENERATOR_VERSION = 3;

export interface EstateOptions {
  /** Total security groups (default groups of each VPC included). */
  sgs: number;
  /** Regions per account (1–32; the first 17 are the default-enabled ones). */
  regions: number;
  seed: number;
  /** Accounts in the estate (default 1); SGs are spread over accounts × regions. */
  accounts?: number;
  /** Network interfaces per security group, LB and RDS interfaces included (default 1). */
  enisPerSg?: number;
  createdAt?: string;
}

export function generateEstate(opts: EstateOptions): Snapshot {
  const accounts = opts.accounts ?? 1;
  if (!Number.isInteger(opts.sgs) || opts.sgs < 1) throw new Error(`sgs: expected a positive integer, got ${opts.sgs}`);
  if (!Number.isInteger(opts.regions) || opts.regions < 1 || opts.regions > ALL_REGIONS.length) {
    throw new Error(`regions: expected 1–${ALL_REGIONS.length}, got ${opts.regions}`);
  }
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 99)
    throw new Error(`accounts: expected 1–99, got ${accounts}`);
  if (!Number.isInteger(opts.seed)) throw new Error(`seed: expected an integer, got ${opts.seed}`);
  if (opts.enisPerSg !== undefined && !(opts.enisPerSg >= 0))
    throw new Error(`enisPerSg: expected a number ≥ 0, got ${opts.enisPerSg}`);
  const createdAt = opts.createdAt ?? '2026-01-01T00:00:00.000Z';
  const rng = new Prng(opts.seed);
  const ids = new Ids(rng);

  // Spread SGs evenly over account × region scopes.
  const scopes: ScopeState[] = [];
  const nScopes = accounts * opts.regions;
  let vpcOctet = 0;
  for (let a = 0; a < accounts; a++) {
    const accountId = String(100000000000 + a * 11111111 + 12).padStart(12, '0');
    for (let r = 0; r < opts.regions; r++) {
      const i = a * opts.regions + r;
      const count = Math.floor(opts.sgs / nScopes) + (i < opts.sgs % nScopes ? 1 : 0);
      const region = ALL_REGIONS[r];
      const rs: RegionSnapshot = {
        ...emptyRegion(accountId, region),
        collectedAt: createdAt,
        collected: [...RESOURCE_KINDS],
      };
      const nVpcs = count === 0 ? 0 : Math.min(count, Math.max(1, Math.round(count / 400)));
      const vpcs: Vpc[] = [];
      for (let v = 0; v < nVpcs; v++) {
        const octet = vpcOctet++ % 256;
        vpcs.push({
          id: ids.next('vpc'),
          cidr: `10.${octet}.0.0/16`,
          octet,
          ipv6: rng.chance(0.4) ? `2600:1f${rng.hex(2)}:${rng.hex(4)}:${rng.hex(2)}00::/56` : undefined,
          byRole: new Map(),
          all: [],
        });
      }
      const prefixLists = makePrefixLists(rng, ids, accountId, region);
      rs.prefixLists = prefixLists;
      scopes.push({
        accountId,
        region,
        count,
        vpcs,
        shells: [],
        prefixLists,
        pl: {
          corp: prefixLists[0].id,
          vpn: prefixLists[1].id,
          partnerV6: prefixLists[2].id,
          s3: prefixLists[3].id,
          dynamodb: prefixLists[4].id,
        },
        rs,
        enis: [],
      });
    }
  }

  // Phase 1: group shells (ids, names, tags), so rules can reference any group in any scope.
  for (const s of scopes) {
    for (let i = 0; i < s.count; i++) {
      const vpc = i < s.vpcs.length ? s.vpcs[i] : rng.pick(s.vpcs);
      const role: Role = i < s.vpcs.length ? 'default' : rng.weighted(ROLE_WEIGHTS);
      const shell = makeShell(rng, ids, s.accountId, vpc, role);
      s.shells.push(shell);
      s.rs.securityGroups.push(shell.sg);
      vpc.all.push(shell);
      const list = vpc.byRole.get(role);
      if (list) list.push(shell);
      else vpc.byRole.set(role, [shell]);
    }
  }

  // Phase 2: permissions.
  for (const s of scopes) {
    const others = scopes.filter((o) => o.accountId !== s.accountId && o.region === s.region && o.shells.length > 0);
    for (const shell of s.shells) fillPermissions(rng, ids, s, shell, others);
  }

  // Phase 3: attached resources.
  for (const s of scopes) makeResources(rng, ids, s, opts.enisPerSg ?? 1);

  // Phase 4: the network, from its own stream (the phases above are the same with or without it).
  const net = newNetworkState(opts.seed);
  for (const s of scopes) if (s.vpcs.length > 0) makeNetwork(net, s);

  // Phase 5: VPC peering connections, from a third stream (the network above is the same with or without them).
  makePeering(opts.seed, scopes);

  return newSnapshot(
    scopes.map((s) => s.rs),
    createdAt,
  );
}
