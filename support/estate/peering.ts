/**
 * Phase 5 of the generator: VPC peering connections (issue #13), from their own PRNG stream after the network, so
 * the groups, permissions, attachments and the network's other records of a seed are the ones the earlier phases
 * drew.
 *
 * - Between VPCs of the estate: about 30% of VPCs request one connection to another VPC whose CIDR does not
 *   overlap theirs and that they do not peer with yet (AWS refuses both: "VPC peering limitations",
 *   https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html); the accepter is in the same account and
 *   region (70%), another account of the estate in the same region (20%), or another region of the same account
 *   (10%, inter-region peering) — any VPC it may peer with when the estate has none of the kind drawn. Status
 *   (`Status.Code`, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionStateReason.html):
 *   active 85%,
 *   pending-acceptance 10%, rejected 5%. An active connection is routed both ways (75%: the peer's CIDR in every
 *   private route table and the main table of each side — the isolated subnets use the main table), one way only
 *   (20%: the requester's tables; the accepter's replies have no route back), or not at all (5%). Other statuses
 *   have no routes.
 * - To VPCs outside the estate: phase 4 gives 10% of the private tables a route to a `pcx-` with a 172.16/12
 *   destination. An active one becomes an active connection to a partner account's VPC with that CIDR; a blackhole
 *   one names a connection since deleted, which DescribeVpcPeeringConnections no longer lists.
 *
 * Each region lists the connections its VPCs request or accept: a connection between two regions or accounts of the
 * estate appears in both regions' snapshots, with the same id and record.
 */
import type { Route, VpcPeeringConnection } from '../../src/snapshot/schema.js';
import { Ids, PARTNER_ACCOUNT, type ScopeState, type Vpc } from './model.js';
import { Prng } from './prng.js';

/** Mixed into the estate seed for the peering's PRNG stream. */
const PEERING_STREAM = 0x70637821;

interface Side {
  scope: ScopeState;
  vpc: Vpc;
}

export function makePeering(seed: number, scopes: readonly ScopeState[]): void {
  const rng = new Prng(seed ^ PEERING_STREAM);
  const ids = new Ids(rng);
  const all: Side[] = scopes.flatMap((scope) => scope.vpcs.map((vpc) => ({ scope, vpc })));
  const peers = new Map<string, Set<number>>();
  const peersOf = (v: Vpc) => {
    let set = peers.get(v.id);
    if (!set) peers.set(v.id, (set = new Set([v.octet])));
    return set;
  };
  const info = (x: Side): VpcPeeringConnection['requester'] => ({
    vpcId: x.vpc.id,
    ownerId: x.scope.accountId,
    region: x.scope.region,
    cidrs: [x.vpc.cidr],
    ipv6Cidrs: x.vpc.ipv6 ? [x.vpc.ipv6] : [],
  });
  /** Each region's snapshot its own copy of the record. */
  const record = (p: VpcPeeringConnection, ...where: ScopeState[]) => {
    [...new Set(where)].forEach((s, i) => s.rs.vpcPeeringConnections.push(i === 0 ? p : structuredClone(p)));
  };

  // Phase 4's routes to connections outside the estate (before this phase adds its own routes).
  for (const scope of scopes) {
    for (const t of scope.rs.routeTables) {
      for (const r of t.routes) {
        if (!r.vpcPeeringConnectionId || r.state !== 'active' || !r.destinationCidr) continue;
        const vpc = scope.vpcs.find((v) => v.id === t.vpcId)!;
        record(
          {
            id: r.vpcPeeringConnectionId,
            status: 'active',
            requester: info({ scope, vpc }),
            accepter: {
              vpcId: ids.next('vpc'),
              ownerId: PARTNER_ACCOUNT,
              region: scope.region,
              cidrs: [r.destinationCidr],
              ipv6Cidrs: [],
            },
            tags: { Name: 'partner' },
          },
          scope,
        );
      }
    }
  }

  for (const requester of all) {
    if (!rng.chance(0.3)) continue;
    const where = rng.weighted([
      ['same', 70],
      ['account', 20],
      ['region', 10],
    ] as const);
    const taken = peersOf(requester.vpc);
    const open = all.filter((x) => !taken.has(x.vpc.octet));
    const here = requester.scope;
    const preferred = open.filter((x) =>
      where === 'same'
        ? x.scope === here
        : where === 'account'
          ? x.scope.region === here.region && x.scope.accountId !== here.accountId
          : x.scope.accountId === here.accountId && x.scope.region !== here.region,
    );
    // Nothing of the kind drawn (one VPC per region, one account): any VPC of the estate it may peer with.
    const candidates = preferred.length > 0 ? preferred : open;
    if (candidates.length === 0) continue;
    const accepter = rng.pick(candidates);
    taken.add(accepter.vpc.octet);
    peersOf(accepter.vpc).add(requester.vpc.octet);
    const status = rng.weighted([
      ['active', 85],
      ['pending-acceptance', 10],
      ['rejected', 5],
    ] as const);
    const id = ids.next('pcx');
    const p: VpcPeeringConnection = {
      id,
      status,
      requester: info(requester),
      // Not active: written without the accepter's CIDRs, so nothing may rest on them for a connection that carries
      // no traffic.
      accepter: status === 'active' ? info(accepter) : { ...info(accepter), cidrs: [], ipv6Cidrs: [] },
      tags: rng.chance(0.5) ? { Name: `${requester.vpc.id}-to-${accepter.vpc.id}` } : {},
    };
    record(p, requester.scope, accepter.scope);
    if (status !== 'active') continue;
    const routed = rng.weighted([
      ['both', 75],
      ['one-way', 20],
      ['none', 5],
    ] as const);
    if (routed !== 'none') routeTo(requester, accepter.vpc, id);
    if (routed === 'both') routeTo(accepter, requester.vpc, id);
  }
}

/** A route to `peer`'s IPv4 CIDR over the connection in the main and every private route table of `from`'s VPC. */
function routeTo(from: Side, peer: Vpc, pcx: string): void {
  for (const t of from.scope.rs.routeTables) {
    if (t.vpcId !== from.vpc.id || !(t.main || t.tags.Name?.startsWith('private-'))) continue;
    const route: Route = {
      destinationCidr: peer.cidr,
      vpcPeeringConnectionId: pcx,
      origin: 'CreateRoute',
      state: 'active',
    };
    t.routes.push(route);
  }
}
